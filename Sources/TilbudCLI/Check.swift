import ArgumentParser
import Foundation
import TilbudDiagnostics
import TilbudValidate

/// `tilbud check`: is every record publishable?
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Kontrollerer katalogen og forklarer hver feil. / Checks the catalog and explains every problem.",
        discussion: "Exit 0: ingen feil (advarsler er lov). 1: feil i innholdet. 2: bruks- eller lesefeil.")

    @OptionGroup var options: CatalogOptions

    @Option(name: .long, help: "text, json eller github.")
    var format: String = "text"

    func run() throws {
        guard let format = DiagnosticFormat(rawValue: format) else { throw ValidationError("--format må være text, json eller github / must be text, json or github") }
        let language = try options.language()
        let today = try options.resolvedToday()
        let (url, shown) = options.contentLocation()
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            writeErr(language == .nb ? "feil: fant ikke innholdsmappen «\(shown)».\n" : "error: the content folder '\(shown)' was not found.\n")
            throw ExitCode(2)
        }
        let result = CatalogChecker(root: url, displayRoot: shown, today: today).run()
        let formatter = DiagnosticFormatter(language: language, colour: format == .text && isatty(1) != 0)
        writeOut(formatter.format(result.diagnostics, as: format, filesChecked: result.filesChecked, source: sourceText))
        if result.hasErrors { throw ExitCode(1) }
    }
}
