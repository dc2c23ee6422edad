import Foundation
import Testing
import TilbudDiagnostics

/// One fixture catalog and the diagnostics it must produce: a named argument for `@Test(arguments:)`.
struct RuleCase: CustomTestStringConvertible, Sendable {
    /// Where a diagnostic is expected: at a marker, or at line 1, column 1 of a file (for whole-file problems).
    enum Place: Sendable {
        case marker(String)
        case file(String)
    }

    let name: String
    let files: String
    let expected: [(id: String, place: Place)]
    /// Text one of the first expected diagnostic's messages (nb or en, message or hint) must contain.
    let says: [String]
    /// Runs after the files are written (raw bytes, symlinks, large files).
    let setup: (@Sendable (TestCatalog) throws -> Void)?

    init(_ name: String, _ files: String, expect expected: [(String, Place)], says: [String] = [],
         setup: (@Sendable (TestCatalog) throws -> Void)? = nil) {
        self.name = name
        self.files = files
        self.expected = expected.map { (id: $0.0, place: $0.1) }
        self.says = says
        self.setup = setup
    }

    /// Convenience: one expected diagnostic at marker `1️⃣`.
    init(_ name: String, _ files: String, expect id: String, says: [String] = [], setup: (@Sendable (TestCatalog) throws -> Void)? = nil) {
        self.init(name, files, expect: [(id, .marker("1️⃣"))], says: says, setup: setup)
    }

    var testDescription: String { name }

    /// Lays the catalog out, runs the checker, and compares the diagnostics of `severity`.
    func run(severity: Severity = .error, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        let catalog = try TestCatalog(files, sourceLocation: sourceLocation)
        try setup?(catalog)
        let result = catalog.check()
        let want = expected.map { e -> Found in
            switch e.place {
            case let .marker(m): return Found(e.id, severity, at: catalog.location(m, sourceLocation: sourceLocation))
            case let .file(path): return Found(e.id, severity, at: Loc(path: path, line: 1, column: 1))
            }
        }
        let got = severity == .error ? result.errors : result.warnings
        #expect(Set(got) == Set(want), "\n\(result.listing)", sourceLocation: sourceLocation)
        #expect(got.count == want.count, "\n\(result.listing)", sourceLocation: sourceLocation)
        if severity == .warning {
            #expect(result.errors.isEmpty, "a warning must not come with errors\n\(result.listing)", sourceLocation: sourceLocation)
        }
        if let first = want.first, !says.isEmpty {
            let texts = result.diagnostics.filter { Found($0) == first }
                .flatMap { [$0.message.nb, $0.message.en, $0.hint?.nb ?? "", $0.hint?.en ?? ""] }
            for phrase in says {
                #expect(texts.contains { $0.contains(phrase) }, "no message says «\(phrase)»: \(texts)", sourceLocation: sourceLocation)
            }
        }
    }
}

/// The standard provider `frisk` as a txtar section.
let providerSection = "-- content/providers/frisk/provider.yaml --\n" + Records.provider

/// The standard provider and one offer `frisk/sov-godt` with `changes` (see `Records.offer`).
func offerCatalog(_ changes: KeyValuePairs<String, String?> = [:], body: String = "Kurset går over fire kvelder.\n") -> String {
    providerSection + "-- content/providers/frisk/sov-godt.md --\n" + Records.offer(changes, body: body)
}

/// The path of the standard offer as the checker shows it.
let offerPath = "content/providers/frisk/sov-godt.md"
