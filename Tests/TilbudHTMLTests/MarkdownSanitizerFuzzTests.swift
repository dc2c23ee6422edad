import Foundation
import Testing
import TilbudHTML
import TilbudMarkdown
import TilbudTestSupport

/// Reads the sanitizer's output by its own grammar, without libxml2: the sanitizer writes `<name>`, `<a href="…">`,
/// `<th align="…">`, `<td align="…">` and `<ol start="…">` for allowed elements only, `</name>` for every one
/// but `br` and `hr`, and escapes `&`, `<` and `>` in text (and `"` in attribute values).
enum SanitizedHTML {
    static let allowed: Set<String> = ["p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "del", "s",
                                       "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "dl",
                                       "dt", "dd", "sup", "sub"]
    static let void: Set<String> = ["br", "hr"]
    static let linkSchemes: Set<String> = ["https", "mailto", "tel"]

    /// The scheme a browser would take from `url` (see `BrowserURL`).
    static func scheme(_ url: String) -> String? { BrowserURL.scheme(url) }

    /// What breaks the grammar, or is live: nil when `html` is exactly what the sanitizer may write.
    static func problem(_ html: String) -> String? {
        let b = Array(html.utf8)
        var i = 0
        var open: [String] = []
        func name(at j: inout Int) -> String {
            let start = j
            while j < b.count, (b[j] >= 0x61 && b[j] <= 0x7A) || (b[j] >= 0x30 && b[j] <= 0x39) { j += 1 }
            return String(decoding: b[start..<j], as: UTF8.self)
        }
        func expect(_ literal: String, at j: inout Int) -> Bool {
            let l = Array(literal.utf8)
            guard j + l.count <= b.count, Array(b[j..<(j + l.count)]) == l else { return false }
            j += l.count
            return true
        }
        /// A quoted attribute value up to `"`, entity-decoded; nil when it holds a raw `<`, `>` or a bad `&`.
        func value(at j: inout Int) -> String? {
            var out: [UInt8] = []
            while j < b.count, b[j] != 0x22 {
                if b[j] == 0x3C || b[j] == 0x3E { return nil }
                if b[j] == 0x26 {
                    let entities: [(String, UInt8)] = [("&amp;", 0x26), ("&lt;", 0x3C), ("&gt;", 0x3E), ("&quot;", 0x22)]
                    guard let (e, c) = entities.first(where: { e, _ in var k = j; return expect(e, at: &k) }) else { return nil }
                    out.append(c); j += e.utf8.count; continue
                }
                out.append(b[j]); j += 1
            }
            guard j < b.count else { return nil }
            j += 1
            return String(decoding: out, as: UTF8.self)
        }
        while i < b.count {
            switch b[i] {
            case 0x3C:
                var j = i + 1
                if j < b.count, b[j] == 0x2F {
                    j += 1
                    let n = name(at: &j)
                    guard expect(">", at: &j) else { return "malformed end tag at byte \(i)" }
                    guard open.last == n else { return "</\(n)> at byte \(i) closes \(open.last.map { "<\($0)>" } ?? "nothing")" }
                    open.removeLast()
                    i = j
                    continue
                }
                let n = name(at: &j)
                guard allowed.contains(n) else { return "<\(n.isEmpty ? String(decoding: b[(i + 1)..<min(b.count, i + 12)], as: UTF8.self) : n)> at byte \(i) is not allowed" }
                switch n {
                case "a":
                    guard expect(" href=\"", at: &j), let href = value(at: &j) else { return "<a> without a well-formed href at byte \(i)" }
                    guard let s = scheme(href), linkSchemes.contains(s) else { return "href \(href.debugDescription) at byte \(i) is not https, mailto or tel" }
                case "th", "td":
                    if expect(" align=\"", at: &j) {
                        guard let a = value(at: &j), ["left", "center", "right"].contains(a) else { return "bad align at byte \(i)" }
                    }
                case "ol":
                    if expect(" start=\"", at: &j) {
                        guard let s = value(at: &j), (1...9).contains(s.count), s.allSatisfy(\.isASCII), Int(s) != nil else { return "bad start at byte \(i)" }
                    }
                default:
                    break
                }
                guard expect(">", at: &j) else { return "<\(n)> at byte \(i) has more than its allowed attribute" }
                if !void.contains(n) { open.append(n) }
                i = j
            case 0x3E:
                return "a raw > at byte \(i)"
            case 0x26:
                var j = i
                guard expect("&amp;", at: &j) || expect("&lt;", at: &j) || expect("&gt;", at: &j) else { return "a raw & at byte \(i)" }
                i = j
            default:
                i += 1
            }
        }
        return open.isEmpty ? nil : "unclosed \(open)"
    }

