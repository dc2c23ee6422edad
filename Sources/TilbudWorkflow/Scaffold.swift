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

    /// The text of a new offer `<provider>/<slug>.md`.
    public static func offer(providerID: String, slug: String, provider: Provider?, governance: Governance, today: Day) -> String {
        let p = governance.policy
        let municipality = provider?.municipality ?? ""
        let municipalityName = governance.municipality(municipality)?.name
        let v = { governance.vocabulary($0) }
        var signup: [String] = []
        if let email = provider?.email { signup.append("  email: \(q(email))") }
        if let phone = provider?.phone { signup.append("  phone: \(q(phone))") }
        if signup.isEmpty { signup.append("  email: \"\"") }
        var contact: [String] = ["  # name: Kari Nordmann"]
        if let phone = provider?.phone { contact.append("  phone: \(q(phone))") }
        if let email = provider?.email { contact.append("  email: \(q(email))") }
        let intervalText = p.reviewIntervalMonths == 12 ? "hver 12. måned" : "hver \(p.reviewIntervalMonths). måned"
        return """
        ---
        # Nytt tilbud: \(providerID)/\(slug)\(provider.map { " hos \($0.name)" } ?? "")
        #
        # Fyll inn alle verdier som står tomme ("" eller []), og kjør
        #     tilbud check
        # til det ikke er flere feil. Linjer som starter med # er forklaringer; de
        # vises ikke på nettstedet og kan stå eller slettes. Id-en til tilbudet er
        # \(providerID)/\(slug) og endres aldri, selv om tittelen endres.

        # TITTEL: det innbyggerne ser først i lister og søk. Høyst \(p.titleMaxChars) tegn. Påkrevd.
        title: ""

        # SAMMENDRAG: én eller to setninger i ren tekst (ikke Markdown) om hva
        # tilbudet er og hvem det er for. Høyst \(p.summaryMaxChars) tegn. Påkrevd.
        summary: ""

        # TYPE TILBUD. Påkrevd. Skriv én av id-ene:
        \(choices(v(.kind)))
        kind: ""

        # FORM. Påkrevd. Skriv én av id-ene:
        \(choices(v(.format)))
        format: ""

        # GJENNOMFØRING. Påkrevd. Skriv én av id-ene:
        \(choices(v(.delivery)))
        delivery: ""

        # TEMAER: \(p.topics.min) til \(p.topics.max) id-er i hakeparentes, for eksempel [sovn, stress]. Påkrevd.
        \(choices(v(.topics)))
        topics: []

        # MÅLGRUPPER: \(p.audiences.min) til \(p.audiences.max) id-er, for eksempel [voksne, eldre]. Påkrevd.
        \(choices(v(.audiences)))
        audiences: []

        # KOMMUNER tilbudet gjelder for: kommunenummer med fire sifre i anførselstegn,
        # for eksempel ["0301", "3201"]. Påkrevd, med mindre national er true.
        # Forhåndsutfylt med tilbyderens kommune\(municipalityName.map { " (\($0))" } ?? "").
        municipalities: [\(municipality.isEmpty ? "" : q(municipality))]

        # LANDSDEKKENDE: true hvis tilbudet er åpent for alle i hele Norge (typisk
        # for digitale tilbud). Da kan municipalities være tom: [].
        national: false

        # STEDER der tilbudet holdes. Påkrevd når delivery er oppmote eller hybrid.
        # Er tilbudet bare digitalt, slett hele blokken (fra «locations:» til «geo»).
        # Flere steder: gjenta blokken fra «- name:».
        locations:
          - name: ""
            address: ""
            # Postnummer: fire sifre i anførselstegn, for eksempel "0553".
            postal_code: ""
            city: ""
            # Kommunenummeret stedet ligger i. Det bør også stå i municipalities.
            municipality: \(q(municipality))
            # Valgfritt: [breddegrad, lengdegrad] for kartet, for eksempel [59.9226, 10.7590].
            # geo: [59.9226, 10.7590]

        # DATOER: én «- start:» per gjennomføring. Dato som ÅÅÅÅ-MM-DD, eller dato og
        # klokkeslett som ÅÅÅÅ-MM-DDTHH:MM. end og note er valgfrie.
        # Har tilbudet løpende oppstart: slett schedule-blokken og sett ongoing: true.
        schedule:
          - start: ""
            # end: \(today.addingDays(28).iso)
            # note: Tirsdager kl. 18–20, fire ganger

        # LØPENDE OPPSTART: true hvis man kan begynne når som helst.
        ongoing: false

        # PRIS. kind er én av: \(inline(v(.price))).
        # amount_nok (helt tall i kroner, uten «kr») trengs for egenandel og betaling.
        price:
          kind: gratis
          # amount_nok: 350
          # note: Egenandelen dekker kursmateriell.

        # HENVISNING: trenger deltakerne henvisning eller frisklivsresept? Én av:
        \(choices(v(.referral)))
        referral: ingen

        # PÅMELDING: minst én av url (bare https://), phone eller email.
        # Forhåndsutfylt fra provider.yaml; endre om påmeldingen går et annet sted.
        signup:
          # url: https://example.org/pamelding
        \(signup.joined(separator: "\n"))
          # Siste dag for påmelding (valgfritt):
          # deadline: \(today.addingDays(14).iso)

        # KONTAKT for spørsmål om tilbudet. Alt er valgfritt.
        # Telefon: +47 og 8 sifre, for eksempel "+47 23 00 00 00".
        contact:
        \(contact.joined(separator: "\n"))

        # SPRÅK tilbudet holdes på (språkkoder, for eksempel [nb, en]).
        languages: [nb]

        # TILGJENGELIGHET: id-er i hakeparentes, eller [] om ingen gjelder:
        \(choices(v(.accessibility)))
        accessibility: []

        # SØKEORD: frie ord folk kan søke etter, for eksempel [søvnvansker, insomni]. Høyst \(p.tagsMax).
        tags: []

        # SIST KONTROLLERT: datoen dere sist bekreftet at alt stemmer. Oppdater den
        # når dere har gått gjennom tilbudet; det skal skje minst \(intervalText).
        last_reviewed: \(today.iso)

        # GYLDIG TIL (valgfritt): etter denne datoen vises tilbudet som avsluttet.
        # valid_until: \(today.addingMonths(12).iso)

        # STATUS: published (publiseres), draft (utkast, publiseres ikke) eller
        # archived (avsluttet og tatt ned).
        status: published

        # TEKSTEN under streken: hva tilbudet er, hvem det passer for, hva man lærer
        # og hvordan det foregår. Vanlig Markdown: ## Overskrift, *kursiv*, **fet**,
        # - punktlister og [lenker](https://example.org). HTML vises ikke.
        ---

        """
    }

    /// The text of a new `providers/<id>/provider.yaml`.
    public static func provider(id: String, governance: Governance, editor: String?) -> String {
        let editors = editor.map { "[\(q($0))]" } ?? "[]"
        return """
        # Ny tilbyder: \(id)
        #
        # Fyll inn alle verdier som står tomme (""), og kjør «tilbud check» til det
        # ikke er flere feil. Linjer som starter med # er forklaringer. Mappenavnet
        # \(id) er tilbyderens id og endres aldri. Nye tilbud lager du med
        #     tilbud new offer \(id) <slug>

        # NAVN slik innbyggerne kjenner tilbyderen. Påkrevd.
        name: ""

        # ORGANISASJONSNUMMER fra Enhetsregisteret: 9 sifre i anførselstegn. Påkrevd.
        org_number: ""

        # TYPE tilbyder. Påkrevd. Skriv én av id-ene:
        \(choices(governance.vocabulary(.providerType)))
        type: ""

        # KOMMUNE der tilbyderen holder til: kommunenummer med fire sifre i
        # anførselstegn, for eksempel "0301" for Oslo. Påkrevd.
        municipality: ""

        # E-POST til tilbyderen. Påminnelser om tilbud som må gjennomgås går hit.
        # Fyll inn, eller slett linjen.
        email: ""

        # NETTSTED (bare https://) og TELEFON (+47 og 8 sifre). Valgfrie.
        # website: https://example.org
        # phone: "+47 23 00 00 00"

        # REDAKTØRER: e-postadressene (slik de står i git) til dem som får endre
        # denne mappen. * står for en hvilken som helst del av navnet foran @,
        # for eksempel "*@kommune.no". Forhåndsutfylt med din git-adresse.
        editors: \(editors)

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
