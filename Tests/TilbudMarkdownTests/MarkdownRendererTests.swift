import Foundation
import Testing
import TilbudMarkdown

/// Renders with a fresh renderer (it has no state, so this is the same as reusing one).
private func render(_ markdown: String) -> String {
    MarkdownRenderer().render(markdown)
}

@Suite("cmark-gfm is linked")
struct CmarkLinkTests {
    @Test("a small GFM table renders through cmark-gfm's table extension")
    func tableExtensionWorks() {
        let html = render("| Dag | Tid |\n|:----|----:|\n| Mandag | 10 |")
        #expect(html == """
        <table>
        <thead>
        <tr>
        <th align="left">Dag</th>
        <th align="right">Tid</th>
        </tr>
        </thead>
        <tbody>
        <tr>
        <td align="left">Mandag</td>
        <td align="right">10</td>
        </tr>
        </tbody>
        </table>

        """)
    }

    @Test("empty input renders to nothing")
    func emptyInput() {
        #expect(render("") == "")
    }
}

@Suite("Markdown structure")
struct MarkdownStructureTests {
    @Test("headings shift down one level, capped at h6")
    func headingsShift() {
        #expect(render("# En") == "<h2>En</h2>\n")
        #expect(render("## To") == "<h3>To</h3>\n")
        #expect(render("### Tre") == "<h4>Tre</h4>\n")
        #expect(render("#### Fire") == "<h5>Fire</h5>\n")
        #expect(render("##### Fem") == "<h6>Fem</h6>\n")
        #expect(render("###### Seks") == "<h6>Seks</h6>\n")
        #expect(render("Setext\n======") == "<h2>Setext</h2>\n")
        #expect(!render("# A\n\ntext\n\n## B").contains("<h1"))
    }

    @Test("strikethrough renders as del")
    func strikethrough() {
        #expect(render("~~x~~") == "<p><del>x</del></p>\n")
    }

    @Test("paragraphs, emphasis, lists and code render as usual")
    func basics() {
        #expect(render("Hei *du* og **deg**") == "<p>Hei <em>du</em> og <strong>deg</strong></p>\n")
        #expect(render("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n")
        #expect(render("3. a\n4. b") == "<ol start=\"3\">\n<li>a</li>\n<li>b</li>\n</ol>\n")
        #expect(render("`<b>`") == "<p><code>&lt;b&gt;</code></p>\n")
        #expect(render("```\n<script>\n```") == "<pre><code>&lt;script&gt;\n</code></pre>\n")
    }

    @Test("smart punctuation is off")
    func noSmartPunctuation() {
        #expect(render("\"sitat\" -- ...") == "<p>&quot;sitat&quot; -- ...</p>\n")
    }
}

@Suite("Links")
struct MarkdownLinkTests {
    @Test("https, mailto and tel links stay")
    func allowedLinksStay() {
        #expect(render("[a](https://example.org/x?y=1&z=2)") == "<p><a href=\"https://example.org/x?y=1&amp;z=2\">a</a></p>\n")
        #expect(render("[b](mailto:post@example.org)") == "<p><a href=\"mailto:post@example.org\">b</a></p>\n")
        #expect(render("[c](tel:+4712345678)") == "<p><a href=\"tel:+4712345678\">c</a></p>\n")
        #expect(render("[d](HTTPS://example.org)") == "<p><a href=\"HTTPS://example.org\">d</a></p>\n")
        #expect(render("[e](https://example.org \"Tittel\")") == "<p><a href=\"https://example.org\" title=\"Tittel\">e</a></p>\n")
    }

    @Test("an allowed link is written as it was judged, without the controls a browser ignores around it")
    func allowedLinkTrimmed() {
        // cmark would percent-encode the ESC (`%1Bmailto:…`), a relative link to nowhere (found by the Markdown fuzz).
        #expect(render("[m](\u{1B}mailto:post@example.org)") == "<p><a href=\"mailto:post@example.org\">m</a></p>\n")
        #expect(render("[h](\u{01}https://example.org/\u{7F})") == "<p><a href=\"https://example.org/%7F\">h</a></p>\n")
    }

    @Test("links with other schemes keep their text but lose the link", arguments: [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](vbscript:msgbox(1))",
        "[x](http://example.org)",
        "[x](data:text/html,<script>alert(1)</script>)",
        "[x](/relative/path)",
        "[x](relative)",
        "[x](#fragment)",
        "[x](//example.org)",
        "[x](ftp://example.org)",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
    ])
    func refusedLinks(_ markdown: String) {
        let html = render(markdown)
        #expect(html == "<p>x</p>\n")
        #expect(!html.lowercased().contains("javascript:"))
    }

    @Test("a refused link keeps formatted children")
    func refusedLinkKeepsChildren() {
        #expect(render("[**fet** og `kode`](http://example.org)") == "<p><strong>fet</strong> og <code>kode</code></p>\n")
    }

    @Test("GFM autolinks survive only for allowed schemes")
    func autolinks() {
        #expect(render("Se https://example.org nå") == "<p>Se <a href=\"https://example.org\">https://example.org</a> nå</p>\n")
        #expect(render("Se www.example.org nå") == "<p>Se www.example.org nå</p>\n")
        #expect(render("Se http://example.org nå") == "<p>Se http://example.org nå</p>\n")
        #expect(render("Skriv til post@example.org") == "<p>Skriv til <a href=\"mailto:post@example.org\">post@example.org</a></p>\n")
        #expect(render("<https://example.org>") == "<p><a href=\"https://example.org\">https://example.org</a></p>\n")
        #expect(render("<http://example.org>") == "<p>http://example.org</p>\n")
    }
}

@Suite("Raw HTML and images")
struct MarkdownRawHTMLTests {
    @Test("dangerous raw HTML never reaches the output", arguments: [
        "<script>alert(1)</script>",
        "Tekst <script>alert(1)</script> her",
        "<img src=x onerror=alert(1)>",
        "Tekst <img src=x onerror=alert(1)> her",
        "<iframe src=\"https://evil.example\"></iframe>",
        "Tekst <iframe src=x></iframe>",
        "<svg onload=alert(1)>",
        "Tekst <svg onload=alert(1)> her",
        "<div onclick=\"alert(1)\">\n\n*markdown*\n\n</div>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<!-- kommentar -->",
        "- <script>alert(1)</script>\n- punkt",
        "| a |\n|---|\n| <script>alert(1)</script> <img src=x onerror=alert(1)> |",
    ])
    func rawHTMLRemoved(_ markdown: String) {
        let html = render(markdown).lowercased()
        for needle in ["<script", "onerror", "<iframe", "<svg", "javascript:", "<img", "<div", "onclick", "<!--", "raw html omitted"] {
            #expect(!html.contains(needle), "\(needle) in \(html)")
        }
    }

    @Test("raw HTML blocks disappear entirely, inline tags leave their text")
    func rawHTMLGoldens() {
        #expect(render("<script>alert(1)</script>\n\nEtter") == "<p>Etter</p>\n")
        #expect(render("<img src=x onerror=alert(1)>") == "")
        #expect(render("Før <span class=\"x\">midt</span> etter") == "<p>Før midt etter</p>\n")
        #expect(render("<!-- kommentar -->\n\nTekst") == "<p>Tekst</p>\n")
    }

    @Test("paragraphs left with only whitespace disappear, ASCII or not")
    func blankParagraphsRemoved() {
        #expect(render("<b></b>") == "")
        #expect(render("<b></b> <i></i>") == "")
        #expect(render("<b></b>&nbsp;") == "")
        #expect(render("<b></b>\u{2003}<i></i>") == "")
        #expect(render("<b></b>\u{2003}x") == "<p>\u{2003}x</p>\n")
        #expect(render("<b></b> é") == "<p> é</p>\n")
        #expect(render("<b></b>\u{A0}\u{301}") == "")
        #expect(render("<b></b>x\n\nTekst") == "<p>x</p>\n<p>Tekst</p>\n")
    }

    @Test("images become their alt text")
    func imagesBecomeAltText() {
        #expect(render("![Et *bilde*](https://example.org/a.png)") == "<p>Et bilde</p>\n")
        #expect(render("Før ![alt](x.png) etter") == "<p>Før alt etter</p>\n")
        #expect(render("![](x.png)") == "")
        #expect(render("[![logo](x.png)](https://example.org)") == "<p><a href=\"https://example.org\">logo</a></p>\n")
        #expect(render("[![logo](x.png)](javascript:alert(1))") == "<p>logo</p>\n")
        #expect(!render("![a](javascript:alert(1) \"t\")").contains("<img"))
    }
}

@Suite("Robustness")
struct MarkdownRobustnessTests {
    @Test("deeply nested input renders without crashing")
    func deepNesting() {
        let quotes = String(repeating: "> ", count: 5_000) + "dypt"
        #expect(render(quotes).contains("dypt"))
        let brackets = String(repeating: "[", count: 20_000) + "x" + String(repeating: "](https://e.org)", count: 20_000)
        #expect(!render(brackets).isEmpty)
    }

    @Test("NUL and non-ASCII text are handled")
    func unusualCharacters() {
        #expect(render("a\u{0}b") == "<p>a\u{FFFD}b</p>\n")
        #expect(render("Blåbær 🫐 & <") == "<p>Blåbær 🫐 &amp; &lt;</p>\n")
    }
}

/// Collects results from concurrent work.
private final class ResultStore: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: String] = [:]

    func set(_ value: String, at index: Int) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func all(count: Int) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return (0..<count).map { values[$0] ?? "<missing>" }
    }
}

/// A varied offer body that exercises every extension (tables, strikethrough, autolinks) and the policy.
func sampleMarkdown(_ index: Int) -> String {
    """
    # Tilbud \(index)

    Kurs for ~~alle~~ *voksne* nr. \(index). Les mer på https://example.org/\(index) eller www.example.org.

    | Dag | Tid | Sted |
    |:----|:---:|-----:|
    | Mandag | 1\(index % 10):00 | Rom ~~\(index)~~ |
    | Tirsdag | https://example.org/t | [lenke](javascript:alert(\(index))) |

    - [Påmelding](https://example.org/p/\(index))
    - Ring [oss](tel:+47\(10_000_000 + index))
    - <script>alert(\(index))</script> ![bilde \(index)](x.png)

    > Sitat med `kode` og **fet** tekst, post\(index)@example.org.
    """
}

@Suite("Concurrency")
struct MarkdownConcurrencyTests {
    @Test("rendering 200 documents on many threads gives the serial results")
    func concurrentRenderingMatchesSerial() {
        let count = 200
        let documents = (0..<count).map(sampleMarkdown)
        let renderer = MarkdownRenderer()
        let serial = documents.map { renderer.render($0) }
        #expect(serial[7].contains("<del>alle</del>"))
        #expect(serial[7].contains("<table>"))
        #expect(serial[7].contains("<a href=\"https://example.org/7\">"))
        for _ in 0..<5 {
            let store = ResultStore()
            DispatchQueue.concurrentPerform(iterations: count) { index in
                store.set(renderer.render(documents[index]), at: index)
            }
            #expect(store.all(count: count) == serial)
        }
    }
}

@Suite("Rendering to bytes")
struct MarkdownBytesTests {
    @Test("withRenderedHTML hands over exactly the UTF-8 of render, for ordinary, empty and NUL-holding input")
    func bytesMatchString() {
        let renderer = MarkdownRenderer()
        for markdown in (0..<20).map(sampleMarkdown) + ["", "Før\u{0}etter – «æøå»", "# Tittel\n\n~~borte~~ og www.example.org"] {
            let bytes = renderer.withRenderedHTML(markdown) { Array($0) }
            #expect(bytes == Array(renderer.render(markdown).utf8), "\(markdown.debugDescription)")
            #expect(!bytes.contains(0))
        }
    }
}
