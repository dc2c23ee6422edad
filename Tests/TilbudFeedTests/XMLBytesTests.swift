import Foundation
import Testing
import TilbudHTML
import TilbudModel
import TilbudRender
@testable import TilbudFeed

@Suite("XML written straight to bytes")
struct XMLBytesTests {
    /// Text with every ASCII character, letters from Latin-1 to astral planes and what XML 1.0 forbids.
    static let samples: [String] = [
        "", "plain", "https://tilbud.example.org/tilbud/a/b/?x=1&y=<2>",
        String((0..<128).map { Character(Unicode.Scalar(UInt8($0))) }),
        "Blåbær \"søt\" 'sur' æøå ÆØÅ é ŋ č", "tab\tline\nreturn\r\nend", "€ – “” … \u{2028}\u{2029}", "日本語 😀 𝔸",
        "\u{E000}\u{FFFD}\u{FFFE}\u{FFFF}\u{10FFFF}", "\u{0}\u{1}\u{8}\u{B}\u{C}\u{1F}\u{7F}\u{80}\u{9F}\u{A0}",
        "&amp; already &#13; escaped", ">>><<<&&&\"\"\"",
    ]

    /// What libxml2 writes for `text` as the content of `<x>` and as the value of `a` in `<x a="…"/>`, in a document
    /// with the XML declaration.
    static func libxml2(_ text: String) -> (content: String, attribute: String) {
        let w = XMLWriter()
        w.startDocument()
        w.startElement("r")
        w.element("x", text: text)
        w.startElement("x")
        w.attribute("a", text)
        w.endElement()
        w.endDocument()
        let out = w.finish()
        let content = out.range(of: "<x>").flatMap { open in out.range(of: "</x>", range: open.upperBound..<out.endIndex).map { out[open.upperBound..<$0.lowerBound] } }
        let attribute = out.range(of: "<x a=\"").flatMap { open in out.range(of: "\"/>", range: open.upperBound..<out.endIndex).map { out[open.upperBound..<$0.lowerBound] } }
        return (String(content ?? "?"), String(attribute ?? "?"))
    }

    @Test("text and attribute values are escaped exactly as libxml2 escapes them, after dropping what XML forbids")
    func escapingMatchesLibxml2() {
        for s in Self.samples {
            let expected = Self.libxml2(s)
            #expect(String(decoding: XMLBytes.escapedText(s), as: UTF8.self) == expected.content, "text \(s.debugDescription)")
            #expect(String(decoding: XMLBytes.escapedAttribute(s), as: UTF8.self) == expected.attribute, "attribute \(s.debugDescription)")
        }
        #expect(XMLBytes.escapedAttribute("ø\t😀\u{FFFF}\u{1}&") == Array("ø&#9;😀&amp;".utf8))
    }

    @Test("days are written as Day.iso writes them")
    func days() {
        for d in [Day(year: 2026, month: 11, day: 27)!, Day(year: 999, month: 1, day: 2)!] {
            var x = XMLBytes()
            x.day(d)
            #expect(x.bytes == Array(d.iso.utf8))
        }
    }

    /// The sitemap as it was written through `XMLWriter`.
    static func referenceURLSet(_ pages: [SitemapStep.Page], _ c: FeedContext) -> String {
        let x = XMLWriter()
        x.startDocument()
        x.startElement("urlset")
        x.attribute("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
        x.attribute("xmlns:xhtml", "http://www.w3.org/1999/xhtml")
        func alternate(_ lang: String, _ href: String) {
            x.startElement("xhtml:link")
            x.attribute("rel", "alternate")
            x.attribute("hreflang", lang)
            x.attribute("href", href)
            x.endElement()
        }
        for page in pages {
            for lang in page.languages {
                x.startElement("url")
                x.element("loc", text: c.paths.absoluteURL(page.path, lang))
                x.element("lastmod", text: page.lastmod.iso)
                if page.languages.count > 1 {
                    for l in page.languages { alternate(l, c.paths.absoluteURL(page.path, l)) }
                    alternate("x-default", c.paths.absoluteURL(page.path, c.defaultLanguage))
                }
                x.endElement()
            }
        }
        x.endDocument()
        return x.finish()
    }

    @Test("the sitemap's bytes are what XMLWriter wrote, for the site's pages and for pages with odd paths")
    func urlsetMatchesXMLWriter() throws {
        let fixture = FeedFixture.shared
        let c = try fixture.context()
        let step = SitemapStep()
        var pages = SitemapStep.pages(c)
        #expect(pages.count > 20)
        pages.append(SitemapStep.Page(path: "tema/søvn & ro/<\"x\">/", languages: c.languages, lastmod: Day(year: 2026, month: 1, day: 9)!))
        pages.append(SitemapStep.Page(path: "a\tb\u{1}/", languages: ["nb"], lastmod: Day(year: 2026, month: 1, day: 9)!))
        let urls = pages.indices.flatMap { n in pages[n].languages.map { (page: n, lang: $0) } }
        let bytes = step.urlset(pages, urls[...], c)
        #expect(String(decoding: bytes, as: UTF8.self) == Self.referenceURLSet(pages, c))
        #expect(String(decoding: step.urlset([], [], c), as: UTF8.self) == Self.referenceURLSet([], c))
        #expect(fixture.read("sitemap.xml") == Self.referenceURLSet(SitemapStep.pages(c), c))
    }
}
