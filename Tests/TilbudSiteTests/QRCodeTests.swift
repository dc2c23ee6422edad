import Testing
import TilbudQR

/// The handout's QR code: libqrencode's modules drawn as one SVG path. (The browser test in e2e/site/test_print.py
/// prints an offer and reads the code back with zbarimg.)
@Suite("QR code")
struct QRCodeTests {
    @Test("an address becomes a square SVG with a quiet zone, the same bytes every time, labelled for screen readers")
    func svg() throws {
        let url = "https://tilbud.example.org/tilbud/frisklivssentralen-oslo-grunerlokka/sov-godt/"
        let svg = try #require(QRCode.svg(url, label: "QR-kode med adressen <til> tilbudet"))
        #expect(svg == QRCode.svg(url, label: "QR-kode med adressen <til> tilbudet"))
        // Version 5 at error correction M: 37 modules, and 4 of quiet zone on each side.
        #expect(svg.hasPrefix(#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 45 45" role="img" aria-label="QR-kode med adressen &lt;til&gt; tilbudet""#))
        // The three finder patterns start a row at the quiet zone's edge with a run of 7 dark modules.
        #expect(svg.contains(#"d="M4 4.5h7"#))
        #expect(svg.utf8.count < 3_000, "small enough to inline in every offer page: \(svg.utf8.count) bytes")
        #expect(QRCode.svg(url + "x", label: "") != svg)
    }

    @Test("a text longer than a QR code holds gives no code rather than a broken one")
    func tooLong() {
        #expect(QRCode.svg(String(repeating: "a", count: 3_000), label: "") == nil)
    }
}
