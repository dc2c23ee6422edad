import Testing
import TilbudJSON
import TilbudModel
@testable import TilbudRender

@Suite("JSON writer")
struct JSONWriterTests {
    /// Strings that exercise every escape, at every offset of the eight-byte steps, and text that needs none.
    static let strings: [String] = {
        var out = ["", "a", "æøå ÆØÅ – «sitat» 😀", "\u{2028}\u{2029}</script>&<>", "\u{2027}\u{202A}\u{2013}", "xxxxxx\u{2028}y", "tab\there", "\"quoted\" and \\back\\slash",
                   "ctrl \u{01}\u{08}\u{0C}\u{0D}\u{1F}\u{7F} end", String(repeating: "lang tekst uten noe å skifte ut ", count: 40)]
        for special in ["\"", "\\", "\n", "\u{00}", "\u{1F}", " ", "~", "ø", "<", "&", "\u{2028}", "\u{2013}"] {
            for offset in 0..<17 { out.append(String(repeating: "x", count: offset) + special + String(repeating: "y", count: 17 - offset)) }
        }
        return out
    }()

    /// JSON string escaping written out character by character, independent of the writer's byte loop.
    static func reference(_ s: String, _ escaping: JSONWriter.Escaping) -> String {
        let separators = escaping != .minimal, html = escaping == .html
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where u.value < 0x20 || (separators && ["\u{2028}", "\u{2029}"].contains(u)) || (html && ["<", ">", "&"].contains(u)):
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    @Test("strings are escaped as JSON requires, plus U+2028 and U+2029 for JavaScript, plus <, > and & for HTML")
    func stringsMatch() {
        for s in Self.strings {
            for escaping in [JSONWriter.Escaping.minimal, .lineSeparators, .html] {
                var w = JSONWriter(escaping: escaping)
                w.string(nil, s)
                #expect(String(decoding: w.bytes, as: UTF8.self) == Self.reference(s, escaping), "\(s.debugDescription) \(escaping)")
            }
            #expect(JSONValue.string(s).encoded(pretty: false) == Array(Self.reference(s, .minimal).utf8))
            #expect(JSONValue.string(s).encoded(pretty: false, htmlSafe: true) == Array(Self.reference(s, .html).utf8))
        }
    }

    @Test("JSON.quote (the diagnostics' JSON, the dev server's events) is the writer's escaping, line separators included")
    func quoteIsTheWriter() {
        for s in Self.strings {
            #expect(JSON.quote(s) == Self.reference(s, .lineSeparators), "\(s.debugDescription)")
        }
    }

    @Test("the eight-byte test finds exactly the bytes that need escaping, in every position")
    func wordTestIsExact() {
        for b in 0...255 {
            for position in 0..<8 {
                var word: UInt64 = 0x6161_6161_6161_6161  // "aaaaaaaa"
                word &= ~(UInt64(0xFF) << (8 * position))
                word |= UInt64(b) << (8 * position)
                let expected = b < 0x20 || b == 0x22 || b == 0x5C
                #expect(JSONWriter.needsEscape(word) == expected, "byte \(b) at \(position)")
            }
        }
        #expect(!JSONWriter.needsEscape(0xC3B8_C3A6_E280_94FF))  // ø, æ, – and a lone 0xFF: nothing to escape
        for b in 0...255 {
            for position in 0..<8 {
                var word: UInt64 = 0x6161_6161_6161_6161
                word &= ~(UInt64(0xFF) << (8 * position))
                word |= UInt64(b) << (8 * position)
                #expect(JSONWriter.needsHTMLEscape(word) == (b == 0x3C || b == 0x3E || b == 0x26), "byte \(b) at \(position)")
                #expect(JSONWriter.mayStartLineSeparator(word) == (b == 0xE2), "byte \(b) at \(position)")
            }
        }
    }

    @Test("objects, arrays, numbers, days and left-out nils match the JSONValue encoding")
    func structureMatches() {
        var w = JSONWriter()
        w.openObject()
        w.string("s", "x")
        w.string("missing", nil)
        w.int("n", 42)
        w.int("none", nil)
        w.number("whole", 10.0)
        w.number("lat", 59.9226)
        w.number("neg", -0.5)
        w.number("huge", 1e20)
        w.number("nan", .nan)
        w.bool("t", true)
        w.strings("empty", [])
        w.strings("list", ["a", "b\"c"])
        w.openArray("objects")
        w.openObject()
        w.closeObject()
        w.openObject()
        w.day("d", Day(iso: "2027-02-03"))
        w.dateTime("dt", DateTime(day: Day(iso: "2027-02-03")!, time: "18:00"))
        w.dateTime("date", DateTime(day: Day(iso: "0999-12-31")!, time: nil))
        w.closeObject()
        w.closeArray()
        w.separateKey("nn")
        w.openObject()
        w.joined("text", ["Første\tdel", "andre \"del\""], separator: "\n\n")
        w.closeObject()
        w.raw("raw", Array(#"{"a":[1]}"#.utf8))
        w.closeObject()
        let expected: JSONValue = .object([
            ("s", .string("x")), ("n", .int(42)), ("whole", .number(10)), ("lat", .number(59.9226)), ("neg", .number(-0.5)),
            ("huge", .number(1e20)), ("nan", .number(.nan)), ("t", .bool(true)), ("empty", .array([])), ("list", .strings(["a", "b\"c"])),
            ("objects", .array([.object([]), .object([("d", .string("2027-02-03")), ("dt", .string("2027-02-03T18:00")), ("date", .string("0999-12-31"))])])),
            ("nn", .object([("text", .string("Første\tdel\n\nandre \"del\""))])),
            ("raw", .object([("a", .array([.int(1)]))])),
        ])
        #expect(String(decoding: w.bytes, as: UTF8.self) == expected.text(pretty: false))
    }
}


/// The HTML-safe JSON writer (the pages' JSON-LD) must give the bytes the `JSONValue` encoder gives for the same fields.
struct JSONWriterHTMLSafeTests {
    @Test("nested objects and arrays, left-out nils, numbers, raw fragments and HTML-unsafe text match JSONValue")
    func matchesJSONValue() {
        let fragment = JSONValue.object([("@type", .string("Place")), ("name", .string("Kafé <Sør> & co"))])
        let fragmentBytes = fragment.encoded(pretty: false, htmlSafe: true)
        let expected = JSONValue.object([
            ("@type", .string("Course")),
            ("name", .string("«Sov godt» </script> \"nå\"\n\u{2028}")),
            ("free", .bool(true)),
            ("price", .int(-300)),
            ("geo", .object([("lat", .number(59.4641)), ("lon", .number(9))])),
            ("languages", .strings(["nb", "en"])),
            ("empty", .array([])),
            ("places", .array([fragment, .object([])])),
            ("where", fragment),
        ]).encoded(pretty: false, htmlSafe: true)

        var w = JSONWriter(escaping: .html)
        w.openObject()
        w.string("@type", "Course")
        w.string("name", "«Sov godt» </script> \"nå\"\n\u{2028}")
        w.string("missing", nil)
        w.bool("free", true)
        w.int("price", -300)
        w.openObject("geo")
        w.number("lat", 59.4641)
        w.number("lon", 9)
        w.closeObject()
        w.strings("languages", ["nb", "en"])
        w.openArray("empty")
        w.closeArray()
        w.openArray("places")
        w.raw(nil, fragmentBytes)
        w.openObject()
        w.closeObject()
        w.closeArray()
        w.raw("where", fragmentBytes)
        w.closeObject()
        #expect(String(decoding: w.bytes, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }
}
