/// One entry of a controlled vocabulary.
public struct VocabularyEntry: Sendable, Hashable {
    /// The stable id used in records.
    public let id: String
    /// Labels by language code (nb, nn, en).
    public let labels: [String: String]
    /// Search words the governance body associates with the entry.
    public let synonyms: [String]
    /// What the entry means to the site, as the governance body says it (`free` for a price, `online` for a
    /// delivery, `public` for a provider type, …): the code reads these, never the ids.
    public let traits: [String]

    /// Creates an entry.
    public init(id: String, labels: [String: String], synonyms: [String] = [], traits: [String] = []) {
        self.id = id
        self.labels = labels
        self.synonyms = synonyms
        self.traits = traits
    }

    /// The label in `language`, falling back to bokmål and then the id.
    public func label(_ language: String) -> String {
        labels[language] ?? labels["nb"] ?? id
    }
}

/// A controlled vocabulary: ordered entries with an id index.
public struct Vocabulary: Sendable {
    /// The vocabulary's name in `vocabularies.yaml` (`topics`).
    public let name: String
    /// Entries in file order.
    public let entries: [VocabularyEntry]
    private let index: [String: Int]

    /// Creates a vocabulary.
    public init(name: String, entries: [VocabularyEntry]) {
        self.name = name
        self.entries = entries
        var index: [String: Int] = [:]
        for (i, e) in entries.enumerated() where index[e.id] == nil { index[e.id] = i }
        self.index = index
    }

    /// The entry with `id`.
    public subscript(id: String) -> VocabularyEntry? { index[id].map { entries[$0] } }

    /// True when `id` is in the vocabulary.
    public func contains(_ id: String) -> Bool { index[id] != nil }

    /// True when the entry `id` has `trait` (see `VocabularyEntry.traits`).
    public func has(_ id: String, _ trait: VocabularyTrait) -> Bool { self[id]?.traits.contains(trait.rawValue) ?? false }

    /// All ids in file order.
    public var ids: [String] { entries.map(\.id) }
}

/// The vocabularies every catalog has; the governance body may add entries, not names.
public enum VocabularyName: String, Sendable, CaseIterable {
    case kind, format, delivery, topics, audiences, price, referral, accessibility
    case providerType = "provider_type"
    case languages
}

/// The traits of vocabulary entries the site gives meaning to (`traits:` in `vocabularies.yaml`).
public enum VocabularyTrait: String, Sendable, CaseIterable {
    /// A price that costs nothing: no amount is asked for.
    case free
    /// A price that is a co-payment (egenandel), shown as such.
    case copay
    /// A referral value meaning people sign up themselves.
    case selfReferral = "self_referral"
    /// A referrer that is the person's GP (fastlege): the offer page then asks people to see their GP.
    case gp
    /// A delivery held at a place: it needs a location.
    case inPerson = "in_person"
    /// A delivery that can be followed online.
    case online
    /// A format one books a place in (a course, one-to-one follow-up).
    case booked
    /// A provider type in the public sector.
    case `public`
    /// A provider type that is a government body (schema.org GovernmentOrganization).
    case government
    /// A provider type that is a health trust (schema.org MedicalOrganization).
    case medical
    /// A weekday, for calendars and dates (`weekdays`): Monday … Sunday.
    case monday, tuesday, wednesday, thursday, friday, saturday, sunday
    /// A run's capacity with no places left.
    case full
    /// A run's capacity where one can join a waiting list.
    case waitlist

    /// The weekday traits, Monday first: the index plus one is the ISO weekday.
    public static let weekdays: [VocabularyTrait] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]
}

/// A municipality from Statistics Norway's list.
public struct Municipality: Sendable, Hashable {
    /// Four-digit kommunenummer.
    public let code: String
    /// Official name.
    public let name: String
    /// Two-digit fylkesnummer.
    public let countyCode: String
    /// Official county name.
    public let countyName: String
    /// Where it is (the population-weighted centre of its postcodes), when the file gives it.
    public let position: Geo?

    /// Creates a municipality.
    public init(code: String, name: String, countyCode: String, countyName: String, position: Geo? = nil) {
        self.code = code
        self.name = name
        self.countyCode = countyCode
        self.countyName = countyName
        self.position = position
    }

    /// The names it goes by: the official name's parts ("Guovdageaidnu - Kautokeino" is both "Guovdageaidnu" and
    /// "Kautokeino"; "Herøy (Nordland)" is "Herøy"), official name first.
    public var names: [String] {
        var out = [name]
        for part in name.split(separator: " - ").map(String.init) {
            let bare = part.split(separator: " (").first.map(String.init) ?? part
            for n in [part, bare] where !n.isEmpty && !out.contains(n) { out.append(n) }
        }
        return out
    }
}

