import ArgumentParser
import Foundation
import TilbudCorpus
import TilbudDiagnostics
import TilbudValidate
import TilbudWorkflow

/// `tilbud dev`: tools for developers and benchmarks.
struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verktøy for utviklere. / Developer tools.",
        subcommands: [Corpus.self, FieldsDoc.self])

    /// `tilbud dev corpus`: writes a synthetic, valid catalog.
    struct Corpus: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Skriver en syntetisk, gyldig katalog med N tilbud. / Writes a synthetic valid catalog of N offers.")

        @Option(name: .long, help: ArgumentHelp("Antall tilbud, minst 1. / Number of offers, at least 1.", valueName: "antall"))
        var offers = PositiveCount(1000)

        @Option(name: .long, help: "Mappen katalogen skrives til (må være tom eller ikke finnes). / Output folder.")
        var output: String

        @Option(name: .long, help: "Frø for tilfeldighetene. / Random seed.")
        var seed: UInt64 = 1

        @Option(name: .long, help: "Katalogen som styringsdata og site.yaml hentes fra. / Catalog to copy governance from.")
        var content: String = "content"

        func run() throws {
            let out = URL(fileURLWithPath: output)
            if let existing = try? FileManager.default.contentsOfDirectory(atPath: out.path), !existing.isEmpty {
                throw ValidationError("\(output) er ikke tom; velg en ny mappe / is not empty; choose a new folder")
            }
            let contentURL = URL(fileURLWithPath: content)
            let written = try CorpusGenerator(offers: offers.value, seed: seed)
                .write(to: out, governanceSource: contentURL.appendingPathComponent("governance"), siteYAML: contentURL.appendingPathComponent("site.yaml"))
            writeOut("\(written) filer skrevet til \(output)\n")
        }
    }

    /// `tilbud dev fields-doc`: prints the field reference for editors (`docs/fields.md`) made from `fields.yaml`.
    struct FieldsDoc: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "fields-doc",
            abstract: "Skriver feltreferansen (docs/fields.md) fra governance/fields.yaml. / Prints the field reference made from fields.yaml.",
            discussion: "Lag filen på nytt etter en endring i fields.yaml: \(FieldReference.regenerate)")

        @Option(name: .long, help: "Innholdsmappen. / The content folder.")
        var content: String = "content"

        func run() throws {
            let url = URL(fileURLWithPath: content)
            let result: CheckResult
            do {
                result = try FieldReference.check(contentRoot: url, displayRoot: content)
            } catch let error as WorkflowError {
                writeErr("feil: " + error.text(english: false) + "\n")
                throw ExitCode(2)
            }
            let errors = result.diagnostics.filter { $0.severity == .error }
            guard errors.isEmpty else {
                let formatter = DiagnosticFormatter(language: .nb)
                writeErr(formatter.format(errors, as: .text, filesChecked: result.filesChecked, source: { _ in nil }))
                throw ExitCode(1)
            }
            writeOut(FieldReference.markdown(result.catalog.governance))
        }
    }
}
