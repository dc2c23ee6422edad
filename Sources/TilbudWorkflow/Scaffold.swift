import Foundation
import TilbudContent
import TilbudModel
import TilbudValidate

/// `tilbud new`: complete records with every field explained in Norwegian comments.
///
/// Required values the generator cannot know are left as empty placeholders (`""` or `[]`), so
/// `tilbud check` points at each one until it is filled; nothing half-written is published by mistake.
public enum Scaffold {
    /// A YAML double-quoted string.
    static func q(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Comment lines listing a vocabulary's ids with their bokmål labels, wrapped.
    static func choices(_ vocabulary: Vocabulary, indent: String = "") -> String {
        let width = (vocabulary.entries.map(\.id.count).max() ?? 0) + 2
        return vocabulary.entries.map { e in
            "\(indent)#   " + e.id + String(repeating: " ", count: max(1, width - e.id.count)) + e.label("nb")
        }.joined(separator: "\n")
    }

    /// A short inline list of ids: `a | b | c`.
    static func inline(_ vocabulary: Vocabulary) -> String {
        vocabulary.ids.joined(separator: " | ")
    }

    /// What the hand-written comments of the offer fields say about being required (content model v1).
    static let writtenOffer: [String: ScaffoldFields.Requirement] = [
        "title": .required, "summary": .required, "kind": .required, "format": .required, "delivery": .required,
        "topics": .required, "audiences": .required, "last_reviewed": .required,
    ]
    /// What the hand-written comments of the provider fields say about being required (content model v1).
    static let writtenProvider: [String: ScaffoldFields.Requirement] = [
        "name": .required, "org_number": .required, "type": .required, "municipality": .required,
    ]

    /// One line of a list item or object: its explanation, then the key, and whether it is a placeholder to fill in.
    struct Member {
        var name: String
        var comment: [String] = []
        var line: String
        /// The line is written (not commented out).
        var live: Bool
        /// An empty value that `tilbud check` rejects until it is filled in.
        var placeholder = false
    }

    /// The lines of the members of `field` that `fields.yaml` declares, at `indent`: a placeholder the declaration
    /// makes optional is commented out. With `item`, the first line written starts the list item («- »).
    static func members(_ field: String, _ list: [Member], _ f: ScaffoldFields, indent: String, item: Bool) -> [String] {
        var out: [String] = []
        var dashed = !item
        for var m in list where f.has(field, m.name) {
            if m.placeholder && m.live && !f.wanted(field, m.name) { m.live = false }
            out += m.comment.map { indent + $0 }
            if !m.live {
                out.append(indent + "# " + m.line)
            } else if !dashed {
                out.append(String(indent.dropLast(2)) + "- " + m.line)
                dashed = true
            } else {
                out.append(indent + m.line)
            }
        }
        return out
    }

    /// `lines`, commented out unless `live`.
    static func live(_ lines: [String], _ live: Bool) -> String {
        (live ? lines : ScaffoldFields.commentOut(lines, indent: "")).joined(separator: "\n")
    }

    /// «1 til 5 id-er» from a count range of the policy (adopted from `fields.yaml`).
    static func count(_ r: CountRange) -> String {
        ScaffoldFields.count(r.min > 0 ? Double(r.min) : nil, r.max < Int.max ? Double(r.max) : nil, one: "id", many: "id-er") ?? "id-er"
    }

    /// The text of a new offer `<provider>/<slug>.md`: the fields `fields.yaml` declares, each explained; the ones
    /// the code models with their own words, the others (before `last_reviewed`) from their declarations.
    public static func offer(providerID: String, slug: String, provider: Provider?, governance: Governance, today: Day) -> String {
        let p = governance.policy
        let f = ScaffoldFields(governance.fields.offer, modelled: FieldSet.modelledOffer, written: writtenOffer, governance: governance)
        let municipality = provider?.municipality ?? ""
        let municipalityName = governance.municipality(municipality)?.name
        let v = { governance.vocabulary($0) }
        var signup: [Member] = [Member(name: "url", line: "url: https://example.org/pamelding", live: false)]
        if let email = provider?.email { signup.append(Member(name: "email", line: "email: \(q(email))", live: true)) }
        if let phone = provider?.phone { signup.append(Member(name: "phone", line: "phone: \(q(phone))", live: true)) }
        if provider?.email == nil && provider?.phone == nil { signup.append(Member(name: "email", line: "email: \"\"", live: true)) }
        signup.append(Member(name: "deadline", comment: ["# Siste dag for påmelding (valgfritt):"], line: "deadline: \(today.addingDays(14).iso)", live: false))
        var contact: [Member] = [Member(name: "name", line: "name: Kari Nordmann", live: false)]
        if let phone = provider?.phone { contact.append(Member(name: "phone", line: "phone: \(q(phone))", live: true)) }
        if let email = provider?.email { contact.append(Member(name: "email", line: "email: \(q(email))", live: true)) }
        let intervalText = p.reviewIntervalMonths == 12 ? "hver 12. måned" : "hver \(p.reviewIntervalMonths). måned"
        let validUntilLive = f.live("valid_until", v1: false)

        let blocks: [(String, String)] = [
            ("title", """
            # TITTEL: det innbyggerne ser først i lister og søk. Høyst \(p.titleMaxChars) tegn. \(f.need("title", "Påkrevd."))
            title: ""
            """),
            ("summary", """
            # SAMMENDRAG: én eller to setninger i ren tekst (ikke Markdown) om hva
            # tilbudet er og hvem det er for. Høyst \(p.summaryMaxChars) tegn. \(f.need("summary", "Påkrevd."))
            summary: ""
            """),
            ("kind", """
            # TYPE TILBUD. \(f.need("kind", "Påkrevd.")) Skriv én av id-ene:
            \(choices(v(.kind)))
            kind: ""
            """),
            ("format", """
            # FORM. \(f.need("format", "Påkrevd.")) Skriv én av id-ene:
            \(choices(v(.format)))
            format: ""
            """),
            ("delivery", """
            # GJENNOMFØRING. \(f.need("delivery", "Påkrevd.")) Skriv én av id-ene:
            \(choices(v(.delivery)))
            delivery: ""
            """),
            ("topics", """
            # TEMAER: \(count(p.topics)) i hakeparentes, for eksempel [sovn, stress]. \(f.need("topics", "Påkrevd."))
            \(choices(v(.topics)))
            \(live(["topics: []"], f.live("topics", v1: true)))
            """),
            ("audiences", """
            # MÅLGRUPPER: \(count(p.audiences)), for eksempel [voksne, eldre]. \(f.need("audiences", "Påkrevd."))
            \(choices(v(.audiences)))
            \(live(["audiences: []"], f.live("audiences", v1: true)))
            """),
            ("municipalities", """
            # KOMMUNER tilbudet gjelder for: kommunenummer med fire sifre i anførselstegn,
            # for eksempel ["0301", "3201"]. \(f.need("municipalities", "Påkrevd, med mindre national er true."))
            # Forhåndsutfylt med tilbyderens kommune\(municipalityName.map { " (\($0))" } ?? "").
            municipalities: [\(municipality.isEmpty ? "" : q(municipality))]
            """),
            ("national", """
            # LANDSDEKKENDE: true hvis tilbudet er åpent for alle i hele Norge (typisk
            # for digitale tilbud). Da kan municipalities være tom: [].
            \(f.needLine("national"))national: false
            """),
            ("locations", """
            # STEDER der tilbudet holdes. \(f.need("locations", "Påkrevd når delivery er oppmote eller hybrid."))
            # Er tilbudet bare digitalt, slett hele blokken (fra «locations:» til «geo»).
            # Flere steder: gjenta blokken fra «- name:».
            \(live(["locations:"] + members("locations", [
                Member(name: "name", line: "name: \"\"", live: true, placeholder: true),
                Member(name: "address", line: "address: \"\"", live: true, placeholder: true),
                Member(name: "postal_code", comment: ["# Postnummer: fire sifre i anførselstegn, for eksempel \"0553\"."],
                       line: "postal_code: \"\"", live: true, placeholder: true),
                Member(name: "city", line: "city: \"\"", live: true, placeholder: true),
                Member(name: "municipality", comment: ["# Kommunenummeret stedet ligger i. Det bør også stå i municipalities."],
                       line: "municipality: \(q(municipality))", live: true, placeholder: municipality.isEmpty),
                Member(name: "geo", comment: ["# Valgfritt: [breddegrad, lengdegrad] for kartet, for eksempel [59.9226, 10.7590]."],
                       line: "geo: [59.9226, 10.7590]", live: false),
            ], f, indent: "    ", item: true), f.live("locations", v1: true)))
            """),
            ("schedule", """
            # DATOER: én «- start:» per gjennomføring. Dato som ÅÅÅÅ-MM-DD, eller dato og
            # klokkeslett som ÅÅÅÅ-MM-DDTHH:MM. end og note er valgfrie.
            # Har tilbudet løpende oppstart: slett schedule-blokken og sett ongoing: true.
            \(f.needLine("schedule"))\(live(["schedule:"] + members("schedule", [
                Member(name: "start", line: "start: \"\"", live: true, placeholder: true),
                Member(name: "end", line: "end: \(today.addingDays(28).iso)", live: false),
                Member(name: "note", line: "note: Tirsdager kl. 18–20, fire ganger", live: false),
            ], f, indent: "    ", item: true), f.live("schedule", v1: true)))
            """),
            ("ongoing", """
            # LØPENDE OPPSTART: true hvis man kan begynne når som helst.
            \(f.needLine("ongoing"))ongoing: false
            """),
            ("price", """
            # PRIS. kind er én av: \(inline(v(.price))).
            # amount_nok (helt tall i kroner, uten «kr») trengs for egenandel og betaling.
            \(f.needLine("price"))\((["price:"] + members("price", [
                Member(name: "kind", line: "kind: " + (governance.fields.offerField(path: "price.kind")?.defaultValue ?? "\"\""), live: true),
                Member(name: "amount_nok", line: "amount_nok: 350", live: false),
                Member(name: "note", line: "note: Egenandelen dekker kursmateriell.", live: false),
            ], f, indent: "  ", item: false)).joined(separator: "\n"))
            """),
            ("referral", """
            # HENVISNING: trenger deltakerne henvisning eller frisklivsresept? Én av:
            \(choices(v(.referral)))
            \(f.needLine("referral"))referral: \(governance.fields.offerField("referral")?.defaultValue ?? "\"\"")
            """),
            ("signup", """
            # PÅMELDING: minst én av url (bare https://), phone eller email.
            # Forhåndsutfylt fra provider.yaml; endre om påmeldingen går et annet sted.
            \(f.needLine("signup"))\((["signup:"] + members("signup", signup, f, indent: "  ", item: false)).joined(separator: "\n"))
            """),
            ("contact", """
            # KONTAKT for spørsmål om tilbudet. Alt er valgfritt.
            # Telefon: +47 og 8 sifre, for eksempel "+47 23 00 00 00".
            \(f.needLine("contact"))\((["contact:"] + members("contact", contact, f, indent: "  ", item: false)).joined(separator: "\n"))
            """),
            ("languages", """
            # SPRÅK tilbudet holdes på (språkkoder, for eksempel [nb, en]).
            \(f.needLine("languages"))languages: [nb]
            """),
            ("accessibility", """
            # TILGJENGELIGHET: id-er i hakeparentes, eller [] om ingen gjelder:
            \(choices(v(.accessibility)))
            \(f.needLine("accessibility"))accessibility: []
            """),
            ("tags", """
            # SØKEORD: frie ord folk kan søke etter, for eksempel [søvnvansker, insomni]. Høyst \(p.tagsMax).
            \(f.needLine("tags"))tags: []
            """),
            ("last_reviewed", """
            # SIST KONTROLLERT: datoen dere sist bekreftet at alt stemmer. Oppdater den
            # når dere har gått gjennom tilbudet; det skal skje minst \(intervalText).
            \(f.needLine("last_reviewed"))last_reviewed: \(today.iso)
            """),
            ("valid_until", f.changed("valid_until") ? """
            # GYLDIG TIL: etter denne datoen vises tilbudet som avsluttet. \(f.need("valid_until", ""))
            \(validUntilLive ? "valid_until: \"\"" : "# valid_until: \(today.addingMonths(12).iso)")
            """ : """
            # GYLDIG TIL (valgfritt): etter denne datoen vises tilbudet som avsluttet.
            # valid_until: \(today.addingMonths(12).iso)
            """),
            ("status", """
            # STATUS: published (publiseres), draft (utkast, publiseres ikke) eller
            # archived (avsluttet og tatt ned).
            \(f.needLine("status"))status: published
            """),
        ]
        var fields = blocks.filter { f.has($0.0) }.map(\.1)
        let extra = f.extra.map(f.block)
        fields.insert(contentsOf: extra, at: blocks.filter { f.has($0.0) }.firstIndex { $0.0 == "last_reviewed" } ?? fields.count)
        return """
        ---
        # Nytt tilbud: \(providerID)/\(slug)\(provider.map { " hos \($0.name)" } ?? "")
        #
        # Fyll inn alle verdier som står tomme ("" eller []), og kjør
        #     tilbud check
        # til det ikke er flere feil. Linjer som starter med # er forklaringer; de
        # vises ikke på nettstedet og kan stå eller slettes. Id-en til tilbudet er
        # \(providerID)/\(slug) og endres aldri, selv om tittelen endres.

        \(fields.joined(separator: "\n\n"))

        # TEKSTEN under streken: hva tilbudet er, hvem det passer for, hva man lærer
        # og hvordan det foregår. Vanlig Markdown: ## Overskrift, *kursiv*, **fet**,
        # - punktlister og [lenker](https://example.org). HTML vises ikke.
        ---

        """
    }

    /// The text of a new `providers/<id>/provider.yaml`: the fields `fields.yaml` declares, each explained; the
    /// ones the code does not model (before `editors`) from their declarations.
    public static func provider(id: String, governance: Governance, editor: String?) -> String {
        let f = ScaffoldFields(governance.fields.provider, modelled: FieldSet.modelledProvider, written: writtenProvider, governance: governance)
        let editors = editor.map { "[\(q($0))]" } ?? "[]"
        var blocks: [(String, String)] = [
            ("name", """
            # NAVN slik innbyggerne kjenner tilbyderen. \(f.need("name", "Påkrevd."))
            \(live(["name: \"\""], f.live("name", v1: true)))
            """),
            ("org_number", """
            # ORGANISASJONSNUMMER fra Enhetsregisteret: 9 sifre i anførselstegn. \(f.need("org_number", "Påkrevd."))
            \(live(["org_number: \"\""], f.live("org_number", v1: true)))
            """),
            ("type", """
            # TYPE tilbyder. \(f.need("type", "Påkrevd.")) Skriv én av id-ene:
            \(choices(governance.vocabulary(.providerType)))
            \(live(["type: \"\""], f.live("type", v1: true)))
            """),
            ("municipality", """
            # KOMMUNE der tilbyderen holder til: kommunenummer med fire sifre i
            # anførselstegn, for eksempel "0301" for Oslo. \(f.need("municipality", "Påkrevd."))
            \(live(["municipality: \"\""], f.live("municipality", v1: true)))
            """),
            ("email", """
            # E-POST til tilbyderen. Påminnelser om tilbud som må gjennomgås går hit.
            # Fyll inn, eller slett linjen.
            \(f.needLine("email"))email: ""
            """),
        ]
        if f.has("website") && f.has("phone") && !f.changed("website") && !f.changed("phone") {
            blocks.append(("website", """
            # NETTSTED (bare https://) og TELEFON (+47 og 8 sifre). Valgfrie.
            # website: https://example.org
            # phone: "+47 23 00 00 00"
            """))
        } else {
            blocks.append(("website", """
            # NETTSTED (bare https://). \(f.need("website", "Valgfritt."))
            \(f.live("website", v1: false) ? "website: \"\"" : "# website: https://example.org")
            """))
            blocks.append(("phone", """
            # TELEFON (+47 og 8 sifre). \(f.need("phone", "Valgfritt."))
            \(f.live("phone", v1: false) ? "phone: \"\"" : "# phone: \"+47 23 00 00 00\"")
            """))
        }
        blocks.append(("editors", """
        # REDAKTØRER: e-postadressene (slik de står i git) til dem som får endre
        # denne mappen. * står for en hvilken som helst del av navnet foran @,
        # for eksempel "*@kommune.no". Forhåndsutfylt med din git-adresse.
        \(f.needLine("editors"))editors: \(editors)
        """))
        let declared = blocks.filter { f.has($0.0) }
        var fields = declared.map(\.1)
        fields.insert(contentsOf: f.extra.map(f.block), at: declared.firstIndex { $0.0 == "editors" } ?? fields.count)
        return """
        # Ny tilbyder: \(id)
        #
        # Fyll inn alle verdier som står tomme (""), og kjør «tilbud check» til det
        # ikke er flere feil. Linjer som starter med # er forklaringer. Mappenavnet
        # \(id) er tilbyderens id og endres aldri. Nye tilbud lager du med
        #     tilbud new offer \(id) <slug>

        \(fields.joined(separator: "\n\n"))

        """
    }

    /// Writes `text` to a new file at `url`; never replaces an existing file (O_EXCL).
    public static func create(_ text: String, at url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            let e = errno
            if e == EEXIST {
                throw WorkflowError("file-exists", nb: "Filen \(url.path) finnes allerede; den blir ikke overskrevet.",
                                    en: "The file \(url.path) already exists; it is not overwritten.")
            }
            let reason = String(cString: strerror(e))
            throw WorkflowError("write-failed", nb: "Kunne ikke skrive \(url.path): \(reason).", en: "Could not write \(url.path): \(reason).")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                throw WorkflowError("write-failed", nb: "Kunne ikke skrive \(url.path): \(reason).", en: "Could not write \(url.path): \(reason).")
            }
            offset += n
        }
    }
}