    /// Live content in HTML written by cmark-gfm before sanitizing: an element cmark never writes for a body, an
    /// event handler or style, or a link or source that is not https, mailto or tel.
    static func liveProblem(_ html: String) -> String? {
        let cmark: Set<String> = allowed.union(["code"])
        let s = Array(html.unicodeScalars)
        var i = 0
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        while i < s.count {
            guard s[i] == "<", i + 1 < s.count, isLetter(s[i + 1]) else { i += 1; continue }
            var j = i + 1
            var name = ""
            while j < s.count, s[j] != " ", s[j] != ">", s[j] != "/", s[j] != "\n" { name.unicodeScalars.append(s[j]); j += 1 }
            guard cmark.contains(name.lowercased()) else { return "<\(name)> element" }
            let end = s[j...].firstIndex(of: ">") ?? s.count
            let inside = String(String.UnicodeScalarView(s[j..<end]))
            // Attribute names: what stands before `=` outside quotes.
            var quote: Unicode.Scalar? = nil
            var word = ""
            for c in inside.unicodeScalars {
                if let q = quote { if c == q { quote = nil }; continue }
                if c == "\"" || c == "'" { quote = c; continue }
                if c == "=" {
                    let attribute = word.lowercased()
                    guard ["href", "title", "class", "align", "start"].contains(attribute) else { return "attribute \(attribute) on <\(name)>" }
                    word = ""
                } else if c == " " || c == "\n" {
                    word = ""
                } else {
                    word.unicodeScalars.append(c)
                }
            }
            if let range = inside.range(of: "href=\"") {
                let rest = inside[range.upperBound...]
                let href = String(rest.prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
                if scheme(href).map({ !linkSchemes.contains($0) }) ?? true { return "href \(href.debugDescription)" }
            }
            i = end
        }
        return nil
    }
}

/// Fuzzes the publishing path of a body, cmark-gfm then the libxml2 sanitizer (as `SiteRenderer` chains them), and
/// the sanitizer alone on hostile HTML, with structure-aware mutations of real bodies and HTML snippets.
///
/// Properties for every input: the rendered Markdown has no live HTML; the sanitized HTML follows the sanitizer's
/// grammar (allowed elements only, the allowed attributes only, https, mailto and tel links only, tags balanced,
/// text escaped); sanitizing it again changes nothing; `sanitizeWithText` gives `sanitize` and its plain text;
/// each input takes under two seconds.
@Suite("Fuzz: Markdown and sanitizer", .serialized)
struct MarkdownSanitizerFuzzTests {
    /// Bodies of the bundled catalog's offers (what follows the front matter).
    static let bodies: [String] = {
        let root = TestPaths.repositoryRoot.appendingPathComponent("content/providers")
        guard let files = FileManager.default.enumerator(atPath: root.path) else { return [] }
        var out: [String] = []
        for case let file as String in files where file.hasSuffix(".md") {
            guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8),
                  let close = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 3)..<text.endIndex) else { continue }
            out.append(String(text[close.upperBound...]))
        }
        return out.sorted()
    }()

    /// Markdown with every construct the renderer handles: tables, nested quotes and lists, links of every kind,
    /// raw HTML, entities, code spans and blocks, images, headings.
    static let snippets: [String] = [
        "| Dag | Tid | Sted |\n| :-- | :-: | --: |\n| Mandag | 18–20 | Rom *1* |\n| `a|b` | [x](https://example.org) | <b>c</b> |\n",
        "> Sitat\n> > nestet\n> > - liste\n> >   1. tall\n> >      > dypt\n",
        "- a\n  - b\n    - c\n      1. d\n         - e\n\n3. tre\n4. fire\n",
        "[https](https://example.org/a?b=1&c=2 \"tittel\") [mail](mailto:post@example.org) [tlf](tel:+4723000000) [rel](/side) [http](http://example.org)\n",
        "[js](javascript:alert(1)) [JS](JaVaScRiPt:alert(1)) [tab](java\tscript:alert(1)) [ent](javascript&#58;alert(1)) [data](data:text/html,<script>x</script>)\n",
        "[ref][r] og [ref2][]\n\n[r]: javascript:alert(1)\n[ref2]: https://example.org \"t\"\n",
        "<https://example.org> <javascript:alert(1)> <mailto:a@b.no> www.example.org http://example.org a@b.no\n",
        "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n<div onclick=\"x()\">hei</div>\n\n<!-- kommentar -->\n",
        "Tekst <span style=\"color:red\" onmouseover=x>inline</span> <a href=\"javascript:alert(1)\">lenke</a> <iframe src=//x></iframe>\n",
        "&amp; &lt; &gt; &quot; &#60;script&#62; &#x3C;b&#x3E; &nbsp; &copy; &#0; &#x110000; &#xD800; &bogus;\n",
        "`<script>` ``kode ` med`` `` ` `` **fet** _kursiv_ ~~slettet~~ ***begge***\n",
        "```html\n<script>alert(1)</script>\n```\n\n~~~\nkode\n~~~\n\n    innrykket <b>kode</b>\n",
        "![bilde](https://example.org/a.png \"t\") ![js](javascript:alert(1)) ![*alt* `kode`](x)\n",
        "# H1\n## H2\n###### H6\nSetext\n===\nTo\n---\n",
        "Linje med to mellomrom  \nog en backslash\\\nslutt\n\n***\n\n---\n",
        "<table><tr><td>rå tabell</td></tr></table>\n\n<p>avsnitt</p>\n\n<style>body{}</style>\n<svg><script>x</script></svg>\n",
        "[lenke med [klammer] inni](https://example.org/(parentes)) [tom]() [mellomrom](<https://example.org/a b>)\n",
        "<?php echo 1; ?>\n\n<![CDATA[ x ]]>\n\n<!DOCTYPE html>\n\n</p></div></body></html><p>etter\n",
    ]

    static let markdownTokens: [String] = [
        "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">", "</a>", "<svg onload=alert(1)>",
        "<math>", "<style>", "<iframe>", "<table>", "</td>", "<h1>", "<b>", "</p>", "<!--", "-->", "<![CDATA[", "]]>", "<?", "<!DOCTYPE x>",
        "javascript:alert(1)", "JAVASCRIPT:", "java\u{0}script:", "data:text/html,x", "vbscript:", "https://example.org", "mailto:a@b.no",
        "tel:+47", "http://", "www.", "&#58;", "&colon;", "&#x3a;", "&amp;", "&#0;", "&#x110000;", "&lt;", "&", "[", "]", "(", ")",
        "](javascript:alert(1))", "](https://example.org)", "[x]: ", "![", "<", ">", "`", "```", "~~~", "    ", "> ", "- ", "1. ", "* ",
        "+ ", "|", "| --- |", ":-:", "---", "***", "#", "## ", "**", "__", "_", "~~", "\\", "\n", "\n\n", "  \n", "\"", "'", "\u{0}",
        "\u{FFFD}", "\u{200B}", "\u{202E}", "😀", "é", "\t", "[^1]", "- [ ] ", "<details>", "<input type=checkbox>", "<form>",
    ]

    static let htmlTokens: [String] = [
        "<p>", "</p>", "<a href=\"https://example.org\">", "<a href=\"javascript:alert(1)\">", "<a href=\" jav&#x09;ascript:x\">",
        "<a href='data:text/html,x'>", "<a href=//evil.example>", "<a href=\"HTTPS://EXAMPLE.ORG\" onclick=x>", "</a>", "<a>",
        "<script>", "</script>", "<style>", "<img src=x onerror=alert(1)>", "<svg><g onload=x>", "<math><mi>", "<iframe srcdoc=x>",
        "<table>", "<tr>", "<td align=center>", "<th align=\"LEFT\">", "<td align=javascript>", "</table>", "<ol start=3>",
        "<ol start=\"-1\">", "<ol start=12345678901>", "<li>", "<ul>", "<br>", "<br/>", "<hr>", "<h1>", "</h1>", "<h7>", "<pre>",
        "<code>", "<blockquote>", "<dl><dt>", "<dd>", "<sup>", "<sub>", "<del>", "<s>", "<b>", "<i>", "<strong>", "<em>", "<span>",
        "<div>", "</div>", "<body>", "</body>", "<html>", "</html>", "<head>", "<title>", "<meta http-equiv=refresh>", "<base href=x>",
        "<noscript>", "<template>", "<textarea>", "<xmp>", "<plaintext>", "<!--", "-->", "<!---->", "<![CDATA[", "]]>", "<?xml?>",
        "<!DOCTYPE html>", "&amp;", "&lt;", "&gt;", "&quot;", "&#0;", "&#x110000;", "&", "<", ">", "\"", "'", "=", "/", "\u{0}",
        "\u{FFFD}", "é", "😀", "<É>", "<ſcript>", "<SCRIPT>", "<a HREF=\"https://x.org\">", "\n", " ",
    ]

    static let nesters: [(open: String, close: String)] = [("> ", ""), ("- ", ""), ("  - ", ""), ("*", "*"), ("[", "](https://example.org)"),
                                                           ("<div>", "</div>"), ("<b>", "</b>"), ("`", "`"), ("1. ", ""), ("<blockquote>", "</blockquote>")]

    /// `bytes` as a body `check` lets through: at most `body_max_chars` (20,000) characters.
    static func body(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix(20_000)))
    }

    /// Checks one Markdown body along the publishing path; returns what broke and how long it took.
    static func markdownProblems(_ markdown: String) -> ([String], Double) {
        let start = Date()
        let renderer = MarkdownRenderer()
        let (html, text) = renderer.withRenderedHTML(markdown) { HTMLSanitizer.sanitizeWithText(utf8: $0) }
        let seconds = Date().timeIntervalSince(start)
        let rendered = renderer.render(markdown)
        var problems: [String] = []
        if let p = SanitizedHTML.liveProblem(rendered) { problems.append("rendered Markdown is live: \(p)") }
        problems += sanitizedProblems(html, text: text, of: rendered, idempotent: true)
        return (problems, seconds)
    }

    /// Checks the sanitizer's `sanitizeWithText` output `html` and `text` for `input` (HTML). Sanitizing again must
    /// give `html` when `idempotent` (HTML that cmark-gfm wrote), else HTML that follows the grammar as well: libxml2
    /// repairs what the first pass left of broken markup (a `<p>` around a list, say) differently the second time.
    static func sanitizedProblems(_ html: String, text: String, of input: String, idempotent: Bool) -> [String] {
        var problems: [String] = []
        if let p = SanitizedHTML.problem(html) { problems.append("sanitized HTML: \(p)") }
        let again = HTMLSanitizer.sanitize(html)
        if idempotent, again != html { problems.append("sanitizing again changes it: \(again.debugDescription.prefix(300))") }
        if !idempotent, let p = SanitizedHTML.problem(again) { problems.append("sanitized twice: \(p)") }
        if HTMLSanitizer.sanitize(input) != html { problems.append("sanitizeWithText's HTML differs from sanitize") }
        if HTMLText.plainText(html) != text { problems.append("sanitizeWithText's text differs from plainText: \(HTMLText.plainText(html).debugDescription.prefix(200)) vs \(text.debugDescription.prefix(200))") }
        return problems
    }

    static func record(_ input: String, _ problems: [String], target: String, name: String, output: String) {
        let saved = FuzzSettings.save(Array(input.utf8), target: target, name: name)
        Issue.record("\(name): \(problems.joined(separator: "; "))\ninput \(TextLines.excerpt(Array(input.utf8))) (saved as \(saved))\noutput \(TextLines.excerpt(Array(output.utf8)))")
    }

    @Test("mutated bodies: no live HTML, the sanitizer's grammar, idempotent, bounded time")
    func fuzzMarkdown() {
        let settings = FuzzSettings(defaultIterations: 3_000, defaultSeed: 0x3A2C_D0E5)
        let seeds = (Self.bodies + Self.snippets).map { Array($0.utf8) }
        let mutator = Mutator(tokens: Self.markdownTokens, seeds: seeds, allowInvalidUTF8: false, nesters: Self.nesters,
                              longLines: [200, 2_000, 8_000])
        Self.run(settings, target: "markdown", ext: "md") { random in
            let markdown = Self.body(mutator.mutate(random.pick(seeds), &random, maxSteps: 5))
            let (problems, seconds) = Self.markdownProblems(markdown)
            return (markdown, problems, seconds, { MarkdownRenderer().render(markdown) })
        }
    }

    /// Runs `one` for each iteration of `settings`, adds a problem for an input over 2 s, records (up to ten)
    /// inputs with problems as `target` corpus candidates, and prints the count, time and slowest input.
    static func run(_ settings: FuzzSettings, target: String, ext: String,
                    _ one: (inout FuzzRandom) -> (input: String, problems: [String], seconds: Double, output: () -> String)) {
        let start = Date()
        var slowest = 0.0, failures = 0
        for index in 0..<settings.iterations where failures < 10 {
            var random = FuzzRandom(seed: settings.seed, index: index)
            var (input, problems, seconds, output) = one(&random)
            slowest = max(slowest, seconds)
            if seconds > 2 { problems.append(String(format: "took %.2f s", seconds)) }
            if !problems.isEmpty {
                failures += 1
                record(input, problems, target: target, name: "seed\(settings.seed)-\(index).\(ext)", output: output())
            }
        }
        print(String(format: "%@ fuzz: %d inputs (seed %llu) in %.2f s, slowest %.3f s", target, settings.iterations, settings.seed,
                     Date().timeIntervalSince(start), slowest))
    }

    @Test("mutated hostile HTML straight into the sanitizer: its grammar, idempotent, bounded time")
    func fuzzSanitizer() {
        let settings = FuzzSettings(defaultIterations: 3_000, defaultSeed: 0x5A41_7715)
        let seeds = (Self.snippets + Self.bodies.prefix(20)).map { Array(MarkdownRenderer().render($0).utf8) }
            + Self.htmlTokens.map { Array($0.utf8) } + Self.snippets.map { Array($0.utf8) }
        let mutator = Mutator(tokens: Self.htmlTokens, seeds: seeds, allowInvalidUTF8: false, nesters: Self.nesters,
                              longLines: [200, 2_000, 8_000])
        Self.run(settings, target: "sanitizer", ext: "html") { random in
            let input = String(decoding: mutator.mutate(random.pick(seeds), &random, maxSteps: 6), as: UTF8.self)
            let t = Date()
            let (html, text) = HTMLSanitizer.sanitizeWithText(input)
            let seconds = Date().timeIntervalSince(t)
            return (input, Self.sanitizedProblems(html, text: text, of: input, idempotent: false), seconds, { html })
        }
    }

    @Test("every kept input holds the same properties")
    func corpus() {
        let markdown = FuzzCorpus.files("markdown"), html = FuzzCorpus.files("sanitizer")
        #expect(markdown.count + html.count >= 5)
        for (name, bytes) in markdown {
            let input = String(decoding: bytes, as: UTF8.self)
            var (problems, seconds) = Self.markdownProblems(input)
            if seconds > 2 { problems.append(String(format: "took %.2f s", seconds)) }
            if !problems.isEmpty { Self.record(input, problems, target: "markdown", name: name, output: MarkdownRenderer().render(input)) }
        }
        for (name, bytes) in html {
            let input = String(decoding: bytes, as: UTF8.self)
            let t = Date()
            let (clean, text) = HTMLSanitizer.sanitizeWithText(input)
            var problems = Self.sanitizedProblems(clean, text: text, of: input, idempotent: false)
            if Date().timeIntervalSince(t) > 2 { problems.append("took more than 2 s") }
            if !problems.isEmpty { Self.record(input, problems, target: "sanitizer", name: name, output: clean) }
        }
    }
}
