import Foundation
import TilbudModel

/// Language-specific formatting backed by the UI strings in `templates/i18n/`.
struct Localizer {
    let language: String
    let strings: [String: Any]
    /// Dates already written out, by day ordinal (see `SiteRenderer`): most pages show the same few hundred days.
    var dates: [Int: String]? = nil

    func callAsFunction(_ key: String) -> String {
        strings[key] as? String ?? key
    }

    /// A string with `{n}`-style placeholders filled in.
    func format(_ key: String, _ values: [String: String]) -> String {
        Self.fill(self(key), values)
    }

    /// Replaces each `{name}` in `pattern` with `values[name]` (unknown names stay as written).
    static func fill(_ pattern: String, _ values: [String: String]) -> String {
        guard pattern.utf8.contains(UInt8(ascii: "{")) else { return pattern }
        var out = ""
        out.reserveCapacity(pattern.utf8.count + 16)
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            guard let close = rest[open...].firstIndex(of: "}") else { break }
            let name = String(rest[rest.index(after: open)..<close])
            if let v = values[name] { out += v } else { out += rest[open...close] }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return out
    }

    /// `4. februar 2025` / `4 February 2025`, per the strings' `date_format` and `months`.
    func date(_ day: Day) -> String {
        if let known = dates?[day.ordinal] { return known }
        let months = strings["months"] as? [String] ?? []
        let month = day.month - 1 < months.count ? months[day.month - 1] : String(day.month)
        return format("date_format", ["d": String(day.day), "month": month, "y": String(day.year)])
    }

    /// A date and, when given, a time.
    func dateTime(_ value: DateTime) -> String {
        guard let time = value.time else { return date(value.day) }
        return format("date_time_format", ["date": date(value.day), "time": self.time(time)])
    }

    /// `HH:MM` written the language's way: `18.00` in Norwegian (the strings' `time_separator`), `18:00` in English.
    func time(_ hhmm: String) -> String {
        guard let separator = strings["time_separator"] as? String, separator != ":" else { return hhmm }
        return hhmm.split(separator: ":", omittingEmptySubsequences: false).joined(separator: separator)
    }
}

/// Collation for Norwegian titles: case-insensitive, æ ø å after z.
enum NorwegianSort {
    static func key(_ s: String) -> String {
        var lower = s.lowercased()
        // Composed first, so "a" + combining ring sorts as "å"; most titles have no combining marks and skip this.
        if lower.unicodeScalars.contains(where: { $0.value >= 0x300 && $0.value <= 0x36F }) {
            lower = lower.precomposedStringWithCanonicalMapping
        }
        // On the UTF-8 bytes: each of these letters is C3 followed by one byte, and C3 only ever starts a character.
        var out: [UInt8] = []
        out.reserveCapacity(lower.utf8.count)
        var bytes = lower.utf8.makeIterator()
        while let b = bytes.next() {
            guard b == 0xC3, let second = bytes.next() else { out.append(b); continue }
            switch second {
            case 0xA6, 0xA4: out.append(0x7B) // æ ä
            case 0xB8, 0xB6: out.append(0x7C) // ø ö
            case 0xA5: out.append(0x7D) // å
            case 0xA9, 0xA8, 0xAA: out.append(UInt8(ascii: "e")) // é è ê
            default: out.append(b); out.append(second)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    /// Percent-encodes for a URL query value.
    var urlQueryEncoded: String {
        var out = ""
        for b in utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            default:
                out += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
