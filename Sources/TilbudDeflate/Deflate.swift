import Foundation

/// zlib-format compression through the system's zlib (`libz.so.1`, which libxml2 already loads), found at run time.
///
/// Index files are stored compressed, as Pagefind stores its own; the browser inflates them with
/// `DecompressionStream('deflate')`. Where zlib cannot be loaded, files are written as they are and the
/// manifest says so, so the site still works.
public enum Deflate {
    fileprivate typealias Compress2 = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt, Int32) -> Int32
    fileprivate typealias CompressBound = @convention(c) (UInt) -> UInt
    fileprivate typealias Uncompress = @convention(c) (UnsafeMutablePointer<UInt8>?, UnsafeMutablePointer<UInt>?, UnsafePointer<UInt8>?, UInt) -> Int32
    fileprivate typealias DeflateInit2 = @convention(c) (UnsafeMutableRawPointer?, Int32, Int32, Int32, Int32, Int32, UnsafePointer<CChar>?, Int32) -> Int32
    fileprivate typealias DeflateCall = @convention(c) (UnsafeMutableRawPointer?, Int32) -> Int32
    fileprivate typealias DeflateStream = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    fileprivate typealias DeflateBound = @convention(c) (UnsafeMutableRawPointer?, UInt) -> UInt
    fileprivate typealias Version = @convention(c) () -> UnsafePointer<CChar>?

    fileprivate struct Library: @unchecked Sendable {
        let compress2: Compress2
        let compressBound: CompressBound
        let uncompress: Uncompress
        /// The stream API, to reuse one stream for many files (`compress2` sets up and frees 256 KB each time);
        /// nil where zlib's `z_stream` is not the LP64 layout `Deflater` knows.
        let stream: Stream?
    }

    fileprivate struct Stream {
        let initialize: DeflateInit2
        let deflate: DeflateCall
        let reset: DeflateStream
        let end: DeflateStream
        let bound: DeflateBound
        let version: UnsafePointer<CChar>
    }

    fileprivate static let library: Library? = {
        for name in ["libz.so.1", "libz.so", "libz.dylib", "/usr/lib/libz.dylib"] {
            guard let handle = dlopen(name, RTLD_NOW) else { continue }
            guard let c = dlsym(handle, "compress2"), let b = dlsym(handle, "compressBound"), let u = dlsym(handle, "uncompress") else { continue }
            var stream: Stream?
            if MemoryLayout<UInt>.size == 8, MemoryLayout<UnsafeRawPointer>.size == 8,
               let i = dlsym(handle, "deflateInit2_"), let d = dlsym(handle, "deflate"), let r = dlsym(handle, "deflateReset"),
               let e = dlsym(handle, "deflateEnd"), let db = dlsym(handle, "deflateBound"), let v = dlsym(handle, "zlibVersion"),
               let version = unsafeBitCast(v, to: Version.self)(), version.pointee == CChar(UInt8(ascii: "1")) {
                stream = Stream(initialize: unsafeBitCast(i, to: DeflateInit2.self), deflate: unsafeBitCast(d, to: DeflateCall.self),
                                reset: unsafeBitCast(r, to: DeflateStream.self), end: unsafeBitCast(e, to: DeflateStream.self),
                                bound: unsafeBitCast(db, to: DeflateBound.self), version: version)
            }
            return Library(compress2: unsafeBitCast(c, to: Compress2.self), compressBound: unsafeBitCast(b, to: CompressBound.self),
                           uncompress: unsafeBitCast(u, to: Uncompress.self), stream: stream)
        }
        return nil
    }()

    /// True when zlib was found.
    public static var isAvailable: Bool { library != nil }

    /// The level index files are compressed at: level 9 saves 0.2 % on the index and takes three times as long;
    /// level 6 (zlib's default) saves 1.5 % against level 4 and takes 1.7 times as long.
    public static let defaultLevel: Int32 = 6

    /// `data` in zlib format at `level`, or nil without zlib. Deterministic for a given zlib.
    public static func compress(_ data: Data, level: Int32 = defaultLevel) -> Data? {
        guard let lib = library else { return nil }
        var bound = lib.compressBound(UInt(data.count))
        var out = [UInt8](repeating: 0, count: Int(bound))
        let status = data.withUnsafeBytes { src -> Int32 in
            out.withUnsafeMutableBufferPointer { dst in
                lib.compress2(dst.baseAddress, &bound, src.bindMemory(to: UInt8.self).baseAddress, UInt(data.count), level)
            }
        }
        guard status == 0 else { return nil }
        return Data(out[0..<Int(bound)])
    }

    /// Inflates zlib-format `bytes` into `destination`, which they must fill exactly; false without zlib or when they do not.
    public static func decompress(_ bytes: UnsafeRawBufferPointer, into destination: UnsafeMutableRawBufferPointer) -> Bool {
        guard let lib = library else { return false }
        var length = UInt(destination.count)
        let status = lib.uncompress(destination.bindMemory(to: UInt8.self).baseAddress, &length,
                                    bytes.bindMemory(to: UInt8.self).baseAddress, UInt(bytes.count))
        return status == 0 && Int(length) == destination.count
    }

    /// Inflates zlib-format `data` whose inflated size is at most `limit` bytes.
    public static func decompress(_ data: Data, limit: Int = 64 << 20) -> Data? {
        guard let lib = library else { return nil }
        var size = max(1024, data.count * 8)
        while size <= limit {
            var length = UInt(size)
            var out = [UInt8](repeating: 0, count: size)
            let status = data.withUnsafeBytes { src -> Int32 in
                out.withUnsafeMutableBufferPointer { dst in
                    lib.uncompress(dst.baseAddress, &length, src.bindMemory(to: UInt8.self).baseAddress, UInt(data.count))
                }
            }
            if status == 0 { return Data(out[0..<Int(length)]) }
            if status != -5 { return nil }  // Z_BUF_ERROR: too small, try again larger
            size *= 4
        }
        return nil
    }
}

