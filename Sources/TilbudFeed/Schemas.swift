import TilbudModel
import TilbudRender

/// JSON Schema (2020-12) and OpenAPI (3.1) documents, generated from the governance data:
/// vocabulary ids become enums and the policy's limits become lengths and counts.
public enum Schemas {
    static let dialect = "https://json-schema.org/draft/2020-12/schema"

    // MARK: building blocks

    static func obj(_ fields: [(String, JSONValue)]) -> JSONValue { .object(fields) }
    static func str(_ s: String) -> JSONValue { .string(s) }
    static func ref(_ target: String) -> JSONValue { obj([("$ref", str(target))]) }

    static func string(_ description: String? = nil, pattern: String? = nil, format: String? = nil, minLength: Int? = nil,
                       maxLength: Int? = nil) -> JSONValue {
        var f = JSONFields()
        f.set("type", "string")
        f.set("description", description)
        f.set("minLength", minLength)
        f.set("maxLength", maxLength)
        f.set("pattern", pattern)
        f.set("format", format)
        return f.value
    }

    static func enumeration(_ ids: [String], _ description: String? = nil) -> JSONValue {
        var f = JSONFields()
        f.set("type", "string")
        f.set("description", description)
        f.set("enum", .strings(ids))
        return f.value
    }

    static func array(_ items: JSONValue, _ description: String? = nil, min: Int? = nil, max: Int? = nil) -> JSONValue {
        var f = JSONFields()
        f.set("type", "array")
        f.set("description", description)
        f.set("items", items)
        f.set("minItems", min)
        f.set("maxItems", max)
        return f.value
    }

    static func object(_ description: String? = nil, required: [String], _ properties: [(String, JSONValue)]) -> JSONValue {
        var f = JSONFields()
        f.set("type", "object")
        f.set("description", description)
        f.set("required", .strings(required))
        f.set("properties", .object(properties))
        return f.value
    }

