/// A provider (`provider.yaml`).
public struct Provider: Sendable {
    /// The folder name.
    public let id: String
    /// Display name.
    public var name: String
    /// Nine-digit organisation number.
    public var orgNumber: String
    /// Provider type id.
    public var type: String
    /// Kommunenummer of its address.
    public var municipality: String
    /// https website.
    public var website: String?
    /// E-mail.
    public var email: String?
    /// Phone.
    public var phone: String?
    /// Glob patterns of git author e-mails allowed to change the folder.
    public var editors: [String]
    /// `provider.yaml`'s path as shown to the user.
    public var sourcePath: String
    /// The values of declared fields the code does not model itself (`fields.yaml`), in declared order.
    public var extra: [FieldEntry] = []
    /// A hash of `provider.yaml` as read (`FileHash.of(texts:)` of its path in the content folder and its text), 0 when
    /// not known: what the provider's part of a page is made from, for telling whether a page can be kept from the
    /// previous build.
    public var sourceDigest: UInt64 = 0

    /// Creates a provider.
    public init(id: String, name: String, orgNumber: String, type: String, municipality: String, website: String? = nil,
                email: String? = nil, phone: String? = nil, editors: [String] = [], sourcePath: String) {
        self.id = id
        self.name = name
        self.orgNumber = orgNumber
        self.type = type
        self.municipality = municipality
        self.website = website
        self.email = email
        self.phone = phone
        self.editors = editors
        self.sourcePath = sourcePath
    }
}

/// Where an offer takes place.
public struct Location: Sendable, Hashable {
    /// Name of the place.
    public var name: String
    /// Street address.
    public var address: String
    /// Four-digit postnummer.
    public var postalCode: String
    /// Post town.
    public var city: String
    /// Kommunenummer.
    public var municipality: String
    /// Latitude and longitude.
    public var geo: Geo?

    /// Creates a location.
    public init(name: String, address: String, postalCode: String, city: String, municipality: String, geo: Geo? = nil) {
        self.name = name
        self.address = address
        self.postalCode = postalCode
        self.city = city
        self.municipality = municipality
        self.geo = geo
    }
}

/// A point on the map.
public struct Geo: Sendable, Hashable {
    /// Latitude, degrees north.
    public let lat: Double
    /// Longitude, degrees east.
    public let lon: Double

    /// Creates a point.
    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}

/// A weekly time slot of a run: a weekday and a local (Europe/Oslo) time span.
public struct WeeklyTime: Sendable, Hashable {
    /// The id in the `weekdays` vocabulary.
    public var weekday: String
    /// The ISO weekday (1 Monday … 7 Sunday), from the entry's trait.
    public var isoWeekday: Int
    /// `HH:MM`.
    public var from: String
    /// `HH:MM`.
    public var to: String

    /// Creates a time slot.
    public init(weekday: String, isoWeekday: Int, from: String, to: String) {
        self.weekday = weekday
        self.isoWeekday = isoWeekday
        self.from = from
        self.to = to
    }
}

/// One dated run of an offer.
public struct ScheduleRun: Sendable, Hashable {
    /// When it starts.
    public var start: DateTime
    /// When it ends (the start day when absent).
    public var end: DateTime?
    /// Free text: weekdays, times, how many sessions.
    public var note: String?
    /// Weekly time slots.
    public var times: [WeeklyTime]
    /// How many sessions.
    public var sessions: Int?
    /// The name of the offer's location the run uses.
    public var location: String?
    /// An id in the `capacity` vocabulary.
    public var capacity: String?
    /// Last day to sign up for this run.
    public var deadline: Day?

    /// Creates a run.
    public init(start: DateTime, end: DateTime?, note: String?, times: [WeeklyTime] = [], sessions: Int? = nil, location: String? = nil,
                capacity: String? = nil, deadline: Day? = nil) {
        self.start = start
        self.end = end
        self.note = note
        self.times = times
        self.sessions = sessions
        self.location = location
        self.capacity = capacity
        self.deadline = deadline
    }

    /// True when the run says when in the day it is held: a start with a time, or weekly times.
    public var hasStructuredTime: Bool { start.time != nil || !times.isEmpty }

    /// The last day of the run.
    public var lastDay: Day { end?.day ?? start.day }
}

