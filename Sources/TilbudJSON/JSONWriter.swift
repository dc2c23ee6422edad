/// The one JSON writer and string escaper of Tilbud: the feed, FHIR, the JSON-LD of the pages, the search index, the
/// `--format json` of `check` and the dev server's reload events all write with it.
///
/// Writes compact JSON straight into a byte buffer, for documents made by the thousand (the feed's offers, FHIR
/// HealthcareServices and Locations, the offer pages' JSON-LD): no `JSONValue` tree is built and torn down. The
/// bytes are exactly those of `JSONValue.encoded(pretty: false, htmlSafe:)` for the same fields in the same order
/// (tests hold the two side by side); `JSONValue`'s encoder escapes strings with this writer too. Days, times and
/// `JSONValue`s are written by an extension in TilbudRender, which knows the model; this module depends on nothing.
///
/// Commas need no stack: a value written after another one in the same container gets one, and opening a container
/// counts as a value of its parent.
///
/// Its methods are `@inlinable`: the feed calls them millions of times from another module.
public struct JSONWriter {
    /// What strings escape besides what JSON requires (`"`, `\` and control characters).
    public enum Escaping: Sendable {
        /// Nothing more: for JSON read by JSON parsers (the feed).
        case minimal
        /// U+2028 and U+2029 as well, which JavaScript before ES2019 does not allow in strings (the search index,
        /// `JSON.quote`).
        case lineSeparators
        /// U+2028, U+2029, `<`, `>` and `&` as well, so the JSON can sit inside an HTML `<script>` element (JSON-LD).
        case html
    }

    /// The output so far.
    public var bytes: [UInt8]
    /// What strings escape.
    public let escaping: Escaping
    /// True right after `{`, `[` or a key, where no comma goes.
    @usableFromInline var first = true

    /// A writer appending to `bytes`.
    public init(_ bytes: [UInt8] = [], escaping: Escaping = .minimal) {
        self.bytes = bytes
        self.escaping = escaping
    }

    /// A writer with room for `capacity` bytes.
    public init(escaping: Escaping = .minimal, capacity: Int) {
        self.init([], escaping: escaping)
        bytes.reserveCapacity(capacity)
    }

    // MARK: structure

    /// Starts a new top-level value: no comma goes before it (the caller writes whatever separates records).
    @inlinable public mutating func startRecord() { first = true }

    /// Writes the comma that goes before a value, unless it is the first in its container.
    @inlinable @inline(__always) public mutating func separate() {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
    }

    /// Writes `"key":` (a literal, not escaped).
    @inlinable @inline(__always) public mutating func key(_ key: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Writes a key that is not a literal (a language code), escaped; the next value or container is its value.
    @inlinable public mutating func separateKey(_ key: String) {
        separate()
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        first = true
    }

    /// Opens an object, as a list item (`key` nil) or the value of `key`.
    @inlinable public mutating func openObject(_ key: StaticString? = nil) {
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    /// Closes the innermost object.
    @inlinable public mutating func closeObject() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    /// Opens an array, as a list item (`key` nil) or the value of `key`.
    @inlinable public mutating func openArray(_ key: StaticString? = nil) {
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "["))
        first = true
    }

    /// Closes the innermost array.
    @inlinable public mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    // MARK: values (a nil optional leaves the key out, as `JSONFields` does)

    /// A string, as a list item or the value of `key`.
    @inlinable public mutating func string(_ key: StaticString?, _ value: String?) {
        guard let value else { return }
        separate()
        if let key { self.key(key) }
        writeString(value)
    }

    /// A string.
    @inlinable public mutating func string(_ value: String) { string(nil, value) }

    /// A boolean.
    @inlinable public mutating func bool(_ key: StaticString?, _ value: Bool) {
        separate()
        if let key { self.key(key) }
        value ? append("true") : append("false")
    }

    /// An integer.
    @inlinable public mutating func int(_ key: StaticString?, _ value: Int?) {
        guard let value else { return }
        separate()
        if let key { self.key(key) }
        bytes.append(contentsOf: String(value).utf8)
    }

    /// A number, written as `JSONValue.number` is.
    @inlinable public mutating func number(_ key: StaticString?, _ value: Double) {
        separate()
        if let key { self.key(key) }
        writeNumber(value)
    }

    /// A number without a separator or key: an integral value below 10^15 as an integer, any other finite value as
    /// the shortest text that reads back as the same Double, and null for infinities and NaN.
    @inlinable public mutating func writeNumber(_ value: Double) {
        if !value.isFinite {
            append("null")
        } else if value == value.rounded(.towardZero), abs(value) < 1e15 {
            bytes.append(contentsOf: String(Int(value)).utf8)
        } else {
            bytes.append(contentsOf: value.description.utf8)
        }
    }

    /// An array of strings (always written, possibly empty).
    @inlinable public mutating func strings(_ key: StaticString?, _ values: [String]) {
        openArray(key)
        for v in values { string(nil, v) }
        closeArray()
    }

