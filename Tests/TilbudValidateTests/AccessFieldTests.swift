import Foundation
import Testing
import TilbudTestSupport

/// Issue 13, item 1: the access and cost fields (`referrers`, `referral_recipient`, `referral_info`, `relatives`,
/// `price_details`; the providers' `her_id` and `resh_id`) validate from their declarations, with errors at their line.
@Suite struct AccessFieldTests {
    static let valid = offerCatalog([
        "referral": "referral: henvisning",
        "referrers": "referrers: [fastlege, spesialist]",
        "referral_recipient": """
        referral_recipient:
          unit: Lærings- og mestringssenteret
          address: Postboks 1400
          postal_code: "5021"
          city: Bergen
          phone: "+47 55 00 80 00"
          email: henvisning@sykehus.example.org
          her_id: 8100123
        """,
        "referral_info": "referral_info: For voksne med kols. **Ikke** ved akutt forverring.",
        "relatives": "relatives:\n  welcome: true\n  note: Én pårørende kan være med.",
        "price_details": "price_details:\n  frikort: true\n  free_for_relatives: true\n  no_show_fee_nok: 300",
    ])

    @Test func theAccessFieldsOfAHospitalCourseAreValid() throws {
        let catalog = try TestCatalog(Self.valid)
        expectNoErrors(catalog.check())
    }

    @Test func theProvidersHERAndRESHIdsAreValid() throws {
        let files = offerCatalog().replacingOccurrences(of: "-- content/providers/frisk/provider.yaml --\n",
                                                        with: "-- content/providers/frisk/provider.yaml --\nher_id: 8100123\nresh_id: 4001234\n")
        expectNoErrors(try TestCatalog(files).check())
    }

    @Test(arguments: ["referral:", "referral: ~", "referral: # ikke avklart ennå"])
    func anEmptyReferralIsTheDefaultNotALostOffer(_ line: String) throws {
        // Found by the loader fuzz: `referral:` with no value left the offer out of the catalog with no error.
        let result = try TestCatalog(offerCatalog(["referral": line])).check()
        expectNoErrors(result)
        #expect(result.catalog.offers.count == 1)
        #expect(result.catalog.offers.first?.referral == (try TestCatalog(offerCatalog(["referral": ""])).check().catalog.offers.first?.referral))
    }

    static let wrong: [RuleCase] = [
        RuleCase("an unknown referrer", offerCatalog(["referrers": "referrers: [fastlege, 1️⃣fastlegen]"]), expect: "unknown-id"),
        RuleCase("a recipient without a unit", offerCatalog(["referral_recipient": "referral_recipient:\n  1️⃣phone: \"+47 55 00 80 00\""]),
                 expect: "missing-field"),
        RuleCase("a HER-id that is not a number", offerCatalog(["referral_recipient": "referral_recipient:\n  unit: LMS\n  her_id: 1️⃣abc"]),
                 expect: "wrong-type"),
        RuleCase("a recipient's bad e-mail", offerCatalog(["referral_recipient": "referral_recipient:\n  unit: LMS\n  email: 1️⃣lms"]),
                 expect: "invalid-email"),
        RuleCase("a recipient's bad postcode", offerCatalog(["referral_recipient": "referral_recipient:\n  unit: LMS\n  postal_code: 1️⃣\"50\""]),
                 expect: "invalid-postal-code"),
        RuleCase("relatives welcome as a word", offerCatalog(["relatives": "relatives:\n  welcome: 1️⃣kanskje"]), expect: "wrong-type"),
        RuleCase("a negative no-show fee", offerCatalog(["price_details": "price_details:\n  no_show_fee_nok: 1️⃣-100"]), expect: "invalid-number"),
        RuleCase("frikort as a word", offerCatalog(["price_details": "price_details:\n  frikort: 1️⃣ja takk"]), expect: "wrong-type"),
    ]

    @Test(arguments: wrong) func wrongValuesAreErrorsAtTheirLine(_ c: RuleCase) throws {
        try c.run()
    }
}
