import Foundation
import Testing
import TilbudDiagnostics
import TilbudTestSupport

/// docs/for-tilbydere.md lists every diagnostic code in the tables of its section «Feilmeldinger og advarsler»
/// (`| \`code\` | …`): every `DiagnosticID` is there,
/// and every code there is a `DiagnosticID`, so the editors' list cannot drift from what `check` prints.
@Suite("Diagnostic codes in docs/for-tilbydere.md")
struct DiagnosticCodeDocsTests {
    static func documentedCodes() throws -> [String] {
        let text = try String(contentsOf: TestPaths.repositoryRoot.appendingPathComponent("docs/for-tilbydere.md"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(of: "## Feilmeldinger og advarsler") else { return [] }
        let section = lines[(start + 1)...].prefix { !$0.hasPrefix("## ") }
        return section.compactMap { line -> String? in
            guard line.hasPrefix("| `") else { return nil }
            let rest = line.dropFirst(3)
            guard let end = rest.firstIndex(of: "`") else { return nil }
            return String(rest[..<end])
        }
    }

    @Test("every DiagnosticID is documented")
    func everyCaseIsDocumented() throws {
        let documented = Set(try Self.documentedCodes())
        let missing = DiagnosticID.allCases.map(\.rawValue).filter { !documented.contains($0) }
        #expect(missing.isEmpty, "not in docs/for-tilbydere.md: \(missing)")
    }

    @Test("every documented code is a DiagnosticID, listed once")
    func everyDocumentedCodeIsACase() throws {
        let documented = try Self.documentedCodes()
        #expect(!documented.isEmpty)
        let unknown = documented.filter { DiagnosticID(rawValue: $0) == nil }
        #expect(unknown.isEmpty, "documented but no DiagnosticID: \(unknown)")
        let repeated = Dictionary(grouping: documented, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        #expect(repeated.isEmpty, "documented twice: \(repeated)")
    }
}
