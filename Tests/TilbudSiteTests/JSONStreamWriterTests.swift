import Testing
@testable import TilbudRender

/// The JSON-LD writer must give the bytes the `JSONValue` encoder gives for the same fields.
struct JSONStreamWriterTests {
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

        var w = JSONStreamWriter(htmlSafe: true)
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
