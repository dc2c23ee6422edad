import Foundation
import Testing
import TilbudCorpus

/// Writes a corpus for manual benchmarks (e.g. Hugo's yardstick) without the CLI:
///   TILBUD_WRITE_CORPUS=/tmp/tilbud-corpus-1k [TILBUD_CORPUS_OFFERS=1000] [TILBUD_CORPUS_SEED=1] \
///     swift test --scratch-path .build-corpus --filter TilbudCorpusTests.WriteCorpusForBenchmarks
/// Governance comes from the repository's content/ when it has one, else from a full fixture
/// (the spec's vocabularies and shared/data/kommuner-2024.csv when present).
@Suite struct WriteCorpusForBenchmarks {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.enabled(if: environment["TILBUD_WRITE_CORPUS"] != nil))
    func writeCorpus() throws {
        let output = URL(fileURLWithPath: try #require(Self.environment["TILBUD_WRITE_CORPUS"]), isDirectory: true)
        let offers = Int(Self.environment["TILBUD_CORPUS_OFFERS"] ?? "") ?? 1000
        let seed = UInt64(Self.environment["TILBUD_CORPUS_SEED"] ?? "") ?? 1
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let content = repository.appendingPathComponent("content", isDirectory: true)
        let fileManager = FileManager.default
        var governance = content.appendingPathComponent("governance", isDirectory: true)
        var site = content.appendingPathComponent("site.yaml")
        var fixture: Fixture? = nil
        if !fileManager.fileExists(atPath: governance.appendingPathComponent("municipalities.csv").path) || !fileManager.fileExists(atPath: site.path) {
            let made = try Fixture()
            let shared = repository.deletingLastPathComponent().appendingPathComponent("shared/data/kommuner-2024.csv")
            if let csv = try? Data(contentsOf: shared) {
                try csv.write(to: made.governance.appendingPathComponent("municipalities.csv"))
            }
            // No vocabularies file: the generator then uses every id of the spec.
            try fileManager.removeItem(at: made.governance.appendingPathComponent("vocabularies.yaml"))
            governance = made.governance
            site = made.siteYAML
            fixture = made
        }
        defer { fixture?.remove() }
        let written = try CorpusGenerator(offers: offers, seed: seed).write(to: output, governanceSource: governance, siteYAML: site)
        print("wrote \(written) files to \(output.path)")
        #expect(written >= offers)
    }
}
