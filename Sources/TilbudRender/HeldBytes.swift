import Foundation
import TilbudDeflate

/// How a renderer holds the bodies and list cards it renders until the output steps have written them. The output is
/// the same every way.
public enum Holding: Sendable {
    /// As they are, in memory: the fastest, for a catalog whose bodies and cards fit.
    case plain
    /// zlib-compressed (level 1), in memory: a third of the memory, for about 35 CPU-seconds more at 100 000 offers.
    case compressed
    /// In a spill file (`SpillFile`); compressed when the renderer is given none.
    case spilled
}

/// A file a build keeps what it renders early and writes late (the offers' bodies and list cards) in, instead of in
/// memory: at 100,000 offers they are about 540 MB as they are. Holding them compressed instead (zlib, level 1) kept
/// the build under 1 GiB but took about 35 CPU-seconds of deflating and inflating, a seventh of the whole build; writing
/// them here and reading each back with `pread` costs a few. The pages are the kernel's page cache, which it may write
/// to disk and drop under memory pressure, and they are not the process's memory.
///
/// The file is removed from its folder as soon as it is made: nothing is left behind, even by a build that is killed.
/// Each worker fills a buffer of its own (its `Holder`) and writes it as one piece at an offset it took from the file, so
/// there are a few hundred writes, not one per card.
public final class SpillFile: @unchecked Sendable {
    private let fd: Int32
    private let lock = NSLock()
    private var end: Int64 = 0
    private var failure: String?

    /// How much of the file a worker takes at a time.
    static let pieceSize = 4 << 20

    /// A new spill file in `folder`, already unlinked; nil when none can be made there.
    public init?(in folder: URL) {
        var template = Array(folder.standardizedFileURL.appendingPathComponent(".tilbud-spill-XXXXXX").path.utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.fd = fd
    }

    deinit { close(fd) }

    /// Why a write or read failed, nil while none has: a build that held anything here must check it before it keeps
    /// its output (`SiteBuilder` does), since a card or body that could not be read back is written empty.
    public var failed: String? { lock.withLock { failure } }

    /// Records the first failure (with `errno`'s reason); returns false, for `||`.
    private func fail(_ what: String) -> Bool {
        let message = "\(what) the build's spill file: \(String(cString: strerror(errno)))"
        lock.withLock { if failure == nil { failure = message } }
        return false
    }

    /// Takes `count` bytes at the end of the file; returns where they start.
    fileprivate func take(_ count: Int) -> Int64 {
        lock.withLock {
            defer { end += Int64(count) }
            return end
        }
    }

    /// Writes `bytes` at `offset`; false (and `failed` set) on an error.
    fileprivate func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Bool {
        PositionalIO.write(fd, bytes, at: offset) || fail("could not write to")
    }

    /// Fills `destination` from `offset`; false (and `failed` set) when the file does not have that many bytes there.
    fileprivate func read(at offset: Int64, into destination: UnsafeMutableRawBufferPointer) -> Bool {
        PositionalIO.read(fd, into: destination, at: offset) || fail("could not read back")
    }
}

/// Whole reads and writes at an offset (`pread`/`pwrite` until every byte is done, through interruptions), for the
/// files a build keeps beside its output: the spill file and the render cache.
enum PositionalIO {
    /// Fills `destination` from `offset`; false when that fails or the file ends first (`errno` says why, 0 at the end).
    static func read(_ fd: Int32, into destination: UnsafeMutableRawBufferPointer, at offset: Int64) -> Bool {
        whole(destination.count) { done in pread(fd, destination.baseAddress! + done, destination.count - done, off_t(offset) + off_t(done)) }
    }

    /// Writes all of `bytes` at `offset`; false when that fails.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int64) -> Bool {
        whole(bytes.count) { done in pwrite(fd, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done)) }
    }

    /// Calls `io` with the count done so far until all `count` bytes are done; false when it fails or gets no further.
    private static func whole(_ count: Int, _ io: (_ done: Int) -> Int) -> Bool {
        var done = 0
        while done < count {
            let n = io(done)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }
}

/// One worker's way of holding what it renders (see `HeldBytes`): as it is, compressed, or in a spill file. Not
/// thread-safe: one per worker, and `flush()` before anything it held is read.
public final class Holder {
    enum Way {
        case plain
        case compressed(Deflater)
        case spilled(SpillFile)
    }

    let way: Way
    /// The spilled bytes not yet written, and where in the file they go.
    private var buffer: [UInt8] = []
    private var bufferOffset: Int64 = 0
    private var room = 0

