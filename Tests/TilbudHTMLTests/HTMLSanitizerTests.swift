import CLibXML2
import Testing
import TilbudHTML

@Suite("libxml2 is linked")
struct LibXML2LinkTests {
    @Test("libxml2 reports its version and parses HTML")
    func libraryWorks() {
        // `xmlParserVersion` is a macro over a per-thread accessor in threaded builds of libxml2.
        let version = __xmlParserVersion()?.pointee.map { String(cString: $0) } ?? ""
        #expect((Int(version) ?? 0) >= 20900, "libxml2 version \(version)")
        #expect(LIBXML_DOTTED_VERSION.hasPrefix("2."))
        #expect(HTMLSanitizer.sanitize("<p>Hei</p>") == "<p>Hei</p>")
    }
}

@Suite("HTML sanitizer")
struct HTMLSanitizerTests {
    @Test("allowed markup is preserved exactly", arguments: [
        "<p>Tekst med <strong>fet</strong>, <em>kursiv</em>, <b>b</b>, <i>i</i>, <del>slettet</del>, <s>s</s>, <code>kode</code>, x<sup>2</sup> og H<sub>2</sub>O.</p>",
        "<h2>To</h2><h3>Tre</h3><h4>Fire</h4><h5>Fem</h5><h6>Seks</h6>",
        "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<ol start=\"3\">\n<li>c</li>\n</ol>\n",
        "<blockquote>\n<p>Sitat</p>\n</blockquote>\n<pre><code>let x = 1\n</code></pre>\n<hr>",
        "<p>Linje<br>linje</p>",
        "<dl><dt>Pris</dt><dd>Gratis</dd></dl>",
        "<p><a href=\"https://example.org/a?b=1&amp;c=2\">https</a> <a href=\"mailto:post@example.org\">post</a> <a href=\"tel:+4712345678\">tlf</a></p>",
        "<table>\n<thead>\n<tr>\n<th align=\"left\">Dag</th>\n<th align=\"center\">Tid</th>\n<th align=\"right\">Sted</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">Mandag</td>\n<td align=\"center\">10</td>\n<td>Rom 1</td>\n</tr>\n</tbody>\n</table>\n",
        "<p>&amp; &lt; &gt; \" ' é 🫐</p>",
        "",
    ])
    func allowedMarkupPreserved(_ html: String) {
        #expect(HTMLSanitizer.sanitize(html) == html)
    }

    @Test("dangerous input is removed", arguments: [
        ("<script>alert(1)</script>", ""),
        ("<p>a<script>alert(1)</script>b</p>", "<p>ab</p>"),
        ("<img src=x onerror=alert(1)>", ""),
        ("<p>Bilde: <img src=\"x.png\" alt=\"alt\"></p>", "<p>Bilde: </p>"),
        ("<iframe src=\"https://evil.example\">inne</iframe>etter", "etter"),
        ("<svg onload=alert(1)><circle></circle></svg>etter", "etter"),
        ("<math><mi>x</mi></math>etter", "etter"),
        ("<style>p { color: red }</style><p>x</p>", "<p>x</p>"),
        ("<object data=x><embed src=y></object>z", "z"),
        ("<template><p>t</p></template><noscript>n</noscript>z", "z"),
        ("<form action=x><input value=1><button>b</button><textarea>t</textarea><select><option>o</option></select></form>z", "z"),
        ("<link rel=stylesheet href=x><meta http-equiv=refresh content=0><base href=x>z", "z"),
        ("<title>t</title><frameset><frame src=x></frameset>z", "z"),
        ("<!-- kommentar --><p>x</p><?php echo 1; ?>", "<p>x</p>"),
        ("<p onclick=\"alert(1)\" style=\"color:red\" class=\"c\" id=\"i\">x</p>", "<p>x</p>"),
        ("<a href=\"javascript:alert(1)\">x</a>", "x"),
        ("<a href=\"JaVaScRiPt:alert(1)\">x</a>", "x"),
        ("<a href=\"&#106;avascript:alert(1)\">x</a>", "x"),
        ("<a href=\"java&#9;script:alert(1)\">x</a>", "x"),
        ("<a href=\" \u{1}javascript:alert(1)\">x</a>", "x"),
        ("<a href=\"data:text/html,abc\">x</a>", "x"),
        ("<a href=\"vbscript:x\">x</a>", "x"),
        ("<a href=\"http://example.org\">x</a>", "x"),
        ("<a href=\"/relative\">x</a>", "x"),
        ("<a name=\"anker\">x</a>", "x"),
        ("<a href=\"https://example.org\" onclick=\"alert(1)\" target=\"_blank\">x</a>", "<a href=\"https://example.org\">x</a>"),
        ("<body onload=alert(1)><p>x</p>", "<p>x</p>"),
        ("x</body></html><script>alert(1)</script><p>etter</p>", "x<p>etter</p>"),
    ])
    func dangerousInputRemoved(_ input: String, _ expected: String) {
        let output = HTMLSanitizer.sanitize(input)
        #expect(output == expected)
        for needle in ["<script", "onerror", "onload", "onclick", "<iframe", "<svg", "javascript:", "<img", "style=", "<!--"] {
            #expect(!output.lowercased().contains(needle))
        }
    }

