/// The types a field of a record can have (`content/governance/fields.yaml`).
public enum FieldType: String, Sendable, CaseIterable {
    case text, markdown, bool, integer, number, date, datetime, url, email, phone, id, ids, object, list
}

/// Where a field is shown when no template lays it out itself.
public enum FieldShow: String, Sendable {
    /// With its label in the offer page's facts.
    case facts
    /// Not on the page (still in the API).
    case none
}

/// `required_when`: the field is required when another field (a dotted path such as `price.kind`) has one of
/// `values` (`in`), or has none of them (`not_in`). A missing field has no value.
public struct FieldCondition: Sendable, Equatable {
    /// The other field, as a dotted path from the record's root.
    public var field: String
    /// The values compared with.
    public var values: [String]
    /// True for `not_in`.
    public var negated: Bool

    public init(field: String, values: [String], negated: Bool) {
        self.field = field
        self.values = values
        self.negated = negated
    }

    /// Whether the condition holds when the other field's value is `value` (nil when it is not there).
    public func holds(for value: String?) -> Bool {
        guard let value else { return negated }
        return values.contains(value) != negated
    }
}

/// One field as the governance body declared it.
public struct FieldDeclaration: Sendable {
    /// The key in the record.
    public var name: String
    public var type: FieldType
    public var required: Bool
    public var requiredWhen: FieldCondition?
    /// Longest text, in characters.
    public var maxChars: Int?
    /// Fewest values (ids, list) or the smallest number (integer, number).
    public var min: Double?
    /// Most values (ids, list) or the largest number (integer, number).
    public var max: Double?
    /// The vocabulary of an `id` or `ids` field (`municipalities`: the municipality list).
    public var vocabulary: String?
    /// The values an `id` field may take when they are not a vocabulary.
    public var values: [String]
    /// The value when the field is not there, as written.
    public var defaultValue: String?
    /// A rule of its own on top of the type (`org_number`, `postal_code`, `municipality`, `geo`).
    public var format: String?
    /// Label by language.
    public var label: [String: String]
    /// Help for editors by language.
    public var help: [String: String]
    public var show: FieldShow
    /// Whether the value's words (or its vocabulary labels) are indexed for search.
    public var search: Bool
    /// The declaration of a list's items.
    public var itemBox: [FieldDeclaration]
    /// The fields of an object, in declared order.
    public var fields: [FieldDeclaration]
    /// The line of the declaration in `fields.yaml`.
    public var line: Int

    public init(name: String, type: FieldType, required: Bool = false, requiredWhen: FieldCondition? = nil, maxChars: Int? = nil,
                min: Double? = nil, max: Double? = nil, vocabulary: String? = nil, values: [String] = [], defaultValue: String? = nil,
                format: String? = nil, label: [String: String] = [:], help: [String: String] = [:], show: FieldShow = .none,
                search: Bool = false, item: FieldDeclaration? = nil, fields: [FieldDeclaration] = [], line: Int = 0) {
        self.name = name
        self.type = type
        self.required = required
        self.requiredWhen = requiredWhen
        self.maxChars = maxChars
        self.min = min
        self.max = max
        self.vocabulary = vocabulary
        self.values = values
        self.defaultValue = defaultValue
        self.format = format
        self.label = label
        self.help = help
        self.show = show
        self.search = search
        self.itemBox = item.map { [$0] } ?? []
        self.fields = fields
        self.line = line
    }

    /// The declaration of a list's items.
    public var item: FieldDeclaration? { itemBox.first }

    /// The sub-field `name` of an object.
    public func field(_ name: String) -> FieldDeclaration? { fields.first { $0.name == name } }

    /// The label in `language`, else in bokmål, else the name.
    public func label(_ language: String) -> String { label[language] ?? label["nb"] ?? name }
}

/// Every declared field of an offer and of a provider, in declared order.
public struct FieldSet: Sendable {
    public var offer: [FieldDeclaration]
    public var provider: [FieldDeclaration]

    public init(offer: [FieldDeclaration] = [], provider: [FieldDeclaration] = []) {
        self.offer = offer
        self.provider = provider
    }

