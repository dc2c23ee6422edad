import Foundation
import TilbudModel

/// What earlier builds rendered for each published offer (its bodies' HTML and plain text, its list cards, its JSON and
/// FHIR resource), kept in a
/// file beside the output (`.<output>.cache`, see `SiteBuilder.cachePath`) by the offer's fingerprint
/// (`SiteRenderer.offerFingerprints`: the program, the templates, the shared content, the day and base URL, the offer's
/// and its provider's files). A rebuild takes an unchanged offer's bodies and cards from here instead of running
/// Markdown, the sanitizer and the card template again; an offer whose fingerprint is not here is rendered and added.
/// The pages are the same either way: what is here was made from the same inputs.
///
/// The file is entries (each one offer's texts or cards), then an index of the live ones (fingerprint, kind, offset,
/// size, XXH64 of the bytes) and a trailer that locates the index and hashes it. A build appends its new entries and a
/// new index after the old one; when most of the file is no longer used (after a change to a template, every fingerprint
/// changes) the build writes a new file instead and renames it into place. Nothing here is trusted blindly: an entry
/// whose bytes do not hash to the index's value, or that does not decode, is rendered again, and a file whose trailer
/// or index does not check out is started over. A build that fails cuts the file back to what it was (`abandon`); one
/// killed midway leaves a trailer that no longer ends the file, so the next build starts over. Only one build uses the
/// file at a time (`flock`); another running beside it renders everything.
public final class RenderCache: @unchecked Sendable {
    /// What an entry holds.
    public enum Kind: UInt8, Sendable {
        /// The offer's rendered texts: the default one, then each translation in site order (`SiteRenderer`).
        case texts = 1
        /// The offer's list card in each site language.
        case cards = 2
        /// The offer's object in the JSON API (`api/v1/offers/<id>.json` without its newline, a line of `offers.json`).
        case offerJSON = 3
        /// The offer's FHIR `HealthcareService`, a line of its NDJSON file without the newline.
        case healthcareService = 4
    }

    /// One entry of the index: which offer and kind, where its bytes are and their hash. Kept in arrays sorted by
    /// (fingerprint, kind) and looked up by binary search: at 100,000 offers there are about 360,000, and dictionaries of
    /// them cost the build some 40 MB more.
    struct Slot {
        let fingerprint: UInt64
        let offset: Int64
        let hash: UInt64
        let count: UInt32
        let kind: UInt8

        func precedes(_ other: Slot) -> Bool {
            fingerprint != other.fingerprint ? fingerprint < other.fingerprint : kind < other.kind
        }
    }

    /// "TILBUDC1": the trailer's first 8 bytes.
    static let magic: UInt64 = 0x3143_4455_424C_4954
    static let trailerSize = 32
    static let indexEntrySize = 32

    private let path: String
    /// The file this build reads from (the existing cache, locked) and, unless it starts over, appends to.
    private let fd: Int32
    /// The previous build's live entries, sorted, and which of them this build used.
    private let old: [Slot]
    private var used: [Bool]
    /// The file's length when opened: a failed build cuts the file back to it.
    private let openedLength: Int64
    private let lock = NSLock()
    /// Where new entries go: `fd`, or a new file (`fresh`) renamed over the old one at `finish`.
    private var out: Int32
    private var fresh: String?
    private var end: Int64
    /// The entries this build wrote.
    private var written: [Slot] = []
    private var failed = false
    private var done = false
    private var reads: [Kind: Int] = [:]
    /// Entries read from the file this build, by kind.
    public var hits: [Kind: Int] { lock.withLock { reads } }

