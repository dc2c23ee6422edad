import Foundation
import TilbudModel
import TilbudFiles

/// Writes files under one folder and nowhere else; safe to call from many threads.
///
/// Every file's content hash and size are recorded for the output manifest (`manifest()`). Given the previous output
/// (`PreviousOutput`), a file whose hash and size are those the previous build recorded at the same path is not written
/// but hard-linked from the previous output: the same bytes, none of the writing. A file is never opened for writing
/// where a link already is, so the previous output's files are never changed.
///
/// Or the folder is an older output being reused (`reusing`, its own manifest): a file whose bytes are already there
/// is left as it is, any other is replaced by a new file (never written into, since the file there may be a link to the
/// live output's), and `writeManifest()` deletes what the new output no longer has. An output rebuilt over its previous one
/// then makes no folders and no links, only the files that changed.
///
/// A file may come with a fingerprint: a hash of everything it is made from (an offer's pages and calendar, see
/// `SiteRenderer.offerFingerprints`). They are kept beside the manifest (`OutputManifest.fingerprintsFileName`), and
/// `carry` keeps the previous output's file when the fingerprint is the same, without the file being made again.
public final class OutputWriter: @unchecked Sendable {
    /// The folder everything is written into.
    public let root: URL
    /// `root.path`, computed once (URL's `path` is not free), and its UTF-8 bytes.
    private let rootPath: String
    private let rootBytes: [UInt8]
    /// The previous output, whose unchanged files are linked rather than written.
    private let previous: PreviousOutput?
    /// What `root` held before this writer (an older output being reused), by its manifest.
    private let reusing: PreviousOutput?
    private let lock = NSLock()
    private var madeDirectories = Set<String>()
    private var count = 0
    private var bytes = 0
    private var linked = 0
    private var kept = 0
    /// Every file made: its manifest entry and its fingerprint (0 for none), in one array (at 100,000 offers a second
    /// array for the 183,000 fingerprinted files held 6-12 MB more through the build).
    private var entries: [Made] = []
    private struct Made {
        var path: String
        var size: Int
        var hash: UInt64
        var fingerprint: UInt64
    }
    private var carried = 0

    /// Creates a writer for `root`, which must exist; unchanged files are linked from `previous` when given. When `root`
    /// is an older output, `reusing` is its manifest (`PreviousOutput.load(root)`, read before anything is written):
    /// its files that are already right are kept.
    public init(root: URL, previous: PreviousOutput? = nil, reusing: PreviousOutput? = nil) {
        self.root = root.standardizedFileURL
        self.rootPath = self.root.path
        self.rootBytes = Array(rootPath.utf8)
        self.previous = previous
        self.reusing = reusing
    }

    /// Files linked from the previous output instead of written (counted in `filesWritten` too).
    public var filesLinked: Int { lock.withLock { linked } }
    /// Files of the reused folder that already had the right bytes and were left as they were (counted in
    /// `filesWritten` too).
    public var filesKept: Int { lock.withLock { kept } }
    /// Files kept from the previous output by their fingerprint (`carry`), not made again (counted in `filesWritten`,
    /// and in `filesLinked` or `filesKept`).
    public var filesCarried: Int { lock.withLock { carried } }

    /// The manifest of every file made so far: path, size and content hash, sorted by path.
    public func manifest() -> OutputManifest {
        OutputManifest(entries: lock.withLock { entries }.map { OutputManifest.Entry(path: $0.path, size: $0.size, hash: $0.hash) })
    }

    /// Writes the manifest of every file made so far as `OutputManifest.fileName` (written last, after every other file;
    /// not listed in itself, and never linked: its time tells the next build which files changed since).
    public func writeManifest() throws {
        let made = lock.withLock { entries }.compactMap { e in
            e.fingerprint == 0 ? nil : OutputManifest.Entry(path: e.path, size: e.size, hash: e.fingerprint)
        }
        if !made.isEmpty {
            try write(OutputManifest.fingerprintsFileName, OutputManifest(entries: made).encoded(header: OutputManifest.fingerprintsHeader))
        }
        let bytes = manifest().encoded()
        try removeStale(keeping: bytes)
        let fd = try create(OutputManifest.fileName)
        defer { close(fd) }
        let ok = bytes.withUnsafeBytes { Self.writeAll(fd, $0) }
        guard ok else { throw WriteError.io(OutputManifest.fileName, String(cString: strerror(errno))) }
    }

