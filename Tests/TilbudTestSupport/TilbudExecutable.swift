import Foundation

/// The `tilbud` executable a test runs as a child process: its output is its own, whatever other tests print meanwhile.
public enum TilbudExecutable {
    /// The `tilbud` executable built next to this test bundle (`swift test` builds every product).
    public static func url() throws -> URL {
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

    /// Runs `tilbud arguments` in `directory` with `environment` (the test process's when nil), standard output and
    /// error to files of their own (a pipe could fill and block the child); returns the exit status and both texts.
    public static func run(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let fm = FileManager.default
        let out = fm.temporaryDirectory.appendingPathComponent("tilbud-out-" + UUID().uuidString)
        let err = fm.temporaryDirectory.appendingPathComponent("tilbud-err-" + UUID().uuidString)
        _ = fm.createFile(atPath: out.path, contents: nil)
        _ = fm.createFile(atPath: err.path, contents: nil)
        defer {
            try? fm.removeItem(at: out)
            try? fm.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = try url()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = environment }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: out), as: UTF8.self),
                String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    struct ExecutableNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String { "no tilbud executable next to the test bundle (searched \(searched)); run `swift build` first" }
    }
}