    /// JSON already encoded compactly, written as it is.
    @inlinable public mutating func raw(_ key: StaticString?, _ encoded: [UInt8]) {
        separate()
        if let key { self.key(key) }
        bytes.append(contentsOf: encoded)
    }

    /// Writes `s` as it is.
    @inlinable @inline(__always) public mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    // MARK: strings

    @usableFromInline static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// `"` + the UTF-8 text with `"`, `\` and control characters escaped + `"` (as `JSONValue`'s encoder does; no
    /// other character is escaped, so `æøå` stay as they are).
    @inlinable public mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        writeEscaped(string)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A string made of `pieces` joined by `separator`, escaped as one (without building the joined string).
    @inlinable public mutating func joined(_ key: StaticString?, _ pieces: [String], separator: String) {
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "\""))
        for (n, piece) in pieces.enumerated() {
            if n > 0 { writeEscaped(separator) }
            writeEscaped(piece)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// True when one of the eight bytes of `w` is below 0x20, `"` or `\` (no false answers: the bit tricks of
    /// "Bit Twiddling Hacks", exact for the question whether any byte matches).
    @inlinable @inline(__always) public static func needsEscape(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let below = (w &- ones &* 0x20) & ~w & high
        return (below | hasByte(w, 0x22) | hasByte(w, 0x5C)) != 0
    }

    /// True when one of the eight bytes of `w` is 0xE2 (which starts U+2028 and U+2029).
    @inlinable @inline(__always) public static func mayStartLineSeparator(_ w: UInt64) -> Bool {
        hasByte(w, 0xE2) != 0
    }

    /// True when one of the eight bytes of `w` is `<`, `>` or `&`.
    @inlinable @inline(__always) public static func needsHTMLEscape(_ w: UInt64) -> Bool {
        (hasByte(w, 0x3C) | hasByte(w, 0x3E) | hasByte(w, 0x26)) != 0
    }

    /// The high bit set in each byte of `w` that equals `byte` (and possibly in bytes above such a byte), zero when none does.
    @inlinable @inline(__always) static func hasByte(_ w: UInt64, _ byte: UInt8) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        let x = w ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & high
    }

    /// The text with `"`, `\` and control characters escaped, and what `escaping` adds; eight bytes at a time where
    /// none needs it.
    @inlinable public mutating func writeEscaped(_ string: String) {
        var s = string
        let separators = escaping != .minimal, html = escaping == .html
        s.withUTF8 { utf8 in
            guard let base = utf8.baseAddress else { return }
            let n = utf8.count
            var runStart = 0
            var i = 0
            while i < n {
                if i + 8 <= n {
                    let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                    if !Self.needsEscape(word) && !(separators && Self.mayStartLineSeparator(word)) && !(html && Self.needsHTMLEscape(word)) {
                        i += 8
                        continue
                    }
                }
                let end = min(i + 8, n)
                while i < end {
                    let b = base[i]
                    if b < 0x20 || b == 0x22 || b == 0x5C || (html && (b == 0x3C || b == 0x3E || b == 0x26)) {
                        if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
                        escape(b)
                        runStart = i + 1
                    } else if separators && b == 0xE2 && i + 2 < n && base[i + 1] == 0x80 && (base[i + 2] == 0xA8 || base[i + 2] == 0xA9) {
                        // U+2028 / U+2029 (E2 80 A8 / E2 80 A9); any other character starting with E2 stays as it is.
                        if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: i - runStart)) }
                        unicodeEscape(base[i + 2] == 0xA8 ? 0x2028 : 0x2029)
                        i += 2
                        runStart = i + 1
                    }
                    i += 1
                }
            }
            if runStart < n { bytes.append(contentsOf: UnsafeBufferPointer(start: base + runStart, count: n - runStart)) }
        }
    }

    @inlinable mutating func escape(_ b: UInt8) {
        switch b {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
        case 0x08: bytes.append(0x5C); bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(0x5C); bytes.append(UInt8(ascii: "f"))
        default: unicodeEscape(UInt16(b))  // other controls, and <, >, & when HTML-safe
        }
    }

    @inlinable mutating func unicodeEscape(_ u: UInt16) {
        bytes.append(0x5C)
        bytes.append(UInt8(ascii: "u"))
        bytes.append(Self.hex[Int(u >> 12) & 0xF])
        bytes.append(Self.hex[Int(u >> 8) & 0xF])
        bytes.append(Self.hex[Int(u >> 4) & 0xF])
        bytes.append(Self.hex[Int(u) & 0xF])
    }
}

/// JSON string literals for text built by hand (the diagnostics' `--format json`, the dev server's events).
public enum JSON {
    /// `s` as a JSON string literal, quotes included: escaped by `JSONWriter`, with U+2028 and U+2029 escaped too
    /// so the text can be read by JavaScript as well.
    public static func quote(_ s: String) -> String {
        var w = JSONWriter(escaping: .lineSeparators, capacity: s.utf8.count + 2)
        w.writeString(s)
        return String(decoding: w.bytes, as: UTF8.self)
    }
}