    /// Opens (or makes) the cache at `path`; nil when it cannot be opened, or another build holds it.
    public init?(path: String) {
        // A link there is not followed: the cache is not used rather than written somewhere else.
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            return nil
        }
        self.path = path
        self.fd = fd
        self.out = fd
        self.openedLength = Int64(info.st_size)
        self.end = Int64(info.st_size)
        self.old = Self.readIndex(fd, length: Int64(info.st_size)) ?? []
        self.used = [Bool](repeating: false, count: old.count)
    }

    deinit {
        if !done { abandon() }
        close(fd)
    }

    /// The index at the end of the file, nil when there is none that checks out.
    static func readIndex(_ fd: Int32, length: Int64) -> [Slot]? {
        guard length >= Int64(trailerSize) else { return nil }
        var trailer = [UInt8](repeating: 0, count: trailerSize)
        guard readWhole(fd, into: &trailer, at: length - Int64(trailerSize)) else { return nil }
        let magic = word(trailer, 0), at = Int64(bitPattern: word(trailer, 8)), count = Int(word(trailer, 16)), hash = word(trailer, 24)
        guard magic == Self.magic, at >= 0, count >= 0, count < Int.max / indexEntrySize,
              at + Int64(count * indexEntrySize) == length - Int64(trailerSize) else { return nil }
        var bytes = [UInt8](repeating: 0, count: count * indexEntrySize)
        guard readWhole(fd, into: &bytes, at: at), FileHash.of(bytes) == hash else { return nil }
        var slots: [Slot] = []
        slots.reserveCapacity(count)
        for k in 0..<count {
            let base = k * indexEntrySize
            let slot = Slot(fingerprint: word(bytes, base), offset: Int64(bitPattern: word(bytes, base + 8)), hash: word(bytes, base + 24),
                            count: UInt32(word(bytes, base + 16) & 0xFFFF_FFFF), kind: bytes[base + 20])
            guard slot.offset >= 0, slot.offset + Int64(slot.count) <= at, slots.last.map({ $0.precedes(slot) }) ?? true else { return nil }
            slots.append(slot)
        }
        return slots
    }

    /// The position in `old` of the entry `kind` for `fingerprint`.
    private func find(_ fingerprint: UInt64, _ kind: UInt8) -> Int? {
        var low = 0, high = old.count
        while low < high {
            let mid = (low + high) / 2
            let s = old[mid]
            if s.fingerprint < fingerprint || (s.fingerprint == fingerprint && s.kind < kind) { low = mid + 1 } else { high = mid }
        }
        return low < old.count && old[low].fingerprint == fingerprint && old[low].kind == kind ? low : nil
    }

    /// Decides where this build's entries go, given every fingerprint it will ask for: after the old entries, or in a
    /// new file when less than half of the file is still live (then the old entries are still read from).
    func begin(live: [UInt64]) {
        let wanted = live.sorted()
        var liveBytes: Int64 = 0
        var w = 0
        // Both sorted by fingerprint: one walk.
        for slot in old {
            while w < wanted.count && wanted[w] < slot.fingerprint { w += 1 }
            if w < wanted.count && wanted[w] == slot.fingerprint { liveBytes += Int64(slot.count) }
        }
        guard openedLength > 0, openedLength - liveBytes > liveBytes else { return }
        let name = path + ".new-\(getpid())"
        let f = open(name, O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard f >= 0 else { return }
        lock.withLock {
            out = f
            fresh = name
            end = 0
        }
    }

    /// The bytes of the entry `kind` for `fingerprint`, nil when there is none or it does not check out. In a new
    /// file the entry is copied over, so it stays.
    func read(_ fingerprint: UInt64, _ kind: Kind) -> [UInt8]? {
        guard fingerprint != 0, let k = find(fingerprint, kind.rawValue) else { return nil }
        let entry = old[k]
        var bytes = [UInt8](repeating: 0, count: Int(entry.count))
        guard Self.readWhole(fd, into: &bytes, at: entry.offset), FileHash.of(bytes) == entry.hash else { return nil }
        let copy: Bool = lock.withLock {
            reads[kind, default: 0] += 1
            used[k] = true
            return fresh != nil
        }
        // A new file gets a copy of what it still uses.
        if copy { put(fingerprint, kind.rawValue, bytes) }
        return bytes
    }

    /// Adds `bytes` as the entry `kind` for `fingerprint`.
    func add(_ fingerprint: UInt64, _ kind: Kind, _ bytes: [UInt8]) {
        guard fingerprint != 0, bytes.count < Int(UInt32.max) else { return }
        put(fingerprint, kind.rawValue, bytes)
    }

    /// Writes `bytes` at the end of the file this build writes and indexes them; a write that fails makes `finish`
    /// remove the cache.
    private func put(_ fingerprint: UInt64, _ kind: UInt8, _ bytes: [UInt8]) {
        let (target, offset): (Int32, Int64) = lock.withLock {
            defer { end += Int64(bytes.count) }
            return (out, end)
        }
        let ok = bytes.withUnsafeBytes { PositionalIO.write(target, $0, at: offset) }
        let slot = Slot(fingerprint: fingerprint, offset: offset, hash: FileHash.of(bytes), count: UInt32(bytes.count), kind: kind)
        lock.withLock { if ok { written.append(slot) } else { failed = true } }
    }

    /// Writes the index and trailer after this build's entries, once its output is in place: the file then holds
    /// exactly what this build used. When a write fails the cache is removed (the next build starts over).
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        // What this build used of the old entries and what it wrote; an entry written twice (by two workers) once.
        var slots = fresh == nil ? old.indices.filter { used[$0] }.map { old[$0] } : []
        slots += written
        slots.sort { $0.precedes($1) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(slots.count * Self.indexEntrySize + Self.trailerSize)
        var count = 0
        for (n, slot) in slots.enumerated() where n == 0 || slots[n - 1].precedes(slot) {
            Self.append(slot.fingerprint, to: &bytes)
            Self.append(UInt64(bitPattern: slot.offset), to: &bytes)
            Self.append(UInt64(slot.count) | UInt64(slot.kind) << 32, to: &bytes)
            Self.append(slot.hash, to: &bytes)
            count += 1
        }
        let indexHash = FileHash.of(bytes)
        Self.append(Self.magic, to: &bytes)
        Self.append(UInt64(bitPattern: end), to: &bytes)
        Self.append(UInt64(count), to: &bytes)
        Self.append(indexHash, to: &bytes)
        let ok = !failed && bytes.withUnsafeBytes { PositionalIO.write(out, $0, at: end) } && ftruncate(out, off_t(end) + off_t(bytes.count)) == 0
        if let fresh {
            close(out)
            if !ok || rename(fresh, path) != 0 { unlink(fresh); unlink(path) }
        } else if !ok {
            unlink(path)
        }
    }

    /// Leaves the cache as it was before this build (a build that fails keeps no new entries), and leaves none where there
    /// was none or it was empty.
    public func abandon() {
        lock.lock()
        defer { lock.unlock() }
        guard !done else { return }
        done = true
        if let fresh {
            close(out)
            unlink(fresh)
        }
        if openedLength == 0 || ftruncate(fd, off_t(openedLength)) != 0 { unlink(path) }
    }

    // MARK: - Bytes

    /// The little-endian word at `at`. The index's size field is 8 bytes: the entry's size, then its kind (byte 20).
    private static func word(_ bytes: [UInt8], _ at: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
        return v
    }

    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        for k in 0..<8 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(k)))) }
    }

    static func append32(_ value: Int, to bytes: inout [UInt8]) {
        for k in 0..<4 { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * k))) }
    }

    private static func readWhole(_ fd: Int32, into bytes: inout [UInt8], at offset: Int64) -> Bool {
        bytes.withUnsafeMutableBytes { PositionalIO.read(fd, into: $0, at: offset) }
    }
}

/// Reads the little-endian pieces an entry is made of, failing (nil) rather than reading past its end.
struct CacheReader {
    let bytes: [UInt8]
    var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func u8() -> Int? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return Int(bytes[at])
    }

    mutating func u32() -> Int? {
        guard at + 4 <= bytes.count else { return nil }
        var v = 0
        for k in 0..<4 { v |= Int(bytes[at + k]) << (8 * k) }
        at += 4
        return v
    }

    mutating func take(_ count: Int) -> ArraySlice<UInt8>? {
        guard count >= 0, at + count <= bytes.count else { return nil }
        defer { at += count }
        return bytes[at..<at + count]
    }

    var atEnd: Bool { at == bytes.count }
}
