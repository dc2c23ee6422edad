import Foundation

/// Writes files under one folder and nowhere else; safe to call from many threads.
public final class OutputWriter: @unchecked Sendable {
    /// The folder everything is written into.
    public let root: URL
    /// `root.path`, computed once (URL's `path` is not free), and its UTF-8 bytes.
    private let rootPath: String
    private let rootBytes: [UInt8]
    private let lock = NSLock()
    private var madeDirectories = Set<String>()
    private var count = 0
    private var bytes = 0

    /// Creates a writer for `root`, which must exist.
    public init(root: URL) {
        self.root = root.standardizedFileURL
        self.rootPath = self.root.path
        self.rootBytes = Array(rootPath.utf8)
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

    /// True for a relative path with no `..`, empty or absolute parts (checked on its bytes, as the file system splits it).
    public static func isSafe(_ relative: String) -> Bool {
        var ok = true
        var path = relative
        path.withUTF8 { bytes in
            guard !bytes.isEmpty else { ok = false; return }
            var partStart = 0
            for i in 0...bytes.count {
                let b: UInt8 = i < bytes.count ? bytes[i] : UInt8(ascii: "/")
                if b == 0 || b == UInt8(ascii: "\\") { ok = false; return }
                guard b == UInt8(ascii: "/") else { continue }
                let length = i - partStart
                // Empty (absolute path, `//`, trailing `/`), `.` and `..` parts are refused.
                if length == 0 || (length <= 2 && bytes[partStart] == UInt8(ascii: ".") && (length == 1 || bytes[partStart + 1] == UInt8(ascii: "."))) {
                    ok = false
                    return
                }
                partStart = i + 1
            }
        }
        return ok
    }

    /// Writes `data` at `relative` (e.g. `tilbud/x/y/index.html`), making folders as needed.
    public func write(_ relative: String, _ data: Data) throws {
        try data.withUnsafeBytes { try write(relative, bytes: $0) }
    }

    /// Writes `bytes` at `relative`, making folders as needed.
    public func write(_ relative: String, _ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write(relative, bytes: $0) }
    }

    /// Writes `bytes` at `relative`, making folders as needed.
    public func write(_ relative: String, bytes buf: UnsafeRawBufferPointer) throws {
        let fd = try create(relative)
        defer { close(fd) }
        guard Self.writeAll(fd, buf) else { throw WriteError.io(relative, String(cString: strerror(errno))) }
        lock.withLock {
            count += 1
            bytes += buf.count
        }
    }

    /// Opens `relative` for writing in pieces (for large files made piece by piece, such as the feed's aggregates), making
    /// folders as needed. The same path check as `write`; the file counts as written when opened.
    public func stream(_ relative: String) throws -> Stream {
        let fd = try create(relative)
        lock.withLock { count += 1 }
        return Stream(writer: self, relative: relative, fd: fd)
    }

    /// A file being written in pieces; closed by `close()` or, at the latest, when released.
    public final class Stream {
        private let writer: OutputWriter
        private var fd: Int32
        /// The path under the output folder.
        public let relative: String

        fileprivate init(writer: OutputWriter, relative: String, fd: Int32) {
            self.writer = writer
            self.relative = relative
            self.fd = fd
        }

        deinit { if fd >= 0 { Foundation.close(fd) } }

        /// Appends `bytes` to the file.
        public func append(_ buf: UnsafeRawBufferPointer) throws {
            guard fd >= 0 else { throw WriteError.io(relative, "already closed") }
            guard OutputWriter.writeAll(fd, buf) else { throw WriteError.io(relative, String(cString: strerror(errno))) }
            writer.lock.withLock { writer.bytes += buf.count }
        }

        /// Appends `bytes` to the file.
        public func append(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try append($0) }
        }

        /// Closes the file.
        public func close() throws {
            guard fd >= 0 else { return }
            let result = Foundation.close(fd)
            fd = -1
            if result != 0 { throw WriteError.io(relative, String(cString: strerror(errno))) }
        }
    }

    /// Checks `relative`, makes its folders and opens it for writing (created or truncated).
    private func create(_ relative: String) throws -> Int32 {
        guard Self.isSafe(relative) else { throw WriteError.unsafePath(relative) }
        let (path, dir) = absolutePath(relative)
        if !dir.isEmpty {
            let known = lock.withLock { madeDirectories.contains(dir) }
            if !known {
                try makeDirectories(dir, relative)
                lock.withLock { _ = madeDirectories.insert(dir) }
            }
        }
        let fd = path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
        guard fd >= 0 else { throw WriteError.io(relative, String(cString: strerror(errno))) }
        return fd
    }

    /// `root/relative` as the C string `open` takes, put together on bytes, and the folder of `relative` (the part
    /// before its last `/`, "" when it has none).
    private func absolutePath(_ relative: String) -> (path: [CChar], folder: String) {
        var copy = relative
        return copy.withUTF8 { name in
            let rootCount = rootBytes.count
            var path = [CChar](repeating: 0, count: rootCount + 1 + name.count + 1)  // ends in NUL
            path.withUnsafeMutableBytes { out in
                rootBytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: out[..<rootCount]).copyMemory(from: $0) }
                out[rootCount] = UInt8(ascii: "/")
                UnsafeMutableRawBufferPointer(rebasing: out[(rootCount + 1)...]).copyMemory(from: UnsafeRawBufferPointer(name))
            }
            var end = name.count
            while end > 0, name[end - 1] != UInt8(ascii: "/") { end -= 1 }
            let folder = end > 1 ? String(decoding: UnsafeBufferPointer(rebasing: name[..<(end - 1)]), as: UTF8.self) : ""
            return (path, folder)
        }
    }

    private static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> Bool {
        var offset = 0
        while offset < buf.count {
            let n = Foundation.write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Creates `dir` and its missing parents with plain mkdir calls (FileManager's stat walk costs 3x more).
    private func makeDirectories(_ dir: String, _ forFile: String) throws {
        let path = rootPath + "/" + dir
        if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        guard errno == ENOENT else { throw WriteError.io(forFile, String(cString: strerror(errno))) }
        let parent = dir.lastIndex(of: "/").map { String(dir[..<$0]) } ?? ""
        if !parent.isEmpty { try makeDirectories(parent, forFile) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw WriteError.io(forFile, String(cString: strerror(errno))) }
    }

    /// Writes UTF-8 text at `relative`.
    public func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }
}
