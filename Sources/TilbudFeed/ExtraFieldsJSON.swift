import TilbudJSON
import TilbudModel
import TilbudRender

/// The declared fields the code does not model (`Offer.extra`, `Provider.extra`) as JSON, each under its own name,
/// in declared order, only when the record has it: text, Markdown (its source), URLs, e-mails, phones and ids as
/// strings; yes/no as booleans; integers and numbers as numbers; dates as `"YYYY-MM-DD"`; dates with a time as
/// `"YYYY-MM-DDTHH:MM"` (local, as a run's `start`); `ids` and lists as arrays; objects as objects.
enum ExtraFieldsJSON {
    /// Writes each entry as a key of the object that is open in `f`.
    static func write(_ entries: [FieldEntry], to f: inout JSONWriter) {
        for e in entries {
            f.separateKey(e.name)
            write(e.value, to: &f)
        }
    }

    /// Writes one value (after a key, or as a list item).
    static func write(_ value: FieldValue, to f: inout JSONWriter) {
        switch value {
        case let .text(s), let .id(s): f.string(nil, s)
        case let .bool(b): f.bool(nil, b)
        case let .integer(n): f.int(nil, n)
        case let .number(x): f.number(nil, x)
        case let .date(d): f.day(nil, d)
        case let .dateTime(t): f.dateTime(nil, t)
        case let .ids(ids): f.strings(nil, ids)
        case let .list(items):
            f.openArray()
            for item in items { write(item, to: &f) }
            f.closeArray()
        case let .object(entries):
            f.openObject()
            write(entries, to: &f)
            f.closeObject()
        }
    }

    /// Adds each entry to `fields`.
    static func set(_ entries: [FieldEntry], in fields: inout JSONFields) {
        for e in entries { fields.set(e.name, value(e.value)) }
    }

    /// One value as a `JSONValue` (the same JSON as `write`).
    static func value(_ value: FieldValue) -> JSONValue {
        switch value {
        case let .text(s), let .id(s): .string(s)
        case let .bool(b): .bool(b)
        case let .integer(n): .int(n)
        case let .number(x): .number(x)
        case let .date(d): .string(d.iso)
        case let .dateTime(t): .string(t.iso)
        case let .ids(ids): .strings(ids)
        case let .list(items): .array(items.map(Self.value))
        case let .object(entries): .object(entries.map { ($0.name, Self.value($0.value)) })
        }
    }
}