    /// Starts looking up, on threads of their own, the files of the folder this build reuses (or else of the previous
    /// output): each file this build keeps or links is first checked by its size and age, and after a reboot each such
    /// look waits for the disk. Only when a sample of those files is not in the page cache (`ReadAhead`); nil otherwise.
    public func lookAhead() -> ReadAhead? {
        guard let folder = reusing ?? previous else { return nil }
        return ReadAhead.ifNeeded(count: folder.count, path: { folder.absolutePath(at: $0) }, work: .inode)
    }

    /// In a reused folder, deletes the files its manifest lists that `manifest` (the new one's text) does not, and the
    /// folders that leaves empty.
    private func removeStale(keeping manifest: [UInt8]) throws {
        guard let reusing else { return }
        guard let lines = PreviousOutput.index(manifest) else { throw WriteError.io(OutputManifest.fileName, "the new manifest does not read back") }
        let now = PreviousOutput(rootBytes: [], text: manifest, lines: lines, manifestTime: timespec())
        try reusing.forEachPath { bytes in
            guard !now.contains(bytes) else { return }
            // Only paths inside the folder: a manifest is read from disk, and this deletes what it lists.
            let relative = String(decoding: bytes, as: UTF8.self)
            guard Self.isSafe(relative) else { return }
            let (path, _) = absolutePath(relative)
            guard unlink(path) == 0 || errno == ENOENT || errno == ENOTDIR else {
                // The new output has a folder where the old one had this file: it was replaced while writing.
                if isDirectory(path) { return }
                throw WriteError.io(relative, "could not remove it from the reused output: " + String(cString: strerror(errno)))
            }
            // Its folders, up to the first that still holds something (rmdir refuses a folder that is not empty).
            var folder = relative
            while let slash = folder.lastIndex(of: "/") {
                folder = String(folder[..<slash])
                if rmdir(rootPath + "/" + folder) != 0 { break }
            }
        }
    }

