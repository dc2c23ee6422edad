import TilbudModel
import TilbudRender

/// An offer as the JSON API shows it (`/api/v1/offers/<provider>/<slug>.json` and the items of `offers.json`).
///
/// Keys come in a fixed order. Vocabulary fields carry ids (labels are in `vocabularies.json`).
/// Optional values that a record does not have are left out rather than written as `null`.
public enum OfferJSON {
    /// The keys an offer object always has, in order (the JSON Schema's `required`).
    public static let requiredKeys = [
        "id", "url", "title", "summary", "kind", "format", "delivery", "topics", "audiences", "municipalities", "national",
        "locations", "schedule", "ongoing", "price", "referral", "signup", "contact", "languages", "accessibility", "tags",
        "last_reviewed", "state", "provider", "description_html", "description_text", "translations",
    ]

    /// The offer at `index` in `context.renderer.published`.
    public static func value(_ index: Int, _ context: FeedContext) -> JSONValue {
        value(context.renderer.published[index], index, context)
    }

    /// Offers are passed in, not copied out of the array: an offer has many fields to retain.
    static func value(_ o: Offer, _ index: Int, _ context: FeedContext) -> JSONValue {
        let texts = context.renderer.texts[index]
        let base = texts[context.defaultLanguage] ?? texts.values.first
        var f = JSONFields()
        f.set("id", o.id)
        f.set("url", context.pageURL(o, context.defaultLanguage))
        f.set("api_url", context.apiBase + "offers/" + o.id + ".json")
        f.set("title", o.title)
        f.set("summary", o.summary)
        f.set("kind", o.kind)
        f.set("format", o.format)
        f.set("delivery", o.delivery)
        f.set("topics", o.topics)
        f.set("audiences", o.audiences)
        f.set("municipalities", o.municipalities)
        f.set("national", o.national)
        f.set("locations", .array(o.locations.map(location)))
        f.set("schedule", .array(o.schedule.map { r in
            var s = JSONFields()
            s.set("start", r.start.iso)
            s.set("end", r.end?.iso)
            s.set("note", r.note)
            return s.value
        }))
        f.set("ongoing", o.ongoing)
        f.set("next_start", o.nextStart?.iso)
        var price = JSONFields()
        price.set("kind", o.price.kind)
        price.set("amount_nok", o.price.amountNOK)
        price.set("note", o.price.note)
        f.set("price", price.value)
        f.set("referral", o.referral)
        var signup = JSONFields()
        signup.set("url", o.signup.url)
        signup.set("phone", o.signup.phone)
        signup.set("email", o.signup.email)
        signup.set("deadline", o.signup.deadline?.iso)
        f.set("signup", signup.value)
        var contact = JSONFields()
        contact.set("name", o.contact.name)
        contact.set("phone", o.contact.phone)
        contact.set("email", o.contact.email)
        f.set("contact", contact.value)
        f.set("languages", o.languages)
        f.set("accessibility", o.accessibility)
        f.set("tags", o.tags)
        f.set("last_reviewed", o.lastReviewed.iso)
        f.set("valid_until", o.validUntil?.iso)
        f.set("updated", o.updated?.iso)
        f.set("published", o.published?.iso)
        f.set("state", o.state.rawValue)
        var provider = JSONFields()
        provider.set("id", o.providerID)
        if let p = context.provider(of: o) {
            provider.set("name", p.name)
            provider.set("org_number", p.orgNumber)
            provider.set("type", p.type)
        }
        f.set("provider", provider.value)
        f.set("description_html", base?.bodyHTML ?? "")
        f.set("description_text", base?.bodyText ?? "")
        var translations = JSONFields()
        for lang in context.languages where lang != context.defaultLanguage && o.translations[lang] != nil {
            guard let t = texts[lang], t.language == lang else { continue }
            var tf = JSONFields()
            tf.set("title", t.title)
            tf.set("summary", t.summary)
            tf.set("description_html", t.bodyHTML)
            tf.set("description_text", t.bodyText)
            tf.set("url", context.pageURL(o, lang))
            translations.set(lang, tf.value)
        }
        f.set("translations", translations.value)
        return f.value
    }

    /// A short reference to an offer, for the lists in provider, municipality and topic files; the whole
    /// offer is at `offers/<id>.json`. Written on one line each, as these lists repeat national offers 357 times.
    public static func reference(_ index: Int, _ context: FeedContext) -> JSONValue {
        reference(context.renderer.published[index], context)
    }

    static func reference(_ o: Offer, _ context: FeedContext) -> JSONValue {
        var f = JSONFields()
        f.set("id", o.id)
        f.set("title", o.title)
        f.set("state", o.state.rawValue)
        f.set("national", o.national)
        return f.value
    }

    static func location(_ l: Location) -> JSONValue {
        var f = JSONFields()
        f.set("name", l.name)
        f.set("address", l.address)
        f.set("postal_code", l.postalCode)
        f.set("city", l.city)
        f.set("municipality", l.municipality)
        if let g = l.geo { f.set("geo", .object([("lat", .number(g.lat)), ("lon", .number(g.lon))])) }
        return f.value
    }
}