    init(_ way: Way) { self.way = way }

    /// One holder per worker for a renderer: in `spill` when given, else compressed (as they are where zlib is missing).
    static func perWorker(spill: SpillFile?) -> [Holder] {
        (0..<Parallel.workers).map { _ in
            if let spill { return Holder(.spilled(spill)) }
            return Holder(Deflate.isAvailable ? .compressed(Deflater(level: 1)) : .plain)
        }
    }

    /// Puts `bytes` in the spill file's buffer; returns their offset, or nil when they are better held in memory
    /// (the file failed, or they are too large for a piece).
    fileprivate func spill(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard case let .spilled(file) = way, bytes.count <= SpillFile.pieceSize else { return nil }
        if bytes.count > room {
            // The file's state is looked at once a piece, not for every card: after a failure the build fails anyway.
            guard flush(), file.failed == nil else { return nil }
            buffer.reserveCapacity(SpillFile.pieceSize)
            bufferOffset = file.take(SpillFile.pieceSize)
            room = SpillFile.pieceSize
        }
        let offset = bufferOffset + Int64(buffer.count)
        buffer.append(contentsOf: bytes)
        room -= bytes.count
        return offset
    }

    /// Writes what the spill buffer holds; false when that failed. Called when a worker's part of a stage is done.
    @discardableResult
    func flush() -> Bool {
        guard case let .spilled(file) = way, !buffer.isEmpty else { return true }
        defer {
            buffer.removeAll(keepingCapacity: true)
            room = 0
        }
        return buffer.withUnsafeBytes { file.write($0, at: bufferOffset) }
    }
}

/// Bytes a build renders early and writes late: held as they are, zlib-compressed, or in a spill file, as the worker's
/// `Holder` says. Short ones are always held as they are. Reading gives the same bytes whichever way they were held.
struct HeldBytes: Sendable {
    private enum Storage: @unchecked Sendable {
        case plain([UInt8])
        case compressed([UInt8], size: Int)
        case spilled(SpillFile, offset: Int64, size: Int)
    }

    private let storage: Storage

    /// Holds `bytes`; those shorter than `minimum` are held as they are.
    init(_ bytes: [UInt8], holder: Holder?, minimum: Int) {
        guard let holder, bytes.count > minimum else {
            storage = .plain(ownStorage(bytes))
            return
        }
        switch holder.way {
        case .plain:
            storage = .plain(ownStorage(bytes))
        case let .compressed(deflater):
            if let z = deflater.compress(bytes), z.count < bytes.count {
                storage = .compressed(ownStorage(z), size: bytes.count)
            } else {
                storage = .plain(ownStorage(bytes))
            }
        case let .spilled(file):
            if let offset = bytes.withUnsafeBytes(holder.spill) {
                storage = .spilled(file, offset: offset, size: bytes.count)
            } else {
                storage = .plain(ownStorage(bytes))
            }
        }
    }

    /// The bytes' count.
    var count: Int {
        switch storage {
        case let .plain(b): return b.count
        case let .compressed(_, size), let .spilled(_, _, size): return size
        }
    }

    /// The bytes held in memory for them (compressed or not; none when spilled).
    var inMemory: Int {
        switch storage {
        case let .plain(b): return b.count
        case let .compressed(z, _): return z.count
        case .spilled: return 0
        }
    }

    /// Calls `body` with the bytes (empty if they could not be inflated or read back: see `SpillFile.failed`).
    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if case let .plain(b) = storage { return b.withUnsafeBufferPointer(body) }
        var out: [UInt8] = []
        append(to: &out)
        return out.withUnsafeBufferPointer(body)
    }

    /// Appends the bytes to `out` (nothing if they could not be inflated or read back).
    func append(to out: inout [UInt8]) {
        let fill: (UnsafeMutableRawBufferPointer) -> Bool
        switch storage {
        case let .plain(b):
            out.append(contentsOf: b)
            return
        case let .compressed(z, _):
            // zlib cannot go missing between compressing and now in one process; if it did, the output is visibly empty.
            fill = { dst in z.withUnsafeBytes { Deflate.decompress($0, into: dst) } }
        case let .spilled(file, offset, _):
            fill = { dst in file.read(at: offset, into: dst) }
        }
        let start = out.count, size = count
        out.append(contentsOf: repeatElement(0, count: size))
        let ok = out.withUnsafeMutableBytes { fill(UnsafeMutableRawBufferPointer(rebasing: $0[start..<(start + size)])) }
        if !ok { out.removeSubrange(start...) }
    }
}
