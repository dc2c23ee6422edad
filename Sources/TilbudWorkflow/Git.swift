import Foundation

/// Problems of the environment the workflow commands run in (not of the content): exit code 2.
public struct WorkflowError: Error, CustomStringConvertible, Sendable {
    /// A stable id.
    public let id: String
    /// What went wrong, in bokmål.
    public let nb: String
    /// What went wrong, in English.
    public let en: String

    /// Creates an error.
    public init(_ id: String, nb: String, en: String) {
        self.id = id
        self.nb = nb
        self.en = en
    }

    /// The text in `english` or bokmål.
    public func text(english: Bool) -> String { english ? en : nb }

    /// English, for logs and test failures.
    public var description: String { en }
}

/// What one run of the git command line returned.
public struct GitOutput: Sendable {
    /// The exit status.
    public let status: Int32
    /// Standard output, raw.
    public let stdout: Data
    /// Standard error, as text.
    public let stderr: String

    /// Standard output as UTF-8 text.
    public var text: String { String(decoding: stdout, as: UTF8.self) }
    /// True when git exited with 0.
    public var succeeded: Bool { status == 0 }
}

/// Runs the `git` command line in one folder. Every call is one process; callers keep the count low.
public struct Git: Sendable {
    /// The folder git runs in (the content folder).
    public let directory: URL
    /// The git executable; `git` from `PATH` when nil.
    public let executable: String?

    /// Creates a runner for `directory`.
    public init(directory: URL, executable: String? = nil) {
        self.directory = directory
        self.executable = executable
    }

    /// The environment git runs with: no prompts, no pager, C messages, absolute GIT_DIR/GIT_WORK_TREE
    /// (hooks may set them relative to the repository root, which `currentDirectory` would break).
    static func environment() -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        let cwd = FileManager.default.currentDirectoryPath
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"] {
            if let v = env[key], !v.isEmpty, !v.hasPrefix("/") {
                env[key] = URL(fileURLWithPath: v, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true)).standardizedFileURL.path
            }
        }
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GIT_PAGER"] = "cat"
        env["PAGER"] = "cat"
        env["LC_ALL"] = "C"
        env["GIT_OPTIONAL_LOCKS"] = "0"
        return env
    }

    /// Runs `git <arguments>`; throws only when git cannot be started at all.
    public func run(_ arguments: [String]) throws -> GitOutput {
        let process = Process()
        if let executable {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-c", "core.quotepath=off", "-c", "color.ui=never"] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-c", "core.quotepath=off", "-c", "color.ui=never"] + arguments
        }
        process.currentDirectoryURL = directory
        process.environment = Self.environment()
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw WorkflowError("git-missing", nb: "Fant ikke programmet git: \(error).", en: "Could not run git: \(error).")
        }
        // Read both pipes at once so a full stderr pipe can never block a long stdout.
        let errBox = DataBox()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errBox.data = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return GitOutput(status: process.terminationStatus, stdout: stdout, stderr: String(decoding: errBox.data, as: UTF8.self))
    }
}

final class DataBox: @unchecked Sendable {
    var data = Data()
}

/// Glob patterns for git author e-mails: `*` is any run of characters except `@`, `?` one character;
/// case is ignored. So `*@example.org` matches `kari@example.org` but not `kari@evil.example.org`.
public enum EmailGlob {
    /// True when `email` matches `pattern`.
    public static func matches(_ email: String, _ pattern: String) -> Bool {
        let s = Array(email.lowercased().unicodeScalars), p = Array(pattern.trimmingCharacters(in: .whitespaces).lowercased().unicodeScalars)
        guard !p.isEmpty else { return false }
        // match[i][j]: the first i pattern scalars match the first j email scalars.
        var match = [[Bool]](repeating: [Bool](repeating: false, count: s.count + 1), count: p.count + 1)
        match[0][0] = true
        for i in 1...p.count {
            for j in 0...s.count {
                switch p[i - 1] {
                case "*":
                    match[i][j] = match[i - 1][j] || (j > 0 && s[j - 1] != "@" && match[i][j - 1])
                case "?":
                    match[i][j] = j > 0 && match[i - 1][j - 1]
                default:
                    match[i][j] = j > 0 && p[i - 1] == s[j - 1] && match[i - 1][j - 1]
                }
            }
        }
        return match[p.count][s.count]
    }

    /// True when `email` matches any of `patterns`.
    public static func matchesAny(_ email: String, _ patterns: [String]) -> Bool {
        patterns.contains { matches(email, $0) }
    }
}
