import Foundation
import TilbudModel

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
    /// The fingerprints' file in the output folder: what the files that have one were made from (`OutputWriter.carry`),
    /// in the manifest's form with the fingerprint where the manifest has the hash.
    public static let fingerprintsFileName = ".tilbud-fingerprints"
    static let fingerprintsHeader = "tilbud-fingerprints 1 xxh64"

    /// The files, sorted by path.
    public let entries: [Entry]

    /// A manifest of `entries` (sorted here; a path given twice keeps its last entry). Sorted in place, without a
    /// dictionary of every path (at 100,000 offers that held 30 MB more at the end of the build, when the peak can be).
    public init(entries: [Entry]) {
        // The entries' places, sorted stably by path: of the entries of one path, the last given comes last and is kept.
        var order = Array(entries.indices)
        order.sort { a, b in
            let x = entries[a].path, y = entries[b].path
            return x != y ? x < y : a < b
        }
        var out: [Entry] = []
        out.reserveCapacity(order.count)
        for k in order {
            let e = entries[k]
            if out.last?.path == e.path { out[out.count - 1] = e } else { out.append(e) }
        }
        self.entries = out
    }

    /// The manifest's text.
    public func encoded() -> [UInt8] { encoded(header: Self.header) }

    /// The text with `header` as its first line.
    func encoded(header: String) -> [UInt8] {
        var out = Array((header + "\n").utf8)
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

    /// Reads a manifest's text; nil when it is not one (another version, damaged, or a path listed twice). The same
    /// reader as `PreviousOutput`'s.
    public static func decode(_ data: [UInt8]) -> OutputManifest? {
        guard let lines = PreviousOutput.index(data) else { return nil }
        return OutputManifest(entries: lines.map { start in
            let (size, hash) = PreviousOutput.values(data, start)
            return Entry(path: String(decoding: PreviousOutput.path(data, start), as: UTF8.self), size: size, hash: hash)
        })
    }
}

/// A previous output and its manifest: what `OutputWriter` links unchanged files from.
///
/// A file is linked only when the manifest has the same path, size and hash, and the file on disk is still a regular
/// file of that size last modified no later than the manifest was written: a file changed by hand after the build is
/// written again rather than trusted.
///
/// The manifest is looked up in place: its text as read, and the start of each line sorted by path, found by binary
/// search. A 100,000-offer output's manifest (344,000 files) then costs its 27 MB of text and 2.7 MB of offsets for the
/// whole build, where a dictionary of path strings held 80 MB more.
public struct PreviousOutput: Sendable {
    let rootBytes: [UInt8]
    /// The manifest's text.
    let text: [UInt8]
    /// Where each entry's line starts in `text`, in byte order of their paths (strictly increasing).
    let lines: [Int]
    let manifestTime: timespec
    /// The fingerprint (`OutputManifest.fingerprintsFileName`) of each entry, by its place in `lines`; 0 for none.
    /// Empty when the output has no fingerprints file it can trust. 8 bytes an entry, the file's text not kept.
    var fingerprints: [UInt64] = []
    /// Each entry's place in `lines`, in the low 32 bits, under the top 32 bits of its hash, ascending: what finds a file
    /// by its bytes at another path (`intact(size:hash:)`). 8 bytes an entry (2.8 MB for a 100,000-offer output).
    var byHash: [UInt64] = []

    /// An entry's line: `<16 hex digits> <size> <path>` and a newline.
    static let hexDigits = 16

    /// The previous output in `folder`, nil when it has no readable manifest.
    public static func load(_ folder: URL) -> PreviousOutput? {
        let root = folder.standardizedFileURL.path
        let path = root + "/" + OutputManifest.fileName
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG,
              let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = [UInt8](data)
        guard let lines = index(text) else { return nil }
        var output = PreviousOutput(rootBytes: Array(root.utf8), text: text, lines: lines, manifestTime: info.st_mtim)
        output.indexHashes()
        // The fingerprints file is listed in the manifest like any file: trusted only when it is still what the manifest says.
        let fingerprints = OutputManifest.fingerprintsFileName
        if let e = output.entry(fingerprints), output.unchangedOnDisk(fingerprints, size: e.size) != nil,
           let data = FileManager.default.contents(atPath: root + "/" + fingerprints), data.count == e.size {
            let bytes = [UInt8](data)
            if FileHash.of(bytes) == e.hash, let lines = index(bytes, header: OutputManifest.fingerprintsHeader) {
                output.fingerprints = [UInt64](repeating: 0, count: output.lines.count)
                for start in lines {
                    let (size, fingerprint) = values(bytes, start)
                    // Only for a file the manifest lists with the size it was made at.
                    guard let k = output.place(of: Self.path(bytes, start)), Self.values(text, output.lines[k]).size == size else { continue }
                    output.fingerprints[k] = fingerprint
                }
            }
        }
        return output
    }

