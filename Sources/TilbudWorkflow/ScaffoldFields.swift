import TilbudModel

/// What `fields.yaml` says about a record's fields, as `tilbud new` needs it: which fields are there, which are
/// required (and when), and the commented lines of a field the code does not model itself, generated from its
/// declaration alone.
struct ScaffoldFields {
    /// Whether and when a field must be there.
    enum Requirement: Equatable {
        case optional
        case required
        case when(FieldCondition)

        init(_ d: FieldDeclaration) {
            if d.required { self = .required } else if let c = d.requiredWhen { self = .when(c) } else { self = .optional }
        }

        /// The field must be written: always, or under a condition.
        var wanted: Bool { self != .optional }
    }

    /// The declared fields, in declared order.
    let declarations: [FieldDeclaration]
    /// The fields the code models itself.
    let modelled: [String: FieldType]
    /// What the hand-written comments of the modelled fields say about being required (content model v1).
    let written: [String: Requirement]
    let governance: Governance

    /// A record's fields from `declarations`; when there are none (no usable `fields.yaml`), the modelled fields as
    /// the hand-written comments describe them.
    init(_ declarations: [FieldDeclaration], modelled: [String: FieldType], written: [String: Requirement], governance: Governance) {
        self.modelled = modelled
        self.written = written
        self.governance = governance
        if declarations.isEmpty {
            self.declarations = modelled.keys.sorted().map { name in
                var d = FieldDeclaration(name: name, type: modelled[name]!)
                switch written[name] ?? .optional {
                case .required: d.required = true
                case .when(let c): d.requiredWhen = c
                case .optional: break
                }
                return d
            }
        } else {
            self.declarations = declarations
        }
    }

    /// The declaration of field `name`, nil when it is not declared (and so not allowed in the record).
    func declared(_ name: String) -> FieldDeclaration? { declarations.first { $0.name == name } }

    /// Whether field `name` is declared.
    func has(_ name: String) -> Bool { declared(name) != nil }

    /// Whether the sub-field `sub` of field `name` (an object, or a list of objects) is declared.
    func has(_ name: String, _ sub: String) -> Bool {
        guard let d = declared(name) else { return false }
        return (d.item?.fields ?? d.fields).contains { $0.name == sub }
    }

    /// Whether the sub-field `sub` of field `name` is required (or required under a condition).
    func wanted(_ name: String, _ sub: String) -> Bool {
        guard let d = declared(name), let s = (d.item?.fields ?? d.fields).first(where: { $0.name == sub }) else { return false }
        return Requirement(s).wanted
    }

    /// What the declaration requires of field `name`.
    func requirement(_ name: String) -> Requirement { declared(name).map(Requirement.init) ?? .optional }

    /// Whether the declaration requires field `name` differently from what its hand-written comment says.
    func changed(_ name: String) -> Bool { requirement(name) != (written[name] ?? .optional) }

    /// The hand-written words on being required (`handWritten`) while the declaration agrees with them, else
    /// the declaration's own: «Påkrevd.», «Påkrevd når …» or «Valgfritt.».
    func need(_ name: String, _ handWritten: String) -> String {
        changed(name) ? Self.phrase(requirement(name)) : handWritten
    }

    /// For a hand-written comment that says nothing on being required: a comment line with the declaration's
    /// words when they differ from the hand-written ones (v1), else nothing.
    func needLine(_ name: String, indent: String = "") -> String {
        changed(name) ? indent + "# " + Self.phrase(requirement(name)) + "\n" : ""
    }

    /// Whether field `name`, written as a live placeholder in v1 (`live`), is written live: a placeholder for a
    /// field the declaration makes optional is commented out, one for a field it makes required is written.
    func live(_ name: String, v1 live: Bool) -> Bool {
        changed(name) ? requirement(name).wanted : live
    }

    /// The declared fields the code does not model, in declared order.
    var extra: [FieldDeclaration] { declarations.filter { modelled[$0.name] == nil } }

    // MARK: words

