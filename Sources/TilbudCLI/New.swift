import ArgumentParser
import Foundation
import TilbudWorkflow

/// `tilbud new`: a new offer or provider, every field explained; never overwrites a file.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Lager et nytt tilbud eller en ny tilbyder med alle felt forklart. / Creates a new offer or provider, every field explained.",
        discussion: "Filen får tomme plassholdere der du må fylle inn; «tilbud check» viser hva som gjenstår. Eksisterende filer blir aldri overskrevet.",
        subcommands: [Offer.self, Provider.self])

    /// `tilbud new offer <provider> <slug>`.
    struct Offer: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lager providers/<provider>/<slug>.md. / Creates providers/<provider>/<slug>.md.")

        @OptionGroup var options: CatalogOptions

        @Argument(help: "Tilbyderens id (mappenavnet). / The provider id (folder name).")
        var provider: String

        @Argument(help: "Id for tilbudet: 2–64 tegn, a–z, 0–9 og bindestrek. / The offer's slug.")
        var slug: String

        func run() throws {
            let language = options.language
            let today = try options.resolvedToday()
            let (url, shown) = options.contentLocation()
            do {
                let path = try NewRecord(contentRoot: url, displayRoot: shown, today: today).offer(providerID: provider, slug: slug)
                writeOut(language == .nb
                         ? "Laget \(path).\nFyll inn feltene som står tomme, og kjør «tilbud check» til det ikke er flere feil.\n"
                         : "Created \(path).\nFill in the empty fields, and run 'tilbud check' until there are no errors.\n")
            } catch let error as WorkflowError {
                writeErr((language == .nb ? "feil: " : "error: ") + error.text(english: language == .en) + "\n")
                throw ExitCode(2)
            }
        }
    }

    /// `tilbud new provider <id>`.
    struct Provider: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lager providers/<id>/provider.yaml. / Creates providers/<id>/provider.yaml.")

        @OptionGroup var options: CatalogOptions

        @Argument(help: "Tilbyderens id: 2–64 tegn, a–z, 0–9 og bindestrek. / The provider id.")
        var id: String

        @Option(name: .long, help: "E-post (glob) som får endre mappen; ellers din git-adresse. / Editor e-mail glob; else your git e-mail.")
        var editor: String?

        func run() throws {
            let language = options.language
            let today = try options.resolvedToday()
            let (url, shown) = options.contentLocation()
            do {
                let record = NewRecord(contentRoot: url, displayRoot: shown, today: today)
                let path = try record.provider(id: id, editor: editor ?? record.gitEmail())
                writeOut(language == .nb
                         ? "Laget \(path).\nFyll inn feltene som står tomme, og kjør «tilbud check». Nye tilbud: tilbud new offer \(id) <slug>\n"
                         : "Created \(path).\nFill in the empty fields and run 'tilbud check'. New offers: tilbud new offer \(id) <slug>\n")
            } catch let error as WorkflowError {
                writeErr((language == .nb ? "feil: " : "error: ") + error.text(english: language == .en) + "\n")
                throw ExitCode(2)
            }
        }
    }
}
