import TilbudModel
import TilbudRender

/// Writes compact JSON straight into a byte buffer, for the records the feed makes by the ten thousand (offers, FHIR
/// HealthcareServices and Locations): no `JSONValue` tree is built and torn down. The bytes are exactly those of
/// `JSONValue.encoded(pretty: false)` for the same fields in the same order (tests hold the two side by side).
///
/// Commas need no stack: a value written after another one in the same container gets one, and opening a container
/// counts as a value of its parent.
struct JSONWriter {
    /// The output so far.
    var bytes: [UInt8]
    /// True right after `{`, `[` or a key, where no comma goes.
    private var first = true

    /// A writer appending to `bytes`.
    init(_ bytes: [UInt8] = []) { self.bytes = bytes }

    // MARK: structure

    /// Starts a new top-level value: no comma goes before it (the caller writes whatever separates records).
    mutating func startRecord() { first = true }

    @inline(__always) private mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    @inline(__always) private mutating func key(_ key: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes a key that is not a literal (a language code), escaped; the next value or container is its value.
    mutating func separateKey(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    /// Opens an object, as a list item (`key` nil) or the value of `key`.
    mutating func openObject(_ key: StaticString? = nil) {
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    /// Closes the innermost object.
    mutating func closeObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// Opens an array, as a list item (`key` nil) or the value of `key`.
    mutating func openArray(_ key: StaticString? = nil) {
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    /// Closes the innermost array.
    mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    // MARK: values (a nil optional leaves the key out, as `JSONFields` does)

    /// A string, as a list item or the value of `key`.
    mutating func string(_ key: StaticString?, _ value: String?) {
        guard let value else { return }
        separate()
        if let key { self.key(key) }
        writeString(value)
    }

    /// A string.
    mutating func string(_ value: String) { string(nil, value) }

    /// A boolean.
    mutating func bool(_ key: StaticString?, _ value: Bool) {
        separate()
        if let key { self.key(key) }
        value ? append("true") : append("false")
    }

    /// An integer.
    mutating func int(_ key: StaticString?, _ value: Int?) {
        guard let value else { return }
        separate()
        if let key { self.key(key) }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A number, written as `JSONValue.number` is.
    mutating func number(_ key: StaticString?, _ value: Double) {
        separate()
        if let key { self.key(key) }
        if !value.isFinite {
            append("null")
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// An array of strings (always written, possibly empty).
    mutating func strings(_ key: StaticString?, _ values: [String]) {
        openArray(key)
        for v in values { string(nil, v) }
        closeArray()
    }

    /// JSON already encoded compactly, written as it is.
    mutating func raw(_ key: StaticString?, _ encoded: [UInt8]) {
        separate()
        if let key { self.key(key) }
        bytes.append(contentsOf: encoded)
    }

    /// A `JSONValue`, encoded compactly.
    mutating func value(_ key: StaticString?, _ value: JSONValue) {
        raw(key, value.encoded(pretty: false))
    }

    @inline(__always) private mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    // MARK: strings

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `"` + the UTF-8 text with `"`, `\` and control characters escaped + `"` (as `JSONValue`'s encoder does; no
    /// other character is escaped, so `æøå` stay as they are).
    mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        writeEscaped(string)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string made of `pieces` joined by `separator`, escaped as one (without building the joined string).
    mutating func joined(_ key: StaticString?, _ pieces: [String], separator: String) {
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "\""))
        for (n, piece) in pieces.enumerated() {
            if n > 0 { writeEscaped(separator) }
            writeEscaped(piece)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// A day as `"YYYY-MM-DD"` (what `Day.iso` gives), without making the string.
    mutating func day(_ key: StaticString?, _ value: Day?) {
        guard let value else { return }
        guard (0...9999).contains(value.year) else { return string(key, value.iso) }
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "\""))
        value.appendISODigits(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A day with an optional time as `"YYYY-MM-DD"` or `"YYYY-MM-DDTHH:MM"` (what `DateTime.iso` gives).
    mutating func dateTime(_ key: StaticString?, _ value: DateTime?) {
        guard let value else { return }
        guard (0...9999).contains(value.day.year) else { return string(key, value.iso) }
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "\""))
        value.day.appendISODigits(to: &bytes)
        if let t = value.time {
            bytes.append(UInt8(ascii: "T"))
            writeEscaped(t)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// True when one of the eight bytes of `w` is below 0x20, `"` or `\` (no false answers: the bit tricks of
    /// "Bit Twiddling Hacks", exact for the question whether any byte matches).
    @inline(__always) static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let below = (w &- ones &* 0x20) & ~w & high
        let q = w ^ (ones &* 0x22), quote = (q &- ones) & ~q & high
        let bs = w ^ (ones &* 0x5C), backslash = (bs &- ones) & ~bs & high
        return (below | quote | backslash) != 0
    }

    /// The text with `"`, `\` and control characters escaped, eight bytes at a time where none needs it.
    mutating func writeEscaped(_ string: String) {
        var s = string
        s.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            let n = utf8.count
            var runStart = 0
            var i = 0
            while i < n {
                if i + 8 <= n, !Self.needsEscape(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let end = min(i + 8, n)
                while i < end {
                    let b = base[i]
                    if b < 0x20 || b == 0x22 || b == 0x5C {
                        if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
                        escape(b)
                        runStart = i + 1
                    }
                    i += 1
                }
            }
            if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: n - runStart)) }
        }
    }

    private mutating func escape(_ b: UInt8) {
        switch b {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(0x5C); bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(0x5C); bytes.append(UInt8(ascii: "f"))
        default:
            bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
            bytes.append(Self.hex[Int(b >> 4)])
            bytes.append(Self.hex[Int(b & 0xF)])
        }
    }
}