    private func isDirectory(_ path: [CChar]) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    private func record(_ relative: String, _ hash: UInt64, _ size: Int, fingerprint: UInt64? = nil) {
        lock.withLock {
            entries.append(Made(path: relative, size: size, hash: hash, fingerprint: fingerprint ?? 0))
        }
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

    /// Writes `bytes` at `relative`, making folders as needed; `fingerprint` is what they were made from, for the next
    /// build's `carry`.
    public func write(_ relative: String, _ bytes: [UInt8], fingerprint: UInt64? = nil) throws {
        try bytes.withUnsafeBytes { try write(relative, bytes: $0, fingerprint: fingerprint) }
    }

    /// Writes the file `make` makes at `relative`, unless it has a `fingerprint` and the previous build's file made from
    /// the same is carried (`carry`): then `make` is not called. What the pages and the feed's per-offer files go through.
    public func write(_ relative: String, fingerprint: UInt64?, make: () throws -> [UInt8]) throws {
        if let fingerprint, try carry(relative, fingerprint: fingerprint) { return }
        try write(relative, try make(), fingerprint: fingerprint)
    }

    /// Keeps the previous output's file at `relative` without its bytes being made again, when the previous build made
    /// it from the same inputs (the same `fingerprint`) and it is still as that build left it: it is linked into a new
    /// folder, or left as it is where the reused folder already has those bytes. False when it cannot be kept: the caller
    /// makes the bytes and writes them (`write(_:bytes:fingerprint:)`).
    public func carry(_ relative: String, fingerprint: UInt64) throws -> Bool {
        guard Self.isSafe(relative) else { throw WriteError.unsafePath(relative) }
        // The reused folder's file, made from the same inputs and still as it was: left where it is.
        let had = reusing?.made(relative)
        if let had, had.fingerprint == fingerprint, reusing!.unchangedOnDisk(relative, size: had.size) != nil {
            record(relative, had.hash, had.size, fingerprint: fingerprint)
            counted(had.size, .kept, carried: true)
            return true
        }
        // The previous output's: linked.
        guard let e = previous?.made(relative), e.fingerprint == fingerprint,
              let source = previous!.unchangedOnDisk(relative, size: e.size),
              try link(relative, absolutePath(relative), from: source, reusedFolderHadIt: had != nil) else { return false }
        record(relative, e.hash, e.size, fingerprint: fingerprint)
        counted(e.size, .linked, carried: true)
        return true
    }

    /// Hard-links `source` (a file of the previous output) at `relative`, making folders as needed; false when the
    /// link could not be made (then the file is written). A reused folder's file at that path is replaced, never
    /// written into (it may be a link to the live output's).
    private func link(_ relative: String, _ at: (path: [CChar], folder: String), from source: [CChar], reusedFolderHadIt had: Bool) throws -> Bool {
        let (path, dir) = at
        if had { unlink(path) } else { try makeDirectories(of: relative, dir) }
        if Foundation.link(source, path) == 0 { return true }
        // The reused folder had the file but not, any more, its folder.
        guard errno == ENOENT, had else { return false }
        try makeDirectories(of: relative, dir)
        return Foundation.link(source, path) == 0
    }

    /// True when the regular file at `path` holds exactly `bytes`.
    static func file(_ path: [CChar], holds bytes: UnsafeRawBufferPointer) -> Bool {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == bytes.count else { return false }
        var buffer = [UInt8](repeating: 0, count: min(bytes.count, 1 << 16))
        var offset = 0
        while offset < bytes.count {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, min($0.count, bytes.count - offset)) }
            guard n > 0 else { return false }
            let same = buffer.withUnsafeBytes { memcmp($0.baseAddress!, bytes.baseAddress! + offset, n) == 0 }
            guard same else { return false }
            offset += n
        }
        return true
    }

    private enum Outcome { case written, kept, linked }

    /// Counts one file of `size` bytes in the build's totals.
    private func counted(_ size: Int, _ outcome: Outcome, carried wasCarried: Bool = false) {
        lock.withLock {
            count += 1
            bytes += size
            switch outcome {
            case .written: break
            case .kept: kept += 1
            case .linked: linked += 1
            }
            if wasCarried { carried += 1 }
        }
    }

    /// Writes `bytes` at `relative`, making folders as needed; links the previous output's file instead when it has
    /// the same bytes.
    public func write(_ relative: String, bytes buf: UnsafeRawBufferPointer, fingerprint: UInt64? = nil) throws {
        guard Self.isSafe(relative) else { throw WriteError.unsafePath(relative) }
        let hash = FileHash.of(buf)
        record(relative, hash, buf.count, fingerprint: fingerprint)
        // One look at the reused folder's manifest: the file is kept, or replaced in the folders it had.
        let had = reusing?.entry(relative)
        if let had, had.size == buf.count, had.hash == hash, reusing?.unchangedOnDisk(relative, size: buf.count) != nil {
            counted(buf.count, .kept)
            return
        }
        let at = absolutePath(relative)
        // The previous build's file with these bytes, at this path or, when it moved, at another: linked, not written.
        if let previous, let source = previous.intact(relative, size: buf.count, hash: hash) ?? previous.intact(size: buf.count, hash: hash),
           try link(relative, at, from: source, reusedFolderHadIt: had != nil) {
            counted(buf.count, .linked)
            return
        }
        var hadIt = had != nil
        // A file that moved within the reused folder. That folder changes while this writer works in it (a path may
        // already have been replaced, by a link to a file as old as the manifest), so the link is read back: kept only
        // when it has these bytes. Files are only ever replaced, never written into, so what is read back stays.
        if let reusing, let source = reusing.intact(size: buf.count, hash: hash),
           try link(relative, at, from: source, reusedFolderHadIt: hadIt) {
            if Self.file(at.path, holds: buf) {
                counted(buf.count, .linked)
                return
            }
            unlink(at.path)
            hadIt = false
        }
        let fd = try create(relative, at, reusedFolderHadIt: hadIt)
        defer { close(fd) }
        guard Self.writeAll(fd, buf) else { throw WriteError.io(relative, String(cString: strerror(errno))) }
        counted(buf.count, .written)
    }

    /// Opens `relative` for writing in pieces (for large files made piece by piece, such as the feed's aggregates), making
    /// folders as needed. The same path check as `write`; the file counts as written when opened.
    public func stream(_ relative: String) throws -> Stream {
        guard Self.isSafe(relative) else { throw WriteError.unsafePath(relative) }
        let fd = try create(relative)
        lock.withLock { count += 1 }
        return Stream(writer: self, relative: relative, fd: fd)
    }

    /// A file being written in pieces; closed by `close()` or, at the latest, when released. It is hashed as it is
    /// written and goes into the manifest when closed.
    public final class Stream {
        private let writer: OutputWriter
        private var fd: Int32
        private var hash = FileHash()
        private var size = 0
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
            hash.update(buf)
            size += buf.count
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
            writer.record(relative, hash.finish(), size)
        }
    }

    /// Makes the folders of `relative` and opens it as a new file. A file already there (written twice, or a link
    /// to the previous output's file) is unlinked first, never truncated: a link's bytes are the previous output's.
    /// `relative` is checked by the caller (`isSafe`). `reusedFolderHadIt`: whether the reused folder's manifest lists
    /// `relative` (looked up here when not given).
    private func create(_ relative: String, _ at: (path: [CChar], folder: String)? = nil, reusedFolderHadIt: Bool? = nil) throws -> Int32 {
        let (path, dir) = at ?? absolutePath(relative)
        // A reused folder that had this file has its folders (and then they are not remembered: at 100,000 offers the
        // set of folders made costs 20 MB); should one be gone after all, it is made when the open says so.
        let hadIt = reusedFolderHadIt ?? (reusing?.entry(relative) != nil)
        if !hadIt { try makeDirectories(of: relative, dir) }
        func open() -> Int32 {
            path.withUnsafeBufferPointer { p -> Int32 in
                let fd = Foundation.open(p.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644)
                if fd >= 0 || errno != EEXIST { return fd }
                if unlink(p.baseAddress!) != 0, reusing != nil, isDirectory(path) {
                    // A reused folder had a folder where this file goes.
                    try? FileManager.default.removeItem(atPath: String(cString: p.baseAddress!))
                }
                return Foundation.open(p.baseAddress!, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            }
        }
        var fd = open()
        if fd < 0, errno == ENOENT, hadIt {
            try makeDirectories(of: relative, dir)
            fd = open()
        }
        guard fd >= 0 else { throw WriteError.io(relative, String(cString: strerror(errno))) }
        return fd
    }

    /// Forgets which folders this writer made (the next file in one makes it again, which finds it there): between
    /// stages of a large build, so the set (20 MB at 100,000 offers, most of it the offer pages' folders) is not held
    /// through the search index's peak.
    public func forgetFolders() {
        lock.withLock { madeDirectories = [] }
    }

    /// Makes the folder `dir` of `relative` (nothing when it is ""), once.
    private func makeDirectories(of relative: String, _ dir: String) throws {
        guard !dir.isEmpty else { return }
        let known = lock.withLock { madeDirectories.contains(dir) }
        if !known {
            try makeDirectories(dir, relative)
            lock.withLock { _ = madeDirectories.insert(dir) }
        }
    }

    /// `root/relative` as the C string `open` takes, put together on bytes, and the folder of `relative` (the part
    /// before its last `/`, "" when it has none).
    private func absolutePath(_ relative: String) -> (path: [CChar], folder: String) {
        Self.absolutePath(rootBytes, relative)
    }

    /// `root/relative` as a C string, and the folder of `relative`.
    static func absolutePath(_ rootBytes: [UInt8], _ relative: String) -> (path: [CChar], folder: String) {
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

    static func writeAll(_ fd: Int32, _ buf: UnsafeRawBufferPointer) -> Bool {
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
        if mkdir(path, 0o755) == 0 { return }
        if errno == EEXIST {
            // In a reused folder, the name may be a file the old output had where this one has a folder.
            guard reusing != nil else { return }
            var info = stat()
            if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
            unlink(path)
            if mkdir(path, 0o755) == 0 || errno == EEXIST { return }
        }
        // A missing parent folder, or (in a reused folder) a file where a parent folder goes: both are made below.
        guard errno == ENOENT || (errno == ENOTDIR && reusing != nil) else {
            throw WriteError.io(forFile, String(cString: strerror(errno)))
        }
        let parent = dir.lastIndex(of: "/").map { String(dir[..<$0]) } ?? ""
        if !parent.isEmpty { try makeDirectories(parent, forFile) }
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw WriteError.io(forFile, String(cString: strerror(errno))) }
    }

    /// Writes UTF-8 text at `relative`.
    public func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }
}
