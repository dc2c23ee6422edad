/// XXH64 (Yann Collet's xxHash, 64-bit variant, seed 0; https://github.com/Cyan4973/xxHash/blob/dev/doc/xxhash_spec.md):
/// the content hash of the output manifest. Fast (8 bytes a step, four lanes) and the same whether a file is hashed in
/// one piece or as it is streamed in pieces of any size. Not a cryptographic hash: it tells a file the build is about to
/// write from the one the previous build wrote at the same path, beside the size.
public struct FileHash: Sendable {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var v1: UInt64 = p1 &+ p2
    private var v2: UInt64 = p2
    private var v3: UInt64 = 0
    private var v4: UInt64 = 0 &- p1
    private var total = 0
    /// Up to 31 bytes not yet taken in by the lanes.
    private var pending: [UInt8] = []

    /// A hash of nothing yet.
    public init() {}

    /// The hash of `bytes`.
    public static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = FileHash()
        h.update(bytes)
        return h.finish()
    }

    /// The hash of `bytes`.
    public static func of(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { of($0) }
    }

    /// Takes in `text`'s UTF-8 and then a 0xFF byte, which UTF-8 never has: texts taken in one after another are told apart
    /// wherever they split ("ab", "c" is not "a", "bc").
    public mutating func update(text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
        var end: UInt8 = 0xFF
        withUnsafeBytes(of: &end) { update($0) }
    }

    /// Takes in `value` (8 bytes, little-endian).
    public mutating func update(_ value: UInt64) {
        var v = value.littleEndian
        withUnsafeBytes(of: &v) { update($0) }
    }

    /// The hash of `texts` taken in one after another (`update(text:)`).
    public static func of(texts: String...) -> UInt64 {
        var h = FileHash()
        for t in texts { h.update(text: t) }
        return h.finish()
    }

    @inline(__always) static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        var a = acc &+ input &* p2
        a = (a << 31) | (a >> 33)
        return a &* p1
    }

    @inline(__always) static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* p1 &+ p4
    }

    @inline(__always) static func load64(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    @inline(__always) static func load32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
        UInt64(UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self)))
    }

    /// Takes in `bytes`.
    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        total += bytes.count
        var input = bytes
        if !pending.isEmpty {
            let take = min(32 - pending.count, input.count)
            pending.append(contentsOf: input[..<take])
            input = UnsafeRawBufferPointer(rebasing: input[take...])
            guard pending.count == 32 else { return }
            pending.withUnsafeBytes { stripes($0) }
            pending.removeAll(keepingCapacity: true)
        }
        let whole = input.count & ~31
        if whole > 0 { stripes(UnsafeRawBufferPointer(rebasing: input[..<whole])) }
        if whole < input.count { pending.append(contentsOf: input[whole...]) }
    }

    /// Takes in 32-byte stripes (`p.count` a multiple of 32).
    private mutating func stripes(_ p: UnsafeRawBufferPointer) {
        var a = v1, b = v2, c = v3, d = v4
        var i = 0
        while i < p.count {
            a = Self.round(a, Self.load64(p, i))
            b = Self.round(b, Self.load64(p, i + 8))
            c = Self.round(c, Self.load64(p, i + 16))
            d = Self.round(d, Self.load64(p, i + 24))
            i += 32
        }
        v1 = a; v2 = b; v3 = c; v4 = d
    }

    /// The hash of everything taken in.
    public func finish() -> UInt64 {
        var h: UInt64
        if total >= 32 {
            h = ((v1 << 1) | (v1 >> 63)) &+ ((v2 << 7) | (v2 >> 57)) &+ ((v3 << 12) | (v3 >> 52)) &+ ((v4 << 18) | (v4 >> 46))
            h = Self.merge(h, v1)
            h = Self.merge(h, v2)
            h = Self.merge(h, v3)
            h = Self.merge(h, v4)
        } else {
            h = v3 &+ Self.p5
        }
        h = h &+ UInt64(total)
        pending.withUnsafeBytes { p in
            var i = 0
            while i + 8 <= p.count {
                h ^= Self.round(0, Self.load64(p, i))
                h = ((h << 27) | (h >> 37)) &* Self.p1 &+ Self.p4
                i += 8
            }
            if i + 4 <= p.count {
                h ^= Self.load32(p, i) &* Self.p1
                h = ((h << 23) | (h >> 41)) &* Self.p2 &+ Self.p3
                i += 4
            }
            while i < p.count {
                h ^= UInt64(p[i]) &* Self.p5
                h = ((h << 11) | (h >> 53)) &* Self.p1
                i += 1
            }
        }
        h ^= h >> 33
        h = h &* Self.p2
        h ^= h >> 29
        h = h &* Self.p3
        h ^= h >> 32
        return h
    }
}

extension UInt8 {
    /// 0-9 or a-f: the digits a hash or a commit id is written with (`.tilbud-manifest`, git's object ids).
    @inlinable public var isLowercaseHexDigit: Bool { (0x30...0x39).contains(self) || (0x61...0x66).contains(self) }
}