/// What an offer costs.
public struct Price: Sendable, Hashable {
    /// `gratis`, `egenandel` or `betaling`.
    public var kind: String
    /// Amount in NOK, required unless free.
    public var amountNOK: Int?
    /// Free text.
    public var note: String?

    /// Creates a price.
    public init(kind: String, amountNOK: Int?, note: String?) {
        self.kind = kind
        self.amountNOK = amountNOK
        self.note = note
    }
}

/// How to sign up.
public struct Signup: Sendable, Hashable {
    /// https sign-up page.
    public var url: String?
    /// Phone.
    public var phone: String?
    /// E-mail.
    public var email: String?
    /// Last day to sign up.
    public var deadline: Day?

    /// Creates sign-up details.
    public init(url: String? = nil, phone: String? = nil, email: String? = nil, deadline: Day? = nil) {
        self.url = url
        self.phone = phone
        self.email = email
        self.deadline = deadline
    }
}

/// Whom to ask.
public struct Contact: Sendable, Hashable {
    /// Person or desk.
    public var name: String?
    /// Phone.
    public var phone: String?
    /// E-mail.
    public var email: String?

    /// Creates contact details.
    public init(name: String? = nil, phone: String? = nil, email: String? = nil) {
        self.name = name
        self.phone = phone
        self.email = email
    }
}

/// `status` in a record.
public enum OfferStatus: String, Sendable, CaseIterable {
    case published, draft, archived
}

/// The state an offer is in on a given day (content model, "States an offer can be in").
public enum OfferState: String, Sendable, CaseIterable {
    case current, due, stale, ended, draft, archived

    /// Listed, searchable and in `offers.json`.
    public var isListed: Bool { self == .current || self == .due }
    /// Has its own page and JSON file.
    public var isPublished: Bool { self != .draft && self != .archived }
}

/// A translation of an offer: title, summary and body in another language.
public struct OfferTranslation: Sendable {
    /// Language code (nn, en).
    public let language: String
    /// Translated title.
    public var title: String
    /// Translated summary.
    public var summary: String
    /// Translated Markdown body.
    public var body: String
    /// The file's path as shown to the user.
    public var sourcePath: String
    /// A hash of the file as read (see `Offer.sourceDigest`), 0 when not known.
    public var sourceDigest: UInt64 = 0

    /// Creates a translation.
    public init(language: String, title: String, summary: String, body: String, sourcePath: String) {
        self.language = language
        self.title = title
        self.summary = summary
        self.body = body
        self.sourcePath = sourcePath
    }
}

/// A validated offer with its state computed for the catalog's day.
public struct Offer: Sendable {
    /// `<provider>/<slug>`.
    public var id: String { providerID + "/" + slug }
    /// Provider id.
    public let providerID: String
    /// Slug.
    public let slug: String
    /// Title (default language).
    public var title: String
    /// Plain-text summary.
    public var summary: String
    /// Kind id.
    public var kind: String
    /// Format id.
    public var format: String
    /// Delivery id.
    public var delivery: String
    /// Topic ids.
    public var topics: [String]
    /// Audience ids.
    public var audiences: [String]
    /// Kommunenummer served.
    public var municipalities: [String]
    /// Open to everyone in Norway.
    public var national: Bool
    /// Places.
    public var locations: [Location]
    /// Dated runs, sorted by start.
    public var schedule: [ScheduleRun]
    /// Continuous intake.
    public var ongoing: Bool
    /// Price.
    public var price: Price
    /// Referral id.
    public var referral: String
    /// Sign-up.
    public var signup: Signup
    /// Contact.
    public var contact: Contact
    /// Languages the offer is held in.
    public var languages: [String]
    /// Accessibility ids.
    public var accessibility: [String]
    /// Free search words.
    public var tags: [String]
    /// Last confirmed true.
    public var lastReviewed: Day
    /// Ends after this day.
    public var validUntil: Day?
    /// Status field.
    public var status: OfferStatus
    /// Markdown body.
    public var body: String
    /// The file's path as shown to the user.
    public var sourcePath: String
    /// Translations by language.
    public var translations: [String: OfferTranslation]
    /// The state on the catalog's day.
    public var state: OfferState
    /// The first run starting on or after the catalog's day, if any.
    public var nextStart: DateTime?
    /// When the offer or a translation last changed (git history, else the file's date); set by the workflow stage.
    public var updated: Day?
    /// When the offer first appeared (git history, else the file's date); set by the workflow stage.
    public var published: Day?
    /// The values of declared fields the code does not model itself (`fields.yaml`), in declared order.
    public var extra: [FieldEntry] = []
    /// A hash of the offer's file as read (`FileHash.of(texts:)` of its path in the content folder, front matter and
    /// body), 0 when not known.
    /// With the translations' and the provider's digests, the dates above and everything the build shares (templates,
    /// governance, site, build day), it names what the offer's own pages are made from: a rebuild keeps a page whose
    /// inputs are those of the page the previous build wrote (`SiteRenderer.fingerprint`).
    public var sourceDigest: UInt64 = 0

