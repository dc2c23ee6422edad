import Foundation
import Testing
import TilbudTestSupport

/// The publisher on every page, the pages about the site, the index pages that make every URL prefix a page, and the
/// breadcrumbs of offer pages, checked on the built fixture site with a publisher in its site.yaml.
@Suite struct PublisherPagesTests {
    static let publisher = """
    base_url: https://tilbud.example.org/
    publisher:
      name: {nb: Forvaltningen, nn: Forvaltninga, en: The governance body}
      email: post@example.org
      phone: "+47 22 00 00 00"
      url: https://example.org/forvaltningen
      logo: media/logo.svg
    social_image: media/deling.jpg
    pages:
      about: sider/om.md
      accessibility: sider/uu.md

    """
    static let pages = """
    -- content/media/logo.svg --
    <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>
    -- content/sider/om.md --
    ---
    title: Om nettstedet
    ---
    Nettstedet drives av *Forvaltningen*.

    # Kontakt

    Skriv til oss.
    -- content/sider/uu.md --
    ---
    title: Tilgjengelighetserklæring
    ---
    Status.
    -- content/sider/uu.nn.md --
    ---
    title: Tilgjengeerklæring
    ---
    Status.
    """

    /// The fixture catalog with the publisher, built.
    static func built() throws -> SiteFixture {
        let governance = SiteFixture.governance.replacingOccurrences(of: "base_url: https://tilbud.example.org/\n", with: publisher)
        let fixture = try SiteFixture(SiteFixture.catalog + "\n" + pages, governance: governance)
        // A JPEG's start: SOI, then a start-of-frame segment of 630 × 1200 pixels.
        try FileTree.write(Data([0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x02, 0x76, 0x04, 0xB0, 0x03, 0x01, 0x22, 0x00, 0x02, 0x11,
                                 0x01, 0x03, 0x11, 0x01, 0xFF, 0xD9]), to: fixture.url("content/media/deling.jpg"))
        fixture.buildOK()
        return fixture
    }

    /// Every page of the output, by its root-relative URL path.
    static func htmlPages(_ root: URL) -> [String: String] {
        var out: [String: String] = [:]
        for path in (FileManager.default.subpaths(atPath: root.path) ?? []) where path.hasSuffix(".html") {
            let url = "/" + (path.hasSuffix("index.html") ? String(path.dropLast("index.html".count)) : path)
            out[url] = (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
        }
        return out
    }

    static func language(_ url: String) -> String { url.hasPrefix("/nn/") ? "nn" : url.hasPrefix("/en/") ? "en" : "nb" }

    @Test("every page names the publisher in its language, links to the accessibility statement and has the link-preview tags")
    func everyPage() throws {
        let fixture = try Self.built()
        let pages = Self.htmlPages(fixture.output)
        #expect(pages.count > 100)
        let names = ["nb": "Forvaltningen", "nn": "Forvaltninga", "en": "The governance body"]
        let prefix = ["nb": "/", "nn": "/nn/", "en": "/en/"]
        let logo = try #require(try FileManager.default.contentsOfDirectory(atPath: fixture.url("public/assets").path)
            .first { $0.hasPrefix("site-logo.") && $0.hasSuffix(".svg") })
        for (url, html) in pages {
            let lang = Self.language(url)
            let footer = html.components(separatedBy: "<footer").last ?? ""
            #expect(footer.contains("<strong><a href=\"https://example.org/forvaltningen\">\(names[lang]!)</a></strong>"), "\(url)")
            #expect(footer.contains("<a href=\"tel:+4722000000\">+47 22 00 00 00</a>"), "\(url)")
            #expect(footer.contains("<a href=\"\(prefix[lang]!)tilgjengelighet/\">"), "\(url)")
            #expect(footer.contains("<a href=\"mailto:post@example.org\">"), "\(url)")
            // No privacy page named: no link to one.
            #expect(!html.contains("personvern/"), "\(url)")
            #expect(html.contains("<link rel=\"icon\" href=\"/assets/\(logo)\" type=\"image/svg+xml\">"), "\(url)")
            #expect(html.contains("<meta property=\"og:image\" content=\"https://tilbud.example.org/assets/site-social-image."), "\(url)")
            #expect(html.contains("<meta property=\"og:image:width\" content=\"1200\">\n<meta property=\"og:image:height\" content=\"630\">"), "\(url)")
        }
        let offer = try #require(pages["/tilbud/frisk-oslo/sov-godt/"])
        #expect(offer.contains("<meta property=\"og:type\" content=\"article\">"))
        #expect(offer.contains("<meta property=\"og:url\" content=\"https://tilbud.example.org/tilbud/frisk-oslo/sov-godt/\">"))
    }

