import Foundation
import Testing
import TilbudTestSupport

/// A catalog in a fresh temporary folder for end-to-end runs of `tilbud`: the shared governance from
/// `Tests/Fixtures` plus txtar sections (`-- content/providers/x/provider.yaml --`). Keycap markers
/// (`1️⃣`) are stripped and their line and column kept, as in `TilbudValidateTests`.
///
/// (Txtar, markers and the governance copy come from `TilbudTestSupport`.)
final class CLICatalog {
    let directory: URL
    private(set) var markers: [String: (path: String, line: Int, column: Int)] = [:]

    init(_ txtar: String) throws {
        directory = FileTree.temporaryFolder("tilbud-cli-")
        try FileTree.copyFixtureGovernance(into: directory.appendingPathComponent("content", isDirectory: true))
        for (path, section) in Txtar.parse(txtar) {
            let (text, found) = Markers.strip(section)
            for (marker, line, column) in found { markers[marker] = (path, line, column) }
            try FileTree.write(text, to: directory.appendingPathComponent(path))
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// `path:line:col` of a marker.
    func place(_ marker: String) -> String {
        guard let m = markers[marker] else {
            Issue.record("no marker \(marker)")
            return "?"
        }
        return "\(m.path):\(m.line):\(m.column)"
    }

    func marker(_ marker: String) -> (path: String, line: Int, column: Int) {
        guard let m = markers[marker] else {
            Issue.record("no marker \(marker)")
            return ("?", 0, 0)
        }
        return m
    }
}

/// The result of running the `tilbud` executable.
struct Run: CustomStringConvertible {
    let status: Int32
    let stdout: String
    let stderr: String

    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

enum Tilbud {
    /// The `tilbud` executable built next to this test bundle (`swift test` builds every product).
    static func executable() throws -> URL { try TilbudExecutable.url() }

    struct MissingWorkingDirectory: Error, CustomStringConvertible {
        let path: String
        var description: String { "the working directory \(path) does not exist (was its CLICatalog released?)" }
    }

    /// Runs `tilbud arguments` in `directory`, without SOURCE_DATE_EPOCH unless `environment` sets it.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Run {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MissingWorkingDirectory(path: directory.path)
        }
        var env = ProcessInfo.processInfo.environment
        env["SOURCE_DATE_EPOCH"] = nil
        for (k, v) in environment { env[k] = v }
        let (status, stdout, stderr) = try TilbudExecutable.run(arguments, in: directory, environment: env)
        return Run(status: status, stdout: stdout, stderr: stderr)
    }
}

/// The standard provider and offer, as in `TilbudValidateTests` (`Records`).
enum CLIRecords {
    static let provider = """
    -- content/providers/frisk/provider.yaml --
    name: Frisklivssentralen i Oslo
    org_number: "974778882"
    type: kommune
    municipality: "0301"

    """

    static func offer(topics: String = "[sovn, psykisk-helse]", lastReviewed: String = "2025-11-15", url: String = "https://example.org/pamelding") -> String {
        """
        ---
        title: Sov godt – kurs for deg som sover dårlig
        summary: Fire kvelder om hva som påvirker søvnen, og hva du selv kan gjøre.
        kind: friskliv
        format: kurs
        delivery: digitalt
        topics: \(topics)
        audiences: [voksne]
        national: true
        ongoing: true
        signup:
          url: \(url)
        last_reviewed: \(lastReviewed)
        ---
        Kurset går over fire kvelder.

        """
    }
}
