import Foundation
import Testing
import TilbudCorpus
import TilbudHTML

/// Hostile and ordinary fragments: the samples of the sanitizer, text and Markdown tests and more.
private let fixedSamples: [String] = [
    "", " ", "\n", "bare tekst", "<p>Hei</p>",
    "<p>Tekst med <strong>fet</strong>, <em>kursiv</em>, <b>b</b>, <i>i</i>, <del>slettet</del>, <s>s</s>, <code>kode</code>, x<sup>2</sup> og H<sub>2</sub>O.</p>",
    "<h2>To</h2><h3>Tre</h3><h4>Fire</h4><h5>Fem</h5><h6>Seks</h6>",
    "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol start=\"3\">\n<li>c</li>\n</ol>\n",
    "<blockquote>\n<p>Sitat</p>\n</blockquote>\n<pre><code>let x = 1\n</code></pre>\n<hr>",
    "<p>Linje<br>linje</p>", "<dl><dt>Pris</dt><dd>Gratis</dd></dl>",
    "<p><a href=\"https://example.org/a?b=1&amp;c=2\">https</a> <a href=\"mailto:post@example.org\">post</a> <a href=\"tel:+4712345678\">tlf</a></p>",
    "<table>\n<thead>\n<tr>\n<th align=\"left\">Dag</th>\n<th align=\"center\">Tid</th>\n<th align=\"right\">Sted</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">Mandag</td>\n<td align=\"center\">10</td>\n<td>Rom 1</td>\n</tr>\n</tbody>\n</table>\n",
    "<p>&amp; &lt; &gt; \" ' é 🫐</p>",
    "<script>alert(1)</script>", "<p>a<script>alert(1)</script>b</p>", "<img src=x onerror=alert(1)>",
    "<p>Bilde: <img src=\"x.png\" alt=\"alt\"></p>", "<iframe src=\"https://evil.example\">inne</iframe>etter",
    "<svg onload=alert(1)><circle></circle></svg>etter", "<math><mi>x</mi></math>etter",
    "<style>p { color: red }</style><p>x</p>", "<object data=x><embed src=y></object>z",
    "<template><p>t</p></template><noscript>n</noscript>z",
    "<form action=x><input value=1><button>b</button><textarea>t</textarea><select><option>o</option></select></form>z",
    "<link rel=stylesheet href=x><meta http-equiv=refresh content=0><base href=x>z",
    "<title>t</title><frameset><frame src=x></frameset>z", "<!-- kommentar --><p>x</p><?php echo 1; ?>",
    "<p onclick=\"alert(1)\" style=\"color:red\" class=\"c\" id=\"i\">x</p>", "<a href=\"javascript:alert(1)\">x</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">x</a>", "<a href=\"&#106;avascript:alert(1)\">x</a>",
    "<a href=\"java&#9;script:alert(1)\">x</a>", "<a href=\" \u{1}javascript:alert(1)\">x</a>",
    "<a href=\"data:text/html,abc\">x</a>", "<a href=\"vbscript:x\">x</a>", "<a href=\"http://example.org\">x</a>",
    "<a href=\"/relative\">x</a>", "<a name=\"anker\">x</a>",
    "<a href=\"https://example.org\" onclick=\"alert(1)\" target=\"_blank\">x</a>", "<body onload=alert(1)><p>x</p>",
    "x</body></html><script>alert(1)</script><p>etter</p>",
    "<div class=\"x\"><p>a <span style=\"color:red\">b</span> <u>c</u></p></div>",
    "<article><section><custom-tag>x</custom-tag></section></article>", "<font color=red>rød</font>",
    "<h1 class=\"t\">Tittel</h1><h2>Under</h2>",
    "<table><tr><td align=\"CENTER\">a</td><td align=\"justify\">b</td><th valign=\"top\" align=\"right\">c</th></tr></table>",
    "<ol start=\"-1\"><li>a</li></ol><ol start=\"7\" type=\"a\"><li>b</li></ol>", "<ul start=\"3\"><li>a</li></ul>",
    "<a href=\"  https://example.org/?q=&quot;x&quot;&lt;&amp;\n\">x</a>", "<a href=\"MAILTO:a@b.no\">m</a>",
    "<p>a<br/>b<br>c</p><hr/>", "1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;x&quot; &nbsp;", "<pre>\n\nx</pre>",
    "<p>Ubalansert <strong>fet", "a\u{0}b", "<<<>>> & &&",
    "<p>Mat &amp; helse &lt;3 &eacute; &#229; &quot;x&quot;</p>",
    "<h2>Tittel</h2><p>Første</p><p>Andre<br>linje</p><div>Div</div><blockquote>Sitat</blockquote>",
    "<p>fl<em>ett</em>et</p>", "  <p>\n  mye \t\n  luft  </p>\n\n",
    "<p>a</p><script>var x = 1;</script><style>p{}</style><!-- c --><p>b</p>",
    "x<sup>&#32;</sup>y", "<sup>a</sup><span> </span><sup>b</sup>", "<p>a&#13;b&#x2003;c&nbsp;d\u{3000}e\u{85}f</p>",
    "<p>a<span><div>b</div></span>c</p>", "<h2>a<span><h3>b</h3>c</span>d</h2>", "<p><p>x</p></p>",
    "<table>  &#32;<tr><td>a</td></tr></table>", "<li>a<ul><li>b</li></ul>c</li>", "<a href=https://e.org><a href=https://f.org>x</a></a>",
    "<P>Store <STRONG>bokstaver</STRONG> <A HREF=\"HTTPS://E.ORG\">lenke</A></P>", "<p>lin\u{212A}</p><lin\u{212A}>k</lin\u{212A}>",
    "<![CDATA[x]]><p>y</p>", "<p>&#0;&#1;&#128;&#xD800;&#x110000;</p>", "<p>\u{FEFF}\u{200B}\u{2028}\u{2029}</p>",
]

