import Foundation
import Testing
import TilbudTestSupport
import TilbudSite
import TilbudModel

/// Records written to attack the site: nothing they carry may be live in any output file.
///
/// `check` refuses HTML in plain-text fields (title, summary, names, notes), so the record's front matter writes
/// `⟨` and `⟩`, and `unchecked` puts `<` and `>` back after the check: the render stage must stay safe on its
/// own (defence in depth), whatever check lets through.
@Suite struct HostileContentTests {
    static let hostile = """
    -- content/providers/frisk-oslo/angrep.md --
    ---
    title: Kurs ⟨script⟩alert('tittel')⟨/script⟩ ⟨img src=x onerror=alert(1)⟩
    summary: "Et kurs med \\" onmouseover=\\"alert(2) og 'apostrofer' & ampersand"
    kind: friskliv
    format: kurs
    delivery: oppmote
    topics: [stress]
    audiences: [voksne]
    municipalities: ["0301"]
    locations:
      - name: ⟨script⟩alert('sted')⟨/script⟩Huset
        address: Gata 1 ⟨iframe src=https://evil.example⟩⟨/iframe⟩
        postal_code: "0553"
        city: Oslo" onfocus="alert(3)
        municipality: "0301"
    schedule:
      - start: 2027-02-02
        note: ⟨svg onload=alert('note')⟩
    price:
      kind: betaling
      amount_nok: 100
      note: ⟨a href="javascript:alert(4)"⟩betal her⟨/a⟩
    referral: ingen
    signup:
      url: https://example.org/x?a=1&b='onmouseover=alert(5)
      email: post@frisk-oslo.example.org
    contact:
      name: ⟨b onmouseover=alert(6)⟩Ola⟨/b⟩
    languages: [nb]
    last_reviewed: 2026-10-01
    ---
    # Overskrift <script>alert('body')</script>

    <script>alert('block')</script>

    <img src=x onerror="alert('img')">

    <iframe src="https://evil.example/"></iframe>

    <svg onload="alert('svg')"><circle r="1"/></svg>

    <a href="javascript:alert('a')">lenke</a> og <a href="https://ok.example/" onclick="alert('click')">ok</a>

    [js](javascript:alert('md')) [js2](JaVaScRiPt:alert('case')) [ent](&#106;avascript:alert('entity'))
    [hex](&#x6A;avascript:alert('hex')) [tab](java&#9;script:alert('tab')) [data](data:text/html;base64,PHNjcmlwdD4=)
    [vb](vbscript:msgbox(1)) [rel](/relative/path) [http](http://plain.example/)

    <details open ontoggle="alert('toggle')">x</details>

    <style>body{background:url(javascript:alert('css'))}</style>

    <math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>

    <noscript><p title="</noscript><img src=x onerror=alert('ns')>"></noscript>

    ![bilde](javascript:alert('image'))

    Trygt: [helsenorge](https://www.helsenorge.no/) og <mailto:post@example.org>.
    -- content/providers/frisk-oslo/angrep.nn.md --
    ---
    title: Nynorsk ⟨script⟩alert('nn')⟨/script⟩
    summary: Samandrag på nynorsk.
    ---
    <script>alert('nn body')</script>[nn](javascript:alert('nn'))
    """

    /// The catalog with `⟨` and `⟩` in every plain-text value turned into `<` and `>`.
    @Sendable static func unchecked(_ catalog: Catalog, _: URL) -> Catalog {
        func raw(_ s: String) -> String { s.replacingOccurrences(of: "⟨", with: "<").replacingOccurrences(of: "⟩", with: ">") }
        let offers = catalog.offers.map { o -> Offer in
            var o = o
            o.title = raw(o.title)
            o.summary = raw(o.summary)
            o.locations = o.locations.map { var l = $0; l.name = raw(l.name); l.address = raw(l.address); l.city = raw(l.city); return l }
            o.schedule = o.schedule.map { var r = $0; r.note = r.note.map(raw); return r }
            o.price.note = o.price.note.map(raw)
            o.contact.name = o.contact.name.map(raw)
            for (language, t) in o.translations {
                var t = t
                t.title = raw(t.title)
                t.summary = raw(t.summary)
                o.translations[language] = t
            }
            return o
        }
        return Catalog(site: catalog.site, governance: catalog.governance, providers: catalog.providers, offers: offers, today: catalog.today)
    }

