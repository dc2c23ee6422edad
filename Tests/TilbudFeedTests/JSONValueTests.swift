import Foundation
import Testing
import TilbudModel
import TilbudRender
@testable import TilbudFeed

@Suite("JSON encoder")
struct JSONValueTests {
    @Test("keys keep their order; pretty output has two-space indentation and a final newline")
    func prettyOrder() {
        let v: JSONValue = .object([("zeta", .int(1)), ("alpha", .array([.string("x"), .bool(false), .null])), ("empty", .object([])),
                                    ("none", .array([]))])
        #expect(v.text() == """
        {
          "zeta": 1,
          "alpha": [
            "x",
            false,
            null
          ],
          "empty": {},
          "none": []
        }

        """)
        #expect(v.text(pretty: false) == #"{"zeta":1,"alpha":["x",false,null],"empty":{},"none":[]}"#)
    }

    @Test("UTF-8 letters are written as they are; quotes, backslashes and control characters are escaped")
    func escaping() {
        let v: JSONValue = .string("Blåbær \"søt\" \\ ø\u{1}\t\n<b>&")
        #expect(v.text(pretty: false) == #""Blåbær \"søt\" \\ ø\u0001\t\n<b>&""#)
        #expect(Array(v.encoded(pretty: false)) == Array(#""Blåbær \"søt\" \\ ø\u0001\t\n<b>&""#.utf8))
    }

    @Test("HTML-safe output escapes <, >, &, U+2028 and U+2029 so it cannot end a script element")
    func htmlSafe() {
        let v: JSONValue = .string("</script><!-- & \u{2028}\u{2029} – ok")
        let text = v.text(pretty: false, htmlSafe: true)
        #expect(text == #""\u003c/script\u003e\u003c!-- \u0026 \u2028\u2029 – ok""#)
        #expect(!text.contains("<") && !text.contains(">"))
        // Still the same string when read back.
        let back = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? String
        #expect(back == "</script><!-- & \u{2028}\u{2029} – ok")
    }

    @Test("numbers: integers stay integers, decimals are the shortest round-trip text")
    func numbers() {
        let v: JSONValue = .array([.number(59.9226), .number(10.0), .number(-0.5), .int(-3), .number(.nan)])
        #expect(v.text(pretty: false) == "[59.9226,10,-0.5,-3,null]")
    }

    @Test("the test's pretty-printer turns compact output into the encoder's pretty output")
    func prettyPrinter() {
        let v: JSONValue = .object([("a", .array([.int(1), .string("x,\"]{")])), ("b", .object([])), ("c", .array([])), ("d", .object([("e", .null)]))])
        #expect(prettyJSON(v.text(pretty: false)) == v.text())
    }

    @Test("JSONFields leaves out nil values")
    func fields() {
        var f = JSONFields()
        f.set("a", "x")
        f.set("b", nil as String?)
        f.set("c", nil as Int?)
        f.set("d", 3)
        f.set("e", ["p"])
        #expect(f.value.text(pretty: false) == #"{"a":"x","d":3,"e":["p"]}"#)
    }

    @Test("Europe/Oslo offsets follow EU summer time")
    func osloOffsets() {
        func offset(_ s: String, _ t: String?) -> String { OsloTime.offset(Day(iso: s)!, time: t) }
        #expect(offset("2027-02-02", "18:00") == "+01:00")
        #expect(offset("2027-04-06", "18:00") == "+02:00")
        // 2027: summer time from 28 March 02:00 to 31 October 03:00.
        #expect(offset("2027-03-28", "01:30") == "+01:00")
        #expect(offset("2027-03-28", "03:00") == "+02:00")
        #expect(offset("2027-10-31", "02:30") == "+02:00")
        #expect(offset("2027-10-31", "03:00") == "+01:00")
        #expect(OsloTime.iso(DateTime(day: Day(iso: "2026-07-01")!, time: "09:15")) == "2026-07-01T09:15:00+02:00")
        #expect(OsloTime.iso(DateTime(day: Day(iso: "2026-07-01")!, time: nil)) == "2026-07-01")
    }
}
