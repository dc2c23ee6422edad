import Foundation
import Testing
import TilbudTestSupport
import TilbudModel
import TilbudRender
import TilbudSite
import TilbudValidate

/// What is published, listed, hidden and marked, checked on the built fixture site.
@Suite struct PublishingRulesTests {
    /// The list pages an offer of the fixture could appear on, in every language.
    static let listPages: [String] = ["", "nn/", "en/"].flatMap { p in
        ["index.html", "tema/fysisk-aktivitet/index.html", "tema/kols/index.html", "tema/sovn/index.html", "tema/kosthold/index.html",
         "kommune/0301/index.html", "kommune/4601/index.html", "kommune/3201/index.html", "tilbyder/frisk-oslo/index.html",
         "tilbyder/pust-norge/index.html", "landsdekkende/index.html", "type/friskliv/index.html", "malgruppe/eldre/index.html",
         "malgruppe/voksne/index.html"].map { p + $0 }
    }

    @Test func fixtureStatesAreTheOnesTheTestsAssume() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let check = CatalogChecker(root: fixture.content, displayRoot: "content", today: SiteFixture.today).run()
        #expect(!check.hasErrors)
        for (id, state) in SiteFixture.expectedStates {
            #expect(check.catalog.offers.first { $0.id == id }?.state.rawValue == state, "\(id)")
        }
    }

    @Test func currentAndDueOffersAreListedAndLinked() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let tema = fixture.page("tema/sovn/index.html")
        #expect(tema.contains("href=\"/tilbud/frisk-oslo/sov-godt/\""))
        let bergen = fixture.page("kommune/4601/index.html")
        #expect(bergen.contains("href=\"/tilbud/pust-norge/kols-kafe/\""), "a due offer is still listed")
        let due = fixture.page("tilbud/pust-norge/kols-kafe/index.html")
        #expect(due.contains("notice notice-due"))
        #expect(due.contains("1. oktober 2025"), "the due notice gives the review date")
    }

    @Test func staleAndEndedKeepTheirPageWithANoticeButAreNotListed() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        // These two are written in bokmål only, so their pages are the bokmål ones.
        for lang in [""] {
            let stale = fixture.page(lang + "tilbud/frisk-oslo/gammel-gruppe/index.html")
            #expect(stale.contains("class=\"notice notice-stale\""), "\(lang) stale notice")
            let ended = fixture.page(lang + "tilbud/frisk-oslo/trim-sommer/index.html")
            #expect(ended.contains("class=\"notice notice-ended\""), "\(lang) ended notice")
            #expect(!ended.contains("class=\"signup\""), "an ended offer offers no sign-up")
            #expect(ended.contains("href=\"/\(lang)tema/fysisk-aktivitet/\""), "the ended notice points to similar offers")
        }
        for page in Self.listPages {
            let html = fixture.page(page)
            #expect(!html.contains("/tilbud/frisk-oslo/gammel-gruppe/"), "stale offer listed on \(page)")
            #expect(!html.contains("/tilbud/frisk-oslo/trim-sommer/"), "ended offer listed on \(page)")
            #expect(!html.contains("Gågruppe på Grünerløkka"), "stale title on \(page)")
            #expect(!html.contains("Sommertrim i parken"), "ended title on \(page)")
        }
    }

    @Test func draftsAndArchivedOffersAreNotPublishedAnywhere() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        for lang in ["", "nn/", "en/"] {
            #expect(!fixture.exists(lang + "tilbud/frisk-oslo/utkast"))
            #expect(!fixture.exists(lang + "tilbud/pust-norge/arkiv"))
        }
        for (path, data) in Tree.read(fixture.output) {
            let text = String(decoding: data, as: UTF8.self)
            for needle in ["Hemmelig utkast", "Arkivert pustekurs", "utkast/", "arkiv/"] {
                #expect(!text.contains(needle), "\(needle) in \(path)")
            }
        }
    }

    @Test func providerFilesAndEditorsNeverReachTheOutput() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let tree = Tree.read(fixture.output)
        #expect(!tree.isEmpty)
        for (path, data) in tree {
            let name = (path as NSString).lastPathComponent
            #expect(name != "provider.yaml" && !name.hasSuffix(".yaml") && !name.hasSuffix(".md") && !name.hasSuffix(".csv"), "\(path)")
            let text = String(decoding: data, as: UTF8.self)
            #expect(!text.contains("hemmelig"), "editor address in \(path)")
            #expect(!text.contains("editors"), "the editors field in \(path)")
            #expect(!text.contains("org_number"), "raw provider.yaml in \(path)")
        }
    }

    @Test func everyLanguageHasItsFrontPageAndTheSharedPages() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        for (lang, prefix) in [("nb", ""), ("nn", "nn/"), ("en", "en/")] {
            for page in ["index.html", "sok/index.html", "404.html", "kommune/index.html", "landsdekkende/index.html",
                         "tema/sovn/index.html", "kommune/0301/index.html", "tilbyder/frisk-oslo/index.html"] {
                let html = fixture.page(prefix + page)
                #expect(html.contains("<html lang=\"\(lang)\">"), "\(prefix + page)")
            }
        }
        let home = fixture.page("index.html")
        #expect(home.contains("role=\"search\""), "a search box")
        #expect(home.contains("href=\"/tema/sovn/\""), "browse by topic")
        #expect(home.contains("href=\"/kommune/0301/\""), "browse by municipality")
        #expect(home.contains("<summary>Vestland"), "municipalities grouped by county")
        #expect(home.contains("href=\"/type/friskliv/\""), "browse by kind")
        #expect(home.contains("href=\"/malgruppe/eldre/\""), "browse by audience")
    }

    @Test func offerPageHasTheKeyFactsAndActions() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let html = fixture.page("tilbud/frisk-oslo/sov-godt/index.html")
        for needle in ["<h1>Sov godt – kurs for deg som sover dårlig</h1>",
                       "<a class=\"button\" href=\"https://example.org/frisk-oslo/sov-godt\">Meld deg på</a>",
                       "href=\"tel:+4723004120\"", "href=\"mailto:ingrid@frisk-oslo.example.org\"",
                       "https://www.openstreetmap.org/?mlat=59.9226&amp;mlon=10.759", "Helgesens gate 2, 0553 Oslo",
                       "Egenandel 1\u{00A0}500 kr", "<time datetime=\"2027-02-02\">2. februar 2027</time>",
                       "<time datetime=\"2027-01-26\">26. januar 2027</time>", "Tilgjengelig med rullestol, Teleslynge",
                       "href=\"/tilbyder/frisk-oslo/\"", "<time datetime=\"2026-10-05\">5. oktober 2026</time>",
                       "<a href=\"/nn/tilbud/frisk-oslo/sov-godt/\" hreflang=\"nn\" lang=\"nn\">Norsk nynorsk</a>",
                       "<link rel=\"alternate\" hreflang=\"nn\" href=\"https://tilbud.example.org/nn/tilbud/frisk-oslo/sov-godt/\">",
                       "<dt>Gjennomføring</dt> <dd>Oppmøte</dd>", 
                       "<a href=\"/malgruppe/voksne/\">Voksne</a>, <a href=\"/malgruppe/eldre/\">Eldre</a>"] {
            #expect(html.contains(needle), "missing: \(needle)")
        }
        // A run that is over is not shown; the next one is, prominently, with its weekly times, sessions, place,
        // capacity and deadline. The body's links stay only when https.
        #expect(!html.contains("<li class=\"past\">"))
        #expect(!html.contains("<time datetime=\"2026-09-01\">"), "a past run is not shown")
        #expect(html.contains("<p class=\"next-start\"><strong>Neste oppstart:</strong> <time datetime=\"2027-02-02\">2. februar 2027</time> <a class=\"calendar\" href=\"/tilbud/frisk-oslo/sov-godt/kalender.ics\" download>Legg i kalenderen</a></p>"))
        #expect(html.contains("tirsdager 18.00–20.00 (4 samlinger). Sted: <span lang=\"nb\">Frisklivssentralen Grünerløkka</span>") ||
                html.contains("tirsdager 18.00–20.00 (4 samlinger). Sted: <span>Frisklivssentralen Grünerløkka</span>") ||
                html.contains("tirsdager 18.00–20.00 (4 samlinger). Sted: Frisklivssentralen Grünerløkka") ||
                html.contains("tirsdager 18.00–20.00 (4 samlinger). Sted: <span >Frisklivssentralen Grünerløkka</span>"))
        #expect(html.contains("<strong class=\"capacity\">Få plasser</strong>"))
        #expect(html.contains("Påmeldingsfrist: <time datetime=\"2027-01-26\">26. januar 2027</time>"))
        #expect(html.contains("<a href=\"https://www.helsenorge.no/sovn\">Helsenorge</a>"))
        #expect(!html.contains("http://example.org/gammel"), "an http link is not rendered as a link")
        #expect(html.contains("en gammel side"), "its text stays")
        // No English translation: no hreflang alternate claims one.
        #expect(!html.contains("hreflang=\"en\" href="))
    }

    @Test func bodyHeadingsStartAtH2AndEveryPageHasOneH1() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let offer = fixture.page("tilbud/frisk-oslo/sov-godt/index.html")
        #expect(offer.contains("<h2>Om kurset</h2>") || offer.contains("<h3>Om kurset</h3>"))
        let pages = Tree.pages(fixture.output)
        #expect(pages.count > 100)
        for (path, html) in pages {
            #expect(html.occurrences(of: "<h1") == 1, "\(path) has \(html.occurrences(of: "<h1")) h1")
            #expect(html.contains("<main id=\"main\""), "\(path) main landmark")
            #expect(html.contains("href=\"#main\""), "\(path) skip link")
            #expect(html.contains("<header") && html.contains("<footer") && html.contains("<nav"), "\(path) landmarks")
            #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\""), "\(path) doctype and lang")
        }
    }

    @Test func untranslatedOffersAppearInBokmalMarkedAsSuch() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        // An offer has a page in each language it is written in, and no other.
        #expect(!fixture.exists("en/tilbud/frisk-oslo/sov-godt"), "no English page for an offer without an English text")
        #expect(fixture.exists("en/tilbud/pust-norge/pust-digitalt/index.html"))
        // English lists show it in bokmål, marked as such, linking to the bokmål page.
        let enList = fixture.page("en/tema/sovn/index.html")
        #expect(enList.contains("<a href=\"/tilbud/frisk-oslo/sov-godt/\" lang=\"nb\" hreflang=\"nb\">Sov godt – kurs for deg som sover dårlig</a> <span class=\"card-lang\">(in Norwegian)</span>"))
        #expect(enList.contains("<p class=\"card-summary\" lang=\"nb\">"))
        let nnList = fixture.page("nn/tema/sovn/index.html")
        #expect(nnList.contains("<a href=\"/nn/tilbud/frisk-oslo/sov-godt/\">Sov godt – kurs for deg som søv dårleg</a>"), "a translation links to its own page")
        let nn = fixture.page("nn/tilbud/frisk-oslo/sov-godt/index.html")
        #expect(nn.contains("<h1>Sov godt – kurs for deg som søv dårleg</h1>"), "the translation is used, without lang")
        #expect(nn.contains("<span lang=\"nb\">Frisklivssentralen Grünerløkka</span>"), "record text is marked as bokmål")
        #expect(nn.contains("tysdagar 18.00–20.00 (4 samlingar)"), "weekly times in nynorsk")
        #expect(nn.contains("<span lang=\"nb\">Kursheftet er med.</span>"))
        let enTranslated = fixture.page("en/tilbud/pust-norge/pust-digitalt/index.html")
        #expect(enTranslated.contains("<h1>Breathe better – online training</h1>"))
        // The language switch of the bokmål page goes to the English front page, where no English page exists.
        let nbPage = fixture.page("tilbud/frisk-oslo/sov-godt/index.html")
        #expect(nbPage.contains("<a href=\"/en/\" lang=\"en\" hreflang=\"en\">English</a>"))
        #expect(nbPage.contains("<a href=\"/nn/tilbud/frisk-oslo/sov-godt/\" lang=\"nn\" hreflang=\"nn\">"))
        #expect(!nbPage.contains("lang=\"nb\">Tirsdager"), "no redundant lang on pages in bokmål")
        // Every link on every page leads to a page that exists.
        for (path, html) in Tree.pages(fixture.output) {
            // (Calendar files are the feed step's, which this fixture does not run; CalendarTests covers them.)
            for href in html.hrefs where href.hasPrefix("/") && !href.hasPrefix("//") && !href.hasSuffix(".ics") {
                // (A query string, as on the lists' "Filtrer" link into the search page, is not part of the page.)
                let file = href.split(separator: "#").first.flatMap { $0.split(separator: "?").first }.map(String.init) ?? href
                let target = file.hasSuffix("/") ? String(file.dropFirst()) + "index.html" : String(file.dropFirst())
                #expect(fixture.exists(target), "\(path) links to \(href), which does not exist")
            }
        }
    }

    @Test func listsAreSortedByNextStartThenTitle() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        // Oslo: the national one with continuous intake (today), then 13 January, then 2 February.
        let oslo = fixture.page("kommune/0301/index.html")
        let order = ["/tilbud/frisk-oslo/tobakksfri/", "/tilbud/frisk-oslo/sov-godt/"]
        let positions = order.compactMap { oslo.range(of: $0)?.lowerBound }
        #expect(positions.count == 2 && positions[0] < positions[1], "local offers by next start")
        let national = fixture.page("landsdekkende/index.html")
        #expect(national.contains("/tilbud/pust-norge/pust-digitalt/"))
        let home = fixture.page("index.html")
        let soon = home.components(separatedBy: "id=\"snart\"").last ?? ""
        let a = soon.range(of: "/tilbud/frisk-oslo/tobakksfri/"), b = soon.range(of: "/tilbud/frisk-oslo/sov-godt/"),
            c = soon.range(of: "/tilbud/pust-norge/kols-kafe/")
        #expect(a != nil && b != nil && c != nil)
        if let a, let b, let c { #expect(a.lowerBound < b.lowerBound && b.lowerBound < c.lowerBound) }
        #expect(!soon.contains("/tilbud/pust-norge/pust-digitalt/"), "'starting soon' shows dated runs")
        // Titles break ties on the same day, in Norwegian order (Å after Z).
        var same = SiteFixture.catalog
        for (slug, title) in [("a-kurs", "Åpent kurs"), ("z-kurs", "Zumba-kurs"), ("b-kurs", "Balansekurs")] {
            same += "\n" + Self.datedOffer(slug: slug, title: title, start: "2027-05-05")
        }
        let tie = try SiteFixture(same)
        tie.buildOK()
        let list = tie.page("tema/stress/index.html")
        let idx = ["b-kurs", "z-kurs", "a-kurs"].compactMap { list.range(of: "/tilbud/frisk-oslo/\($0)/")?.lowerBound }
        #expect(idx.count == 3 && idx[0] < idx[1] && idx[1] < idx[2], "Balansekurs, Zumba-kurs, Åpent kurs")
    }

    @Test func municipalityPagesListLocalAndNationalOffersAndLinkBeyondThirty() throws {
        var text = SiteFixture.catalog
        for n in 1...31 {
            text += "\n" + Self.nationalOffer(slug: String(format: "nasjonal-%02d", n))
        }
        let fixture = try SiteFixture(text)
        fixture.buildOK()
        let bergen = fixture.page("kommune/4601/index.html")
        #expect(bergen.contains("/tilbud/pust-norge/kols-kafe/"), "local offer")
        // 32 national offers; 30 shown inline, then a link to the full list.
        #expect(bergen.occurrences(of: "<li class=\"card\" ") == 1 + SiteRenderer.nationalInline)
        #expect(bergen.contains("<a href=\"/landsdekkende/\">Se alle 32 tilbud for hele landet</a>"))
        #expect(bergen.contains("<p class=\"total\">33 tilbud</p>"), "the count includes every national offer")
        let national = fixture.page("landsdekkende/index.html")
        #expect(national.occurrences(of: "<li class=\"card\" ") == 32)
        // A municipality with no local offer still lists the national ones.
        let alesund = fixture.page("kommune/1508/index.html")
        #expect(alesund.contains("Det er ingen tilbud her akkurat nå."))
        #expect(alesund.occurrences(of: "<li class=\"card\" ") == SiteRenderer.nationalInline)
    }

    @Test func adjacentTextElementsAreSeparatedByWhitespace() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let glued = try NSRegularExpression(pattern: "</(dt|dd|li|a|span|time|strong|em|h[1-6]|p|summary|th|td)><(dt|dd|li|a|span|time|strong|em|p|th|td)[ >]")
        var checked = 0
        for (path, html) in Tree.pages(fixture.output) {
            checked += html.occurrences(of: "<dt>")
            let matches = glued.matches(in: html, range: NSRange(html.startIndex..., in: html))
            for m in matches.prefix(3) {
                let r = Range(m.range, in: html)!
                Issue.record("\(path): text elements run together: \(html[r])")
            }
        }
        #expect(checked > 100, "the fixture has definition lists to check")
    }

    static func datedOffer(slug: String, title: String, start: String) -> String {
        """
        -- content/providers/frisk-oslo/\(slug).md --
        ---
        title: \(title)
        summary: Et kurs om stress.
        kind: friskliv
        format: kurs
        delivery: digitalt
        topics: [stress]
        audiences: [voksne]
        municipalities: ["0301"]
        schedule:
          - start: \(start)
        price:
          kind: gratis
        referral: ingen
        signup:
          email: post@frisk-oslo.example.org
        languages: [nb]
        last_reviewed: 2026-10-01
        ---
        Om stress.
        """
    }

    static func nationalOffer(slug: String) -> String {
        """
        -- content/providers/pust-norge/\(slug).md --
        ---
        title: Nettkurs \(slug)
        summary: Et nettkurs for hele landet.
        kind: selvhjelp
        format: digitalt-verktoy
        delivery: digitalt
        topics: [stress]
        audiences: [alle]
        national: true
        ongoing: true
        price:
          kind: gratis
        referral: ingen
        signup:
          url: https://example.org/pust/\(slug)
        languages: [nb]
        last_reviewed: 2026-10-01
        ---
        Et nettkurs.
        """
    }
}