    @Test("unknown elements are unwrapped, keeping their content")
    func unknownElementsUnwrapped() {
        #expect(HTMLSanitizer.sanitize("<div class=\"x\"><p>a <span style=\"color:red\">b</span> <u>c</u></p></div>") == "<p>a b c</p>")
        #expect(HTMLSanitizer.sanitize("<article><section><custom-tag>x</custom-tag></section></article>") == "x")
        #expect(HTMLSanitizer.sanitize("<font color=red>rød</font>") == "rød")
    }

    @Test("h1 becomes h2")
    func headingOneBecomesTwo() {
        #expect(HTMLSanitizer.sanitize("<h1 class=\"t\">Tittel</h1><h2>Under</h2>") == "<h2>Tittel</h2><h2>Under</h2>")
    }

    @Test("attributes are filtered by value")
    func attributeValues() {
        #expect(HTMLSanitizer.sanitize("<table><tr><td align=\"CENTER\">a</td><td align=\"justify\">b</td><th valign=\"top\" align=\"right\">c</th></tr></table>")
            == "<table><tr><td align=\"center\">a</td><td>b</td><th align=\"right\">c</th></tr></table>")
        #expect(HTMLSanitizer.sanitize("<ol start=\"-1\"><li>a</li></ol><ol start=\"7\" type=\"a\"><li>b</li></ol>")
            == "<ol><li>a</li></ol><ol start=\"7\"><li>b</li></ol>")
        #expect(HTMLSanitizer.sanitize("<ul start=\"3\"><li>a</li></ul>") == "<ul><li>a</li></ul>")
        #expect(HTMLSanitizer.sanitize("<a href=\"  https://example.org/?q=&quot;x&quot;&lt;&amp;\n\">x</a>")
            == "<a href=\"https://example.org/?q=&quot;x&quot;&lt;&amp;\">x</a>")
        #expect(HTMLSanitizer.sanitize("<a href=\"MAILTO:a@b.no\">m</a>") == "<a href=\"MAILTO:a@b.no\">m</a>")
    }

    @Test("serialisation is HTML5: void elements without a slash, text and attributes escaped")
    func serialisation() {
        #expect(HTMLSanitizer.sanitize("<p>a<br/>b<br>c</p><hr/>") == "<p>a<br>b<br>c</p><hr>")
        #expect(HTMLSanitizer.sanitize("1 &lt; 2 &amp;&amp; 3 &gt; 2 &quot;x&quot; &nbsp;") == "1 &lt; 2 &amp;&amp; 3 &gt; 2 \"x\" \u{A0}")
        #expect(HTMLSanitizer.sanitize("<pre>\n\nx</pre>") == "<pre>\n\nx</pre>")
        #expect(HTMLSanitizer.sanitize("<p>Ubalansert <strong>fet") == "<p>Ubalansert <strong>fet</strong></p>")
    }

    @Test("sanitising is idempotent")
    func idempotent() {
        let input = "<h1>T</h1><div><p onclick=x>a <a href=\"https://e.org\">b</a> <a href=\"http://e.org\">c</a></p><script>x</script></div><pre>\n\ny</pre>"
        let once = HTMLSanitizer.sanitize(input)
        #expect(HTMLSanitizer.sanitize(once) == once)
    }

    @Test("deeply nested and odd input does not crash")
    func robustness() {
        let deep = String(repeating: "<div><b>", count: 50_000) + "x" + String(repeating: "</b></div>", count: 50_000)
        _ = HTMLSanitizer.sanitize(deep)
        _ = HTMLText.plainText(deep)
        #expect(HTMLSanitizer.sanitize("a\u{0}b") == "a\u{FFFD}b")
        #expect(HTMLSanitizer.sanitize("<<<>>> & &&") == "&lt;&lt;&lt;&gt;&gt;&gt; &amp; &amp;&amp;")
    }
}