    /// «Påkrevd.», «Påkrevd når «delivery» er oppmote eller hybrid.», «Påkrevd, med mindre «national» er true.» or
    /// «Valgfritt.».
    static func phrase(_ r: Requirement) -> String {
        switch r {
        case .optional: return "Valgfritt."
        case .required: return "Påkrevd."
        case .when(let c):
            let values = Self.or(c.values)
            return c.negated ? "Påkrevd, med mindre «\(c.field)» er \(values)." : "Påkrevd når «\(c.field)» er \(values)."
        }
    }

    /// `a`, `a eller b`, `a, b eller c`.
    static func or(_ values: [String]) -> String {
        guard values.count > 1 else { return values.first ?? "" }
        return values.dropLast().joined(separator: ", ") + " eller " + values.last!
    }

    /// A number as written in `fields.yaml`: 3, not 3.0.
    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
    }

    /// «1 til 5 id-er», «minst 1 id», «høyst 5 id-er»; nil without limits.
    static func count(_ min: Double?, _ max: Double?, one: String, many: String) -> String? {
        let lo = min.map(number), hi = max.map(number)
        switch (lo, hi) {
        case let (lo?, hi?) where lo == hi: return "\(lo) \(lo == "1" ? one : many)"
        case let (lo?, hi?): return "\(lo) til \(hi) \(many)"
        case let (lo?, nil): return "minst \(lo) \(lo == "1" ? one : many)"
        case let (nil, hi?): return "høyst \(hi) \(hi == "1" ? one : many)"
        default: return nil
        }
    }

    /// «fra 1 til 40», «minst 0», «høyst 10»; nil without limits.
    static func range(_ min: Double?, _ max: Double?) -> String? {
        switch (min.map(number), max.map(number)) {
        case let (lo?, hi?): return "fra \(lo) til \(hi)"
        case let (lo?, nil): return "minst \(lo)"
        case let (nil, hi?): return "høyst \(hi)"
        default: return nil
        }
    }

    /// The vocabulary of an `id` or `ids` declaration: its `vocabulary`, or its `values` as one.
    func vocabulary(_ d: FieldDeclaration) -> Vocabulary {
        if let name = d.vocabulary, let v = governance.vocabulary(named: name) { return v }
        return Vocabulary(name: d.name, entries: d.values.map { VocabularyEntry(id: $0, labels: ["nb": $0, "nn": $0, "en": $0]) })
    }

    /// The sentences explaining the type and limits of `d` in plain Norwegian, and comment lines listing the ids
    /// it may take (a vocabulary with its labels), if any.
    func explain(_ d: FieldDeclaration, indent: String) -> (sentences: [String], choices: String?) {
        var s: [String] = []
        var choices: String?
        let maxChars = d.maxChars.map { "Høyst \($0) tegn." }
        switch d.type {
        case .text:
            switch d.format {
            case "postal_code": s.append("Postnummer: fire sifre i anførselstegn, for eksempel \"0553\".")
            case "org_number": s.append("Organisasjonsnummer fra Enhetsregisteret: 9 sifre i anførselstegn.")
            case "municipality": s.append("Kommunenummer med fire sifre i anførselstegn, for eksempel \"0301\".")
            default: s.append("Tekst.")
            }
            s += [maxChars].compactMap { $0 }
        case .markdown:
            s.append("Tekst med Markdown: *kursiv*, **fet**, [lenker](https://example.org).")
            s += [maxChars].compactMap { $0 }
        case .bool:
            s.append("Ja/nei: true eller false.")
        case .integer:
            s.append("Heltall" + (Self.range(d.min, d.max).map { " " + $0 } ?? "") + ".")
        case .number:
            s.append("Tall med punktum som desimaltegn, for eksempel 2.5" + (Self.range(d.min, d.max).map { ", " + $0 } ?? "") + ".")
        case .date:
            s.append("Dato: ÅÅÅÅ-MM-DD.")
        case .datetime:
            s.append("Dato (ÅÅÅÅ-MM-DD) eller dato og klokkeslett (ÅÅÅÅ-MM-DDTHH:MM).")
        case .url:
            s.append("Nettadresse, bare https://.")
            s += [maxChars].compactMap { $0 }
        case .email:
            s.append("E-postadresse.")
            s += [maxChars].compactMap { $0 }
        case .phone:
            s.append("+47 og 8 sifre, for eksempel \"+47 23 00 00 00\".")
        case .id:
            if d.vocabulary == "municipalities" {
                s.append("Kommunenummer med fire sifre i anførselstegn, for eksempel \"0301\".")
            } else if d.vocabulary != nil {
                s.append("Skriv én av id-ene:")
                choices = Scaffold.choices(vocabulary(d), indent: indent)
            } else {
                s.append("Én av: " + Scaffold.inline(vocabulary(d)) + ".")
            }
        case .ids:
            let n = Self.count(d.min, d.max, one: "id", many: "id-er")
            if d.vocabulary == "municipalities" {
                s.append("Liste med kommunenummer i anførselstegn, for eksempel [\"0301\", \"3201\"].")
                if let k = Self.count(d.min, d.max, one: "kommune", many: "kommuner") { s.append(k.prefix(1).uppercased() + k.dropFirst() + ".") }
            } else {
                let v = vocabulary(d)
                let example = v.ids.prefix(2).joined(separator: ", ")
                s.append("Liste med \(n ?? "id-er") i hakeparentes, for eksempel [\(example)].")
                s.append("Velg blant:")
                choices = Scaffold.choices(v, indent: indent)
            }
        case .list:
            let n = Self.count(d.min, d.max, one: "verdi", many: "verdier")
            if let item = d.item, item.type == .object {
                let first = Self.itemOrder(item).first?.name ?? ""
                s.append("Liste\(n.map { " med " + $0 } ?? ""): gjenta blokken fra «- \(first):» for hver.")
            } else {
                s.append("Liste\(n.map { " med " + $0 } ?? "") i hakeparentes, skilt med komma, for eksempel [a, b].")
                if let item = d.item {
                    let each = explain(item, indent: indent)
                    if choices == nil { choices = each.choices }
                    let parts = each.sentences.map { Self.lowercasedFirst($0.hasSuffix(".") ? String($0.dropLast()) : $0) }
                    s.append("Hver verdi: " + parts.joined(separator: ", ") + ".")
                }
            }
        case .object:
            s.append("Består av feltene under.")
        }
        return (s, choices)
    }

    /// `s` with its first letter in lower case, unless the second is upper case too (an abbreviation).
    static func lowercasedFirst(_ s: String) -> String {
        guard let first = s.first else { return s }
        let rest = s.dropFirst()
        if let second = rest.first, second.isUppercase { return s }
        return first.lowercased() + rest
    }

    /// `text` as comment lines after `prefix` (`# `), wrapped at 80 columns.
    static func wrap(_ text: String, prefix: String, width: Int = 80) -> [String] {
        var lines: [String] = []
        var line = prefix
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if line.count > prefix.count && line.count + 1 + word.count > width {
                lines.append(line)
                line = prefix
            }
            line += (line.count > prefix.count ? " " : "") + word
        }
        lines.append(line)
        return lines
    }

    /// The explanation of `d` as comment lines at `indent`: «# LABEL: help. Type. Limits. Påkrevd.» (the label in
    /// capitals at the top level, as written in a sub-field; «# LABEL. Type …» without help), then the ids it may
    /// take.
    func comment(_ d: FieldDeclaration, indent: String, top: Bool) -> [String] {
        let label = d.label("nb")
        let (typeSentences, choices) = explain(d, indent: indent)
        var sentences: [String] = []
        let help = d.help["nb"]?.trimmingCharacters(in: .whitespaces) ?? ""
        if !help.isEmpty { sentences.append(help.hasSuffix(".") || help.hasSuffix(":") ? help : help + ".") }
        sentences += typeSentences
        let requirement = Requirement(d)
        var need = Self.phrase(requirement)
        if case .when = requirement { need += " Ellers kan feltet slettes." }
        // A list of choices follows the sentence that introduces it («Skriv én av id-ene:»).
        if choices != nil, let last = sentences.popLast() {
            sentences.append(need)
            sentences.append(last)
        } else {
            sentences.append(need)
        }
        // «LABEL: help …» as the hand-written comments read; without help «LABEL. Type …».
        let rest = sentences.joined(separator: " ")
        let text = (top ? label.uppercased() : label) + (help.isEmpty ? ". " + rest : ": " + Self.lowercasedFirst(rest))
        return Self.wrap(text, prefix: indent + "# ") + (choices.map { [$0] } ?? [])
    }

    /// The value written for `d` when it is there but not filled in: its default, else an empty placeholder
    /// (`""`, or `[]` for a list) that `tilbud check` points at until it is filled.
    /// A yes/no field that need not be there reads `false` (valid once the line is taken in).
    static func placeholder(_ d: FieldDeclaration) -> String {
        if let v = d.defaultValue {
            switch d.type {
            case .text, .markdown, .url, .email, .phone: return Scaffold.q(v)
            default: return v
            }
        }
        switch d.type {
        case .ids, .list: return "[]"
        case .bool where !Requirement(d).wanted: return "false"
        default: return "\"\""
        }
    }

    /// The sub-fields of a list item in the order written: the required ones first, so that the item's «- » starts
    /// at a line that is there.
    static func itemOrder(_ item: FieldDeclaration) -> [FieldDeclaration] {
        item.fields.filter { Requirement($0).wanted } + item.fields.filter { !Requirement($0).wanted }
    }

    /// `lines` commented out at `indent`: removing the «# » gives them back.
    static func commentOut(_ lines: [String], indent: String) -> [String] {
        lines.map { $0.hasPrefix(indent) ? indent + "# " + $0.dropFirst(indent.count) : "# " + $0 }
    }

    /// The key and value lines of `d` at `indent` as written when the field is there: required sub-fields as
    /// placeholders, optional ones commented out, each with its explanation.
    func value(_ d: FieldDeclaration, indent: String) -> [String] {
        switch d.type {
        case .object:
            var lines = [indent + d.name + ":"]
            for sub in d.fields { lines += member(sub, indent: indent + "  ", live: Requirement(sub).wanted) }
            return lines
        case .list where d.item?.type == .object:
            guard let item = d.item else { return [indent + d.name + ": []"] }
            var lines = [indent + d.name + ":"]
            let inner = indent + "    "
            for (i, sub) in Self.itemOrder(item).enumerated() {
                var member = member(sub, indent: inner, live: i == 0 || Requirement(sub).wanted)
                if i == 0 {
                    // The item's «- » goes on the first key line; the explanation above it stands at the dash.
                    let comments = member.prefix { $0.hasPrefix(inner + "#") }
                    member = comments.map { indent + "  " + $0.dropFirst(inner.count) }
                        + member.dropFirst(comments.count).enumerated().map { j, line in
                            j == 0 ? indent + "  - " + line.dropFirst(inner.count) : line
                        }
                }
                lines += member
            }
            return lines
        default:
            return [indent + d.name + ": " + Self.placeholder(d)]
        }
    }

    /// A sub-field: its explanation, then its lines, commented out unless `live`.
    func member(_ d: FieldDeclaration, indent: String, live: Bool) -> [String] {
        let lines = value(d, indent: indent)
        return comment(d, indent: indent, top: false) + (live ? lines : Self.commentOut(lines, indent: indent))
    }

    /// The block of a field the code does not model: its explanation, then the field; a required field (always or
    /// under a condition) as a placeholder to fill in, an optional one commented out.
    func block(_ d: FieldDeclaration) -> String {
        let lines = value(d, indent: "")
        return (comment(d, indent: "", top: true) + (Requirement(d).wanted ? lines : Self.commentOut(lines, indent: ""))).joined(separator: "\n")
    }
}
