import Testing
import TilbudHTML

/// Writes a small Atom-like document.
private func writeFeed() -> String {
    let writer = XMLWriter()
    writer.startDocument()
    writer.startElement("feed")
    writer.attribute("xmlns", "http://www.w3.org/2005/Atom")
    writer.element("title", text: "Mat & helse <for> \"alle\"")
    writer.startElement("link")
    writer.attribute("href", "https://example.org/?a=1&b=<2>\"3\"")
    writer.endElement()
    writer.startElement("entry")
    writer.element("id", text: "urn:tilbud:1")
    writer.startElement("summary")
    writer.text("Blåbær\u{1} & fløte")
    writer.endElement()
    writer.endElement()
    writer.endDocument()
    return writer.finish()
}

@Suite("XML writer")
struct XMLWriterTests {
    @Test("writes an indented UTF-8 document with escaping")
    func smallDocument() {
        #expect(writeFeed() == """
        <?xml version="1.0" encoding="UTF-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom">
          <title>Mat &amp; helse &lt;for&gt; &quot;alle&quot;</title>
          <link href="https://example.org/?a=1&amp;b=&lt;2&gt;&quot;3&quot;"/>
          <entry>
            <id>urn:tilbud:1</id>
            <summary>Blåbær &amp; fløte</summary>
          </entry>
        </feed>

        """)
    }

    @Test("the same calls give byte-identical output")
    func deterministic() {
        #expect(writeFeed() == writeFeed())
    }

    @Test("endDocument closes open elements; finish can be called before and after")
    func closesOpenElements() {
        let writer = XMLWriter()
        writer.startDocument()
        writer.startElement("urlset")
        writer.startElement("url")
        writer.element("loc", text: "https://example.org/")
        #expect(writer.finish().hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset>"))
        writer.endDocument()
        #expect(writer.finish() == """
        <?xml version="1.0" encoding="UTF-8"?>
        <urlset>
          <url>
            <loc>https://example.org/</loc>
          </url>
        </urlset>

        """)
    }
}
