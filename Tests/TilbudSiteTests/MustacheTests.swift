import Foundation
import Testing
import TilbudDeflate
@testable import TilbudRender

/// The template engine: the Mustache features the site's templates use, and its errors.
struct MustacheTests {
    func render(_ source: String, _ context: [String: Any], partials: [String: String] = [:]) throws -> String {
        var library: [String: CompiledTemplate] = [:]
        for (name, text) in partials { library[name] = try CompiledTemplate(text) }
        var out = ""
        try CompiledTemplate(source).render(TemplateValue(context), partials: library, into: &out)
        return out
    }

    @Test func variablesAreEscapedUnlessTriple() throws {
        let ctx: [String: Any] = ["x": "<b>\"Tom & 'Jerry'\"</b>"]
        #expect(try render("{{x}}", ctx) == "&lt;b&gt;&quot;Tom &amp; &#39;Jerry&#39;&quot;&lt;/b&gt;")
        #expect(try render("{{{x}}}", ctx) == "<b>\"Tom & 'Jerry'\"</b>")
        #expect(try render("{{&x}}", ctx) == "<b>\"Tom & 'Jerry'\"</b>")
        #expect(try render("[{{missing}}]", ctx) == "[]")
    }

    @Test func dottedNamesAndContextStack() throws {
        let ctx: [String: Any] = ["t": ["hello": "Hei"], "items": [["name": "a"], ["name": "b"]]]
        #expect(try render("{{#items}}{{t.hello}} {{name}};{{/items}}", ctx) == "Hei a;Hei b;")
    }

    @Test func sectionsFollowTruthiness() throws {
        let ctx: [String: Any] = ["yes": true, "no": false, "empty": [Any](), "text": "x", "blank": "", "dict": ["k": "v"]]
        #expect(try render("{{#yes}}Y{{/yes}}{{#no}}N{{/no}}{{^no}}n{{/no}}{{#empty}}E{{/empty}}{{^empty}}e{{/empty}}", ctx) == "Yne")
        #expect(try render("{{#text}}[{{.}}]{{/text}}{{#blank}}B{{/blank}}{{#dict}}{{k}}{{/dict}}", ctx) == "[x]v")
    }

    @Test func listPositions() throws {
        let ctx: [String: Any] = ["l": ["a", "b", "c"]]
        #expect(try render("{{#l}}{{.}}{{^last()}}, {{/last()}}{{/l}}", ctx) == "a, b, c")
        #expect(try render("{{#l}}{{#first()}}>{{/first()}}{{index()}}{{/l}}", ctx) == ">012")
    }

    @Test func standaloneTagsTakeTheirLineWithThem() throws {
        let source = "<ul>\n  {{#l}}\n  <li>{{.}}</li>\n  {{/l}}\n</ul>\n"
        #expect(try render(source, ["l": ["a", "b"]]) == "<ul>\n  <li>a</li>\n  <li>b</li>\n</ul>\n")
        #expect(try render("a\n{{! a comment }}\nb", [:]) == "a\nb")
    }

