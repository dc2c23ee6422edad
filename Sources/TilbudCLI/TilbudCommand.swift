import ArgumentParser
import Foundation
import TilbudDiagnostics
import TilbudModel

/// The `tilbud` command: a thin layer over the pipeline stages.
public struct TilbudCommand: ParsableCommand {
    /// The command's configuration.
    public static let configuration = CommandConfiguration(
        commandName: "tilbud",
        abstract: "Publiserer katalogen over frisklivs-, lærings- og mestringstilbud. / Publishes the catalog of healthy-living, learning and coping offers.",
        subcommands: [Check.self, Build.self, Serve.self, New.self, Report.self, Dev.self]
    )

    /// Creates the command.
    public init() {}

    /// Runs `tilbud` with `arguments` and returns the process exit code: 0 ok, 1 content errors, 2 usage or I/O failures.
    public static func run(arguments: [String]) -> Int32 {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            let code = exitCode(for: error)
            let text = fullMessage(for: error)
            if code == .success {
                print(text)
                return 0
            }
            FileHandle.standardError.write(Data((text + "\n").utf8))
            return 2
        }
    }

    /// Entry point for the executable.
    public static func mainExit() -> Never {
        Foundation.exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }
}

/// Options shared by commands that read a catalog.
struct CatalogOptions: ParsableArguments {
    @Option(name: .long, help: "Innholdsmappen. / The content folder.")
    var content: String = "content"

    @Option(name: .long, help: ArgumentHelp("Dagen tilstander regnes fra; ellers SOURCE_DATE_EPOCH, ellers klokka. / The day states are computed for.",
                                            valueName: "ÅÅÅÅ-MM-DD"))
    var today: Day?

    @Option(name: .customLong("lang"), help: "Språk for meldinger: nb eller en. / Message language.")
    var language: MessageLanguage = .nb

    func resolvedToday(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Day {
        if let today { return today }
        if let epoch = environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            guard let s = Int(epoch) else { throw ValidationError("SOURCE_DATE_EPOCH må være et heltall / must be an integer") }
            return Day(epochSeconds: s)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Oslo") ?? .current
        let c = calendar.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1) ?? Day(ordinal: 0)
    }

    /// The content folder as a URL and as shown to the user; a usage error (exit 2) when it is not a folder.
    func existingContent() throws -> (URL, String) {
        let (url, shown) = contentLocation()
        try Self.requireFolder(url, shown, language: language, what: (nb: "innholdsmappen", en: "the content folder"))
        return (url, shown)
    }

    /// The content and the templates folders, as URLs and as shown; a usage error (exit 2) when either is not a folder.
    func existingFolders(templates: String) throws -> (content: URL, contentShown: String, templates: URL, templatesShown: String) {
        let (content, contentShown) = contentLocation()
        let (templatesURL, templatesShown) = Self.location(templates)
        for (url, shown) in [(content, contentShown), (templatesURL, templatesShown)] {
            try Self.requireFolder(url, shown, language: language)
        }
        return (content, contentShown, templatesURL, templatesShown)
    }

    /// Exits 2 with a message in `language` unless `url` is a folder.
    static func requireFolder(_ url: URL, _ shown: String, language: MessageLanguage, what: (nb: String, en: String) = (nb: "mappen", en: "the folder")) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), isDir.boolValue else {
            writeErr(language == .nb ? "feil: fant ikke \(what.nb) «\(shown)».\n" : "error: \(what.en) '\(shown)' was not found.\n")
            throw ExitCode(2)
        }
    }

    /// The content folder as a URL and as shown to the user (relative to the working directory where possible).
    func contentLocation() -> (URL, String) {
        let cwd = FileManager.default.currentDirectoryPath
        let url = URL(fileURLWithPath: content, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL
        var shown = content
        if content.hasPrefix("/") {
            let prefix = cwd.hasSuffix("/") ? cwd : cwd + "/"
            if url.path.hasPrefix(prefix) { shown = String(url.path.dropFirst(prefix.count)) }
        }
        while shown.hasSuffix("/") && shown.count > 1 { shown.removeLast() }
        if shown.hasPrefix("./") { shown.removeFirst(2) }
        return (url, shown)
    }
}

/// Writes to standard output without buffering surprises.
func writeOut(_ s: String) {
    FileHandle.standardOutput.write(Data(s.utf8))
}

/// Writes to standard error.
func writeErr(_ s: String) {
    FileHandle.standardError.write(Data(s.utf8))
}

/// Reads a file shown at `path` (relative to the working directory) for excerpts.
func sourceText(_ path: String) -> String? { DiagnosticFormatter.readSource(path) }
