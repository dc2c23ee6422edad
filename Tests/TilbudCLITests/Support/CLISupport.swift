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
    static func executable() throws -> URL {
        var candidates: [URL] = []
        if let exe = Bundle.main.executableURL { candidates.append(exe.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        for dir in candidates {
            let url = dir.appendingPathComponent("tilbud")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw ExecutableNotFound(searched: candidates.map(\.path))
    }

    struct MissingWorkingDirectory: Error, CustomStringConvertible {
        let path: String
        var description: String { "the working directory \(path) does not exist (was its CLICatalog released?)" }
    }

    struct ExecutableNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String { "no tilbud executable next to the test bundle (searched \(searched)); run `swift build` first" }
    }

    /// Runs `tilbud arguments` in `directory`, without SOURCE_DATE_EPOCH unless `environment` sets it.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Run {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw MissingWorkingDirectory(path: directory.path)
        }
        let process = Process()
        process.executableURL = try executable()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["SOURCE_DATE_EPOCH"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        // Files, not pipes: a large output can never fill a pipe and block the child.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-out-" + UUID().uuidString)
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-err-" + UUID().uuidString)
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Run(status: process.terminationStatus,
                   stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                   stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
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
