import ArgumentParser
import Foundation
import TilbudDiagnostics
import TilbudModel
import TilbudFeed
import TilbudSearch
import TilbudOutput
import TilbudSite
import TilbudWorkflow

/// `tilbud build`: check, then publish the catalog as a static site.
struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bygger nettstedet til en mappe. / Builds the site into a folder.",
        discussion: "Ved feil i innholdet skrives feilene som i `check`, og forrige utdata blir stående urørt.")

    @OptionGroup var options: CatalogOptions

    @Option(name: .long, help: "Malmappen. / The templates folder.")
    var templates: String = "templates"

    @Option(name: .long, help: "Utdatamappen. / The output folder.")
    var output: String = "public"

    @Option(name: .customLong("base-url"), help: ArgumentHelp("Absolutt adresse nettstedet publiseres på. / Absolute base URL.", valueName: "https://…"))
    var baseURL: AbsoluteURL?

    @Flag(name: .long, help: "Ingen framdriftslinje. / No progress line.")
    var quiet = false

    @Flag(name: .long, help: "Skriv tida hvert steg tok; stegene kjøres da etter hverandre. / Print the time of each stage; the stages then run one after another.")
    var timings = false

    func run() throws {
        Allocator.tuneForBuild()
        let language = options.language
        let today = try options.resolvedToday()
        let (content, contentShown, templatesURL, templatesShown) = try options.existingFolders(templates: templates)
        var opts = BuildOptions(content: content, contentDisplay: contentShown, templates: templatesURL, templatesDisplay: templatesShown,
                                output: CatalogOptions.location(output).0, baseURL: baseURL?.text, today: today)
        opts.oneStageAtATime = timings
        opts.betweenStages = { Allocator.giveBackFreeMemory() }
        let start = Date()
        let showProgress = !quiet && isatty(2) != 0
        let word = language == .nb ? "Skriver sider" : "Writing pages"
        let printer = ProgressPrinter(word: word)
        let progress: (@Sendable (Int, Int) -> Void)? = showProgress ? printer.report : nil
        let history = SeenHistory()
        let result = SiteBuilder(steps: Self.outputSteps, catalogTransform: Self.catalogTransform(history)).build(opts, progress: progress)
        if showProgress { writeErr("\r\u{1B}[K") }
        let formatter = DiagnosticFormatter(language: language, colour: isatty(2) != 0)
        if !result.diagnostics.isEmpty {
            writeErr(formatter.format(result.diagnostics, as: .text, filesChecked: result.filesChecked, source: sourceText))
        }
        if result.diagnostics.hasErrors {
            writeErr(language == .nb ? "Bygget stoppet: rett feilene over. \(output)/ er ikke endret.\n"
                                     : "Build stopped: fix the errors above. \(output)/ is unchanged.\n")
            throw ExitCode(1)
        }
        if let failure = result.failure {
            writeErr((language == .nb ? "feil: " : "error: ") + failure + "\n")
            throw ExitCode(2)
        }
        if history.value?.shallow == true {
            writeErr(language == .nb
                     ? "advarsel: \(contentShown) er i en grunn kopi av git-depotet (shallow clone). Datoene published og updated blir da datoen til den eldste hentede commiten for tilbud som ikke er endret siden. Hent hele historikken (i GitHub Actions: fetch-depth: 0 for actions/checkout).\n"
                     : "warning: \(contentShown) is in a shallow clone of its git repository, so an offer not changed in the commits fetched gets the oldest fetched commit's day as its published and updated date. Fetch the whole history (in GitHub Actions: fetch-depth: 0 for actions/checkout).\n")
        }
        if timings {
            writeErr("    wall       CPU   peak memory      resident  stage\n")
            for t in result.timings {
                writeErr(String(format: "%7.3f s %7.3f s  %8.1f MiB  %8.1f MiB  %@\n", t.seconds, t.cpu, t.peakMiB, t.residentMiB, t.stage))
            }
        }
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        let mb = String(format: "%.1f", Double(result.bytes) / 1_048_576)
        // Over an earlier output, how many files already had their bytes (kept or linked) and were not written again.
        let unchanged = result.filesKept + result.filesLinked
        var same = unchanged == 0 ? "" : language == .nb ? "; \(unchanged) uendret, ikke skrevet på nytt" : "; \(unchanged) unchanged, not rewritten"
        // Offer pages and calendars whose inputs were those of the previous build were not even made again.
        if result.filesCarried > 0 {
            same += language == .nb ? ", \(result.filesCarried) av dem ikke laget på nytt" : ", \(result.filesCarried) of them not remade"
        }
        writeOut(language == .nb
                 ? "Bygget \(result.pages) sider (\(result.files) filer, \(mb) MB\(same)) til \(output)/ på \(seconds) s.\n"
                 : "Built \(result.pages) pages (\(result.files) files, \(mb) MB\(same)) into \(output)/ in \(seconds) s.\n")
    }

    /// The steps after the pages: feed and search register here.
    static var outputSteps: [any OutputStep] { [SearchStep(), FeedStep()] }

    /// Fills each offer's `updated` and `published` from git history (one `git log`, started as the build starts), else
    /// file dates; the history read is kept in `seen`, when given.
    static func catalogTransform(_ seen: SeenHistory? = nil) -> CatalogTransform {
        CatalogTransform(prepare: { OfferDates.startFilling(contentRoot: $0) { _, h in seen?.store(h) } })
    }
}

/// The history a build's transform read, for what the command says after the build.
final class SeenHistory: @unchecked Sendable {
    private let lock = NSLock()
    private var history: ContentHistory?

    func store(_ h: ContentHistory) { lock.withLock { history = h } }
    var value: ContentHistory? { lock.withLock { history } }
}

extension CatalogOptions {
    /// A folder argument as a URL and as shown to the user.
    static func location(_ path: String) -> (URL, String) {
        var o = CatalogOptions()
        o.content = path
        return o.contentLocation()
    }
}

/// Prints a progress line on standard error.
struct ProgressPrinter: Sendable {
    let word: String

    @Sendable func report(_ done: Int, _ total: Int) {
        FileHandle.standardError.write(Data("\r\(word) \(done)/\(total)".utf8))
    }
}
