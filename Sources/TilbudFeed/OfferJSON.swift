import TilbudJSON
import TilbudModel
import TilbudRender

/// An offer as the JSON API shows it (`/api/v1/offers/<provider>/<slug>.json` and the items of `offers.json`).
///
/// Keys come in a fixed order. Vocabulary fields carry ids (labels are in `vocabularies.json`).
/// Optional values that a record does not have are left out rather than written as `null`. Declared fields the code
/// does not model follow the fixed keys, under their own names, in declared order (`ExtraFieldsJSON`).
public enum OfferJSON {
    /// The keys an offer object always has, in order (the JSON Schema's `required`).
    public static let requiredKeys = [
        "id", "url", "title", "summary", "kind", "format", "delivery", "topics", "audiences", "municipalities", "national",
        "locations", "schedule", "ongoing", "price", "referral", "signup", "contact", "languages", "accessibility", "tags",
        "last_reviewed", "state", "provider", "description_html", "description_text", "translations",
    ]

    /// The offer at `index` in `context.published.offers` (its compact encoding, as a `.raw` value).
    public static func value(_ index: Int, _ context: FeedContext) -> JSONValue {
        .raw(encoded(index, context))
    }

    /// The offer at `index` in `context.published.offers`, encoded compactly on one line.
    public static func encoded(_ index: Int, _ context: FeedContext) -> [UInt8] {
        var w = JSONWriter(escaping: .html)
        write(context.published.offers[index], index, context, to: &w)
        return w.bytes
    }

    /// Writes the offer as one object. Offers are passed in, not copied out of the array: an offer has many fields to retain.
    static func write(_ o: Offer, _ index: Int, _ context: FeedContext, to f: inout JSONWriter) {
        let texts = context.published.texts[index]
        let base = texts[context.defaultLanguage] ?? texts.values.first
        f.startRecord()
        f.openObject()
        f.string("id", o.id)
        f.string("url", context.pageURL(o, context.defaultLanguage))
        f.string("api_url", context.apiBase + SitePaths.apiOffer(o.id))
        f.string("title", o.title)
        f.string("summary", o.summary)
        f.string("kind", o.kind)
        f.string("format", o.format)
        f.string("delivery", o.delivery)
        f.strings("topics", o.topics)
        f.strings("audiences", o.audiences)
        f.strings("municipalities", o.municipalities)
        f.bool("national", o.national)
        f.openArray("locations")
        for l in o.locations { location(l, to: &f) }
        f.closeArray()
        f.openArray("schedule")
        for r in o.schedule {
            f.openObject()
            f.dateTime("start", r.start)
            f.dateTime("end", r.end)
            f.string("note", r.note)
            if !r.times.isEmpty {
                f.openArray("times")
                for t in r.times {
                    f.openObject()
                    f.string("weekday", t.weekday)
                    f.string("from", t.from)
                    f.string("to", t.to)
                    f.closeObject()
                }
                f.closeArray()
            }
            f.int("sessions", r.sessions)
            f.string("location", r.location)
            f.string("capacity", r.capacity)
            f.day("deadline", r.deadline)
            f.closeObject()
        }
        f.closeArray()
        f.bool("ongoing", o.ongoing)
        f.dateTime("next_start", o.nextStart)
        f.openObject("price")
        f.string("kind", o.price.kind)
        f.int("amount_nok", o.price.amountNOK)
        f.string("note", o.price.note)
        f.closeObject()
        f.string("referral", o.referral)
        f.openObject("signup")
        f.string("url", o.signup.url)
        f.string("phone", o.signup.phone)
        f.string("email", o.signup.email)
        f.day("deadline", o.signup.deadline)
        f.closeObject()
        f.openObject("contact")
        f.string("name", o.contact.name)
        f.string("phone", o.contact.phone)
        f.string("email", o.contact.email)
        f.closeObject()
        f.strings("languages", o.languages)
        f.strings("accessibility", o.accessibility)
        f.strings("tags", o.tags)
        f.day("last_reviewed", o.lastReviewed)
        f.day("valid_until", o.validUntil)
        f.day("updated", o.updated)
        f.day("published", o.published)
        f.string("state", o.state.rawValue)
        f.openObject("provider")
        f.string("id", o.providerID)
        if let p = context.provider(of: o) {
            f.string("name", p.name)
            f.string("org_number", p.orgNumber)
            f.string("type", p.type)
        }
        f.closeObject()
        let description = base?.body ?? (html: "", text: "")
        f.string("description_html", description.html)
        f.string("description_text", description.text)
        f.openObject("translations")
        for lang in context.languages where lang != context.defaultLanguage && o.translations[lang] != nil {
            guard let t = texts[lang], t.language == lang else { continue }
            f.separateKey(lang)
            f.openObject()
            f.string("title", t.title)
            f.string("summary", t.summary)
            let body = t.body
            f.string("description_html", body.html)
            f.string("description_text", body.text)
            f.string("url", context.pageURL(o, lang))
            f.closeObject()
        }
        f.closeObject()
        ExtraFieldsJSON.write(o.extra, to: &f)
        f.closeObject()
    }

    /// The entry of an offer in the list files (municipality, national, topic and provider files): what a portal's
    /// list shows (title, summary, page and API address, kind, delivery, topics, next start) and its state.
    static func encodedReference(_ o: Offer, _ context: FeedContext) -> [UInt8] {
        var w = JSONWriter(escaping: .html)
        w.openObject()
        w.string("id", o.id)
        w.string("title", o.title)
        w.string("summary", o.summary)
        w.string("url", context.pageURL(o, context.defaultLanguage))
        w.string("api_url", context.apiBase + SitePaths.apiOffer(o.id))
        w.string("kind", o.kind)
        w.string("delivery", o.delivery)
        w.strings("topics", o.topics)
        w.dateTime("next_start", o.nextStart)
        w.string("state", o.state.rawValue)
        w.bool("national", o.national)
        w.closeObject()
        return w.bytes
    }

    static func location(_ l: Location, to f: inout JSONWriter) {
        f.openObject()
        f.string("name", l.name)
        f.string("address", l.address)
        f.string("postal_code", l.postalCode)
        f.string("city", l.city)
        f.string("municipality", l.municipality)
        if let g = l.geo {
            f.openObject("geo")
            f.number("lat", g.lat)
            f.number("lon", g.lon)
            f.closeObject()
        }
        f.closeObject()
    }
}