/// Markdown-shaped HTML as cmark-gfm writes it, with `index` varied.
private func cmarkStyle(_ index: Int) -> String {
    """
    <h2>Tilbud \(index)</h2>
    <p>Kurs for <del>alle</del> <em>voksne</em> &amp; barn nr. \(index). Les mer på <a href="https://example.org/\(index)">https://example.org/\(index)</a> eller www.example.org.</p>
    <table>
    <thead>
    <tr>
    <th align="left">Dag</th>
    <th align="center">Tid</th>
    <th align="right">Sted</th>
    </tr>
    </thead>
    <tbody>
    <tr>
    <td align="left">Mandag</td>
    <td align="center">1\(index % 10):00</td>
    <td align="right">Rom <del>\(index)</del></td>
    </tr>
    </tbody>
    </table>
    <ul>
    <li><a href="https://example.org/p/\(index)">Påmelding</a></li>
    <li>Ring <a href="tel:+47\(10_000_000 + index)">oss</a></li>
    <li>bilde \(index)</li>
    </ul>
    <blockquote>
    <p>Sitat med <code>kode &lt;b&gt;</code> og <strong>fet</strong> tekst, <a href="mailto:post\(index)@example.org">post\(index)@example.org</a>.</p>
    </blockquote>
    <pre><code class="language-swift">let x = \(index) &lt; 3
    </code></pre>
    <ol start="\(index % 12)">
    <li>
    <p>løs</p>
    </li>
    </ol>
    <hr />
    <p>Linje<br />\nlinje \u{A0}– «sitat»</p>\n
    """
}

