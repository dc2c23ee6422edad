import Foundation
import Testing
import TilbudTestSupport

/// Issue 13, item 1: the offer page's call to action follows the access mode, and nothing contradicts the offer's state.
@Suite struct AccessPageTests {
    static func offer(_ slug: String, _ fields: String, ongoing: Bool = true, validUntil: String? = nil) -> String {
        """
        -- content/providers/frisk-oslo/\(slug).md --
        ---
        title: Kurs \(slug)
        summary: Et kurs for deg med kols, og for dine pårørende.
        kind: laering-og-mestring
        format: kurs
        delivery: digitalt
        topics: [kols]
        audiences: [pasienter]
        municipalities: ["0301"]
        ongoing: \(ongoing)
        price:
          kind: egenandel
          amount_nok: 411
        \(fields)
        signup:
          url: https://example.org/frisk-oslo/\(slug)
          phone: "+47 23 00 41 00"
        languages: [nb]
        last_reviewed: 2026-10-01\(validUntil.map { "\nvalid_until: " + $0 } ?? "")
        ---
        Om kurset.
        """
    }

    static let referralOnly = offer("kols-henvist", """
    referral: henvisning
    referrers: [fastlege, spesialist]
    referral_recipient:
      unit: Medisinsk klinikk, LMS
      address: Postboks 1400
      postal_code: "0553"
      city: Oslo
      phone: "+47 55 00 80 00"
      email: henvisning@sykehus.example.org
      her_id: 8100123
    referral_info: |
      For voksne med kols. **Ikke** ved akutt forverring.

      <script>alert(1)</script>
    relatives:
      welcome: true
      note: Pårørende kommer på pasientens henvisning.
    price_details:
      frikort: true
      free_for_relatives: true
      no_show_fee_nok: 300
    """)

    static let selfReferral = offer("kols-selv", "referral: ingen")

    static let both = offer("kols-begge", "referral: ingen\nreferrers: [selv, fastlege, nav]")

    static let ended = offer("kols-slutt", "referral: henvisning\nreferrers: [fastlege]\nreferral_recipient:\n  unit: Medisinsk klinikk, LMS",
                             validUntil: "2026-10-15")

    static func fixture() throws -> SiteFixture {
        let fixture = try SiteFixture(SiteFixture.catalog + "\n" + [referralOnly, selfReferral, both, ended].joined(separator: "\n"))
        fixture.buildOK()
        return fixture
    }

    @Test func aReferralOnlyOfferAsksForAReferralAndShowsTheRecipient() throws {
        let fixture = try Self.fixture()
        let html = fixture.page("tilbud/frisk-oslo/kols-henvist/index.html")
        for needle in ["<h2 id=\"henvisning\">Be fastlegen din om henvisning</h2>",
                       "Henvisning kan komme fra: Fastlege, Spesialisthelsetjenesten.",
                       "<h3 id=\"til-henviser\">For helsepersonell: slik henviser du</h3>",
                       "Medisinsk klinikk, LMS", "Postboks 1400, 0553 Oslo", "href=\"tel:+4755008000\"",
                       "href=\"mailto:henvisning@sykehus.example.org\"", "<dt>HER-id</dt> <dd><span>8100123</span></dd>",
                       "<strong>Ikke</strong> ved akutt forverring",
                       "Egenandel 411 kr. Gratis med frikort. Gratis for pårørende. Gebyr hvis du ikke møter og ikke har meldt fra: 300 kr",
                       "<dt>Pårørende</dt> <dd>Ja. <span>Pårørende kommer på pasientens henvisning.</span></dd>"] {
            #expect(html.contains(needle), "missing: \(needle)")
        }
        #expect(!html.contains("Meld deg på"), "a referral-only offer has no sign-up")
        #expect(!html.contains("class=\"signup\""))
        #expect(!html.contains("<script>alert"), "the clinician text is sanitized")
        #expect(!html.contains("<dt>Henvisning</dt>"), "the referral is not a late fact")
        let facts = html.range(of: "id=\"fakta\"")?.lowerBound, cta = html.range(of: "id=\"henvisning\"")?.lowerBound
        #expect(facts != nil && cta != nil && cta! < facts!, "the call to action comes before the facts")
    }

    @Test func aSelfReferralOfferShowsSignUpOnly() throws {
        let html = try Self.fixture().page("tilbud/frisk-oslo/kols-selv/index.html")
        #expect(html.contains("<a class=\"button\" href=\"https://example.org/frisk-oslo/kols-selv\">Meld deg på</a>"))
        #expect(!html.contains("id=\"henvisning\""))
        #expect(!html.contains("Be fastlegen din om henvisning"))
    }

    @Test func anOfferOpenToBothShowsBoth() throws {
        let html = try Self.fixture().page("tilbud/frisk-oslo/kols-begge/index.html")
        #expect(html.contains("Meld deg på"))
        #expect(html.contains("<h2 id=\"henvisning\">Du kan også bli henvist</h2>"))
        #expect(html.contains("Henvisning kan komme fra: Fastlege, NAV (frisklivsresept)."))
    }

    @Test func anEndedOfferHasNoCallToActionAndNoOpenIntake() throws {
        let html = try Self.fixture().page("tilbud/frisk-oslo/kols-slutt/index.html")
        #expect(html.contains("class=\"notice notice-ended\""))
        #expect(!html.contains("Meld deg på"))
        #expect(!html.contains("Be fastlegen din om henvisning"))
        #expect(!html.contains("id=\"henvisning\""))
        #expect(!html.contains("du kan begynne når som helst"))
    }
}
