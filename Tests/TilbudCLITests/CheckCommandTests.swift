import Foundation
import Testing
import TilbudTestSupport
import TilbudCLI

/// `tilbud check` end to end. Output is checked by running the built executable (stdout and the
/// working directory are per process); exit codes are also checked in-process through
/// `TilbudCommand.run(arguments:)`.
@Suite("tilbud check", .timeLimit(.minutes(2)))
struct CheckCommandTests {
    static let today = ["--today", "2026-01-15"]

    /// A catalog with one error (at 1️⃣) and nothing else.
    static func oneError() throws -> CLICatalog {
        try CLICatalog(CLIRecords.provider + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer(topics: "[1️⃣søvn]"))
    }

    /// A catalog with two errors (1️⃣, 3️⃣, the second with a hint) and a warning (2️⃣) in two files.
    static func mixed() throws -> CLICatalog {
        try CLICatalog(CLIRecords.provider
            + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer(topics: "[1️⃣søvn]")
                .replacingOccurrences(of: "kind: friskliv", with: "kind: friskliv\n3️⃣zzz: 1")
            + "-- content/providers/frisk/gammel.md --\n" + CLIRecords.offer(lastReviewed: "2️⃣2024-12-01")
                .replacingOccurrences(of: "title: Sov godt", with: "title: Gammelt kurs"))
    }

    // MARK: exit codes

