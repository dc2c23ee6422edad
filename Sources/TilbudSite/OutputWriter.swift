import Foundation

/// Writes files under one folder and nowhere else; safe to call from many threads.
public final class OutputWriter: @unchecked Sendable {
    /// The folder everything is written into.
    public let root: URL
    private let lock = NSLock()
    private var madeDirectories = Set<String>()
    private var count = 0
    private var bytes = 0

    /// Creates a writer for `root`, which must exist.
    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// Problems a write can have.
    public enum WriteError: Error, CustomStringConvertible {
        case unsafePath(String)
        case io(String, String)

        /// A readable description.
        public var description: String {
            switch self {
            case let .unsafePath(p): return "refused to write outside the output folder: \(p)"
            case let .io(p, e): return "could not write \(p): \(e)"
            }
        }
    }

    /// Files written so far.
    public var filesWritten: Int { lock.withLock { count } }
    /// Bytes written so far.
    public var bytesWritten: Int { lock.withLock { bytes } }

    /// True for a relative path with no `..`, empty or absolute parts.
    public static func isSafe(_ relative: String) -> Bool {
        guard !relative.isEmpty, !relative.hasPrefix("/"), !relative.contains("\\"), !relative.contains("\0") else { return false }
        return relative.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { $0 != ".." && $0 != "." && !$0.isEmpty }
    }

    /// Writes `data` at `relative` (e.g. `tilbud/x/y/index.html`), making folders as needed.
    public func write(_ relative: String, _ data: Data) throws {
        guard Self.isSafe(relative) else { throw WriteError.unsafePath(relative) }
        let filePath = root.path + "/" + relative
        let dir = (relative as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            let known = lock.withLock { madeDirectories.contains(dir) }
            if !known {
                try makeDirectories(dir, relative)
                lock.withLock { _ = madeDirectories.insert(dir) }
            }
        }
        let ok = data.withUnsafeBytes { buf -> Bool in
            let fd = open(filePath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var offset = 0
            while offset < buf.count {
                let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        guard ok else { throw WriteError.io(relative, String(cString: strerror(errno))) }
        lock.withLock {
            count += 1
            bytes += data.count
        }
    }

    /// Creates `dir` and its missing parents with plain mkdir calls (FileManager's stat walk costs 3x more).
    private func makeDirectories(_ dir: String, _ forFile: String) throws {
        let path = root.path + "/" + dir
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw WriteError.io(forFile, String(cString: strerror(errno))) }
        let parent = (dir as NSString).deletingLastPathComponent
        if !parent.isEmpty { try makeDirectories(parent, forFile) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw WriteError.io(forFile, String(cString: strerror(errno))) }
    }

    /// Writes UTF-8 text at `relative`.
    public func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }
}
