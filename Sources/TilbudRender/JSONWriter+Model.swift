import TilbudJSON
import TilbudModel

/// What `JSONWriter` (in TilbudJSON, which depends on nothing) writes of the model: days, dates with a time, and
/// `JSONValue` trees.
extension JSONWriter {
    /// A `JSONValue`, encoded compactly.
    @inlinable public mutating func value(_ key: StaticString?, _ value: JSONValue) {
        raw(key, value.encoded(pretty: false))
    }

    /// A day as `"YYYY-MM-DD"` (what `Day.iso` gives), without making the string.
    @inlinable public mutating func day(_ key: StaticString?, _ value: Day?) {
        guard let value else { return }
        guard (0...9999).contains(value.year) else { return string(key, value.iso) }
        separate()
        if let key { self.key(key) }
        bytes.append(UInt8(ascii: "\""))
        value.appendISODigits(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    /// A day with an optional time as `"YYYY-MM-DD"` or `"YYYY-MM-DDTHH:MM"` (what `DateTime.iso` gives).
    @inlinable public mutating func dateTime(_ key: StaticString?, _ value: DateTime?) {
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
}