    static let boolean: JSONValue = .object([("type", .string("boolean"))])
    static let integer: JSONValue = .object([("type", .string("integer")), ("minimum", .int(0))])
    static let date = string("A calendar date, YYYY-MM-DD.", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date")
    static let localDateTime = string("A date, or a date and a local time in Europe/Oslo (YYYY-MM-DDTHH:MM).",
                                      pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?$")
    static let absoluteURL = string(pattern: "^https?://", format: "uri")
    static let httpsURL = string(pattern: "^https://", format: "uri")
    static let phone = string("+47 and eight digits starting 2–9, or a five-digit number; spaces allowed.",
                              pattern: "^(\\+ *4 *7 *[2-9]( *[0-9]){7}|[0-9]( *[0-9]){4})$")
    static let email = string(pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", format: "email")
    static let idPart = "[a-z0-9-]{2,64}"

    // MARK: offer.schema.json

    /// `$id` of the offer schema.
    public static func offerSchemaID(_ c: FeedContext) -> String { c.apiBase + "schema/offer.schema.json" }

    /// The JSON Schema of one offer (`offers/<provider>/<slug>.json`, each item of `offers.json`).
    public static func offer(_ c: FeedContext) -> JSONValue {
        let gov = c.catalog.governance
        let policy = gov.policy
        func ids(_ name: VocabularyName) -> [String] { gov.vocabulary(name).ids }
        // The vocabulary of a run's sub-field (`capacity`, `times`' `weekday`) as fields.yaml declares it.
        func runVocabulary(_ name: String) -> [String] {
            let run = gov.fields.offerField("schedule")?.item
            let d = name == "weekday" ? run?.field("times")?.item?.field("weekday") : run?.field(name)
            return d?.vocabulary.flatMap { gov.vocabulary(named: $0)?.ids } ?? []
        }
        let defs: [(String, JSONValue)] = [
            ("kind", enumeration(ids(.kind), "An id from the `kind` vocabulary.")),
            ("format", enumeration(ids(.format), "An id from the `format` vocabulary.")),
            ("delivery", enumeration(ids(.delivery), "An id from the `delivery` vocabulary.")),
            ("topic", enumeration(ids(.topics), "An id from the `topics` vocabulary.")),
            ("audience", enumeration(ids(.audiences), "An id from the `audiences` vocabulary.")),
            ("price_kind", enumeration(ids(.price), "An id from the `price` vocabulary.")),
            ("referral", enumeration(ids(.referral), "An id from the `referral` vocabulary.")),
            ("accessibility", enumeration(ids(.accessibility), "An id from the `accessibility` vocabulary.")),
            ("provider_type", enumeration(ids(.providerType), "An id from the `provider_type` vocabulary.")),
            ("language", enumeration(ids(.languages), "A language code (BCP 47) from the `languages` vocabulary.")),
            ("kommunenummer", enumeration(gov.municipalities.map(\.code), "A four-digit kommunenummer from Statistics Norway's list.")),
            ("state", enumeration(["current", "due", "stale", "ended"],
                                  "current; due (due for review, still listed); stale (past review and grace; not listed); ended.")),
            ("location", object("A place where the offer is held.", required: ["name", "address", "postal_code", "city", "municipality"], [
                ("name", string(minLength: 1, maxLength: policy.nameMaxChars)),
                ("address", string(minLength: 1, maxLength: policy.textMaxChars)),
                ("postal_code", string("Four-digit postnummer.", pattern: "^[0-9]{4}$")),
                ("city", string(minLength: 1, maxLength: policy.textMaxChars)),
                ("municipality", ref("#/$defs/kommunenummer")),
                ("geo", object("Latitude and longitude (WGS 84).", required: ["lat", "lon"], [
                    ("lat", obj([("type", str("number")), ("minimum", .number(57.9)), ("maximum", .number(71.3))])),
                    ("lon", obj([("type", str("number")), ("minimum", .number(4.4)), ("maximum", .number(31.3))])),
                ])),
            ])),
            ("run", object("One dated run; times are local (Europe/Oslo).", required: ["start"], [
                ("start", localDateTime),
                ("end", localDateTime),
                ("note", string(maxLength: policy.textMaxChars)),
                ("times", array(object("A weekly time slot, local time in Europe/Oslo.", required: ["weekday", "from", "to"], [
                    ("weekday", enumeration(runVocabulary("weekday"), "An id from the `weekdays` vocabulary.")),
                    ("from", string("HH:MM", pattern: "^[0-9]{2}:[0-9]{2}$")),
                    ("to", string("HH:MM", pattern: "^[0-9]{2}:[0-9]{2}$")),
                ]), "Weekly time slots.")),
                ("sessions", obj([("type", str("integer")), ("minimum", .int(1))])),
                ("location", string("The name of one of the offer's locations.", minLength: 1, maxLength: policy.nameMaxChars)),
                ("capacity", enumeration(runVocabulary("capacity"), "An id from the `capacity` vocabulary.")),
                ("deadline", date),
            ])),
            ("translation", object("The offer's text in another language.", required: ["title", "summary", "description_html", "description_text", "url"], [
                ("title", string(minLength: 1, maxLength: policy.titleMaxChars)),
                ("summary", string(minLength: 1, maxLength: policy.summaryMaxChars)),
                ("description_html", string("The body as sanitised HTML.")),
                ("description_text", string("The body as plain text.")),
                ("url", absoluteURL),
            ])),
        ]
        let properties: [(String, JSONValue)] = [
            ("id", string("`<provider>/<slug>`; never changes.", pattern: "^\(idPart)/\(idPart)$")),
            ("url", string("The offer's page in the default language.", pattern: "^https?://", format: "uri")),
            ("api_url", string("This offer's own JSON file.", pattern: "^https?://", format: "uri")),
            ("title", string(minLength: 1, maxLength: policy.titleMaxChars)),
            ("summary", string("Plain text.", minLength: 1, maxLength: policy.summaryMaxChars)),
            ("kind", ref("#/$defs/kind")),
            ("format", ref("#/$defs/format")),
            ("delivery", ref("#/$defs/delivery")),
            ("topics", array(ref("#/$defs/topic"), min: policy.topics.min, max: policy.topics.max)),
            ("audiences", array(ref("#/$defs/audience"), min: policy.audiences.min, max: policy.audiences.max)),
            ("municipalities", array(ref("#/$defs/kommunenummer"), "Municipalities served (empty for most national offers).")),
            ("national", obj([("type", str("boolean")), ("description", str("Open to everyone in Norway."))])),
            ("locations", array(ref("#/$defs/location"), max: policy.listMaxItems)),
            ("schedule", array(ref("#/$defs/run"), "Dated runs, sorted by start.", max: policy.listMaxItems)),
            ("ongoing", obj([("type", str("boolean")), ("description", str("Continuous intake."))])),
            ("next_start", localDateTime),
            ("price", object(required: ["kind"], [
                ("kind", ref("#/$defs/price_kind")),
                ("amount_nok", integer),
                ("note", string(maxLength: policy.textMaxChars)),
            ])),
            ("referral", ref("#/$defs/referral")),
            ("signup", object(required: [], [("url", httpsURL), ("phone", phone), ("email", email), ("deadline", date)])),
            ("contact", object(required: [], [("name", string(maxLength: policy.nameMaxChars)), ("phone", phone), ("email", email)])),
            ("languages", array(ref("#/$defs/language"), "Languages the offer is held in.", min: 1)),
            ("accessibility", array(ref("#/$defs/accessibility"))),
            ("tags", array(string(minLength: 1, maxLength: policy.tagMaxChars), "Free search words.", max: policy.tagsMax)),
            ("last_reviewed", date),
            ("valid_until", date),
            ("updated", date),
            ("published", date),
            ("state", ref("#/$defs/state")),
            ("provider", object(required: ["id", "name", "org_number", "type"], [
                ("id", string(pattern: "^\(idPart)$")),
                ("name", string(minLength: 1, maxLength: policy.nameMaxChars)),
                ("org_number", string("Organisasjonsnummer.", pattern: "^[0-9]{9}$")),
                ("type", ref("#/$defs/provider_type")),
            ])),
            ("description_html", string("The body as sanitised HTML.")),
            ("description_text", string("The body as plain text.")),
            ("translations", obj([
                ("type", str("object")),
                ("description", str("Translated text by language code.")),
                ("propertyNames", enumeration(c.languages)),
                ("additionalProperties", ref("#/$defs/translation")),
            ])),
        ]
        let extra = gov.fields.extraOffer
        let kommunenummer = ref("#/$defs/kommunenummer")
        return obj([
            ("$schema", str(dialect)),
            ("$id", str(offerSchemaID(c))),
            ("title", str("Offer")),
            ("description", str("One offer in the catalog. Generated from the governance data: vocabulary ids are enums, lengths and counts come from the policy. Fields may be added within API version 1, never renamed or removed.")),
            ("type", str("object")),
            ("required", .strings(OfferJSON.requiredKeys + extra.filter(\.required).map(\.name))),
            ("properties", .object(properties + extra.map { ($0.name, declared($0, gov, kommunenummer: kommunenummer)) })),
            ("$defs", .object(defs)),
        ])
    }

    // MARK: declared fields

    /// The schema of a field declared in `fields.yaml` that the code does not model, from its declaration alone:
    /// its type, limits, vocabulary or values, the required sub-fields of an object, and its English label (and
    /// help) as the description. `kommunenummer` is the schema of a kommunenummer in this document.
    static func declared(_ d: FieldDeclaration, _ gov: Governance, kommunenummer: JSONValue) -> JSONValue {
        let description = fieldDescription(d)
        let textMax = d.maxChars ?? gov.policy.textMaxChars
        func described(_ schema: JSONValue) -> JSONValue {
            guard let description else { return schema }
            guard case let .object(fields) = schema else { return schema }
            return .object(fields.prefix(1) + [("description", str(description))] + fields.dropFirst())
        }
        func bound(_ x: Double?) -> JSONValue? { x.map { JSONValue.number($0) } }
        func vocabularyItem() -> JSONValue {
            if d.vocabulary == "municipalities" { return kommunenummer }
            if let name = d.vocabulary { return enumeration(gov.vocabulary(named: name)?.ids ?? []) }
            return enumeration(d.values)
        }
        switch d.type {
        case .text:
            switch d.format {
            case "org_number": return string(description, pattern: "^[0-9]{9}$")
            case "postal_code": return string(description, pattern: "^[0-9]{4}$")
            case "municipality": return described(kommunenummer)
            default: return string(description, minLength: 1, maxLength: textMax)
            }
        case .markdown:
            var f = JSONFields()
            f.set("type", "string")
            f.set("description", description)
            f.set("contentMediaType", "text/markdown")
            f.set("minLength", 1)
            f.set("maxLength", textMax)
            return f.value
        case .bool:
            var f = JSONFields()
            f.set("type", "boolean")
            f.set("description", description)
            return f.value
        case .integer, .number:
            var f = JSONFields()
            f.set("type", d.type == .integer ? "integer" : "number")
            f.set("description", description)
            f.set("minimum", bound(d.min))
            f.set("maximum", bound(d.max))
            return f.value
        case .date:
            return string(description, pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date")
        case .datetime:
            // Local times without seconds or an offset are not RFC 3339 date-times: a pattern, as for a run's start.
            let local = "A date, or a date and a local time in Europe/Oslo (YYYY-MM-DDTHH:MM)."
            return string(description.map { sentences($0, local) } ?? local, pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?$")
        case .url:
            return string(description, pattern: "^https://", format: "uri", maxLength: textMax)
        case .email:
            return string(description, pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", format: "email", maxLength: textMax)
        case .phone:
            return string(description, pattern: "^(\\+ *4 *7 *[2-9]( *[0-9]){7}|[0-9]( *[0-9]){4})$")
        case .id:
            return described(vocabularyItem())
        case .ids:
            return array(vocabularyItem(), description, min: d.min.map { Int($0) }, max: d.max.map { Int($0) })
        case .list:
            let geo = d.format == "geo"
            let item = geo ? obj([("type", str("number"))]) : d.item.map { declared($0, gov, kommunenummer: kommunenummer) } ?? obj([])
            return array(item, description.map { geo ? sentences($0, "Latitude and longitude (WGS 84).") : $0 },
                         min: geo ? 2 : d.min.map { Int($0) }, max: geo ? 2 : d.max.map { Int($0) })
        case .object:
            return object(description, required: d.fields.filter(\.required).map(\.name),
                          d.fields.map { ($0.name, declared($0, gov, kommunenummer: kommunenummer)) })
        }
    }

    /// A declared field's English label, then its English help; nil for an item without a label.
    static func fieldDescription(_ d: FieldDeclaration) -> String? {
        guard let label = d.label["en"] else { return nil }
        guard let help = d.help["en"] else { return label }
        return sentences(label, help)
    }

    /// `a` and `b` as two sentences: `Label. Help`.
    static func sentences(_ a: String, _ b: String) -> String {
        a + (a.last.map { ".!?:".contains($0) } == true ? " " : ". ") + b
    }

    // MARK: provider.schema.json

    /// The JSON Schema of one provider, as `providers.json` lists it and `providers/<id>.json` holds it: the fields
    /// of `fields.yaml`'s `provider` section, those the governance body added included.
    public static func provider(_ c: FeedContext) -> JSONValue {
        guard let (_, schema) = components(c).first(where: { $0.0 == "Provider" }), case let .object(pairs) = schema else { return obj([]) }
        return obj([
            ("$schema", str(dialect)),
            ("$id", str(c.apiBase + "schema/provider.schema.json")),
            ("title", str("Provider")),
            ("description", str("One provider of offers. Generated from the governance data (fields.yaml, vocabularies). Fields may be added within API version 1, never renamed or removed.")),
        ] + pairs)
    }

    // MARK: offers.schema.json

    /// The JSON Schema of `offers.json`.
    public static func offers(_ c: FeedContext) -> JSONValue {
        obj([
            ("$schema", str(dialect)),
            ("$id", str(c.apiBase + "schema/offers.schema.json")),
            ("title", str("Offers")),
            ("description", str("Every current offer, and those due for review (state `due`).")),
            ("type", str("object")),
            ("required", .strings(["api_version", "generated", "count", "offers"])),
            ("properties", obj([
                ("api_version", obj([("const", str(FeedContext.apiVersion))])),
                ("generated", date),
                ("count", integer),
                ("offers", obj([
                    ("type", str("array")),
                    ("items", obj([("allOf", .array([
                        ref("offer.schema.json"),
                        obj([("properties", obj([("state", enumeration(["current", "due"]))]))]),
                    ]))])),
                ])),
            ])),
        ])
    }

    // MARK: openapi.json

    /// Schemas of the smaller files, for the OpenAPI document's components.
    static func components(_ c: FeedContext) -> [(String, JSONValue)] {
        let gov = c.catalog.governance
        let envelopeHead: [(String, JSONValue)] = [("api_version", obj([("const", str(FeedContext.apiVersion))])), ("generated", date)]
        let labels = obj([("type", str("object")), ("description", str("Labels by language code.")),
                          ("additionalProperties", obj([("type", str("string"))]))])
        let offerReference = object("An offer as a list shows it; the whole offer is at api_url (offers/<id>.json).",
                                    required: ["id", "title", "summary", "url", "api_url", "kind", "delivery", "topics", "state", "national"], [
            ("id", string(pattern: "^\(idPart)/\(idPart)$")),
            ("title", string()),
            ("summary", string()),
            ("url", absoluteURL),
            ("api_url", absoluteURL),
            ("kind", enumeration(gov.vocabulary(.kind).ids)),
            ("delivery", enumeration(gov.vocabulary(.delivery).ids)),
            ("topics", array(enumeration(gov.vocabulary(.topics).ids))),
            ("next_start", localDateTime),
            ("state", ref("#/components/schemas/State")),
            ("national", boolean),
        ])
        let extraProvider = gov.fields.extraProvider
        let kommunenummer = enumeration(gov.municipalities.map(\.code))
        let provider = object(required: ["id", "name", "org_number", "type", "municipality", "url", "api_url", "offer_count"]
                                  + extraProvider.filter(\.required).map(\.name), [
            ("id", string(pattern: "^\(idPart)$")),
            ("name", string(minLength: 1, maxLength: gov.policy.nameMaxChars)),
            ("org_number", string(pattern: "^[0-9]{9}$")),
            ("type", enumeration(gov.vocabulary(.providerType).ids)),
            ("municipality", enumeration(gov.municipalities.map(\.code))),
            ("website", httpsURL),
            ("email", email),
            ("phone", phone),
            ("url", absoluteURL),
            ("api_url", absoluteURL),
            ("offer_count", obj([("type", str("integer")), ("minimum", .int(0)),
                                 ("description", str("Listed offers (current and due)."))])),
        ] + extraProvider.map { ($0.name, declared($0, gov, kommunenummer: kommunenummer)) })
        let municipality = object(required: ["code", "name", "county_code", "county_name", "url", "api_url"], [
            ("code", string(pattern: "^[0-9]{4}$")),
            ("name", string()),
            ("county_code", string(pattern: "^[0-9]{2}$")),
            ("county_name", string()),
            ("url", absoluteURL),
            ("api_url", absoluteURL),
        ])
        let vocabularyEntry = object(required: ["id", "labels"], [
            ("id", string()), ("labels", labels), ("synonyms", array(string())),
        ])
        return [
            ("State", enumeration(["current", "due", "stale", "ended"])),
            ("OfferReference", offerReference),
            ("Provider", provider),
            ("ProviderList", object(required: ["api_version", "generated", "count", "providers"], envelopeHead + [
                ("count", integer), ("providers", array(ref("#/components/schemas/Provider"))),
            ])),
            ("ProviderFile", object("A provider and every published offer of it, with its state.",
                                    required: ["api_version", "generated", "provider", "count", "offers"], envelopeHead + [
                ("provider", ref("#/components/schemas/Provider")),
                ("count", integer),
                ("offers", array(ref("#/components/schemas/OfferReference"))),
            ])),
            ("Municipality", municipality),
            ("MunicipalityList", object(required: ["api_version", "generated", "count", "municipalities"], envelopeHead + [
                ("count", integer), ("municipalities", array(ref("#/components/schemas/Municipality"))),
            ])),
            ("MunicipalityFile", object("Offers listed in the municipality; the national offers, open to its residents too, are in national.json.",
                                        required: ["api_version", "generated", "municipality", "national_offers", "count", "offers"], envelopeHead + [
                ("municipality", ref("#/components/schemas/Municipality")),
                ("national_offers", object("How many national offers there are, and where they are listed.", required: ["count", "api_url"],
                                           [("count", integer), ("api_url", absoluteURL)])),
                ("count", integer),
                ("offers", array(ref("#/components/schemas/OfferReference"))),
            ])),
            ("NationalFile", object("Listed offers open to everyone in Norway.", required: ["api_version", "generated", "count", "offers"], envelopeHead + [
                ("count", integer),
                ("offers", array(ref("#/components/schemas/OfferReference"))),
            ])),
            ("TopicFile", object("Listed offers with the topic.", required: ["api_version", "generated", "topic", "count", "offers"], envelopeHead + [
                ("topic", object(required: ["id", "labels", "url", "api_url"], [
                    ("id", enumeration(gov.vocabulary(.topics).ids)), ("labels", labels), ("url", absoluteURL), ("api_url", absoluteURL),
                ])),
                ("count", integer),
                ("offers", array(ref("#/components/schemas/OfferReference"))),
            ])),
            ("VocabularyEntry", vocabularyEntry),
            ("Vocabularies", object(required: ["api_version", "generated", "languages", "vocabularies"], envelopeHead + [
                ("languages", array(string())),
                ("vocabularies", obj([("type", str("object")), ("description", str("Each vocabulary by name, entries in order.")),
                                      ("additionalProperties", array(ref("#/components/schemas/VocabularyEntry")))])),
            ])),
            ("BulkPublishManifest", object("A static FHIR Bulk Data publish manifest (HL7 FHIR Bulk Data Access IG).",
                                           required: ["transactionTime", "requiresAccessToken", "output"], [
                ("manifestType", absoluteURL), ("transactionTime", string()), ("requiresAccessToken", boolean),
                ("outputFormat", string()), ("outputOrganizedBy", string()),
                ("output", array(object(required: ["type", "url"], [("type", enumeration(FHIRStep.types)), ("url", absoluteURL), ("count", integer)]))),
            ])),
        ]
    }

    static func response(_ description: String, _ type: String, _ schema: JSONValue) -> JSONValue {
        obj([("description", str(description)), ("content", obj([(type, obj([("schema", schema)]))]))])
    }

    static func get(_ id: String, _ summary: String, tag: String, parameters: [JSONValue] = [], _ ok: JSONValue, servers: JSONValue? = nil) -> JSONValue {
        var responses: [(String, JSONValue)] = [("200", ok)]
        if !parameters.isEmpty { responses.append(("404", obj([("description", str("No such file."))]))) }
        var op = JSONFields()
        op.set("operationId", id)
        op.set("summary", summary)
        op.set("tags", [tag])
        if !parameters.isEmpty { op.set("parameters", .array(parameters)) }
        op.set("responses", .object(responses))
        var item = JSONFields()
        item.set("get", op.value)
        item.set("servers", servers)
        return item.value
    }

    static func pathParameter(_ name: String, _ description: String, _ schema: JSONValue) -> JSONValue {
        obj([("name", str(name)), ("in", str("path")), ("required", .bool(true)), ("description", str(description)), ("schema", schema)])
    }

    /// The OpenAPI 3.1 document describing every file as a static GET.
    public static func openAPI(_ c: FeedContext) -> JSONValue {
        let gov = c.catalog.governance
        let json = "application/json"
        func server(_ url: String, _ description: String) -> JSONValue {
            .array([obj([("url", str(String(url.dropLast()))), ("description", str(description))])])
        }
        let fhirServers = server(c.fhirBase, "FHIR R4 (4.0.1) export")
        let siteServers = server(c.baseURL, "The site")
        let providerParam = pathParameter("provider", "Provider id.", string(pattern: "^\(idPart)$"))
        let paths: [(String, JSONValue)] = [
            ("/offers.json", get("getOffers", "Every current offer and those due for review", tag: "offers",
                                 response("The offers.", json, ref("schema/offers.schema.json")))),
            ("/offers/{provider}/{slug}.json", get("getOffer", "One published offer, in any state (current, due, stale, ended)", tag: "offers",
                                                   parameters: [providerParam, pathParameter("slug", "The offer's slug.", string(pattern: "^\(idPart)$"))],
                                                   response("The offer.", json, ref("schema/offer.schema.json")))),
            ("/providers.json", get("getProviders", "Every provider", tag: "providers",
                                    response("The providers.", json, ref("#/components/schemas/ProviderList")))),
            ("/providers/{provider}.json", get("getProvider", "One provider and references to its published offers", tag: "providers",
                                               parameters: [providerParam], response("The provider.", json, ref("#/components/schemas/ProviderFile")))),
            ("/vocabularies.json", get("getVocabularies", "Every controlled vocabulary: ids and labels (nb, nn, en)", tag: "vocabularies",
                                       response("The vocabularies.", json, ref("#/components/schemas/Vocabularies")))),
            ("/municipalities.json", get("getMunicipalities", "The municipalities (kommuner)", tag: "municipalities",
                                         response("The municipalities.", json, ref("#/components/schemas/MunicipalityList")))),
            ("/municipalities/{kommunenummer}.json", get("getMunicipality", "Offers open to the residents of one municipality", tag: "municipalities",
                                                         parameters: [pathParameter("kommunenummer", "Four-digit kommunenummer.", enumeration(gov.municipalities.map(\.code)))],
                                                         response("The municipality and its offers.", json, ref("#/components/schemas/MunicipalityFile")))),
            ("/national.json", get("getNational", "Listed offers open to everyone in Norway (in no municipality file)", tag: "municipalities",
                                   response("The national offers.", json, ref("#/components/schemas/NationalFile")))),
            ("/topics/{topic}.json", get("getTopic", "Listed offers with one topic", tag: "topics",
                                         parameters: [pathParameter("topic", "Topic id.", enumeration(gov.vocabulary(.topics).ids))],
                                         response("The topic and its offers.", json, ref("#/components/schemas/TopicFile")))),
            ("/schema/offer.schema.json", get("getOfferSchema", "JSON Schema (2020-12) of one offer", tag: "schemas",
                                              response("The schema.", "application/schema+json", obj([("type", str("object"))])))),
            ("/schema/offers.schema.json", get("getOffersSchema", "JSON Schema (2020-12) of offers.json", tag: "schemas",
                                               response("The schema.", "application/schema+json", obj([("type", str("object"))])))),
            ("/schema/provider.schema.json", get("getProviderSchema", "JSON Schema (2020-12) of one provider", tag: "schemas",
                                                 response("The schema.", "application/schema+json", obj([("type", str("object"))])))),
            ("/openapi.json", get("getOpenAPI", "This document", tag: "schemas", response("OpenAPI 3.1.", json, obj([("type", str("object"))])))),
            ("/$bulk-publish", get("getFHIRBulkPublish", "FHIR Bulk Data publish manifest: the NDJSON file of each resource type, with its count",
                                   tag: "fhir", response("The manifest.", json, ref("#/components/schemas/BulkPublishManifest")), servers: fhirServers)),
            ("/{type}.ndjson", get("getFHIRResources", "Every resource of one type, one FHIR R4 resource a line (current offers as HealthcareService, providers as Organization, places and areas as Location, vocabularies as CodeSystem)",
                                   tag: "fhir", parameters: [pathParameter("type", "Resource type.", enumeration(FHIRStep.types))],
                                   response("The resources.", "application/fhir+ndjson", obj([("type", str("string"))])), servers: fhirServers)),
            ("/feed.xml", get("getAtomFeed", "Atom feed of the 50 most recently reviewed current offers", tag: "site",
                              response("The feed.", "application/atom+xml", obj([("type", str("string"))])), servers: siteServers)),
            ("/sitemap.xml", get("getSitemap", "Sitemap of every page with its language alternates", tag: "site",
                                 response("The sitemap.", "application/xml", obj([("type", str("string"))])), servers: siteServers)),
        ]
        return obj([
            ("openapi", str("3.1.0")),
            ("jsonSchemaDialect", str(dialect)),
            ("info", obj([
                ("title", str((c.catalog.site.title[c.defaultLanguage] ?? "Tilbud") + " – API")),
                ("version", str(FeedContext.apiVersion)),
                ("summary", str("Static, read-only JSON files of the catalog of healthy-living, learning and coping offers.")),
                ("description", str("Every endpoint is a static file served with GET. Within version 1 fields are added, never renamed or removed. Vocabulary fields carry ids; their labels are in vocabularies.json. See docs/api.md.")),
            ])),
            ("servers", server(c.apiBase, "JSON API v1")),
            ("tags", .array(["offers", "providers", "vocabularies", "municipalities", "topics", "schemas", "fhir", "site"].map { obj([("name", str($0))]) })),
            ("paths", .object(paths)),
            ("components", obj([("schemas", .object(components(c)))])),
        ])
    }
}
