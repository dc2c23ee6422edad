import ArgumentParser
import Foundation
import TilbudDiagnostics
import TilbudValidate
import TilbudWorkflow

/// `tilbud report`: reports for the people who keep the catalog true.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rapporter for forvaltningen. / Reports for the governance body.",
        subcommands: [Review.self])

    /// `tilbud report review`: offers due for review, stale or ended, per provider.
    struct Review: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tilbud som skal gjennomgås, er utdaterte eller avsluttet, per tilbyder med e-post. / Offers due, stale or ended, per provider with its e-mail.",
            discussion: "Oppføringer med feil er ikke med; kjør «tilbud check» for dem. CSV-kolonner: " + ReviewReport.csvHeader.joined(separator: ","))

        @OptionGroup var options: CatalogOptions

        @Option(name: .long, help: "text eller csv.")
        var format: ReportFormat = .text

        @Option(name: .long, help: "Bare denne tilbyderen. / Only this provider.")
        var provider: String?

        func run() throws {
            let language = options.language
            let today = try options.resolvedToday()
            let (url, shown) = try options.existingContent()
            let result = CatalogChecker(root: url, displayRoot: shown, today: today).run()
            if let provider, result.catalog.provider(provider) == nil {
                writeErr(language == .nb ? "feil: fant ikke tilbyderen «\(provider)».\n" : "error: the provider '\(provider)' was not found.\n")
                throw ExitCode(2)
            }
            let report = ReviewReport(catalog: result.catalog, provider: provider)
            writeOut(format == .csv ? report.csv() : report.text(language: language))
            let errors = result.diagnostics.filter { $0.severity == .error }
            if !errors.isEmpty {
                let files = Set(errors.compactMap { $0.location?.path }).count
                writeErr(language == .nb
                         ? "Merk: \(files) \(files == 1 ? "fil" : "filer") med feil er ikke med i rapporten. Kjør «tilbud check».\n"
                         : "Note: \(files) \(files == 1 ? "file" : "files") with errors are not in the report. Run 'tilbud check'.\n")
            }
        }
    }
}