/// Compresses many buffers one after another with one zlib stream, reset between them: the same bytes as
/// `Deflate.compress` at the same level, without setting up and freeing zlib's 256 KB of state for each
/// (which costs as much as compressing a 3 KB file). Not thread-safe: one per thread.
public final class Deflater {
    /// `z_stream` on LP64 (Linux, macOS): 112 bytes; the fields used are at the offsets below.
    private static let streamSize = 112
    private let level: Int32
    private let stream: UnsafeMutableRawPointer?
    private let api: Deflate.Stream?

    /// A compressor at `level`; without zlib's stream API it falls back to `Deflate.compress`.
    public init(level: Int32 = Deflate.defaultLevel) {
        self.level = level
        guard let api = Deflate.library?.stream else {
            self.api = nil
            self.stream = nil
            return
        }
        let s = UnsafeMutableRawPointer.allocate(byteCount: Self.streamSize, alignment: 16)
        s.initializeMemory(as: UInt8.self, repeating: 0, count: Self.streamSize)
        // Z_DEFLATED, 15 window bits, memory level 8, Z_DEFAULT_STRATEGY: what compress2 uses.
        if api.initialize(s, level, 8, 15, 8, 0, api.version, Int32(Self.streamSize)) == 0 {
            self.api = api
            self.stream = s
        } else {
            s.deallocate()
            self.api = nil
            self.stream = nil
        }
    }

    deinit {
        if let api, let stream {
            _ = api.end(stream)
            stream.deallocate()
        }
    }

    /// `bytes` in zlib format, or nil without zlib.
    public func compress(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard let api, let s = stream, bytes.count < Int(UInt32.max / 2) else {
            return Deflate.compress(Data(bytes), level: level).map { [UInt8]($0) }
        }
        guard api.reset(s) == 0 else { return nil }
        let bound = Int(api.bound(s, UInt(bytes.count)))
        var ok = false
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            s.storeBytes(of: bytes.baseAddress, toByteOffset: 0, as: UnsafeRawPointer?.self)  // next_in
            s.storeBytes(of: UInt32(bytes.count), toByteOffset: 8, as: UInt32.self)  // avail_in
            s.storeBytes(of: UnsafeMutableRawPointer(buffer.baseAddress), toByteOffset: 24, as: UnsafeMutableRawPointer?.self)  // next_out
            s.storeBytes(of: UInt32(bound), toByteOffset: 32, as: UInt32.self)  // avail_out
            let status = api.deflate(s, 4)  // Z_FINISH
            let written = Int(s.load(fromByteOffset: 40, as: UInt.self))  // total_out
            ok = status == 1 && written <= bound  // Z_STREAM_END
            count = ok ? written : 0
            // Nothing of the caller's stays in the stream.
            s.storeBytes(of: nil, toByteOffset: 0, as: UnsafeRawPointer?.self)
            s.storeBytes(of: nil, toByteOffset: 24, as: UnsafeMutableRawPointer?.self)
        }
        return ok ? out : nil
    }

    /// `bytes` in zlib format, or nil without zlib.
    public func compress(_ bytes: [UInt8]) -> [UInt8]? {
        bytes.withUnsafeBytes { compress($0) }
    }
}
