import ArgumentParser
import Foundation
import TilbudCorpus

/// `tilbud dev`: tools for developers and benchmarks.
struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verktøy for utviklere. / Developer tools.",
        subcommands: [Corpus.self])

    /// `tilbud dev corpus`: writes a synthetic, valid catalog.
    struct Corpus: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Skriver en syntetisk, gyldig katalog med N tilbud. / Writes a synthetic valid catalog of N offers.")

        @Option(name: .long, help: "Antall tilbud. / Number of offers.")
        var offers: Int = 1000

        @Option(name: .long, help: "Mappen katalogen skrives til (må være tom eller ikke finnes). / Output folder.")
        var output: String

        @Option(name: .long, help: "Frø for tilfeldighetene. / Random seed.")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Katalogen som styringsdata og site.yaml hentes fra. / Catalog to copy governance from.")
        var content: String = "content"

        func run() throws {
            guard offers > 0 else { throw ValidationError("--offers må være større enn 0") }
            let out = URL(fileURLWithPath: output)
            if let existing = try? FileManager.default.contentsOfDirectory(atPath: out.path), !existing.isEmpty {
                throw ValidationError("\(output) er ikke tom; velg en ny mappe / is not empty; choose a new folder")
            }
            let contentURL = URL(fileURLWithPath: content)
            let written = try CorpusGenerator(offers: offers, seed: seed)
                .write(to: out, governanceSource: contentURL.appendingPathComponent("governance"), siteYAML: contentURL.appendingPathComponent("site.yaml"))
            writeOut("\(written) filer skrevet til \(output)\n")
        }
    }
}