    /// The offer field `name`.
    public func offerField(_ name: String) -> FieldDeclaration? { offer.first { $0.name == name } }
    /// The provider field `name`.
    public func providerField(_ name: String) -> FieldDeclaration? { provider.first { $0.name == name } }

    /// The offer field at a dotted path (`price.kind`).
    public func offerField(path: String) -> FieldDeclaration? {
        var parts = path.split(separator: ".").map(String.init)
        guard !parts.isEmpty, var d = offerField(parts.removeFirst()) else { return nil }
        for p in parts {
            guard let next = d.field(p) ?? d.item?.field(p) else { return nil }
            d = next
        }
        return d
    }
}

extension FieldSet {
    /// The offer fields the code itself gives meaning to (pages, feeds, states), with the type it reads them as. The
    /// governance body may limit, require or drop them, and add fields of its own, but not change their type.
    public static let modelledOffer: [String: FieldType] = [
        "title": .text, "summary": .text, "kind": .id, "format": .id, "delivery": .id, "topics": .ids, "audiences": .ids,
        "municipalities": .ids, "national": .bool, "locations": .list, "schedule": .list, "ongoing": .bool, "price": .object,
        "referral": .id, "signup": .object, "contact": .object, "languages": .ids, "accessibility": .ids, "tags": .list,
        "last_reviewed": .date, "valid_until": .date, "status": .id,
    ]
    /// The provider fields the code itself gives meaning to.
    public static let modelledProvider: [String: FieldType] = [
        "name": .text, "org_number": .text, "type": .id, "municipality": .id, "website": .url, "email": .email, "phone": .phone,
        "editors": .list,
    ]
    /// Keys an offer's JSON record has besides its declared fields; a declared field may not take one of them.
    public static let reservedOffer = ["id", "url", "api_url", "next_start", "updated", "published", "state", "provider",
                                       "description_html", "description_text", "translations"]
    /// Keys a provider's JSON record has besides its declared fields.
    public static let reservedProvider = ["id", "url", "api_url", "offer_count"]

    /// The declared offer fields the code does not model (`Offer.extra`), in declared order.
    public var extraOffer: [FieldDeclaration] { offer.filter { Self.modelledOffer[$0.name] == nil } }
    /// The declared provider fields the code does not model (`Provider.extra`), in declared order.
    public var extraProvider: [FieldDeclaration] { provider.filter { Self.modelledProvider[$0.name] == nil } }
}

/// A value of a field that the code does not model itself: decoded from its declaration alone.
public indirect enum FieldValue: Sendable, Equatable {
    case text(String)
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case date(Day)
    case dateTime(DateTime)
    /// An `id`.
    case id(String)
    /// `ids`, in written order.
    case ids([String])
    case list([FieldValue])
    case object([FieldEntry])
}

/// A named field value.
public struct FieldEntry: Sendable, Equatable {
    public var name: String
    public var value: FieldValue

    public init(name: String, value: FieldValue) {
        self.name = name
        self.value = value
    }
}

extension Policy {
    /// Takes the limits and required fields of the fields the code reads through `Policy` from their declarations,
    /// so every consumer of the policy (schemas, scaffold) follows `fields.yaml`.
    public mutating func adopt(_ fields: FieldSet) {
        if let n = fields.offerField("title")?.maxChars { titleMaxChars = n }
        if let n = fields.offerField("summary")?.maxChars { summaryMaxChars = n }
        func range(_ name: String, _ into: inout CountRange) {
            guard let d = fields.offerField(name) else { return }
            into = CountRange(min: d.min.map { Int($0) } ?? 0, max: d.max.map { Int($0) } ?? Int.max)
        }
        range("topics", &topics)
        range("audiences", &audiences)
        if let tags = fields.offerField("tags") {
            if let n = tags.max { tagsMax = Int(n) }
            if let n = tags.item?.maxChars { tagMaxChars = n }
        }
        if let n = fields.providerField("name")?.maxChars { nameMaxChars = n }
        requiredOfferFields = fields.offer.filter(\.required).map(\.name)
        requiredProviderFields = fields.provider.filter(\.required).map(\.name)
    }
}