/// A postcode from Posten's register (`governance/postcodes.csv`).
public struct Postcode: Sendable, Hashable {
    /// Four digits.
    public let code: String
    /// Post town.
    public let place: String
    /// Kommunenummer (of the current municipalities).
    public let municipality: String

    /// Creates a postcode.
    public init(code: String, place: String, municipality: String) {
        self.code = code
        self.place = place
        self.municipality = municipality
    }
}

/// An inclusive count range (`topics: {min: 1, max: 5}`).
public struct CountRange: Sendable, Hashable {
    /// Fewest allowed.
    public let min: Int
    /// Most allowed.
    public let max: Int

    /// Creates a range.
    public init(min: Int, max: Int) {
        self.min = min
        self.max = max
    }
}

/// The governance body's rules, from `policy.yaml`.
public struct Policy: Sendable {
    /// Months after `last_reviewed` when an offer is due for review.
    public var reviewIntervalMonths = 12
    /// Further months until a due offer is stale.
    public var graceMonths = 3
    /// Longest title, in characters.
    public var titleMaxChars = 90
    /// Longest summary, in characters.
    public var summaryMaxChars = 160
    /// How many topics an offer has.
    public var topics = CountRange(min: 1, max: 5)
    /// How many audiences an offer has.
    public var audiences = CountRange(min: 1, max: 5)
    /// Most free tags.
    public var tagsMax = 15
    /// Longest body, in characters.
    public var bodyMaxChars = 20_000
    /// Longest name (of a provider, a location, a contact person), in characters.
    public var nameMaxChars = 120
    /// Longest free-text value without a limit of its own (address, city, notes, links, e-mail addresses), in characters.
    public var textMaxChars = 300
    /// Longest free search word (tag), in characters.
    public var tagMaxChars = 40
    /// Most items in a list without a limit of its own (locations, course runs, editors).
    public var listMaxItems = 50
    /// Most columns in a table in a body.
    public var tableMaxColumns = 10
    /// Most cells (columns × rows, the header row included) in a table in a body.
    public var tableMaxCells = 500
    /// Largest body once rendered to HTML, in bytes: bounds what a short body can grow to (links to a long
    /// reference used many times, deep nesting).
    public var bodyHTMLMaxBytes = 200_000
    /// Largest file, in bytes.
    public var fileMaxBytes = 1_048_576
    /// Deepest YAML nesting.
    public var yamlMaxDepth = 16
    /// Fields every offer must have.
    public var requiredOfferFields = ["title", "summary", "kind", "format", "delivery", "topics", "audiences", "last_reviewed"]
    /// Fields every provider must have.
    public var requiredProviderFields = ["name", "org_number", "type", "municipality"]
    /// Published languages, the default first.
    public var languages = ["nb", "nn", "en"]
    /// Glob patterns of git author e-mails allowed to change `governance/`.
    public var governanceEditors: [String] = []

    /// The defaults of the content model.
    public init() {}

    /// The default language (the first).
    public var defaultLanguage: String { languages.first ?? "nb" }
}

/// Site settings from `site.yaml`.
public struct SiteConfig: Sendable {
    /// Site title by language.
    public var title: [String: String] = ["nb": "Helsetilbud", "nn": "Helsetilbod", "en": "Health offers"]
    /// One sentence about the site, by language.
    public var tagline: [String: String] = [:]
    /// Absolute base URL ending in `/`.
    public var baseURL = "https://tilbud.example.org/"
    /// Published languages.
    public var languages = ["nb", "nn", "en"]
    /// Who stands behind the site (`publisher`).
    public var publisher = Publisher()
    /// The about, privacy and accessibility pages (`pages`), each from a Markdown file in the content folder.
    public var documents: [SiteDocument] = []
    /// Files from the content folder the site shows: the publisher's logo, the favicon and the image shown when a
    /// page is shared (`publisher.logo`, `favicon`, `social_image`).
    public var files: [SiteFile] = []

    /// The defaults.
    public init() {}

    /// The site file with `role`, if `site.yaml` names one.
    public func file(_ role: SiteFile.Role) -> SiteFile? { files.first { $0.role == role } }

    /// The page of `kind`, if `site.yaml` names one.
    public func document(_ kind: SiteDocument.Kind) -> SiteDocument? { documents.first { $0.kind == kind } }
}

/// The organisation that publishes the site (`site.yaml`'s `publisher`): named on every page, with its contact.
public struct Publisher: Sendable {
    /// Name by language (the site's title when `site.yaml` names none).
    public var name: [String: String] = [:]
    /// The publisher's own website.
    public var url: String?
    /// Contact e-mail.
    public var email: String?
    /// Contact phone.
    public var phone: String?

