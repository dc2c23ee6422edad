import Foundation
import Testing
import TilbudCorpus
import TilbudDiagnostics
import TilbudModel
import TilbudValidate
#if canImport(Glibc)
import Glibc
#endif

/// Hostile input never crashes or hangs the checker, and each gets a clear error at a useful place.
/// Every case runs through the whole `CatalogChecker`, next to a valid offer that must survive.
@Suite("Hostile input", .timeLimit(.minutes(1)))
struct HostileInputTests {
    /// A hostile file: what to write, and which error it must produce where.
    struct Hostile: CustomTestStringConvertible, Sendable {
        let name: String
        /// The file's path under `content/providers/frisk/`.
        let file: String
        let bytes: @Sendable () -> Data
        let id: String
        /// Expected line and column; nil to accept any place in the file.
        let at: (line: Int, column: Int)?

        init(_ name: String, file: String = "fiendtlig.md", id: String, at: (Int, Int)? = (1, 1), _ bytes: @escaping @Sendable () -> Data) {
            self.name = name
            self.file = file
            self.bytes = bytes
            self.id = id
            self.at = at.map { (line: $0.0, column: $0.1) }
        }

        var testDescription: String { name }
    }

    static func text(_ s: String) -> Data { Data(s.utf8) }

    /// The billion-laughs bomb: each line refers nine times to the one before.
    static let billionLaughs: String = {
        var lines = ["---", "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]"]
        for i in 1...9 {
            lines.append("a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n---\n"
    }()

    /// Pseudo-random bytes (SplitMix64), reproducible.
    static func junk(count: Int, seed: UInt64) -> Data {
        var generator = SplitMix64(state: seed)
        var out = Data(capacity: count)
        while out.count < count {
            let z = generator.next()
            withUnsafeBytes(of: z) { out.append(contentsOf: $0.prefix(count - out.count)) }
        }
        return out
    }

    // Positions of too-deep nesting are where the 17th level opens: `tags: ` plus 15 brackets is column 22.
    static let cases: [Hostile] = [
        Hostile("malformed YAML", id: "yaml-syntax", at: (3, 7)) { text("---\ntitle: Sov\nkind: : :\n---\n") },
        Hostile("billion laughs", id: "yaml-anchor", at: (2, 5)) { text(billionLaughs) },
        Hostile("billion laughs in provider.yaml", file: "provider.yaml", id: "yaml-anchor", at: (1, 5)) {
            text(String(billionLaughs.dropFirst(4).dropLast(4)))
        },
        Hostile("5000-deep flow lists", id: "yaml-too-deep", at: (2, 22)) {
            text("---\ntags: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000) + "\n---\n")
        },
        Hostile("5000 unclosed flow lists", id: "yaml-too-deep", at: (2, 22)) { text("---\ntags: " + String(repeating: "[", count: 5000) + "\n---\n") },
        Hostile("5000-deep flow mappings", id: "yaml-too-deep", at: (2, 70)) {
            text("---\ncontact: " + String(repeating: "{a: ", count: 5000) + "1" + String(repeating: "}", count: 5000) + "\n---\n")
        },
        Hostile("5000-deep block lists", id: "yaml-too-deep", at: (3, 31)) {
            text("---\ntags:\n" + String(repeating: "- ", count: 5000) + "x\n---\n")
        },
        Hostile("1400-deep block lists, one a line (as deep as fits in 1 MiB)", id: "yaml-too-deep", at: nil) {
            text("---\ntags:\n" + (0..<1400).map { String(repeating: " ", count: $0) + "-" }.joined(separator: "\n") + " x\n---\n")
        },
        Hostile("1000-deep block mappings", id: "yaml-too-deep", at: nil) {
            text("---\n" + (0..<1000).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " x\n---\n")
        },
        Hostile("9 MB file", id: "file-too-large") { text(Records.offer(body: String(repeating: "Lorem ipsum dolor sit amet. ", count: 9_000_000 / 28))) },
        Hostile("9 MB provider.yaml", file: "provider.yaml", id: "file-too-large") {
            text(Records.provider + "# " + String(repeating: "x", count: 9_000_000) + "\n")
        },
        Hostile("latin-1 bytes", id: "not-utf8", at: (3, 1)) { Data("---\ntitle: Sov\nsummary: S".utf8) + Data([0xF8, 0x76, 0x6E, 0x0A]) + text("---\n") },
        Hostile("a UTF-16 file", id: "not-utf8", at: nil) { Records.offer().data(using: .utf16)! },
        Hostile("empty file", id: "front-matter-missing") { Data() },
        Hostile("only ---", id: "front-matter-unclosed") { text("---\n") },
        Hostile("only --- without a line break", id: "front-matter-unclosed") { text("---") },
        Hostile("binary junk", id: "not-utf8", at: nil) { junk(count: 4096, seed: 42) },
        Hostile("NUL bytes that are valid UTF-8", id: "control-character") { Data(repeating: 0, count: 1000) },
        Hostile("NUL bytes in the front matter", id: "control-character", at: (2, 8)) { text("---\ntitle: \u{0}\u{0}\u{0}\n---\n") },
        Hostile("binary junk in provider.yaml", file: "provider.yaml", id: "not-utf8", at: nil) { junk(count: 4096, seed: 7) },
        Hostile("a front matter that is a list", id: "front-matter-not-mapping", at: (2, 1)) { text("---\n- title: Sov godt\n- kind: friskliv\n---\nTekst.\n") },
        Hostile("a front matter that is text", id: "front-matter-not-mapping", at: (2, 1)) { text("---\nSov godt\n---\nTekst.\n") },
        Hostile("a provider.yaml that is a list", file: "provider.yaml", id: "wrong-type", at: (1, 1)) { text("- name: Frisk\n- type: kommune\n") },
        Hostile("a mapping as a key", id: "yaml-key-not-text", at: (2, 3)) { text("---\n? {a: 1}\n: x\n---\n") },
        Hostile("a 1 MiB flow list", id: "count", at: (2, 7)) {
            text("---\ntags: [" + Array(repeating: "a", count: 500_000).joined(separator: ",") + "]\n---\n")
        },
        Hostile("a 1 MiB list of topics", id: "count", at: (2, 9)) {
            text("---\ntopics: [" + Array(repeating: "sovn", count: 200_000).joined(separator: ",") + "]\n---\n")
        },
    ]

    @Test(arguments: cases)
    func hostile(_ c: Hostile) throws {
        let catalog = try TestCatalog(offerCatalog())
        let path = "content/providers/frisk/" + c.file
        try catalog.write(c.bytes(), to: path)
        let result = catalog.check()
        let inFile = result.diagnostics.filter { $0.location?.path == path && $0.severity == .error }
        #expect(inFile.contains { $0.id.rawValue == c.id }, "\n\(result.listing)")
        if let at = c.at {
            #expect(inFile.first { $0.id.rawValue == c.id }.map { ($0.location?.line, $0.location?.column) } ?? (nil, nil) == (at.line, at.column),
                    "\n\(result.listing)")
        }
        // The message is for a content editor: words, not a stack trace or a Swift type.
        for d in inFile {
            #expect(!d.message.en.isEmpty && !d.message.nb.isEmpty)
            #expect(!d.message.en.contains("YamlError") && !d.message.en.contains("Optional("), "\(d.message.en)")
        }
        // One problem is told once: a long list does not flood the output.
        #expect(result.diagnostics.count < 20, "\(result.diagnostics.count) diagnostics")
        if c.file != "provider.yaml" {
            // The valid neighbour is unaffected.
            #expect(result.offer("frisk/sov-godt") != nil, "\n\(result.listing)")
        }
    }

    @Test("a symbolic link to /etc/passwd", arguments: ["lenke.md", "provider.yaml"])
    func symlinkToPasswd(_ name: String) throws {
        let catalog = try TestCatalog(offerCatalog())
        let path = "content/providers/frisk/" + name
        try? catalog.remove(path)
        try catalog.symlink(path, to: "/etc/passwd")
        let result = catalog.check()
        #expect(result.errors.contains(Found("symlink-outside", at: Loc(path: path, line: 1, column: 1))), "\n\(result.listing)")
        // Nothing from the file was read into a message or excerpt.
        #expect(!result.diagnostics.contains { $0.message.en.contains("root:") })
    }

    @Test("a governance folder linked from outside content/ is not read")
    func governanceFolderOutside() throws {
        let catalog = try TestCatalog(offerCatalog())
        try FileManager.default.moveItem(at: catalog.url("content/governance"), to: catalog.url("elsewhere"))
        try catalog.symlink("content/governance", to: catalog.url("elsewhere").path)
        let result = catalog.check()
        #expect(result.errors.contains(Found("symlink-outside", at: Loc(path: "content/governance", line: 1, column: 1))), "\n\(result.listing)")
        #expect(result.catalog.governance.municipalities.isEmpty)
    }

    @Test("a governance folder linked from inside content/ is read")
    func governanceFolderInside() throws {
        let catalog = try TestCatalog(offerCatalog())
        try FileManager.default.moveItem(at: catalog.url("content/governance"), to: catalog.url("content/styring"))
        try catalog.symlink("content/governance", to: "styring")
        let result = catalog.check()
        expectNoErrors(result)
        #expect(result.catalog.governance.municipalities.count == 6)
    }

    @Test("a symbolic link to /dev/zero never reads it")
    func symlinkToDevZero() throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.symlink("content/providers/frisk/null.md", to: "/dev/zero")
        let result = catalog.check()
        #expect(result.errors == [Found("symlink-outside", at: Loc(path: "content/providers/frisk/null.md", line: 1, column: 1))], "\n\(result.listing)")
    }

    @Test("a symbolic link in a loop")
    func symlinkLoop() throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.symlink("content/providers/frisk/a.md", to: "b.md")
        try catalog.symlink("content/providers/frisk/b.md", to: "a.md")
        let result = catalog.check()
        #expect(result.errors.count == 2, "\n\(result.listing)")
        #expect(result.offer("frisk/sov-godt") != nil)
    }

