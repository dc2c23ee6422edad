import ArgumentParser
import Foundation
import TilbudDiagnostics
import TilbudValidate
import TilbudWorkflow

/// `tilbud check`: is every record publishable?
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kontrollerer katalogen og forklarer hver feil. / Checks the catalog and explains every problem.",
        discussion: "Exit 0: ingen feil (advarsler er lov). 1: feil i innholdet. 2: bruks- eller lesefeil.")

    @OptionGroup var options: CatalogOptions

    @Option(name: .long, help: "text, json eller github.")
    var format: DiagnosticFormat = .text

    @Option(name: .long, help: ArgumentHelp(
        "Kontroller også at hver commit siden denne git-revisjonen er laget av en redaktør som har lov. / Also check that every commit since this git revision was authored by an allowed editor.",
        valueName: "git-rev"))
    var since: String?

    func run() throws {
        let language = options.language
        let today = try options.resolvedToday()
        let (url, shown) = try options.existingContent()
        let result = CatalogChecker(root: url, displayRoot: shown, today: today).run()
        var diagnostics = result.diagnostics
        if let since {
            // Who changed what: commits since the revision, against `editors` and `governance_editors`.
            do {
                let ownership = try OwnershipChecker(contentRoot: url, displayRoot: shown, catalog: result.catalog).check(since: since)
                diagnostics = (diagnostics + ownership.diagnostics).sortedForOutput()
            } catch let error as WorkflowError {
                writeErr((language == .nb ? "feil: " : "error: ") + error.text(english: language == .en) + "\n")
                throw ExitCode(2)
            }
        }
        let formatter = DiagnosticFormatter(language: language, colour: format == .text && isatty(1) != 0)
        writeOut(formatter.format(diagnostics, as: format, filesChecked: result.filesChecked, source: sourceText))
        if diagnostics.hasErrors { throw ExitCode(1) }
    }
}