    @Test("exit 0 for a clean catalog")
    func cleanExitsZero() throws {
        let catalog = try CLICatalog(CLIRecords.provider + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer())
        let run = try Tilbud.run(["check"] + Self.today, in: catalog.directory)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout == "Ingen feil eller advarsler i 7 filer.\n", "\(run)")
        #expect(run.stderr.isEmpty, "\(run)")
    }

    @Test("exit 0 when there are only warnings")
    func warningsExitZero() throws {
        let catalog = try CLICatalog(CLIRecords.provider + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer(lastReviewed: "2024-12-01"))
        let run = try Tilbud.run(["check"] + Self.today, in: catalog.directory)
        #expect(run.status == 0, "\(run)")
        #expect(run.stdout.contains(": advarsel: "), "\(run)")
        #expect(run.stdout.hasSuffix("0 feil og 1 advarsel i 1 fil (7 kontrollert).\n"), "\(run)")
    }

    @Test("exit 1 when there are errors")
    func errorsExitOne() throws {
        let catalog = try Self.oneError()  // kept alive: its folder is removed when it goes
        let run = try Tilbud.run(["check"] + Self.today, in: catalog.directory)
        #expect(run.status == 1, "\(run)")
    }

    struct Usage: CustomTestStringConvertible, Sendable {
        let name: String
        let arguments: [String]
        /// Text stderr must contain.
        let says: String
        var testDescription: String { name }
    }

    static let usageErrors: [Usage] = [
        Usage(name: "--format xml", arguments: ["check", "--format", "xml"] + today, says: "text, json"),
        Usage(name: "missing content folder", arguments: ["check", "--content", "mangler"] + today, says: "«mangler»"),
        Usage(name: "content is a file", arguments: ["check", "--content", "content/site.yaml"] + today, says: "content/site.yaml"),
        Usage(name: "--lang de", arguments: ["check", "--lang", "de"] + today, says: "nb"),
        Usage(name: "--today not a date", arguments: ["check", "--today", "2026-13-01"], says: "ÅÅÅÅ-MM-DD"),
        Usage(name: "--today not a day of the calendar", arguments: ["build", "--today", "2026-02-30"], says: "'2026-02-30'"),
        Usage(name: "serve --port out of range", arguments: ["serve", "--port", "70000"] + today, says: "--port"),
        Usage(name: "build --base-url not absolute", arguments: ["build", "--base-url", "example.org"] + today, says: "--base-url"),
        Usage(name: "report --format pdf", arguments: ["report", "review", "--format", "pdf"] + today, says: "'text' and 'csv'"),
        Usage(name: "dev corpus --offers 0", arguments: ["dev", "corpus", "--offers", "0", "--output", "ny"], says: "--offers"),
        Usage(name: "unknown option", arguments: ["check", "--frobnicate"] + today, says: "frobnicate"),
        Usage(name: "unknown subcommand", arguments: ["sjekk"], says: "sjekk"),
    ]

    @Test("exit 2 for bad usage, with a message on stderr and nothing on stdout", arguments: usageErrors)
    func usage(_ u: Usage) throws {
        let catalog = try Self.oneError()
        let run = try Tilbud.run(u.arguments, in: catalog.directory)
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains(u.says), "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
    }

    @Test("bad SOURCE_DATE_EPOCH is bad usage")
    func badEpoch() throws {
        let catalog = try Self.oneError()
        let run = try Tilbud.run(["check"], in: catalog.directory, environment: ["SOURCE_DATE_EPOCH": "i går"])
        #expect(run.status == 2, "\(run)")
        #expect(run.stderr.contains("SOURCE_DATE_EPOCH"), "\(run)")
    }

    @Test("in-process: the exit codes of TilbudCommand.run(arguments:)")
    func inProcessExitCodes() throws {
        let broken = try Self.oneError()
        let content = broken.directory.appendingPathComponent("content").path
        #expect(TilbudCommand.run(arguments: ["check", "--content", content, "--format", "github"] + Self.today) == 1)
        #expect(TilbudCommand.run(arguments: ["check", "--content", content, "--format", "xml"] + Self.today) == 2)
        #expect(TilbudCommand.run(arguments: ["check", "--content", content + "/mangler"] + Self.today) == 2)
        #expect(TilbudCommand.run(arguments: ["check", "--content", content, "--lang", "se"] + Self.today) == 2)
        let clean = try CLICatalog(CLIRecords.provider + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer(lastReviewed: "2024-12-01"))
        #expect(TilbudCommand.run(arguments: ["check", "--content", clean.directory.appendingPathComponent("content").path, "--format", "github"]
                                  + Self.today) == 0)
    }

    // MARK: formats

    @Test("text: path:line:col: feil: message, an excerpt with a caret, and a summary")
    func textFormat() throws {
        let catalog = try Self.oneError()
        let run = try Tilbud.run(["check"] + Self.today, in: catalog.directory)
        let m = catalog.marker("1️⃣")
        let lines = run.stdout.components(separatedBy: "\n")
        #expect(lines.first == "\(catalog.place("1️⃣")): feil: «søvn» er ikke en gyldig verdi for «topics». Mente du «sovn»? "
                + "Gyldige verdier (topics): fysisk-aktivitet, kosthold, tobakk, alkohol, sovn, psykisk-helse, stress, diabetes, "
                + "hjerte-og-kar, kols, kreft, smerte, ….", "\(run)")
        // One line of context each side, numbered, and the caret under the column.
        #expect(Array(lines.dropFirst().prefix(4)) == [
            "  \(m.line - 1) │ delivery: digitalt",
            "  \(m.line) │ topics: [søvn]",
            "    │ " + String(repeating: " ", count: m.column - 1) + "^",
            "  \(m.line + 1) │ audiences: [voksne]",
        ], "\(run)")
        #expect(lines.suffix(2) == ["1 feil og 0 advarsler i 1 fil (7 kontrollert).", ""], "\(run)")
        #expect(!run.stdout.contains("\u{1B}["), "no colour when stdout is not a terminal")
    }

    @Test("text in English with --lang en, hints included")
    func textEnglish() throws {
        let catalog = try Self.mixed()
        let run = try Tilbud.run(["check", "--lang", "en"] + Self.today, in: catalog.directory)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.contains("\(catalog.place("1️⃣")): error: 'søvn' is not a valid value for 'topics'. Did you mean 'sovn'?"), "\(run)")
        #expect(run.stdout.contains("\(catalog.place("2️⃣")): warning: The offer was last reviewed on 2024-12-01"), "\(run)")
        #expect(run.stdout.contains("\(catalog.place("3️⃣")): error: Unknown field 'zzz'."), "\(run)")
        #expect(run.stdout.contains("\n  hint: Fields allowed here: title, summary,"), "\(run)")
        #expect(run.stdout.hasSuffix("2 errors and 1 warning in 2 files (8 checked).\n"), "\(run)")
        #expect(!run.stdout.contains("feil"), "\(run)")
    }

    @Test("json: the documented shape")
    func jsonFormat() throws {
        let catalog = try Self.mixed()
        let run = try Tilbud.run(["check", "--format", "json"] + Self.today, in: catalog.directory)
        #expect(run.status == 1, "\(run)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
        let document = try #require(object as? [String: Any], "\(run)")
        #expect(document["version"] as? Int == 1)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 2)
        #expect(summary["warnings"] as? Int == 1)
        #expect(summary["files_with_problems"] as? Int == 2)
        #expect(summary["files_checked"] as? Int == 8)
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.count == 3)
        for d in diagnostics {
            #expect(Set(d.keys).isSuperset(of: ["code", "severity", "file", "line", "column", "message", "hint"]), "\(d)")
            #expect(["error", "warning"].contains(d["severity"] as? String))
            #expect(d["hint"] is NSNull || d["hint"] is String, "\(d)")
        }
        func entry(_ marker: String) -> [String: Any]? {
            let m = catalog.marker(marker)
            return diagnostics.first { $0["file"] as? String == m.path && $0["line"] as? Int == m.line && $0["column"] as? Int == m.column }
        }
        let unknown = try #require(entry("1️⃣"), "\(run)")
        #expect(unknown["code"] as? String == "unknown-id")
        #expect(unknown["severity"] as? String == "error")
        #expect((unknown["message"] as? String)?.contains("Mente du «sovn»?") == true)
        #expect(unknown["hint"] is NSNull)
        let due = try #require(entry("2️⃣"), "\(run)")
        #expect(due["code"] as? String == "due-for-review")
        #expect(due["severity"] as? String == "warning")
        let field = try #require(entry("3️⃣"), "\(run)")
        #expect(field["code"] as? String == "unknown-field")
        #expect((field["hint"] as? String)?.hasPrefix("Tillatte felt her:") == true)
        #expect(run.stderr.isEmpty)
    }

    @Test("json: a clean catalog is an empty list, and --lang en changes the messages")
    func jsonCleanAndEnglish() throws {
        let clean = try CLICatalog(CLIRecords.provider + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer())
        let run = try Tilbud.run(["check", "--format", "json"] + Self.today, in: clean.directory)
        #expect(run.status == 0, "\(run)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect((document["diagnostics"] as? [Any])?.isEmpty == true)
        #expect((document["summary"] as? [String: Any])?["files_checked"] as? Int == 7)

        let broken = try Self.oneError()
        let english = try Tilbud.run(["check", "--format", "json", "--lang", "en"] + Self.today, in: broken.directory)
        let diagnostics = try #require((try JSONSerialization.jsonObject(with: Data(english.stdout.utf8)) as? [String: Any])?["diagnostics"] as? [[String: Any]])
        #expect((diagnostics.first?["message"] as? String)?.hasPrefix("'søvn' is not a valid value") == true, "\(english)")
    }

    @Test("build says how many files a rebuild left as they were: none the first time, most the next times")
    func buildSaysWhatWasNotRewritten() throws {
        let catalog = try CLICatalog(CLIRecords.provider + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer())
        let arguments = ["build", "--quiet", "--templates", TestPaths.templates.path] + Self.today
        let first = try Tilbud.run(arguments, in: catalog.directory)
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.hasPrefix("Bygget ") && !first.stdout.contains("uendret"), "\(first)")
        func unchanged(_ run: Run) -> Int? {
            guard let r = run.stdout.range(of: #"; (\d+) unchanged, not rewritten(, \d+ of them not remade)?\)"#, options: .regularExpression) else { return nil }
            return Int(run.stdout[r].dropFirst(2).prefix { $0.isNumber })
        }
        // The second build links from the first; the third reuses the first's tree, kept beside the output.
        for _ in 0..<2 {
            let again = try Tilbud.run(arguments + ["--lang", "en"], in: catalog.directory)
            #expect(again.status == 0, "\(again)")
            let files = try #require(Int(again.stdout.split(separator: "(").dropFirst().first?.prefix { $0.isNumber } ?? ""), "\(again)")
            let same = try #require(unchanged(again), "\(again)")
            // Files written in pieces (the feed's aggregates) are always written; the rest were as they were.
            #expect(same > files / 2 && same < files, "\(again)")
        }
    }

    @Test("github: one workflow command per diagnostic, on its line")
    func githubFormat() throws {
        let catalog = try Self.mixed()
        let run = try Tilbud.run(["check", "--format", "github"] + Self.today, in: catalog.directory)
        #expect(run.status == 1, "\(run)")
        let lines = run.stdout.components(separatedBy: "\n").filter { !$0.isEmpty }
        func command(_ marker: String) -> String {
            let m = catalog.marker(marker)
            return "file=\(m.path),line=\(m.line),col=\(m.column),"
        }
        #expect(lines.contains { $0.hasPrefix("::error \(command("1️⃣"))title=tilbud unknown-id::«søvn» er ikke en gyldig verdi") }, "\(run)")
        #expect(lines.contains { $0.hasPrefix("::warning \(command("2️⃣"))title=tilbud due-for-review::Tilbudet ble sist kontrollert 2024-12-01") },
                "\(run)")
        // The hint goes on the same annotation, its line break escaped.
        #expect(lines.contains { $0.hasPrefix("::error \(command("3️⃣"))title=tilbud unknown-field::Ukjent felt «zzz».") && $0.contains("%0ATillatte felt her:") },
                "\(run)")
        #expect(lines.filter { $0.hasPrefix("::") }.count == 3, "\(run)")
        #expect(lines.last == "2 feil og 1 advarsel i 2 filer (8 kontrollert).", "\(run)")
    }

    // MARK: paths and the day

    @Test("paths are relative to the working directory", arguments: [
        ("content", ""), ("./content/", ""), ("../content", "sub"), ("ABSOLUTE", ""), ("ABSOLUTE", "sub"),
    ])
    func relativePaths(_ content: String, _ workingDirectory: String) throws {
        let catalog = try Self.oneError()
        let cwd = catalog.directory.appendingPathComponent(workingDirectory)
        try FileManager.default.createDirectory(at: cwd, withIntermediateDirectories: true)
        let absolute = catalog.directory.appendingPathComponent("content").path
        let run = try Tilbud.run(["check", "--content", content == "ABSOLUTE" ? absolute : content, "--format", "github"] + Self.today, in: cwd)
        let expected: String
        switch (content, workingDirectory) {
        case ("ABSOLUTE", "sub"): expected = absolute
        case ("../content", _): expected = "../content"
        default: expected = "content"
        }
        let file = run.stdout.components(separatedBy: "\n").first.flatMap { $0.split(separator: ",").first }.map(String.init)
        #expect(file == "::error file=\(expected)/providers/frisk/sov-godt.md", "\(run)")
        // The text excerpt is read through the same path, so it is there exactly when the path works from the working directory.
        let text = try Tilbud.run(["check", "--content", content == "ABSOLUTE" ? absolute : content] + Self.today, in: cwd)
        #expect(text.stdout.contains("│ topics: [søvn]"), "\(text)")
    }

    @Test("the day comes from --today, else SOURCE_DATE_EPOCH")
    func today() throws {
        let catalog = try CLICatalog(CLIRecords.provider + "-- content/providers/frisk/sov-godt.md --\n" + CLIRecords.offer(lastReviewed: "2024-12-01"))
        // 2025-06-01T12:00:00Z: six months after the review, so current.
        let early = try Tilbud.run(["check", "--format", "json"], in: catalog.directory, environment: ["SOURCE_DATE_EPOCH": "1748779200"])
        #expect(early.status == 0 && early.stdout.contains("\"warnings\": 0"), "\(early)")
        // 2026-01-15T12:00:00Z: due for review.
        let late = try Tilbud.run(["check", "--format", "json"], in: catalog.directory, environment: ["SOURCE_DATE_EPOCH": "1768478400"])
        #expect(late.status == 0 && late.stdout.contains("\"code\": \"due-for-review\""), "\(late)")
        // --today wins over the environment.
        let both = try Tilbud.run(["check", "--format", "json", "--today", "2025-06-01"], in: catalog.directory, environment: ["SOURCE_DATE_EPOCH": "1768478400"])
        #expect(both.stdout.contains("\"warnings\": 0"), "\(both)")
    }

    // MARK: the bundled catalog

    @Test("the bundled catalog passes with 0 errors")
    func bundledCatalog() throws {
        let root = TestPaths.repositoryRoot
        let run = try Tilbud.run(["check", "--today", "2026-11-27", "--format", "json"], in: root)
        #expect(run.status == 0, "\(run)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any], "\(run)")
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["errors"] as? Int == 0, "\(run)")
        #expect((summary["files_checked"] as? Int ?? 0) > 50)
        let files = (document["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["file"] as? String }
        #expect(files.allSatisfy { $0.hasPrefix("content/") }, "\(files)")

        let text = try Tilbud.run(["check", "--today", "2026-11-27"], in: root)
        #expect(text.status == 0)
        let last = text.stdout.components(separatedBy: "\n").last { !$0.isEmpty } ?? ""
        #expect(last.hasPrefix("0 feil og ") || last.hasPrefix("Ingen feil"), "\(text)")

        #expect(TilbudCommand.run(arguments: ["check", "--content", root.appendingPathComponent("content").path, "--today", "2026-11-27", "--format", "github"]) == 0)
    }
}
