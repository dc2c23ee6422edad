import TilbudModel

/// Declared fields the code does not model itself, as the offer page's facts (`show: facts`) and as search words
/// (`search: true`): each value formatted from its declaration alone.
public enum FieldFacts {
    /// The facts of `entries` declared with `show: facts`, as label and formatted value in `loc`'s language.
    static func facts(_ entries: [FieldEntry], _ declarations: [FieldDeclaration], _ governance: Governance, _ loc: Localizer) -> [TemplateValue] {
        entries.compactMap { entry in
            guard let d = declarations.first(where: { $0.name == entry.name }), d.show == .facts else { return nil }
            let fields: TemplateFields = ["label": .string(d.label(loc.language)), "value": .string(text(entry.value, d, governance, loc))]
            return fields.value
        }
    }

    /// `value` as text in `loc`'s language: a vocabulary id as its label, yes/no as words, dates as the page writes them.
    static func text(_ value: FieldValue, _ d: FieldDeclaration, _ governance: Governance, _ loc: Localizer) -> String {
        func label(_ id: String) -> String {
            d.vocabulary.flatMap { governance.vocabulary(named: $0)?[id]?.label(loc.language) } ?? id
        }
        switch value {
        case let .text(s): return s
        case let .bool(b): return loc.strings[b ? "value_yes" : "value_no"] as? String ?? (b ? "true" : "false")
        case let .integer(n): return String(n)
        case let .number(x):
            let s = x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(x)
            return loc.language == "en" ? s : s.replacingOccurrences(of: ".", with: ",")
        case let .date(day): return loc.date(day)
        case let .dateTime(t): return loc.dateTime(t)
        case let .id(id): return label(id)
        case let .ids(ids): return ids.map(label).joined(separator: ", ")
        case let .list(items):
            guard let item = d.item else { return "" }
            return items.map { text($0, item, governance, loc) }.joined(separator: ", ")
        case let .object(entries):
            return entries.map { e in
                guard let sub = d.field(e.name) else { return "" }
                return sub.label(loc.language) + ": " + text(e.value, sub, governance, loc)
            }.joined(separator: "; ")
        }
    }

    /// The words search indexes for `entries` declared with `search: true`: the text of text values, and the labels
    /// (in every language) of vocabulary ids.
    public static func searchWords(_ entries: [FieldEntry], _ declarations: [FieldDeclaration], _ governance: Governance) -> [String] {
        var out: [String] = []
        func add(_ value: FieldValue, _ d: FieldDeclaration) {
            func labels(_ id: String) {
                if let entry = d.vocabulary.flatMap({ governance.vocabulary(named: $0)?[id] }) {
                    out += Set(entry.labels.values).sorted()
                } else {
                    out.append(id)
                }
            }
            switch value {
            case let .text(s): out.append(s)
            case let .id(id): labels(id)
            case let .ids(ids): ids.forEach(labels)
            case let .list(items): if let item = d.item { items.forEach { add($0, item) } }
            case let .object(entries): for e in entries { if let sub = d.field(e.name) { add(e.value, sub) } }
            case .bool, .integer, .number, .date, .dateTime: break
            }
        }
        for entry in entries {
            guard let d = declarations.first(where: { $0.name == entry.name }), d.search else { continue }
            add(entry.value, d)
        }
        return out
    }
}