    @Test("a FIFO named like an offer is not opened (which would block)")
    func fifo() throws {
        let catalog = try TestCatalog(offerCatalog())
        let path = "content/providers/frisk/ror.md"
        #expect(mkfifo(catalog.url(path).path, 0o644) == 0)
        let result = catalog.check()
        #expect(result.errors.map(\.id) == ["unreadable-file"], "\n\(result.listing)")
    }

    @Test("a folder named like an offer")
    func folderNamedLikeAnOffer() throws {
        let catalog = try TestCatalog(offerCatalog())
        try FileManager.default.createDirectory(at: catalog.url("content/providers/frisk/mappe.md"), withIntermediateDirectories: true)
        let result = catalog.check()
        #expect(result.errors.map(\.id) == ["unreadable-file"], "\n\(result.listing)")
    }

    @Test("a hostile governance file does not crash the checker", arguments: ["policy.yaml", "vocabularies.yaml", "municipalities.csv"])
    func hostileGovernance(_ name: String) throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.write(Data(HostileInputTests.billionLaughs.utf8) + HostileInputTests.junk(count: 2048, seed: 3), to: "content/governance/" + name)
        let result = catalog.check()
        #expect(result.errors.contains { $0.location?.path == "content/governance/" + name }, "\n\(result.listing)")
    }

    @Test("a 9 MB governance file is refused", arguments: ["policy.yaml", "vocabularies.yaml", "municipalities.csv"])
    func largeGovernance(_ name: String) throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.write(Data(repeating: UInt8(ascii: "#"), count: 9_000_000), to: "content/governance/" + name)
        let result = catalog.check()
        #expect(result.errors.contains(Found("file-too-large", at: Loc(path: "content/governance/" + name, line: 1, column: 1))), "\n\(result.listing)")
    }
}
