import TilbudContent
import TilbudDiagnostics
import TilbudModel

/// Reads the fields of a record that the code does not model itself, from their declarations alone: every type,
/// limit, vocabulary and condition of `fields.yaml`, each problem an error at its line.
struct DeclaredFields {
    let governance: Governance

    var policy: Policy { governance.policy }

    /// The value of the field at `path` (`delivery`, `price.kind`) in the record `root` as written, for
    /// `required_when`; a yes/no field reads as `true` or `false`. Nil when it is not there.
    static func writtenValue(_ path: String, in root: YNode, declarations: [FieldDeclaration]) -> String? {
        let parts = path.split(separator: ".").map(String.init)
        var declaration: FieldDeclaration?
        var fields = declarations
        for part in parts {
            declaration = fields.first { $0.name == part }
            fields = declaration?.fields ?? []
        }
        return writtenValue(parts, isBool: declaration?.type == .bool, in: root)
    }

    /// `writtenValue` for a path already split, whose last field is (`isBool`) or is not a yes/no field.
    static func writtenValue(_ parts: [String], isBool: Bool, in root: YNode) -> String? {
        var node: YNode? = root
        for part in parts { node = node?[part] }
        guard let node, !node.isNull, let s = node.scalar?.trimmingWhitespace() else { return nil }
        if isBool {
            switch s {
            case "true", "True", "TRUE": return "true"
            case "false", "False", "FALSE": return "false"
            default: return s
            }
        }
        return s
    }

    /// The declared fields of `declarations` that are not in `modelled`, read from `fields` (the record `root`): the
    /// values present, in declared order; a missing field whose `required_when` holds is reported.
    func extra(_ declarations: [FieldDeclaration], modelled: [String: FieldType], _ fields: Fields, root: YNode, _ r: inout FieldReader) -> [FieldEntry] {
        var out: [FieldEntry] = []
        for d in declarations where modelled[d.name] == nil {
            guard let pair = fields[d.name], !pair.value.isNull else {
                if let c = d.requiredWhen, !d.required, c.holds(for: Self.writtenValue(c.field, in: root, declarations: declarations)) {
                    r.error(.missingField, root, Messages.fieldRequiredWhen(d.name, c.field, Self.writtenValue(c.field, in: root, declarations: declarations)))
                }
                continue
            }
            if let v = value(d, pair.value, d.name, root: root, declarations: declarations, &r) { out.append(FieldEntry(name: d.name, value: v)) }
        }
        return out
    }

