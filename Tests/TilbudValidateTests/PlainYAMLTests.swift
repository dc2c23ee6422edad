import Foundation
import Testing
import TilbudCorpus
@testable import TilbudContent

/// The fast YAML path (`PlainYAML`) must give exactly libyaml's tree, positions included, for everything it
/// accepts, and leave everything else to libyaml, which reports the problems.
@Suite("Plain YAML fast path")
struct PlainYAMLTests {
    /// The repository's root, found from this file's path.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The YAML of every record and governance file of the bundled catalog, and of the test fixtures.
    static let realYAML: [String] = {
        var out: [String] = []
        for folder in ["content", "Tests/Fixtures"] {
            let root = repository.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: root.path) else { continue }
            for case let file as String in files where file.hasSuffix(".md") || file.hasSuffix(".yaml") {
                guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else { continue }
                if file.hasSuffix(".yaml") {
                    out.append(text)
                } else if case let .success(split) = FrontMatter.split(text, path: file) {
                    out.append(split.yaml)
                }
            }
        }
        return out.sorted()
    }()

    /// Shapes the fast path takes, each with what libyaml makes of it.
    static let accepted: [String] = [
        "title: Søvnkurs\nsummary: \"Fire kvelder: om søvn.\"\n",
        "a: 'it''s'\nb: ''\nc: \"\"\nd: 'x' \n",
        "topics: [sovn, psykisk-helse]\nempty: []\nspaced: [ a , \"b c\" ,'d' ]\n",
        "geo: [59.9, 10.7]\nopen: åpen nei\n",
        "locations:\n  - name: Huset\n    address: Gata 1\n  - name: Annet\n    geo: [1, 2]\n",
        "tags:\n- a\n- b\nnext: 1\n",
        "schedule:\n    -   start: 2026-01-01\n        note: x\n",
        "price:\n  kind: gratis\n\n\n  note: hei   \nstatus: published",
        "url: https://example.org/a:b?c=d#frag\nx: C#\n",
        "list:\n  - [a, b]\n  - 'q'\n  - plain text here\n",
        "deep:\n  a:\n    b:\n      c: [d]\n",
        "\n\ntitle: after blank lines\n",
        "k: æ ø å 😀 [x] {y} \"z\" 'w' a-b\n",
        "items: [Åmli, Ås, 😀]\n",
    ]

    /// Compares two trees field by field; nil when equal, else where they differ.
    static func difference(_ a: YNode?, _ b: YNode?, at path: String = "root") -> String? {
        guard let a, let b else { return a == nil && b == nil ? nil : "\(path): one is nil" }
        if a.line != b.line || a.column != b.column { return "\(path): position \(a.line):\(a.column) vs \(b.line):\(b.column)" }
        switch (a.kind, b.kind) {
        case let (.scalar(x, px), .scalar(y, py)):
            return x == y && px == py ? nil : "\(path): scalar \(x.debugDescription) plain \(px) vs \(y.debugDescription) plain \(py)"
        case let (.sequence(x), .sequence(y)):
            guard x.count == y.count else { return "\(path): \(x.count) vs \(y.count) items" }
            for i in x.indices { if let d = difference(x[i], y[i], at: "\(path)[\(i)]") { return d } }
            return nil
        case let (.mapping(x), .mapping(y)):
            guard x.count == y.count else { return "\(path): \(x.count) vs \(y.count) pairs" }
            for i in x.indices {
                let (p, q) = (x[i], y[i])
                if p.key != q.key || p.keyLine != q.keyLine || p.keyColumn != q.keyColumn {
                    return "\(path): key \(p.key)@\(p.keyLine):\(p.keyColumn) vs \(q.key)@\(q.keyLine):\(q.keyColumn)"
                }
                if let d = difference(p.value, q.value, at: "\(path).\(p.key)") { return d }
            }
            return nil
        default:
            return "\(path): \(a.shape) vs \(b.shape)"
        }
    }

    /// nil when the fast path declines `text` or agrees with libyaml on it; else what differs.
    static func disagreement(_ text: String, maxDepth: Int = 16, lineOffset: Int = 1) -> String? {
        var copy = text
        return copy.withUTF8 { bytes -> String? in
            guard let fast = PlainYAML.parse(bytes, lineOffset: lineOffset, maxDepth: maxDepth) else { return nil }
            let (slow, diagnostics) = YAMLReader(maxDepth: maxDepth).parseWithLibYAML(bytes, path: "x", lineOffset: lineOffset)
            if !diagnostics.isEmpty { return "libyaml reports \(diagnostics.map(\.id)) where the fast path accepts" }
            return difference(fast, slow)
        }
    }

    static func takesFastPath(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { PlainYAML.parse($0, lineOffset: 0, maxDepth: 16) != nil }
    }

    @Test("takes the fast path for plain records, with libyaml's tree and positions", arguments: accepted)
    func agreesOnPlainShapes(_ text: String) {
        #expect(Self.takesFastPath(text))
        #expect(Self.disagreement(text) == nil)
    }

    @Test("takes the fast path for most of the bundled catalog, with libyaml's trees")
    func agreesOnRealRecords() {
        #expect(Self.realYAML.count > 100)
        for text in Self.realYAML {
            #expect(Self.disagreement(text) == nil, "\(text)")
        }
        #expect(Self.realYAML.filter(Self.takesFastPath).count * 2 > Self.realYAML.count)
    }

    @Test("leaves to libyaml what it does not read exactly as libyaml does", arguments: [
        "a: 1 # comment\n", "# comment\na: 1\n", "a: |\n  text\n", "a: >\n  text\n", "a: &x 1\n", "a: *x\n", "a: !!str 1\n",
        "a: \"esc\\\"aped\"\n", "a: multi\n  line\n", "a:\n", "a:\nb: 1\n", "a: 1\na: 2\n", "a: {b: 1}\n", "a: [b, [c]]\n",
        "a: [b,\n  c]\n", "a: [b, ]\n", "a: x: y\n", "a: x:\n", "- a\n", "  a: 1\n", "a:\tb\n", "a: b\r\n", "\u{FEFF}a: 1\n",
        "a: b\u{2028}c\n", "a: b\u{85}\n", "a: \"open\n", "a: 'open\n", "--- \na: 1\n", "a: 1\n---\nb: 2\n", "a: 1\n...\n",
        "\"a\": 1\n", "a: 1\n  b: 2\n", "a:\n  - x\n  b: 1\n", "a:\n  - \n", "a:\n  - - x\n", "a: -1\n", "a: ?x\n", "a: %x\n",
        "a: [a:b]\n", "a: [a#b]\n", "a: [?]\n", "? a\n: b\n", "a : 1\n", "a: 1\n\u{7}\n", "", "   \n\n",
    ])
    func declines(_ text: String) {
        #expect(!Self.takesFastPath(text))
    }

    @Test("leaves nesting past the depth limit to libyaml")
    func depthLimit() {
        let text = "a:\n  b:\n    c: [d]\n"
        #expect(Self.disagreement(text, maxDepth: 4) == nil)
        var copy = text
        copy.withUTF8 { bytes in
            #expect(PlainYAML.parse(bytes, lineOffset: 0, maxDepth: 4) != nil)
            #expect(PlainYAML.parse(bytes, lineOffset: 0, maxDepth: 3) == nil)
        }
    }

    @Test("counts columns on from the previous item on a long line, and agrees with libyaml there")
    func longFlowList() {
        let text = "tags: [" + Array(repeating: "å", count: 200_000).joined(separator: ", ") + "]\n"
        #expect(Self.takesFastPath(text))
        #expect(Self.disagreement(text) == nil)
    }

    @Test("leaves a mapping of many keys to libyaml")
    func manyKeys() {
        #expect(Self.takesFastPath((0..<64).map { "k\($0): v" }.joined(separator: "\n")))
        #expect(!Self.takesFastPath((0..<65).map { "k\($0): v" }.joined(separator: "\n")))
    }

    /// Small edits of real records that often break or change YAML: each result must be declined or read exactly as libyaml reads it.
    static let edits = [":", ": ", " #", "#", "-", "- ", "[", "]", ",", ", ", "'", "\"", "''", "\\", "\t", "&a ", "*a", "!", "|", ">",
                        "{", "}", "?", "? ", "%", "@", "`", " ", "  ", "\n", "\n  ", "\n- ", "\n  - ", "é", "Å", "😀", "\u{85}",
                        "\u{2028}", "\u{A0}", "\u{FEFF}", "...", "---", "~", "null", "x: ", "\r", "\u{0}", "[]", "a,b", "'a''b'"]

    @Test("agrees with libyaml on thousands of edited records")
    func agreesOnEditedRecords() {
        var generator = SplitMix64(state: 0x5EED)
        func next(_ bound: Int) -> Int { generator.below(bound) }
        let seeds = Self.accepted + Self.realYAML.prefix(60)
        var accepted = 0
        for seed in seeds {
            for _ in 0..<120 {
                var scalars = Array(seed.unicodeScalars)
                for _ in 0...next(2) {
                    let at = next(scalars.count + 1)
                    switch next(4) {
                    case 0, 1: scalars.insert(contentsOf: Self.edits[next(Self.edits.count)].unicodeScalars, at: at)
                    case 2: scalars.removeSubrange(at..<min(scalars.count, at + 1 + next(3)))
                    default: if at < scalars.count { scalars[at] = Self.edits[next(Self.edits.count)].unicodeScalars.first! }
                    }
                }
                var text = ""
                text.unicodeScalars.append(contentsOf: scalars)
                if Self.takesFastPath(text) { accepted += 1 }
                let problem = Self.disagreement(text)
                #expect(problem == nil, "\(text.debugDescription)")
                if problem != nil { return }
            }
        }
        // The edits must leave many inputs on the fast path, or this test would compare nothing.
        #expect(accepted > 1000)
    }
}