    /// No publisher named.
    public init() {}
}

/// A page about the site itself (about, privacy, accessibility statement) from Markdown files in the content folder:
/// the file `site.yaml` names in the default language, and `<stem>.<lang>.md` beside it for the others.
public struct SiteDocument: Sendable {
    /// Which page it is.
    public enum Kind: String, Sendable, CaseIterable {
        case about, privacy, accessibility
    }
    /// A text in one language.
    public struct Text: Sendable {
        /// The front matter's `title`.
        public var title: String
        /// The front matter's `description`, if any (the page's meta description).
        public var description: String?
        /// The Markdown body.
        public var markdown: String
        /// The language it is written in.
        public var language: String

        /// Creates a text.
        public init(title: String, description: String?, markdown: String, language: String) {
            self.title = title
            self.description = description
            self.markdown = markdown
            self.language = language
        }
    }
    /// Which page it is.
    public var kind: Kind
    /// The text by site language: every site language has one (the default language's where a file is missing).
    public var texts: [String: Text]

    /// Creates a page.
    public init(kind: Kind, texts: [String: Text]) {
        self.kind = kind
        self.texts = texts
    }
}

/// A file from the content folder the site publishes as it is (an image), with its role.
public struct SiteFile: Sendable {
    /// What the file is for.
    public enum Role: String, Sendable, CaseIterable {
        /// The publisher's logo (SVG), in the footer.
        case logo
        /// The browser tab's icon (SVG).
        case favicon
        /// The image shown with a shared link (PNG or JPEG; 1200 × 630 pixels suits most services).
        case socialImage = "social_image"
    }
    /// What the file is for.
    public var role: Role
    /// Its name in the content folder, e.g. `media/logo.svg`.
    public var source: String
    /// The file's bytes.
    public var bytes: [UInt8]
    /// Its media type (`image/svg+xml`, `image/png`, `image/jpeg`).
    public var mediaType: String
    /// Width and height in pixels, when the file says (PNG and JPEG headers; an SVG's `width` and `height`).
    public var size: (width: Int, height: Int)?

    /// Creates a file.
    public init(role: Role, source: String, bytes: [UInt8], mediaType: String, size: (width: Int, height: Int)? = nil) {
        self.role = role
        self.source = source
        self.bytes = bytes
        self.mediaType = mediaType
        self.size = size
    }
}

/// Everything in `content/governance/` and `site.yaml`, typed.
public struct Governance: Sendable {
    /// The policy.
    public let policy: Policy
    /// Vocabularies by name.
    public let vocabularies: [String: Vocabulary]
    /// Municipalities in file order.
    public let municipalities: [Municipality]
    /// Every declared field of an offer and a provider (`fields.yaml`).
    public let fields: FieldSet
    /// Postcodes in file order (`postcodes.csv`; empty when there is none).
    public let postcodes: [Postcode]
    private let municipalityIndex: [String: Int]
    /// The municipalities as a vocabulary (made once: field declarations name it like any other).
    private let municipalityVocabulary: Vocabulary

    /// Creates the governance data.
    public init(policy: Policy, vocabularies: [String: Vocabulary], municipalities: [Municipality], fields: FieldSet = FieldSet(), postcodes: [Postcode] = []) {
        self.policy = policy
        self.vocabularies = vocabularies
        self.municipalities = municipalities
        self.fields = fields
        self.postcodes = postcodes
        var index: [String: Int] = [:]
        for (i, m) in municipalities.enumerated() { index[m.code] = i }
        self.municipalityIndex = index
        self.municipalityVocabulary = Vocabulary(name: "municipalities", entries: municipalities.map {
            VocabularyEntry(id: $0.code, labels: ["nb": $0.name, "nn": $0.name, "en": $0.name], synonyms: [])
        })
    }

    /// The vocabulary a field declaration names: one from `vocabularies.yaml`, or `municipalities` (the
    /// municipality list, by kommunenummer). Nil when there is none by that name.
    public func vocabulary(named name: String) -> Vocabulary? {
        name == "municipalities" ? municipalityVocabulary : vocabularies[name]
    }

    /// The vocabulary named `name` (empty when missing).
    public func vocabulary(_ name: VocabularyName) -> Vocabulary {
        vocabularies[name.rawValue] ?? Vocabulary(name: name.rawValue, entries: [])
    }

    /// The municipality with kommunenummer `code`.
    public func municipality(_ code: String) -> Municipality? {
        municipalityIndex[code].map { municipalities[$0] }
    }
}
