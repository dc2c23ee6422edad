import Foundation
import TilbudModel
import TilbudValidate

/// The field reference for editors (`docs/fields.md`), in bokmål, made from `governance/fields.yaml` alone: every
/// offer and provider field with its type, whether it is required, its limits, its vocabulary or values, its
/// default, its labels in nb, nn and en and its help. `tilbud dev fields-doc` prints it.
public enum FieldReference {
    /// How to make the file again; said at its top and by the test that keeps it up to date.
    public static let regenerate = "swift run tilbud dev fields-doc > docs/fields.md"

    /// The governance of the content folder `contentRoot` (its governance files and `site.yaml`, checked with the
    /// full rules); the result's diagnostics say what is wrong when it has errors.
    public static func check(contentRoot: URL, displayRoot: String) throws -> CheckResult {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: contentRoot.path, isDirectory: &isDir), isDir.boolValue else {
            throw WorkflowError("no-content", nb: "Fant ikke innholdsmappen «\(displayRoot)».", en: "The content folder '\(displayRoot)' was not found.")
        }
        return CatalogChecker(root: contentRoot, displayRoot: displayRoot, today: Day(ordinal: 0)).run(only: [:])
    }

    /// The whole reference as Markdown.
    public static func markdown(_ governance: Governance) -> String {
        var out = """
        # Feltreferanse

        <!-- Laget fra content/governance/fields.yaml av «tilbud dev fields-doc». Ikke rediger for hånd: endre fields.yaml og kjør
             \(regenerate) -->

        Her står alle feltene i et tilbud og hos en tilbyder, slik forvaltningen har erklært dem i
        `content/governance/fields.yaml`. Filen lages fra den erklæringen, så den stemmer alltid med hva
        `tilbud check` godtar. Se [veiledningen for tilbydere](for-tilbydere.md) for hvordan du skriver et tilbud.

        - **Påkrevd**: *ja* betyr at feltet alltid må stå; *når …* betyr at det må stå når et annet felt har
          (eller ikke har) en bestemt verdi.
        - **Standardverdi** er verdien feltet får når det ikke står i filen.
        - Id-er skrives nøyaktig som i listene under (små bokstaver, uten anførselstegn der det ikke trengs).
          Kommunenummer skrives med fire sifre i anførselstegn, for eksempel `"0301"`.


        """
        out += section("Tilbud", file: "providers/<tilbyder>/<slug>.md", frontMatter: true, governance.fields.offer, governance)
        out += "\n"
        out += section("Tilbyder", file: "providers/<tilbyder>/provider.yaml", frontMatter: false, governance.fields.provider, governance)
        return out
    }

    // MARK: sections

    static func section(_ title: String, file: String, frontMatter: Bool, _ fields: [FieldDeclaration], _ gov: Governance) -> String {
        var out = "## \(title)\n\nFeltene i \(frontMatter ? "front matter i " : "")`\(file)`, i denne rekkefølgen.\n\n"
        out += "| Felt | Etikett | Type | Påkrevd |\n| --- | --- | --- | --- |\n"
        for d in fields {
            out += "| [`\(d.name)`](#\(anchor(title, d.name))) | \(cell(d.label("nb"))) | \(cell(typeName(d))) | \(cell(required(d))) |\n"
        }
        for d in fields {
            out += "\n" + field(d, title: title, gov)
        }
        return out
    }

    /// The anchor of a field's heading (`### Tilbud: title` → `tilbud-title`), as GitHub makes it.
    static func anchor(_ title: String, _ name: String) -> String {
        (title + "-" + name).lowercased()
    }

    static func field(_ d: FieldDeclaration, title: String, _ gov: Governance) -> String {
        var out = "### \(title): \(d.name)\n\n"
        if let help = d.help["nb"] { out += help + "\n\n" }
        out += "| | |\n| --- | --- |\n"
        for (key, value) in facts(d, gov, top: true) { out += "| \(key) | \(cell(value)) |\n" }
        let subFields = d.type == .object ? d.fields : d.type == .list ? d.item?.fields ?? [] : []
        if !subFields.isEmpty {
            out += "\n" + (d.type == .object ? "Feltene i `\(d.name)`:" : "Feltene i hvert element av `\(d.name)`:") + "\n\n"
            out += "| Felt | Etikett | Type | Påkrevd | Grenser og verdier |\n| --- | --- | --- | --- | --- |\n"
            for s in subFields {
                var parts = facts(s, gov, top: false).filter { !["Type", "Påkrevd"].contains($0.0) }.map { "\($0.0): \($0.1)" }
                if !s.fields.isEmpty { parts.append("Felt: " + s.fields.map { "`\($0.name)`" }.joined(separator: ", ")) }
                if let help = s.help["nb"] { parts.append(help) }
                let rest = parts.joined(separator: "; ")
                out += "| `\(s.name)` | \(cell(s.label("nb"))) | \(cell(typeName(s))) | \(cell(required(s))) | \(cell(rest.isEmpty ? "–" : rest)) |\n"
            }
        }
        return out
    }

    /// The rows of a field's table, in order; `top` adds its labels in every language, where it is shown and search.
    static func facts(_ d: FieldDeclaration, _ gov: Governance, top: Bool) -> [(String, String)] {
        var rows: [(String, String)] = [("Type", typeName(d)), ("Påkrevd", required(d))]
        if let limits = limits(d, gov) { rows.append(("Grenser", limits)) }
        if let format = d.format.map(formatName) { rows.append(("Regel", format)) }
        if let values = values(d, gov) { rows.append(("Verdier", values)) }
        if d.type == .list, let item = d.item, item.fields.isEmpty {
            var each = typeName(item)
            if let l = limits(item, gov) { each += ", " + l }
            if let v = values(item, gov) { each += "; " + v }
            rows.append(("Hvert element", each))
        }
        if let v = d.defaultValue { rows.append(("Standardverdi", "`\(v)`")) }
        if top {
            if !d.label.isEmpty {
                rows.append(("Etikett", ["nb", "nn", "en"].compactMap { l in d.label[l].map { "\(l): \($0)" } }.joined(separator: " · ")))
            }
            if d.show == .facts { rows.append(("Vises", "med etiketten i faktaboksen på tilbudssiden")) }
            if d.search { rows.append(("Søk", "ordene kan søkes på")) }
        }
        return rows
    }

    // MARK: words

    static func typeName(_ d: FieldDeclaration) -> String {
        let name: String
        switch d.type {
        case .text: name = "tekst"
        case .markdown: name = "Markdown-tekst"
        case .bool: name = "ja/nei: true eller false"
        case .integer: name = "heltall"
        case .number: name = "tall"
        case .date: name = "dato: ÅÅÅÅ-MM-DD"
        case .datetime: name = "dato, eventuelt med klokkeslett: ÅÅÅÅ-MM-DD eller ÅÅÅÅ-MM-DDTtt:mm"
        case .url: name = "nettadresse: https://…"
        case .email: name = "e-postadresse"
        case .phone: name = "telefonnummer"
        case .id: name = "én id"
        case .ids: name = "liste med id-er"
        case .object: name = "gruppe av felt"
        case .list: name = "liste"
        }
        return name + " (`\(d.type.rawValue)`)"
    }

    static func required(_ d: FieldDeclaration) -> String {
        if d.required { return "ja" }
        guard let c = d.requiredWhen else { return "nei" }
        let values = list(c.values.map { "`\($0)`" }, or: true)
        return "når `\(c.field)` " + (c.negated ? "ikke er " : "er ") + values
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x).replacingOccurrences(of: ".", with: ",")
    }

    /// The limits of a value; texts without `max_chars` are held to the policy's `text_max_chars`.
    static func limits(_ d: FieldDeclaration, _ gov: Governance) -> String? {
        var parts: [String] = []
        if let n = d.maxChars ?? ([.text, .markdown, .url, .email].contains(d.type) && d.format == nil ? gov.policy.textMaxChars : nil) {
            parts.append("høyst \(n) tegn")
        }
        let counted = d.type == .ids || d.type == .list
        let unit = counted ? " verdier" : ""
        switch (d.min, d.max) {
        case let (lo?, hi?) where counted && lo == hi: parts.append("nøyaktig \(number(lo))\(unit)")
        case let (lo?, hi?): parts.append("fra \(number(lo)) til \(number(hi))\(unit)")
        case let (lo?, nil): parts.append("minst \(number(lo))\(unit)")
        case let (nil, hi?): parts.append("høyst \(number(hi))\(unit)")
        case (nil, nil): break
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    static func formatName(_ format: String) -> String {
        switch format {
        case "org_number": return "organisasjonsnummer: ni sifre med gyldig kontrollsiffer"
        case "postal_code": return "postnummer: fire sifre"
        case "municipality": return "kommunenummer fra municipalities.csv"
        case "geo": return "breddegrad og lengdegrad i Norge, for eksempel [59.91, 10.75]"
        default: return "`\(format)`"
        }
    }

    /// The ids an `id` or `ids` field may take, with their bokmål labels.
    static func values(_ d: FieldDeclaration, _ gov: Governance) -> String? {
        guard d.type == .id || d.type == .ids else { return nil }
        if d.vocabulary == "municipalities" {
            return "kommunenummer fra `governance/municipalities.csv` (\(gov.municipalities.count) kommuner)"
        }
        if let name = d.vocabulary {
            let entries = gov.vocabulary(named: name)?.entries ?? []
            return "vokabularet `\(name)` i `vocabularies.yaml`: " + entries.map { "`\($0.id)` (\($0.label("nb")))" }.joined(separator: ", ")
        }
        return d.values.map { "`\($0)`" }.joined(separator: ", ")
    }

    /// `a`, `a eller b`, `a, b eller c` (`og` when `or` is false).
    static func list(_ items: [String], or: Bool) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + (or ? " eller " : " og ") + items.last!
    }

    /// Text for a table cell: `|` escaped, lines joined.
    static func cell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