    @Test func partialsAndInheritance() throws {
        let partials = [
            "base": "<main>{{$main}}default{{/main}}</main><footer>{{$foot}}f{{/foot}}</footer>",
            "card": "<li>{{name}}</li>",
        ]
        #expect(try render("{{<base}}{{$main}}<ul>{{#l}}{{>card}}{{/l}}</ul>{{/main}}{{/base}}", ["l": [["name": "x"]]], partials: partials)
                == "<main><ul><li>x</li></ul></main><footer>f</footer>")
    }

    @Test(arguments: [
        ("x\n  {{#a}}x", "not closed", 2, 3),
        ("line\n{{/a}}", "never opened", 2, 1),
        ("{{#a}}{{/b}}", "was expected", 1, 7),
        ("x {{y", "not closed", 1, 3),
    ])
    func errorsHaveLineAndColumn(_ source: String, _ phrase: String, _ line: Int, _ column: Int) {
        do {
            _ = try CompiledTemplate(source)
            Issue.record("expected an error for \(source)")
        } catch let e as CompiledTemplate.ParseError {
            #expect(e.message.contains(phrase), "\(e.message)")
            #expect((e.line, e.column) == (line, column))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

/// Building template objects field by field.
struct TemplateFieldsTests {
    @Test("setting a key again replaces its value in place; setting nil removes it; lookups find every key")
    func setReplaceRemove() {
        var fields: TemplateFields = ["a": "1", "b": true, "c": "3"]
        fields["b"] = "2"
        fields["d"] = "4"
        fields["c"] = nil
        #expect(fields.keys.map(\.name) == ["a", "b", "d"])
        guard case let .object(object) = fields.value else { Issue.record("not an object"); return }
        for (key, value) in [("a", "1"), ("b", "2"), ("d", "4")] {
            guard case let .string(s)? = object[TemplateKey(key)] else { Issue.record("no \(key)"); continue }
            #expect(s == value)
        }
        #expect(object[TemplateKey("c")] == nil)
    }
}

/// Looking keys up in objects large enough to be indexed.
struct TemplateObjectLookupTests {
    @Test("an object with many keys (indexed) finds each key and misses absent ones, as a small one does")
    func indexedLookups() {
        for count in [3, TemplateObject.indexedAbove, TemplateObject.indexedAbove + 1, 114, 300] {
            var pairs: [String: TemplateValue] = [:]
            for i in 0..<count { pairs["key_\(i)"] = .string("value \(i)") }
            let object = TemplateObject(pairs)
            for i in 0..<count {
                guard case let .string(s)? = object[TemplateKey("key_\(i)")] else { Issue.record("key_\(i) of \(count)"); continue }
                #expect(s == "value \(i)")
            }
            #expect(object[TemplateKey("key_\(count)")] == nil)
            #expect(object[TemplateKey("")] == nil)
        }
    }
}

/// The word-at-a-time HTML escaper against a byte-by-byte reference.
struct EscapeHTMLTests {
    static func reference(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    @Test("every special character at every position of strings of every length up to 40, with multi-byte text around it")
    func matchesReference() {
        let pieces = ["a", "æ", "–", "&", "<", ">", "\"", "'", " ", "€", "9", "&amp;"]
        var state: UInt64 = 20_261_127
        for length in 0...40 {
            for _ in 0..<30 {
                var s = ""
                for _ in 0..<length {
                    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                    s += pieces[Int(state >> 33) % pieces.count]
                }
                var out: [UInt8] = []
                CompiledTemplate.escapeHTML(s, into: &out)
                #expect(String(decoding: out, as: UTF8.self) == Self.reference(s), "\(s.debugDescription)")
            }
        }
    }
}

/// Cards rendered once and held compressed: a list copies them exactly, and a template that reads a card's fields
/// still gets them.
struct PrerenderedCardTests {
    /// A card's HTML, long enough to be compressed.
    static let card = Array(String(repeating: "<li class=\"card\"><h3>Søvnkurs – Kvinesdal</h3><dl><dt>Pris</dt><dd>Gratis</dd></dl></li>\n", count: 8).utf8)

    func list(_ source: String, _ items: [TemplateValue]) throws -> String {
        var out: [UInt8] = []
        try CompiledTemplate(source).render(.dict(["items": .list(items)]), partials: ["card": CompiledTemplate("never rendered")], into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    @Test("a compressed or spilled card is copied into a list byte for byte, as one held as it is")
    func copiedExactly() throws {
        let folder = FileManager.default.temporaryDirectory
        let spill = try #require(SpillFile(in: folder))
        let spiller = Holder(.spilled(spill))
        let zipped = Prerendered(partial: "card", Self.card, holder: Holder(.compressed(Deflater(level: 1))))
        let spilled = Prerendered(partial: "card", Self.card, holder: spiller)
        let plain = Prerendered(partial: "card", Self.card, holder: nil)
        #expect(spiller.flush())
        #expect(zipped.count == Self.card.count && plain.count == Self.card.count && spilled.count == Self.card.count)
        let fields: @Sendable () -> TemplateObject = { TemplateObject(["title": TemplateValue.string("x")]) }
        let items: [TemplateValue] = [zipped, spilled, plain].map { .object(TemplateObject(prerendered: $0, fields: fields)) }
        let text = String(decoding: Self.card, as: UTF8.self)
        #expect(try list("{{#items}}{{>card}}{{/items}}", items) == text + text + text)
        #expect(spill.failed == nil)
    }

    @Test("a list template that reads a card's fields gets them, made once however often they are read")
    func fieldsOnDemand() throws {
        final class Count: @unchecked Sendable { var n = 0 }
        let made = Count()
        let card = TemplateObject(prerendered: Prerendered(partial: "card", Self.card, holder: Holder(.compressed(Deflater(level: 1)))), fields: {
            made.n += 1
            return TemplateObject(["title": TemplateValue.string("Søvnkurs"), "url": .string("/tilbud/a/b/")])
        })
        #expect(try list("{{#items}}<a href=\"{{url}}\">{{title}}</a> {{title}}{{/items}}", [.object(card)]) == "<a href=\"/tilbud/a/b/\">Søvnkurs</a> Søvnkurs")
        #expect(made.n == 1)
    }
}

/// An offer's rendered text, held compressed or in a spill file: what comes out is what went in.
struct RenderedTextTests {
    static let long = String(repeating: "<p>Kurset går over <strong>åtte</strong> uker – ta med matpakke.</p>\n", count: 40)

    @Test("HTML and plain text come back unchanged, held as they are, compressed or spilled, long or short",
          arguments: ["plain", "compressed", "spilled"])
    func roundTrip(way: String) throws {
        let spill = try #require(SpillFile(in: FileManager.default.temporaryDirectory))
        let holder: Holder? = switch way {
        case "compressed": Holder(.compressed(Deflater(level: 1)))
        case "spilled": Holder(.spilled(spill))
        default: nil
        }
        let long = Self.long
        let bodies = [(long, long.replacingOccurrences(of: "<p>", with: "")), ("<p>Kort.</p>", "Kort."), ("", ""), (long, "")]
        let texts = bodies.map { html, text in
            RenderedText(title: "Søvn", summary: "Om søvn", bodyHTML: html, bodyText: text, language: "nb", holder: holder)
        }
        #expect(holder?.flush() ?? true)
        for (t, (html, text)) in zip(texts, bodies) {
            #expect(t.bodyHTML == html)
            #expect(t.bodyText == text)
            #expect(t.body == (html, text))
            #expect(t.title == "Søvn" && t.summary == "Om søvn" && t.language == "nb")
            if html == long {
                switch way {
                case "compressed": #expect(t.heldBytes < (html.utf8.count + text.utf8.count) / 3)
                case "spilled": #expect(t.heldBytes == 0)
                default: #expect(t.heldBytes == html.utf8.count + text.utf8.count)
                }
            }
            // A short body is held as it is every way.
            if html.utf8.count < 256 { #expect(t.heldBytes == html.utf8.count + text.utf8.count) }
        }
        #expect(spill.failed == nil)
    }

    @Test("a spilled body that cannot be read back reads as empty, and the spill file says why (the build then fails)")
    func unreadableSpill() throws {
        let spill = try #require(SpillFile(in: FileManager.default.temporaryDirectory))
        let holder = Holder(.spilled(spill))
        // Never flushed: the bytes are not in the file.
        let t = RenderedText(title: "Søvn", summary: "", bodyHTML: Self.long, bodyText: "", language: "nb", holder: holder)
        #expect(spill.failed == nil)
        #expect(t.bodyHTML == "")
        let failure = try #require(spill.failed)
        #expect(failure.contains("could not read back"))
    }

    @Test("a spill file leaves nothing in its folder, and each worker writes its buffer as one piece")
    func spillLeavesNothing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-spill-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let spill = try #require(SpillFile(in: folder))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // Two workers' texts, interleaved as workers run: each reads back its own.
        let a = Holder(.spilled(spill)), b = Holder(.spilled(spill))
        var texts: [(RenderedText, String)] = []
        for i in 0..<200 {
            let html = "<p>\(i)</p>" + Self.long
            texts.append((RenderedText(title: "", summary: "", bodyHTML: html, bodyText: "", language: "nb", holder: i % 3 == 0 ? a : b), html))
        }
        #expect(a.flush() && b.flush())
        for (t, html) in texts { #expect(t.bodyHTML == html) }
        #expect(spill.failed == nil)
        #expect(SpillFile(in: folder.appendingPathComponent("missing")) == nil)
    }
}