    @Test("every internal link and every URL prefix of every page is a page")
    func noDeadEnds() throws {
        let fixture = try Self.built()
        let pages = Self.htmlPages(fixture.output)
        func resolves(_ path: String) -> Bool {
            let file = fixture.output.appendingPathComponent(String(path.dropFirst()) + (path.hasSuffix("/") ? "index.html" : ""))
            return FileManager.default.fileExists(atPath: file.path)
        }
        var prefixes = Set<String>()
        var links = Set<String>()
        for (url, html) in pages {
            let parts = url.split(separator: "/")
            for n in 0..<(url.hasSuffix("/") ? parts.count : parts.count - 1) { prefixes.insert("/" + parts.prefix(n).joined(separator: "/") + (n > 0 ? "/" : "")) }
            for piece in html.components(separatedBy: " href=\"/").dropFirst() + html.components(separatedBy: " src=\"/").dropFirst() {
                links.insert("/" + String(piece.prefix { $0 != "\"" && $0 != "#" && $0 != "?" }))
            }
        }
        #expect(prefixes.isSuperset(of: ["/", "/tilbud/", "/tilbud/frisk-oslo/", "/nn/tilbud/", "/en/tema/", "/tilbyder/", "/type/", "/malgruppe/"]))
        #expect(prefixes.filter { !resolves($0) }.sorted() == [])
        #expect(links.count > 100)
        // Calendar files are the feed step's, which this build leaves out (e2e walks the full build).
        #expect(links.filter { !resolves($0) && !$0.hasSuffix("/kalender.ics") }.sorted() == [])
    }

    @Test("index pages: providers in Norwegian order with counts, every offer with a page under its provider, ended ones marked")
    func indexes() throws {
        let fixture = try Self.built()
        let providers = fixture.page("tilbyder/index.html")
        #expect(providers.contains("<h1>Alle tilbydere</h1>"))
        let names = providers.components(separatedBy: "<li><a href=\"/tilbyder/").dropFirst().map { String($0.split(separator: ">")[1].prefix { $0 != "<" }) }
        #expect(names.count == (try FileManager.default.contentsOfDirectory(atPath: fixture.url("public/tilbyder").path)).filter { !$0.hasSuffix(".html") }.count)
        #expect(names.count >= 2)
        #expect(names == names.sorted { $0.lowercased() < $1.lowercased() })
        let offers = fixture.page("tilbud/frisk-oslo/index.html")
        #expect(offers.contains("<a href=\"/tilbud/frisk-oslo/trim-sommer/\">"))
        #expect(offers.contains("<span class=\"index-note\">(avsluttet)</span>"))
        #expect(offers.contains("<a href=\"/tilbyder/frisk-oslo/\">"))
        #expect(fixture.page("en/tema/index.html").contains("<a href=\"/en/tema/sovn/\">Sleep</a> <span class=\"count\">(1)</span>"))
        #expect(fixture.page("tema/index.html").contains("<a href=\"/tema/\" aria-current=\"page\">Tema</a>"))
    }

    @Test("the pages about the site: Markdown with # as h2, a missing translation shown in the default language, marked")
    func documents() throws {
        let fixture = try Self.built()
        let about = fixture.page("om-nettstedet/index.html")
        #expect(about.contains("<h1>Om nettstedet</h1>"))
        #expect(about.contains("<h2>Kontakt</h2>"))
        #expect(about.contains("<em>Forvaltningen</em>"))
        #expect(fixture.page("nn/tilgjengelighet/index.html").contains("<h1>Tilgjengeerklæring</h1>"))
        let en = fixture.page("en/tilgjengelighet/index.html")
        #expect(en.contains("<article class=\"document\" lang=\"nb\">\n<h1>Tilgjengelighetserklæring</h1>"))
        #expect(!fixture.exists("personvern/index.html"))
    }

    @Test("an offer page's breadcrumbs follow its address: front page, all offers, the provider's offers, the offer")
    func breadcrumbs() throws {
        let fixture = try Self.built()
        let page = fixture.page("nn/tilbud/frisk-oslo/sov-godt/index.html")
        let nav = try #require(page.components(separatedBy: "<nav class=\"breadcrumbs\" aria-label=\"Du er her\">").last?
            .components(separatedBy: "</nav>").first)
        let hrefs = nav.components(separatedBy: "href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(hrefs == ["/nn/", "/nn/tilbud/", "/nn/tilbud/frisk-oslo/"])
        #expect(nav.contains("<span aria-current=\"page\">Sov godt – kurs for deg som søv dårleg</span>"))
    }

    @Test("counties in Norwegian alphabetical order on the municipalities page and the front page")
    func counties() throws {
        let fixture = try Self.built()
        let headings = fixture.page("kommune/index.html").components(separatedBy: "<h2 id=\"fylke-").dropFirst()
            .map { String($0.split(separator: ">")[1].prefix { $0 != "<" }) }
        #expect(headings == ["Akershus", "Møre og Romsdal", "Oslo", "Vestland"])
    }
}
