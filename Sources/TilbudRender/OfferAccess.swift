import TilbudHTML
import TilbudMarkdown
import TilbudModel

/// How people get into an offer, read from the declared access and cost fields (`referrers`, `referral_recipient`,
/// `referral_info`, `relatives`, `price_details` in fields.yaml, kept in `Offer.extra`) and the modelled `referral`.
/// What an id means comes from its vocabulary's traits, never from the id itself.
struct OfferAccess {
    /// People can sign up or get in touch themselves.
    var selfSignup: Bool
    /// People can come with a referral (the only way when `selfSignup` is false).
    var referral: Bool
    /// A GP can refer (or no referrer is named, when the GP is the usual one).
    var gp: Bool
    /// The labels of the referrers other than the person themselves, in written order.
    var referrers: [String]
    /// The referral recipient's sub-fields, in written order.
    var recipient: [FieldEntry]
    /// Markdown for the referring clinician.
    var clinicianMarkdown: String?
    /// Whether relatives can join, and how.
    var relativesWelcome: Bool?
    var relativesNote: String?
    var frikort: Bool
    var freeForRelatives: Bool
    var noShowFee: Int?

    init(_ o: Offer, _ gov: Governance, _ lang: String) {
        func entry(_ name: String) -> FieldValue? { o.extra.first { $0.name == name }?.value }
        func sub(_ value: FieldValue?, _ name: String) -> FieldValue? {
            if case let .object(entries)? = value { return entries.first { $0.name == name }?.value }
            return nil
        }
        func bool(_ v: FieldValue?) -> Bool? { if case let .bool(b)? = v { return b }; return nil }
        func int(_ v: FieldValue?) -> Int? { if case let .integer(n)? = v { return n }; return nil }
        func text(_ v: FieldValue?) -> String? { if case let .text(s)? = v { return s }; return nil }

        let referralSelf = gov.vocabulary(.referral).has(o.referral, .selfReferral)
        var ids: [String] = []
        if case let .ids(v)? = entry("referrers") { ids = v }
        let vocabulary = gov.fields.offerField("referrers")?.vocabulary.flatMap { gov.vocabulary(named: $0) }
        let selfIDs = ids.filter { vocabulary?.has($0, .selfReferral) ?? false }
        let others = ids.filter { !(vocabulary?.has($0, .selfReferral) ?? false) }
        selfSignup = referralSelf || !selfIDs.isEmpty
        referral = !referralSelf || !others.isEmpty
        gp = others.isEmpty || others.contains { vocabulary?.has($0, .gp) ?? false }
        referrers = others.map { vocabulary?[$0]?.label(lang) ?? $0 }
        if case let .object(entries)? = entry("referral_recipient") { recipient = entries } else { recipient = [] }
        clinicianMarkdown = text(entry("referral_info"))
        relativesWelcome = bool(sub(entry("relatives"), "welcome"))
        relativesNote = text(sub(entry("relatives"), "note"))
        let details = entry("price_details")
        frikort = bool(sub(details, "frikort")) ?? false
        freeForRelatives = bool(sub(details, "free_for_relatives")) ?? false
        noShowFee = int(sub(details, "no_show_fee_nok"))
    }

    /// The recipient's value of sub-field `name` as text.
    func recipient(_ name: String) -> String? {
        switch recipient.first(where: { $0.name == name })?.value {
        case let .text(s)?: return s
        case let .integer(n)?: return String(n)
        default: return nil
        }
    }

    /// The clinician text as sanitized HTML, rendered like an offer's body.
    var clinicianHTML: String? {
        guard let md = clinicianMarkdown, !md.isEmpty else { return nil }
        return MarkdownRenderer().withRenderedHTML(md) { HTMLSanitizer.sanitizeWithText(utf8: $0) }.html
    }
}