    /// One value of declaration `d` at `node`; nil (reported) when it is not valid.
    func value(_ d: FieldDeclaration, _ node: YNode, _ name: String, root: YNode, declarations: [FieldDeclaration], _ r: inout FieldReader) -> FieldValue? {
        let pair = YPair(key: name, keyLine: node.line, keyColumn: node.column, value: node)
        switch d.type {
        case .text:
            guard let s = r.text(pair, name, max: d.maxChars) else { return nil }
            return format(d, s, node, name, &r) ? .text(s) : nil
        case .markdown:
            // Markdown is rendered and sanitized like the body; not held to plain text.
            let plain = r.plainText
            r.plainText = false
            defer { r.plainText = plain }
            return r.text(pair, name, max: d.maxChars).map(FieldValue.text)
        case .bool:
            return r.bool(pair, name).map(FieldValue.bool)
        case .integer:
            guard let n = r.integer(pair, name) else { return nil }
            return inRange(Double(n), String(n), d, node, name, &r) ? .integer(n) : nil
        case .number:
            guard let s = node.scalar, let x = Double(s.trimmingWhitespace()), x.isFinite else {
                r.error(.wrongType, node, Messages.expectedNumber(name, node.scalar ?? node.shape))
                return nil
            }
            return inRange(x, s.trimmingWhitespace(), d, node, name, &r) ? .number(x) : nil
        case .date:
            return r.day(pair, name).map(FieldValue.date)
        case .datetime:
            return r.dateTime(pair, name).map(FieldValue.dateTime)
        case .url:
            return r.url(pair, name, max: d.maxChars).map(FieldValue.text)
        case .email:
            return r.email(pair, name, max: d.maxChars).map(FieldValue.text)
        case .phone:
            return r.phone(pair, name, max: d.maxChars).map(FieldValue.text)
        case .id:
            return r.vocabularyID(node, name, vocabulary(d)).map(FieldValue.id)
        case .ids:
            let range = d.min != nil || d.max != nil ? CountRange(min: Int(d.min ?? 0), max: Int(d.max ?? Double(Int.max))) : nil
            return r.vocabularyList(pair, name, vocabulary(d), range: range).map(FieldValue.ids)
        case .list:
            guard let items = r.list(pair, name, max: d.max.map { Int($0) }) else { return nil }
            if let lo = d.min, items.count < Int(lo) { r.error(.count, node, Messages.count(name, items.count, (Int(lo), Int(d.max ?? Double(Int.max))))) }
            guard let item = d.item else { return nil }
            if d.format == "geo" { return geo(items, node, name, &r) }
            var values: [FieldValue] = []
            for element in items {
                if let v = value(item, element, name, root: root, declarations: declarations, &r) { values.append(v) }
            }
            return .list(values)
        case .object:
            guard let f = r.fields(node, allowed: d.fields.map(\.name), name: name) else { return nil }
            r.require(d.fields.filter(\.required).map(\.name), in: f, at: node, what: name)
            var entries: [FieldEntry] = []
            for sub in d.fields {
                guard let p = f[sub.name], !p.value.isNull else {
                    if let c = sub.requiredWhen, !sub.required, c.holds(for: Self.writtenValue(c.field, in: root, declarations: declarations)) {
                        r.error(.missingField, node, Messages.fieldRequiredWhen(sub.name, c.field, Self.writtenValue(c.field, in: root, declarations: declarations)))
                    }
                    continue
                }
                if let v = value(sub, p.value, sub.name, root: root, declarations: declarations, &r) { entries.append(FieldEntry(name: sub.name, value: v)) }
            }
            return .object(entries)
        }
    }

    /// The vocabulary of an `id` or `ids` declaration: its `vocabulary`, or its `values` as one.
    func vocabulary(_ d: FieldDeclaration) -> Vocabulary {
        if let name = d.vocabulary, let v = governance.vocabulary(named: name) { return v }
        return Vocabulary(name: d.name, entries: d.values.map { VocabularyEntry(id: $0, labels: ["nb": $0, "nn": $0, "en": $0]) })
    }

    private func inRange(_ x: Double, _ shown: String, _ d: FieldDeclaration, _ node: YNode, _ name: String, _ r: inout FieldReader) -> Bool {
        if (d.min.map { x < $0 } ?? false) || (d.max.map { x > $0 } ?? false) {
            func text(_ v: Double?) -> String? { v.map { $0 == $0.rounded() ? String(Int($0)) : String($0) } }
            r.error(.invalidNumber, node, Messages.numberOutOfRange(name, shown, text(d.min), text(d.max)))
            return false
        }
        return true
    }

    /// The rule a text declaration's `format` names.
    private func format(_ d: FieldDeclaration, _ s: String, _ node: YNode, _ name: String, _ r: inout FieldReader) -> Bool {
        switch d.format {
        case "org_number":
            if Checks.isValidOrgNumber(s) { return true }
            r.error(.invalidOrgNumber, node, Messages.invalidOrgNumber(s))
        case "postal_code":
            if Checks.isValidPostalCode(s) { return true }
            r.error(.invalidPostalCode, node, Messages.invalidPostalCode(s))
        case "municipality":
            return r.municipality(node, governance) != nil
        default:
            return true
        }
        return false
    }

    private func geo(_ items: [YNode], _ node: YNode, _ name: String, _ r: inout FieldReader) -> FieldValue? {
        if items.count == 2, let lat = items[0].scalar.flatMap(Double.init), let lon = items[1].scalar.flatMap(Double.init),
           (57.9...71.3).contains(lat), (4.4...31.3).contains(lon) {
            return .list([.number(lat), .number(lon)])
        }
        r.error(.invalidGeo, node, Messages.invalidGeo())
        return nil
    }
}