    @Test func nothingHostileIsLiveInAnyOutputFile() throws {
        let fixture = try SiteFixture(SiteFixture.catalog + "\n" + Self.hostile)
        let result = fixture.build(transform: Self.unchecked)
        #expect(result.succeeded, "\(result.failure ?? "")\n\(result.listing)")
        #expect(fixture.exists("tilbud/frisk-oslo/angrep/index.html"), "the hostile record is published (and so tested)")
        let tree = Tree.read(fixture.output)
        var scanned = 0
        for (path, data) in tree.sorted(by: { $0.key < $1.key }) {
            let text = String(decoding: data, as: UTF8.self)
            if path.hasSuffix(".html") {
                scanned += 1
                for problem in HTMLScan.liveProblems(in: text) { Issue.record("\(path): \(problem)") }
            } else if path.hasSuffix(".css") || path.hasSuffix(".js") {
                for needle in ["alert(", "javascript:", "evil.example"] {
                    #expect(!text.contains(needle), "\(needle) in \(path)")
                }
            }
        }
        #expect(scanned == tree.keys.filter { $0.hasSuffix(".html") }.count && scanned > 100)
        // The page still says what the record says, as text.
        let page = fixture.page("tilbud/frisk-oslo/angrep/index.html")
        #expect(page.contains("Kurs &lt;script&gt;alert(&#39;tittel&#39;)&lt;/script&gt;") || page.contains("Kurs &lt;script&gt;alert('tittel')&lt;/script&gt;"))
        #expect(page.contains("<a href=\"https://www.helsenorge.no/\">helsenorge</a>"), "safe links stay")
        #expect(page.contains("<a href=\"mailto:post@example.org\">"), "mailto autolinks stay")
        let nn = fixture.page("nn/tilbud/frisk-oslo/angrep/index.html")
        #expect(nn.contains("Nynorsk &lt;script&gt;"))
    }

    @Test func aSummaryWithHTMLIsRejectedAndNothingIsPublished() throws {
        let record = Self.hostile.replacingOccurrences(
            of: "summary: \"Et kurs med \\\" onmouseover=\\\"alert(2) og 'apostrofer' & ampersand\"",
            with: "summary: Kurs <script>alert('summary')</script>")
        #expect(record != Self.hostile)
        let fixture = try SiteFixture(SiteFixture.catalog + "\n" + record)
        let result = fixture.build()
        #expect(!result.succeeded)
        #expect(result.diagnostics.contains { $0.id == "html-in-summary" }, "\(result.listing)")
        #expect(!fixture.exists(""), "no output at all from a rejected catalog")
    }

    @Test func theScannerItselfCatchesLiveContent() {
        // The test above is only as good as its scanner: it must see what a browser would run.
        let bad = [
            "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"&#106;avascript:alert(1)\">x</a>", "<a href='&#x6A;avascript:x'>x</a>", "<a href=\" java&#9;script:x\">x</a>",
            "<iframe src=\"https://x\"></iframe>", "<svg onload=alert(1)>", "<p onclick='x'>", "<a href=\"http://x\">",
            "<script type=\"application/ld+json\">{\"a\":\"</script><script>alert(1)</script>\"}</script>",
            "<div style=\"background:url(javascript:x)\">", "<a href=data:text/html,x>", "<style>a{b:url(javascript:x)}</style>",
        ]
        for html in bad {
            #expect(!HTMLScan.liveProblems(in: html).isEmpty, "missed: \(html)")
        }
        let good = [
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "<a href=\"https://x.example/\">x</a>", "<a href=\"/tema/x/\">x</a>",
            "<meta name=\"description\" content=\"&quot; onmouseover=&quot;alert(2)\">", "<a href=\"tel:+4723000000\">",
            "<script type=\"application/ld+json\">{\"a\":\"\\u003cscript\"}</script>", "<script src=\"/assets/search.1234567890.js\"></script>",
            "<p>onerror=alert(1) as text</p>",
        ]
        for html in good {
            #expect(HTMLScan.liveProblems(in: html).isEmpty, "false alarm: \(html) \(HTMLScan.liveProblems(in: html))")
        }
    }
}
