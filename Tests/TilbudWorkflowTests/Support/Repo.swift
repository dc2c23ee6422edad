import Foundation
import Testing
@testable import TilbudCLI
import TilbudModel
import TilbudTestSupport
import TilbudValidate
import TilbudWorkflow

/// A real git repository in a fresh temporary folder, with a valid minimal catalog under `content/`
/// (the shared fixture governance plus `governance_editors`), for tests that need history.
final class Repo: @unchecked Sendable {
    let root: URL
    var content: URL { root.appendingPathComponent("content", isDirectory: true) }

    /// The governance editors the fixture policy names.
    static let governanceEditor = "redaksjon@helsedir.example.org"

    init(git: Bool = true) throws {
        root = FileTree.temporaryFolder("tilbud-workflow-")
        try FileTree.copyFixtureGovernance(into: content, except: ["governance/policy.yaml"])
        let policy = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/policy.yaml"), encoding: .utf8)
        try write("content/governance/policy.yaml", policy + "governance_editors: [\"*@helsedir.example.org\"]\n")
        if git {
            try run(["init", "-q", "-b", "main"])
            try run(["config", "user.name", "Test Runner"])
            try run(["config", "user.email", "runner@example.org"])
            try run(["config", "commit.gpgsign", "false"])
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// The repository's templates folder.
    static var templates: URL { TestPaths.templates }

    func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    func write(_ path: String, _ text: String) throws {
        try FileTree.write(text, to: url(path))
    }

    func read(_ path: String) throws -> String {
        try String(contentsOf: url(path), encoding: .utf8)
    }

    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: url(path))
    }

    /// Runs git in the repository; throws with git's message when it fails.
    @discardableResult
    func run(_ arguments: [String], env: [String: String] = [:]) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + arguments
        p.currentDirectoryURL = root
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = root.path
        p.environment = environment
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw RepoError(message: "git \(arguments.joined(separator: " ")): " + String(decoding: errData, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Commits everything as `email`, at `date` (ISO 8601, e.g. `2024-01-10T12:00:00+01:00`) when given; returns the hash.
    @discardableResult
    func commit(_ message: String, as email: String, name: String = "Redaktør", date: String? = nil) throws -> String {
        try run(["add", "-A"])
        var env: [String: String] = [:]
        if let date {
            env["GIT_AUTHOR_DATE"] = date
            env["GIT_COMMITTER_DATE"] = date
        }
        try run(["-c", "user.name=\(name)", "-c", "user.email=\(email)", "commit", "-q", "--allow-empty", "-m", message], env: env)
        return try run(["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func check(today: Day = Records.today) -> CheckResult {
        CatalogChecker(root: content, displayRoot: "content", today: today).run()
    }

    /// Adds provider `id` (editors given) with offers `slugs`.
    func addProvider(_ id: String, editors: [String], email: String = "post@example.org", offers slugs: [String] = []) throws {
        try write("content/providers/\(id)/provider.yaml", Records.provider(editors: editors, email: email))
        for slug in slugs { try write("content/providers/\(id)/\(slug).md", Records.offer(title: "Tilbud \(slug)")) }
    }
}

struct RepoError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Valid records, so tests show only what they change.
enum Records {
    static let today = Day(iso: "2026-01-15")!

    static func provider(editors: [String], email: String = "post@example.org", name: String = "Frisklivssentralen i Oslo") -> String {
        """
        name: \(name)
        org_number: "974778882"
        type: kommune
        municipality: "0301"
        website: https://example.org
        email: \(email)
        phone: "+47 23 00 00 00"
        editors: [\(editors.map { "\"\($0)\"" }.joined(separator: ", "))]

        """
    }

    static func offer(title: String = "Sov godt – kurs for deg som sover dårlig", lastReviewed: String = "2025-11-15",
                      extra: String = "", topics: String = "[sovn, psykisk-helse]", national: Bool = false) -> String {
        """
        ---
        title: \(title)
        summary: Fire kvelder om hva som påvirker søvnen, og hva du selv kan gjøre.
        kind: friskliv
        format: kurs
        delivery: oppmote
        topics: \(topics)
        audiences: [voksne]
        municipalities: ["0301"]
        national: \(national)
        locations:
          - name: Frisklivssentralen Grünerløkka
            address: Helgesens gate 2
            postal_code: "0553"
            city: Oslo
            municipality: "0301"
        ongoing: true
        price:
          kind: gratis
        referral: ingen
        signup:
          url: https://example.org/pamelding
        last_reviewed: \(lastReviewed)
        \(extra)
        ---
        Kurset går over fire kvelder.

        """
    }

    static func translation(title: String) -> String {
        """
        ---
        title: \(title)
        summary: Fire kveldar om kva som påverkar søvnen, og kva du sjølv kan gjere.
        ---
        Kurset går over fire kveldar.

        """
    }
}

/// Runs the `tilbud` command in-process and captures what it writes to standard output and error.
/// Runs the `tilbud` executable as a child process, with output to files of its own: in this process a command's
/// standard output would be the process's, where another test's `print` running at the same time would land in it.
enum CLI {
    struct Result {
        let code: Int32
        let out: String
        let err: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil) -> Result {
        do {
            let (status, out, err) = try TilbudExecutable.run(arguments, in: directory ?? URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            return Result(code: status, out: out, err: err)
        } catch {
            return Result(code: -1, out: "", err: "could not run tilbud: \(error)")
        }
    }
}