/// Random tag soup: allowed, unknown and removed elements, attributes, entities, whitespace, comments, stray end tags.
private func tagSoup(_ generator: inout SplitMix64, allowedOnly: Bool = false) -> String {
    let allowedTags = ["p", "h2", "h3", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "del", "s", "code", "pre",
                       "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "dl", "dt", "dd", "sup", "sub"]
    let allTags = ["p", "h1", "h2", "h3", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "del", "s", "code", "pre",
                "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "dl", "dt", "dd", "sup", "sub",
                "div", "span", "u", "font", "section", "custom-tag", "script", "style", "iframe", "svg", "math", "noscript",
                "textarea", "title", "head", "body", "html", "img", "input", "option", "select", "xmp", "plaintext", "P", "LI", "Td"]
    let tags = allowedOnly ? allowedTags : allTags
    let attributes = ["href=\"https://e.org/?a=1&amp;b=\\\"2\\\"\"", "href=\"javascript:alert(1)\"", "href=' mailto:x@y.no '",
                      "href=\"tel:+47 1\"", "href=\"http://e.org\"", "HREF=HTTPS://E.ORG", "href=\"java&#10;script:x\"",
                      "align=\"center\"", "align=LEFT", "align=justify", "start=\"12\"", "start=\"1234567890\"", "start=x",
                      "onclick=\"alert(1)\"", "style=\"color:red\"", "class=x"]
    let texts = ["tekst", " ", "\n", "\t", "  \n ", "&amp;", "&lt;b&gt;", "&nbsp;", "&#32;", "&#13;", "&#x2003;", "&eacute;",
                 "æøå", "🫐", "\"'", "a&b", "1 < 2", "x > y", "–", "\u{A0}", "\u{3000}", "&#0;", "&#1;", "&", "<", ">",
                 "<!-- c -->", "<?pi x?>", "</body>", "</html>", "<!DOCTYPE html>", "]]>", "\r\n", "ord"]
    let plainTexts = texts.filter { !$0.hasPrefix("<") || $0.count == 1 }
    var output = ""
    let parts = Int.random(in: 1...40, using: &generator)
    var open: [String] = []
    for _ in 0..<parts {
        switch Int.random(in: 0..<10, using: &generator) {
        case 0..<3:
            output += (allowedOnly ? plainTexts : texts).randomElement(using: &generator)!
        case 3..<6:
            let tag = tags.randomElement(using: &generator)!
            var attributeText = ""
            let attributeCount = tag == "a" && allowedOnly ? 1 : Int.random(in: 0...2, using: &generator)
            for _ in 0..<attributeCount { attributeText += " " + attributes.randomElement(using: &generator)! }
            output += "<\(tag)\(attributeText)>"
            open.append(tag)
        case 6..<8:
            if let tag = open.popLast() { output += "</\(tag)>" }
        case 8:
            output += "</\(tags.randomElement(using: &generator)!)>"
        default:
            output += "<br>"
        }
    }
    if Bool.random(using: &generator) { while let tag = open.popLast() { output += "</\(tag)>" } }
    return output
}

/// The bodies of the bundled catalog, used as (mostly text) HTML input.
private func catalogBodies() -> [String] {
    let content = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("content/providers")
    guard let enumerator = FileManager.default.enumerator(atPath: content.path) else { return [] }
    var bodies: [String] = []
    while let relative = enumerator.nextObject() as? String {
        guard relative.hasSuffix(".md"), let text = try? String(contentsOfFile: content.appendingPathComponent(relative).path, encoding: .utf8) else { continue }
        bodies.append(text)
    }
    return bodies.sorted()
}

@Suite("Sanitize with text")
struct SanitizeWithTextTests {
    /// Checks the one-parse result against the two-call path and against the old implementation.
    private func check(_ input: String) {
        let sanitized = HTMLSanitizer.sanitize(input)
        let combined = HTMLSanitizer.sanitizeWithText(input)
        #expect(combined.html == sanitized, "html of \(input.debugDescription)")
        var bytes = input
        let fromBytes = bytes.withUTF8 { HTMLSanitizer.sanitizeWithText(utf8: $0) }
        #expect(fromBytes.html == combined.html && fromBytes.text == combined.text, "bytes of \(input.debugDescription)")
        #expect(combined.text == HTMLText.plainText(sanitized), "text of \(input.debugDescription)")
        #expect(sanitized == ReferenceHTML.sanitize(input), "sanitize, old vs new, of \(input.debugDescription)")
        #expect(HTMLText.plainText(input) == ReferenceHTML.plainText(input), "plainText, old vs new, of \(input.debugDescription)")
    }

    @Test("fixed hostile and ordinary samples")
    func fixedSamplesMatch() {
        for sample in fixedSamples { check(sample) }
    }

    @Test("cmark-gfm-shaped HTML")
    func cmarkShapedMatches() {
        for index in 0..<200 { check(cmarkStyle(index)) }
        let sample = HTMLSanitizer.sanitizeWithText(cmarkStyle(7))
        #expect(sample.text.hasPrefix("Tilbud 7 Kurs for alle voksne & barn nr. 7."))
        #expect(sample.text.hasSuffix("Linje linje – «sitat»"))
    }

    @Test("the bundled catalog's bodies")
    func catalogMatches() {
        let bodies = catalogBodies()
        #expect(bodies.count > 10)
        for body in bodies { check(body) }
    }

    @Test("10,000 random tag soups")
    func randomSoupsMatch() {
        var generator = SplitMix64(state: 20_261_127)
        for _ in 0..<10_000 { check(tagSoup(&generator)) }
    }

    @Test("10,000 random soups of allowed elements only")
    func randomAllowedSoupsMatch() {
        var generator = SplitMix64(state: 42)
        for _ in 0..<10_000 { check(tagSoup(&generator, allowedOnly: true)) }
    }

    @Test("whitespace beyond ASCII collapses exactly as before")
    func unicodeWhitespace() {
        var scalars = (0x80...0x3100).compactMap(Unicode.Scalar.init)
        scalars += [0xFEFF, 0x1_F990, 0xE000, 0xFFFD].compactMap(Unicode.Scalar.init)
        for scalar in scalars {
            let input = "<p>a \(scalar)b\(scalar)</p>"
            #expect(HTMLText.plainText(input) == ReferenceHTML.plainText(input), "U+\(String(scalar.value, radix: 16))")
        }
        #expect(HTMLSanitizer.sanitizeWithText("<p>a\u{A0}\u{2003}b</p>").text == "a b")
    }
}
