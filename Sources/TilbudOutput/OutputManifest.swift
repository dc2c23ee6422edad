import Foundation

/// The list of every file of an output with its size and content hash, kept in the output as `.tilbud-manifest`: the
/// next build links the files whose bytes did not change instead of writing them again. One line per file, sorted by
/// path (so two builds of the same input write the same manifest):
///
///     tilbud-manifest 1 xxh64
///     <16 hex digits of XXH64> <size in bytes> <path under the output folder>
public struct OutputManifest: Sendable, Equatable {
    /// One file.
    public struct Entry: Sendable, Equatable {
        /// The path under the output folder.
        public var path: String
        /// Its size in bytes.
        public var size: Int
        /// Its `FileHash`.
        public var hash: UInt64

        /// An entry.
        public init(path: String, size: Int, hash: UInt64) {
            self.path = path
            self.size = size
            self.hash = hash
        }
    }

    /// The manifest's name in the output folder.
    public static let fileName = ".tilbud-manifest"
    static let header = "tilbud-manifest 1 xxh64"

    /// The files, sorted by path.
    public let entries: [Entry]

    /// A manifest of `entries` (sorted here; a path given twice keeps its last entry).
    public init(entries: [Entry]) {
        var last: [String: Entry] = [:]
        for e in entries { last[e.path] = e }
        self.entries = last.values.sorted { $0.path < $1.path }
    }

    /// The manifest's text.
    public func encoded() -> [UInt8] {
        var out = Array((Self.header + "\n").utf8)
        out.reserveCapacity(entries.count * 80)
        for e in entries {
            var hex = [UInt8](repeating: 0, count: 16)
            for k in 0..<16 {
                let d = UInt8(truncatingIfNeeded: e.hash >> UInt64(60 - 4 * k)) & 0xF
                hex[k] = d < 10 ? 0x30 + d : 0x57 + d
            }
            out += hex
            out.append(0x20)
            out += Array(String(e.size).utf8)
            out.append(0x20)
            out += Array(e.path.utf8)
            out.append(0x0A)
        }
        return out
    }

    /// Reads a manifest's text; nil when it is not one (another version, or damaged).
    public static func decode(_ data: [UInt8]) -> OutputManifest? {
        var lines = data.split(separator: 0x0A, omittingEmptySubsequences: false)
        guard lines.first.map({ String(decoding: $0, as: UTF8.self) }) == header, lines.last?.isEmpty == true else { return nil }
        lines.removeFirst()
        lines.removeLast()
        var entries: [Entry] = []
        entries.reserveCapacity(lines.count)
        for line in lines {
            let parts = line.split(separator: 0x20, maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, parts[0].count == 16,
                  let hash = UInt64(String(decoding: parts[0], as: UTF8.self), radix: 16),
                  let size = Int(String(decoding: parts[1], as: UTF8.self)), size >= 0, !parts[2].isEmpty else { return nil }
            entries.append(Entry(path: String(decoding: parts[2], as: UTF8.self), size: size, hash: hash))
        }
        return OutputManifest(entries: entries)
    }
}

/// A previous output and its manifest: what `OutputWriter` links unchanged files from.
///
/// A file is linked only when the manifest has the same path, size and hash, and the file on disk is still a regular
/// file of that size last modified no later than the manifest was written: a file changed by hand after the build is
/// written again rather than trusted.
public struct PreviousOutput: Sendable {
    let rootBytes: [UInt8]
    let entries: [String: (size: Int, hash: UInt64)]
    let manifestTime: timespec

    /// The previous output in `folder`, nil when it has no readable manifest.
    public static func load(_ folder: URL) -> PreviousOutput? {
        let root = folder.standardizedFileURL.path
        let path = root + "/" + OutputManifest.fileName
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: path), let manifest = OutputManifest.decode(Array(data)) else { return nil }
        var entries: [String: (size: Int, hash: UInt64)] = [:]
        entries.reserveCapacity(manifest.entries.count)
        for e in manifest.entries { entries[e.path] = (e.size, e.hash) }
        return PreviousOutput(rootBytes: Array(root.utf8), entries: entries, manifestTime: info.st_mtim)
    }

    /// How many files the manifest lists.
    public var count: Int { entries.count }

    /// True when the previous build wrote these bytes (by size and hash) at `relative`.
    func has(_ relative: String, size: Int, hash: UInt64) -> Bool {
        guard let e = entries[relative] else { return false }
        return e.size == size && e.hash == hash
    }

    /// Hard-links the previous output's `relative` at `target`; false (and nothing made) when that file is not the one
    /// the manifest describes any more, or the file system cannot link.
    func link(_ relative: String, to target: [CChar]) -> Bool {
        guard let e = entries[relative] else { return false }
        let (source, _) = OutputWriter.absolutePath(rootBytes, relative)
        var info = stat()
        guard lstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == e.size,
              (info.st_mtim.tv_sec, info.st_mtim.tv_nsec) <= (manifestTime.tv_sec, manifestTime.tv_nsec) else { return false }
        return Foundation.link(source, target) == 0
    }
}