    /// Creates an offer; `state` starts as current and is computed by the validator.
    public init(providerID: String, slug: String, title: String, summary: String, kind: String, format: String, delivery: String,
                topics: [String], audiences: [String], municipalities: [String], national: Bool, locations: [Location],
                schedule: [ScheduleRun], ongoing: Bool, price: Price, referral: String, signup: Signup, contact: Contact,
                languages: [String], accessibility: [String], tags: [String], lastReviewed: Day, validUntil: Day?,
                status: OfferStatus, body: String, sourcePath: String) {
        self.providerID = providerID
        self.slug = slug
        self.title = title
        self.summary = summary
        self.kind = kind
        self.format = format
        self.delivery = delivery
        self.topics = topics
        self.audiences = audiences
        self.municipalities = municipalities
        self.national = national
        self.locations = locations
        self.schedule = schedule
        self.ongoing = ongoing
        self.price = price
        self.referral = referral
        self.signup = signup
        self.contact = contact
        self.languages = languages
        self.accessibility = accessibility
        self.tags = tags
        self.lastReviewed = lastReviewed
        self.validUntil = validUntil
        self.status = status
        self.body = body
        self.sourcePath = sourcePath
        self.translations = [:]
        self.state = .current
        self.nextStart = nil
        self.updated = nil
        self.published = nil
    }

    /// Computes the state on `today` under `policy` (content model, "States").
    public func computeState(today: Day, policy: Policy) -> OfferState {
        switch status {
        case .draft: return .draft
        case .archived: return .archived
        case .published: break
        }
        if let validUntil, validUntil < today { return .ended }
        if !ongoing, !schedule.isEmpty, schedule.allSatisfy({ $0.lastDay < today }) { return .ended }
        let due = lastReviewed.addingMonths(policy.reviewIntervalMonths)
        let stale = lastReviewed.addingMonths(policy.reviewIntervalMonths + policy.graceMonths)
        if stale < today { return .stale }
        if due < today { return .due }
        return .current
    }

    /// Whether the offer has a calendar file (`kalender.ics`): dated runs, one of them still to come.
    public var hasCalendar: Bool { !ongoing && nextStart != nil }

    /// The title, summary and body in `language`, falling back to the default language.
    public func text(in language: String) -> (title: String, summary: String, body: String, language: String) {
        if let t = translations[language] { return (t.title, t.summary, t.body, language) }
        return (title, summary, body, "nb")
    }

    /// Empties the Markdown of the body and of every translation's body, once it is rendered or not needed: the rest of
    /// the offer is what lists and feeds read.
    public mutating func dropBodies() {
        body = ""
        for k in translations.keys { translations[k]?.body = "" }
    }
}

/// A whole validated catalog: what render, feed and search consume.
public struct Catalog: Sendable {
    /// Site settings.
    public let site: SiteConfig
    /// Governance data.
    public let governance: Governance
    /// Providers sorted by id.
    public let providers: [Provider]
    /// Offers sorted by id, every state included.
    public let offers: [Offer]
    /// The day states were computed for.
    public let today: Day

    /// Creates a catalog.
    public init(site: SiteConfig, governance: Governance, providers: [Provider], offers: [Offer], today: Day) {
        self.site = site
        self.governance = governance
        self.providers = providers
        self.offers = offers
        self.today = today
    }

    /// The same catalog with every offer's Markdown emptied (`Offer.dropBodies`).
    public func withoutBodies() -> Catalog {
        var offers = offers
        for i in offers.indices { offers[i].dropBodies() }
        return Catalog(site: site, governance: governance, providers: providers, offers: offers, today: today)
    }

    /// The provider with `id`.
    public func provider(_ id: String) -> Provider? {
        providers.first { $0.id == id }
    }
}