    /// The size and hash the manifest gives for `relative` and the fingerprint it was made from, in one lookup; nil
    /// when the previous build recorded no fingerprint for it.
    func made(_ relative: String) -> (size: Int, hash: UInt64, fingerprint: UInt64)? {
        guard !fingerprints.isEmpty else { return nil }
        var relative = relative
        return relative.withUTF8 { key in
            guard let k = place(of: key), fingerprints[k] != 0 else { return nil }
            let (size, hash) = Self.values(text, lines[k])
            return (size, hash, fingerprints[k])
        }
    }

    /// The start of every entry line of a manifest's text, sorted by path; nil when the text is not a manifest (another
    /// version, damaged, or a path listed twice): then nothing is linked and every file is written.
    static func index(_ text: [UInt8], header: String = OutputManifest.header) -> [Int]? {
        let header = Array((header + "\n").utf8)
        guard text.count >= header.count, Array(text[0..<header.count]) == header, text.last == 0x0A else { return nil }
        var lines: [Int] = []
        var i = header.count
        while i < text.count {
            let start = i
            // 16 lower-case hex digits, a space, a size in decimal, a space, a path of at least one byte, a newline.
            guard i + hexDigits < text.count, text[i..<(i + hexDigits)].allSatisfy(\.isLowercaseHexDigit), text[i + hexDigits] == 0x20 else { return nil }
            i += hexDigits + 1
            let sizeStart = i
            while i < text.count, (0x30...0x39).contains(text[i]) { i += 1 }
            guard i > sizeStart, i - sizeStart < 19, i < text.count, text[i] == 0x20 else { return nil }
            i += 1
            let pathStart = i
            while i < text.count, text[i] != 0x0A { i += 1 }
            guard i > pathStart, i < text.count else { return nil }
            i += 1
            lines.append(start)
        }
        let sorted = zip(lines, lines.dropFirst()).allSatisfy { compare(path(text, $0), path(text, $1)) < 0 }
        if sorted { return lines }
        lines.sort { compare(path(text, $0), path(text, $1)) < 0 }
        // A path listed twice: not a manifest this writer made.
        guard zip(lines, lines.dropFirst()).allSatisfy({ compare(path(text, $0), path(text, $1)) < 0 }) else { return nil }
        return lines
    }

    /// The path of the line starting at `start` (up to its newline).
    static func path(_ text: [UInt8], _ start: Int) -> ArraySlice<UInt8> {
        var i = start + hexDigits + 1
        while text[i] != 0x20 { i += 1 }
        i += 1
        var end = i
        while text[end] != 0x0A { end += 1 }
        return text[i..<end]
    }

    /// Byte order: negative, zero or positive.
    static func compare(_ a: ArraySlice<UInt8>, _ b: some Collection<UInt8>) -> Int {
        var x = a.startIndex, y = b.startIndex
        while x < a.endIndex, y < b.endIndex {
            if a[x] != b[y] { return Int(a[x]) - Int(b[y]) }
            x += 1
            y = b.index(after: y)
        }
        return (x < a.endIndex ? 1 : 0) - (y < b.endIndex ? 1 : 0)
    }

    /// The size and hash the manifest gives for `relative`, if it lists it.
    func entry(_ relative: String) -> (size: Int, hash: UInt64)? {
        var relative = relative
        return relative.withUTF8 { key in line(of: key).map { Self.values(text, $0) } }
    }

    /// True when the manifest lists the path `key` (UTF-8 bytes).
    func contains(_ key: some Collection<UInt8>) -> Bool { line(of: key) != nil }

    /// The start of the line of `key`, by binary search.
    private func line(of key: some Collection<UInt8>) -> Int? { place(of: key).map { lines[$0] } }

    /// The place in `lines` of the line of `key`, by binary search.
    private func place(of key: some Collection<UInt8>) -> Int? {
        if let found = key.withContiguousStorageIfAvailable({ place(ofBytes: $0) }) { return found }
        return Array(key).withUnsafeBufferPointer { place(ofBytes: $0) }
    }

    /// `place(of:)` on contiguous bytes: each probe compares the key with the line's path as it goes, without first
    /// finding where the path ends (a rebuild looks up every file it writes, in each manifest it read).
    private func place(ofBytes key: UnsafeBufferPointer<UInt8>) -> Int? {
        text.withUnsafeBufferPointer { text in
            var low = 0, high = lines.count - 1
            while low <= high {
                let mid = (low + high) / 2
                let c = Self.comparePath(text, lines[mid], key)
                if c == 0 { return mid }
                if c < 0 { low = mid + 1 } else { high = mid - 1 }
            }
            return nil
        }
    }