/// `tilbud new offer` and `tilbud new provider`: checks ids and governance, then writes the record.
public struct NewRecord: Sendable {
    /// The content folder.
    public let contentRoot: URL
    /// The content folder as shown to the user.
    public let displayRoot: String
    /// The day written as `last_reviewed`.
    public let today: Day

    /// Creates the command's core.
    public init(contentRoot: URL, displayRoot: String, today: Day) {
        self.contentRoot = contentRoot.standardizedFileURL
        self.displayRoot = displayRoot
        self.today = today
    }

    func display(_ relative: String) -> String {
        displayRoot.isEmpty || displayRoot == "." ? relative : displayRoot + "/" + relative
    }

    static func checkID(_ id: String, what: String, whatEn: String) throws {
        guard Identifier.isValid(id) else {
            throw WorkflowError("invalid-id",
                                nb: "«\(id)» er ikke en gyldig \(what): bruk 2–64 tegn, bare små bokstaver a–z, sifre og bindestrek (for eksempel sov-godt).",
                                en: "'\(id)' is not a valid \(whatEn): use 2–64 characters, only lowercase a–z, digits and hyphens (for example sov-godt).")
        }
    }

    /// The governance (and the provider, when it validates) from a subset check.
    func load(provider id: String?) throws -> (Governance, Provider?) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentRoot.path, isDirectory: &isDir), isDir.boolValue else {
            throw WorkflowError("no-content", nb: "Fant ikke innholdsmappen «\(displayRoot)».", en: "The content folder '\(displayRoot)' was not found.")
        }
        let result = CatalogChecker(root: contentRoot, displayRoot: displayRoot, today: today).run(only: id.map { [$0: .providerOnly] } ?? [:])
        return (result.catalog.governance, id.flatMap { result.catalog.provider($0) })
    }

    /// Writes `providers/<providerID>/<slug>.md`; returns its path as shown.
    @discardableResult
    public func offer(providerID: String, slug: String) throws -> String {
        try Self.checkID(providerID, what: "tilbyder-id", whatEn: "provider id")
        try Self.checkID(slug, what: "slug (id for tilbudet)", whatEn: "slug (offer id)")
        let folder = contentRoot.appendingPathComponent("providers/\(providerID)", isDirectory: true)
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("provider.yaml").path) else {
            throw WorkflowError("unknown-provider",
                                nb: "Tilbyderen «\(providerID)» finnes ikke (\(display("providers/\(providerID)/provider.yaml")) mangler). Lag den først med: tilbud new provider \(providerID)",
                                en: "The provider '\(providerID)' does not exist (\(display("providers/\(providerID)/provider.yaml")) is missing). Create it first with: tilbud new provider \(providerID)")
        }
        let relative = "providers/\(providerID)/\(slug).md"
        let url = contentRoot.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) {
            throw WorkflowError("file-exists", nb: "\(display(relative)) finnes allerede; den blir ikke overskrevet. Velg en annen slug.",
                                en: "\(display(relative)) already exists; it is not overwritten. Choose another slug.")
        }
        let (governance, provider) = try load(provider: providerID)
        try Scaffold.create(Scaffold.offer(providerID: providerID, slug: slug, provider: provider, governance: governance, today: today), at: url)
        return display(relative)
    }

    /// Writes `providers/<id>/provider.yaml`; returns its path as shown.
    @discardableResult
    public func provider(id: String, editor: String?) throws -> String {
        try Self.checkID(id, what: "tilbyder-id", whatEn: "provider id")
        let relative = "providers/\(id)/provider.yaml"
        let url = contentRoot.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: url.path) {
            throw WorkflowError("file-exists", nb: "\(display(relative)) finnes allerede; den blir ikke overskrevet.",
                                en: "\(display(relative)) already exists; it is not overwritten.")
        }
        let (governance, _) = try load(provider: nil)
        try Scaffold.create(Scaffold.provider(id: id, governance: governance, editor: editor), at: url)
        return display(relative)
    }

    /// The author e-mail git would use in the content folder, if configured.
    public func gitEmail() -> String? {
        guard let out = try? Git(directory: contentRoot).run(["config", "user.email"]), out.succeeded else { return nil }
        let email = out.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return email.isEmpty ? nil : email
    }
}
