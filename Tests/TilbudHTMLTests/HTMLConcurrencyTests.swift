import Foundation
import Testing
import TilbudHTML

/// Collects results from concurrent work.
private final class ResultStore: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int: [String]] = [:]

    func set(_ value: [String], at index: Int) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func all(count: Int) -> [[String]] {
        lock.lock()
        defer { lock.unlock() }
        return (0..<count).map { values[$0] ?? [] }
    }
}

/// A varied HTML fragment with allowed, unknown and dangerous parts.
private func sampleHTML(_ index: Int) -> String {
    """
    <h1>Tilbud \(index)</h1>
    <p onclick="alert(\(index))">Kurs for <del>alle</del> <em>voksne</em> &amp; barn nr. \(index).
    <a href="https://example.org/\(index)">Les mer</a> <a href="javascript:alert(\(index))">farlig</a></p>
    <table><thead><tr><th align="center">Dag</th><th>Tid</th></tr></thead>
    <tbody><tr><td align="right">Mandag</td><td>1\(index % 10):00</td></tr></tbody></table>
    <div class="x"><script>alert(\(index))</script><img src=x onerror=alert(\(index))><span>span \(index)</span></div>
    <dl><dt>Pris</dt><dd>\(index) kr</dd></dl>
    """
}

/// Everything the module produces for one sample: sanitized HTML, plain text and a small XML document.
private func process(_ index: Int) -> [String] {
    let html = sampleHTML(index)
    let writer = XMLWriter()
    writer.startDocument()
    writer.startElement("entry")
    writer.attribute("id", "\(index)")
    writer.element("title", text: HTMLText.plainText(html))
    writer.endDocument()
    let combined = HTMLSanitizer.sanitizeWithText(html)
    let markdownShaped = HTMLSanitizer.sanitizeWithText("<h2>T \(index)</h2>\n<p>a <em>b</em> \(index)</p>\n<ul>\n<li>c</li>\n</ul>\n")
    return [HTMLSanitizer.sanitize(html), HTMLText.plainText(html), writer.finish(), combined.html, combined.text,
            markdownShaped.html, markdownShaped.text]
}

@Suite("Concurrency")
struct HTMLConcurrencyTests {
    @Test("sanitizing (also with text, one parse per thread's reused parser context), extracting text and writing XML for 200 documents on many threads gives the serial results")
    func concurrentMatchesSerial() {
        let count = 200
        let serial = (0..<count).map(process)
        #expect(serial[3][0].hasPrefix("<h2>Tilbud 3</h2>\n<p>Kurs for <del>alle</del>"))
        #expect(!serial[3][0].contains("script"))
        #expect(serial[3][1].hasSuffix("span 3 Pris 3 kr"))
        #expect(serial[3][3] == serial[3][0])
        #expect(serial[3][5] == "<h2>T 3</h2>\n<p>a <em>b</em> 3</p>\n<ul>\n<li>c</li>\n</ul>\n")
        #expect(serial[3][6] == "T 3 a b 3 c")
        for _ in 0..<5 {
            let store = ResultStore()
            DispatchQueue.concurrentPerform(iterations: count) { index in
                store.set(process(index), at: index)
            }
            #expect(store.all(count: count) == serial)
        }
    }
}
