import ArgumentParser
import Foundation
import TilbudDiagnostics
import TilbudModel
import TilbudRender
import TilbudOutput
import TilbudSite
import TilbudValidate
import TilbudServe
import TilbudWorkflow

/// `tilbud serve`: builds, serves on 127.0.0.1, and re-publishes what a change affects.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forhåndsviser nettstedet lokalt og oppdaterer det mens du skriver. / Previews the site locally, updating it as you edit.",
        discussion: """
        Bygger nettstedet, serverer det på http://127.0.0.1:<port>/ og følger med på content/ og templates/. \
        En endret oppføring kontrolleres og publiseres på nytt med en gang, og åpne sider lastes inn på nytt. \
        Feil vises i nettleseren og i terminalen; serveren fortsetter.
        """)

    @OptionGroup var options: CatalogOptions

    @Option(name: .long, help: "Malmappen. / The templates folder.")
    var templates: String = "templates"

    @Option(name: .long, help: ArgumentHelp("Porten på 127.0.0.1 (0: en ledig port). / The port on 127.0.0.1 (0: any free port).", valueName: "0–65535"))
    var port = Port(8000)

    @Option(name: .long, help: "Mappen nettstedet bygges til; ellers en midlertidig mappe. / Output folder; else a temporary one.")
    var output: String?

    @Flag(name: .long, help: "Sjekk filene jevnlig i stedet for å bruke inotify. / Poll files instead of inotify.")
    var poll = false

    func run() throws {
        let language = options.language
        let today = try options.resolvedToday()
        let (content, contentShown, templatesURL, templatesShown) = try options.existingFolders(templates: templates)
        let temporary: URL? = output == nil
            ? FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-serve-\(getpid())", isDirectory: true) : nil
        let outputURL = temporary?.appendingPathComponent("site", isDirectory: true) ?? CatalogOptions.location(output ?? "public").0
        var config = ServeEngine.Config(content: content, contentShown: contentShown, templates: templatesURL, templatesShown: templatesShown,
                                        output: outputURL, today: today, language: language, port: port.value,
                                        colour: isatty(2) != 0, forcePolling: poll)
        config.executable = Self.executablePath()
        config.steps = Build.outputSteps
        let engine: ServeEngine
        do {
            engine = try ServeEngine(config, log: { writeErr($0) })
        } catch let error as WorkflowError {
            writeErr((language == .nb ? "feil: " : "error: ") + error.text(english: language == .en) + "\n")
            throw ExitCode(2)
        }
        engine.start()
        writeErr(language == .nb
                 ? "Serverer \(engine.server.url) – endringer i \(contentShown)/ og \(templatesShown)/ publiseres med en gang. Ctrl+C avslutter.\n"
                 : "Serving \(engine.server.url) – changes in \(contentShown)/ and \(templatesShown)/ are published at once. Ctrl+C stops.\n")
        let stop: @Sendable () -> Void = {
            engine.stop(wait: false)
            if let temporary { try? FileManager.default.removeItem(at: temporary) }
            Foundation.exit(0)
        }
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler(handler: stop)
            source.resume()
            sources.append(source)
        }
        withExtendedLifetime(sources) { dispatchMain() }
    }
}

extension Serve {
    /// This program's own file, for background builds.
    static func executablePath() -> String? {
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
           FileManager.default.isExecutableFile(atPath: exe) {
            return exe
        }
        let arg0 = CommandLine.arguments.first ?? ""
        guard arg0.contains("/") else { return nil }
        let url = URL(fileURLWithPath: arg0, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
        return FileManager.default.isExecutableFile(atPath: url.path) ? url.standardizedFileURL.path : nil
    }
}
