import Testing
import TilbudHTML

@Suite("HTML plain text")
struct HTMLTextTests {
    @Test("definition lists are separated")
    func definitionList() {
        #expect(HTMLText.plainText("<dl><dt>Pris</dt><dd>Gratis</dd></dl>") == "Pris Gratis")
    }

    @Test("entities are decoded and no markup remains")
    func entities() {
        #expect(HTMLText.plainText("<p>Mat &amp; helse &lt;3 &eacute; &#229; &quot;x&quot;</p>") == "Mat & helse <3 é å \"x\"")
        #expect(HTMLText.plainText("<p><strong>fet</strong> og <a href=\"https://e.org\">lenke</a></p>") == "fet og lenke")
    }

    @Test("table cells, rows and list items are separated")
    func tablesAndLists() {
        #expect(HTMLText.plainText("<table><tr><th>Dag</th><th>Tid</th></tr><tr><td>Mandag</td><td>10</td></tr></table>") == "Dag Tid Mandag 10")
        #expect(HTMLText.plainText("<ul><li>en</li><li>to</li></ul><ol><li>tre</li></ol>") == "en to tre")
    }

    @Test("adjacent blocks and line breaks never run words together")
    func blocks() {
        #expect(HTMLText.plainText("<h2>Tittel</h2><p>Første</p><p>Andre<br>linje</p><div>Div</div><blockquote>Sitat</blockquote>") == "Tittel Første Andre linje Div Sitat")
        #expect(HTMLText.plainText("<p>fl<em>ett</em>et</p>") == "flettet")
    }

    @Test("whitespace collapses and is trimmed")
    func whitespace() {
        #expect(HTMLText.plainText("  <p>\n  mye \t\n  luft  </p>\n\n") == "mye luft")
        #expect(HTMLText.plainText("") == "")
        #expect(HTMLText.plainText("bare tekst") == "bare tekst")
    }

    @Test("a combining mark after a space is kept when the text also has a Unicode space")
    func combiningMarkAfterSpace() {
        // U+11000 (a spacing combining mark) makes one Character with the space before it; the Unicode-space path
        // once split Characters and dropped the mark with that space (found by the sanitizer fuzz).
        #expect(HTMLText.plainText("<p>\u{11000}\u{A0}0;</p>") == "\u{11000} 0;")
        #expect(HTMLText.plainText("a \u{301}b\u{2028}c") == "a \u{301}b c")
        #expect(HTMLText.plainText("\u{A0} x \u{2003}\u{3000} y\u{A0}") == "x y")
        for input in ["\u{11000}\u{A0}0;", "&#x11000<ſcript\u{A0}>0;>0;", "&#x11000\u{2028}0;"] {
            let (clean, text) = HTMLSanitizer.sanitizeWithText(input)
            #expect(text == HTMLText.plainText(clean), "\(input.debugDescription)")
            #expect(text.unicodeScalars.first == "\u{11000}")
        }
    }

    @Test("invisible content is left out")
    func invisible() {
        #expect(HTMLText.plainText("<p>a</p><script>var x = 1;</script><style>p{}</style><!-- c --><p>b</p>") == "a b")
    }

    @Test("cmark-style output with newlines between blocks")
    func markdownOutput() {
        let html = "<h2>Tilbud</h2>\n<table>\n<thead>\n<tr>\n<th>Dag</th>\n<th>Tid</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>Mandag</td>\n<td>10</td>\n</tr>\n</tbody>\n</table>\n"
        #expect(HTMLText.plainText(html) == "Tilbud Dag Tid Mandag 10")
    }
}
