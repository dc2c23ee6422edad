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
        let url = root.appendingPathComponent(relative)
        let dir = (relative as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            let known = lock.withLock { madeDirectories.contains(dir) }
            if !known {
                do {
                    try FileManager.default.createDirectory(at: root.appendingPathComponent(dir), withIntermediateDirectories: true)
                } catch {
                    throw WriteError.io(relative, String(describing: error))
                }
                lock.withLock { _ = madeDirectories.insert(dir) }
            }
        }
        let ok = data.withUnsafeBytes { buf -> Bool in
            let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
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

    /// Writes UTF-8 text at `relative`.
    public func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }
}