    /// `compare(path(text, start), key)` in one pass: the sign of the line's path against `key`, in byte order.
    static func comparePath(_ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ key: UnsafeBufferPointer<UInt8>) -> Int {
        var i = start + hexDigits + 1
        while text[i] != 0x20 { i += 1 }
        i += 1
        for b in key {
            let t = text[i]
            // The path ended first (a line ends in a newline, which no path holds): it sorts before the key.
            if t == 0x0A { return -1 }
            if t != b { return Int(t) - Int(b) }
            i += 1
        }
        return text[i] == 0x0A ? 0 : 1
    }

    /// The size and hash of the line starting at `start` (checked when the manifest was indexed).
    static func values(_ text: [UInt8], _ start: Int) -> (size: Int, hash: UInt64) {
        var hash: UInt64 = 0
        for b in text[start..<(start + hexDigits)] { hash = hash << 4 | UInt64(b <= 0x39 ? b - 0x30 : b - 0x57) }
        var size = 0
        var i = start + hexDigits + 1
        while text[i] != 0x20 {
            size = size * 10 + Int(text[i] - 0x30)
            i += 1
        }
        return (size, hash)
    }

    /// How many files the manifest lists.
    public var count: Int { lines.count }

    /// True when the previous build wrote these bytes (by size and hash) at `relative`.
    func has(_ relative: String, size: Int, hash: UInt64) -> Bool {
        guard let e = entry(relative) else { return false }
        return e.size == size && e.hash == hash
    }

    /// The file's path when the manifest lists `relative` with this size and hash and the file on disk is still the
    /// one it describes (`unchangedOnDisk`).
    func intact(_ relative: String, size: Int, hash: UInt64) -> [CChar]? {
        guard has(relative, size: size, hash: hash) else { return nil }
        return unchangedOnDisk(relative, size: size)
    }

    /// Fills `byHash` from the manifest's lines.
    mutating func indexHashes() {
        guard lines.count <= Int(UInt32.max) else { return }
        byHash = lines.indices.map { Self.values(text, lines[$0]).hash & 0xFFFF_FFFF_0000_0000 | UInt64($0) }
        byHash.sort()
    }

    /// The path of a file the previous build wrote with these bytes (by size and hash) at any path, still the file the
    /// manifest describes (`unchangedOnDisk`): a file that moved, such as the search index's files in a folder named
    /// by the hash of all of them, is linked from where it was rather than written again.
    func intact(size: Int, hash: UInt64) -> [CChar]? {
        let top = hash & 0xFFFF_FFFF_0000_0000
        var low = 0, high = byHash.count
        while low < high {
            let mid = (low + high) / 2
            if byHash[mid] < top { low = mid + 1 } else { high = mid }
        }
        var k = low
        while k < byHash.count, byHash[k] & 0xFFFF_FFFF_0000_0000 == top {
            let start = lines[Int(byHash[k] & 0xFFFF_FFFF)]
            k += 1
            guard Self.values(text, start) == (size, hash) else { continue }
            // A path read from the manifest, not one this build made: never one that leads out of the folder.
            let relative = String(decoding: Self.path(text, start), as: UTF8.self)
            if OutputWriter.isSafe(relative), let source = unchangedOnDisk(relative, size: size) { return source }
        }
        return nil
    }

    /// The file's path when the file at `relative` is still what the manifest (already looked up) describes: a regular
    /// file of `size` bytes, last modified no later than the manifest was written.
    func unchangedOnDisk(_ relative: String, size: Int) -> [CChar]? {
        let (source, _) = OutputWriter.absolutePath(rootBytes, relative)
        var info = stat()
        guard lstat(source, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) == size,
              (info.st_mtim.tv_sec, info.st_mtim.tv_nsec) <= (manifestTime.tv_sec, manifestTime.tv_nsec) else { return nil }
        return source
    }

    /// The path on disk of the manifest's `k`th file in byte order (`0 ..< count`).
    func absolutePath(at k: Int) -> String {
        String(decoding: rootBytes + [0x2F] + Self.path(text, lines[k]), as: UTF8.self)
    }

    /// Calls `body` with every path the manifest lists (its UTF-8 bytes), in byte order.
    func forEachPath(_ body: (ArraySlice<UInt8>) throws -> Void) rethrows {
        for start in lines { try body(Self.path(text, start)) }
    }
}
