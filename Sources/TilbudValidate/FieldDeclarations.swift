import TilbudContent
import TilbudDiagnostics
import TilbudModel

/// Reads `governance/fields.yaml`: every field of an offer and a provider, declared once.
enum FieldDeclarations {
    /// Offer fields without which the code cannot make a page: declared, and required.
    static let indispensableOffer = ["title", "summary", "kind", "format", "delivery", "last_reviewed"]
    /// The rules a `format` may name.
    static let formats = ["org_number", "postal_code", "municipality", "geo"]

    static let keys = ["type", "required", "required_when", "max_chars", "min", "max", "vocabulary", "values", "default", "format",
                       "label", "help", "show", "search", "item", "fields"]

    /// The declarations in `root`, checked against the vocabularies; problems are errors at their line.
    static func decode(_ root: YNode, _ r: inout FieldReader, vocabularies: [String: Vocabulary]) -> FieldSet {
        guard let f = r.fields(root, allowed: ["offer", "provider"], name: "fields") else { return FieldSet() }
        var set = FieldSet()
        let vocabularyNames = Set(vocabularies.keys).union(["municipalities"])
        if let offer = f["offer"] {
            set.offer = declarations(offer.value, &r, vocabularyNames, path: "offer")
            checkModelled(set.offer, FieldSet.modelledOffer, at: offer.value, &r)
            checkReserved(set.offer, FieldSet.reservedOffer, &r)
            for name in indispensableOffer {
                if let d = set.offer.first(where: { $0.name == name }) {
                    if !d.required { r.diagnostics.append(.error(.fieldDeclaration, at: r.location(d.line, 1), Messages.fieldIndispensable(name))) }
                } else {
                    r.error(.fieldDeclaration, offer.value, Messages.fieldIndispensable(name))
                }
            }
        } else {
            r.error(.missingField, root, Messages.missingField("offer", "fields"))
        }
        if let provider = f["provider"] {
            set.provider = declarations(provider.value, &r, vocabularyNames, path: "provider")
            checkModelled(set.provider, FieldSet.modelledProvider, at: provider.value, &r)
            checkReserved(set.provider, FieldSet.reservedProvider, &r)
        } else {
            r.error(.missingField, root, Messages.missingField("provider", "fields"))
        }
        return set
    }

    private static func checkModelled(_ declared: [FieldDeclaration], _ modelled: [String: FieldType], at node: YNode, _ r: inout FieldReader) {
        for d in declared {
            if let type = modelled[d.name], type != d.type {
                r.diagnostics.append(.error(.fieldDeclaration, at: r.location(d.line, 1), Messages.fieldTypeFixed(d.name, type.rawValue)))
            }
        }
    }

    /// A declared field may not take a key the JSON API writes itself (`id`, `url`, `state`, …).
    private static func checkReserved(_ declared: [FieldDeclaration], _ reserved: [String], _ r: inout FieldReader) {
        for d in declared where reserved.contains(d.name) {
            r.diagnostics.append(.error(.fieldDeclaration, at: r.location(d.line, 1), Messages.fieldNameReserved(d.name)))
        }
    }

    /// The fields of a mapping `name: {declaration}`, in written order.
    private static func declarations(_ node: YNode, _ r: inout FieldReader, _ vocabularies: Set<String>, path: String) -> [FieldDeclaration] {
        guard let pairs = node.pairs else {
            r.error(.wrongType, node, Messages.expectedMapping(path))
            return []
        }
        var out: [FieldDeclaration] = []
        for pair in pairs {
            if !pair.key.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }) || pair.key.isEmpty {
                r.diagnostics.append(.error(.fieldDeclaration, at: r.location(pair.keyLine, pair.keyColumn), Messages.badFieldName(pair.key)))
                continue
            }
            if let d = declaration(pair.key, pair.value, line: pair.keyLine, &r, vocabularies, path: path + "." + pair.key, named: true) { out.append(d) }
        }
        return out
    }

    /// One declaration; nil when it cannot be used.
    private static func declaration(_ name: String, _ node: YNode, line: Int, _ r: inout FieldReader, _ vocabularies: Set<String>,
                                    path: String, named: Bool) -> FieldDeclaration? {
        guard let f = r.fields(node, allowed: keys, name: path) else { return nil }
        guard let tp = f["type"], let typeText = r.text(tp, "type") else {
            r.error(.missingField, node, Messages.missingField("type", path))
            return nil
        }
        guard let type = FieldType(rawValue: typeText) else {
            let suggestion = Checks.suggestion(for: typeText, among: FieldType.allCases.map(\.rawValue))
            r.error(.unknownId, tp.value, Messages.unknownID("type", typeText, "type", suggestion, FieldType.allCases.map(\.rawValue)))
            return nil
        }
        var d = FieldDeclaration(name: name, type: type, line: line)
        d.required = r.bool(f["required"], "required") ?? false
        d.search = r.bool(f["search"], "search") ?? false
        if let p = f["max_chars"], let n = r.integer(p, "max_chars") {
            if n <= 0 { r.error(.invalidNumber, p.value, Messages.invalidNumber("max_chars")) } else { d.maxChars = n }
        }
        func number(_ key: String) -> Double? {
            guard let p = f[key], !p.value.isNull else { return nil }
            guard let s = p.value.scalar, let v = Double(s.trimmingWhitespace()) else {
                r.error(.wrongType, p.value, Messages.expectedInteger(key, p.value.scalar ?? p.value.shape))
                return nil
            }
            return v
        }
        d.min = number("min")
        d.max = number("max")
        if let lo = d.min, let hi = d.max, hi < lo, let p = f["max"] { r.error(.invalidNumber, p.value, Messages.invalidNumber("max")) }
        if let p = f["vocabulary"], let v = r.text(p, "vocabulary") {
            if vocabularies.contains(v) { d.vocabulary = v } else {
                r.error(.unknownId, p.value, Messages.unknownID("vocabulary", v, "vocabularies.yaml", Checks.suggestion(for: v, among: Array(vocabularies)), vocabularies.sorted()))
            }
        }
        d.values = r.textList(f["values"], "values")?.map(\.0) ?? []
        if let p = f["default"] {
            d.defaultValue = p.value.scalar?.trimmingWhitespace()
            if d.defaultValue == nil { r.error(.wrongType, p.value, Messages.expectedText("default")) }
        }
        if let p = f["format"], let v = r.text(p, "format") {
            if formats.contains(v) { d.format = v } else {
                r.error(.unknownId, p.value, Messages.unknownID("format", v, "format", Checks.suggestion(for: v, among: formats), formats))
            }
        }
        d.label = localized(f["label"], "label", &r)
        d.help = localized(f["help"], "help", &r)
        if named, f["label"] == nil { r.error(.missingField, node, Messages.missingField("label", path)) }
        if let p = f["show"], let v = r.text(p, "show") {
            if let s = FieldShow(rawValue: v) { d.show = s } else {
                r.error(.unknownId, p.value, Messages.unknownID("show", v, "show", nil, ["facts", "none"]))
            }
        }
        if let p = f["required_when"], let cf = r.fields(p.value, allowed: ["field", "in", "not_in"], name: "required_when") {
            let field = r.text(cf["field"], "field")
            let inList = r.textList(cf["in"], "in")?.map(\.0)
            let notIn = r.textList(cf["not_in"], "not_in")?.map(\.0)
            if field == nil { r.error(.missingField, p.value, Messages.missingField("field", "required_when")) }
            if (inList == nil) == (notIn == nil) { r.error(.missingField, p.value, Messages.conditionNeedsOneList) }
            if let field, let values = inList ?? notIn { d.requiredWhen = FieldCondition(field: field, values: values, negated: notIn != nil) }
        }
        switch type {
        case .id:
            if d.vocabulary == nil && d.values.isEmpty { r.error(.missingField, node, Messages.fieldNeedsVocabulary(path)) }
        case .ids:
            if d.vocabulary == nil { r.error(.missingField, node, Messages.fieldNeedsVocabulary(path)) }
        case .list:
            if let p = f["item"] {
                d.itemBox = declaration(name, p.value, line: p.keyLine, &r, vocabularies, path: path + ".item", named: false).map { [$0] } ?? []
            } else {
                r.error(.missingField, node, Messages.missingField("item", path))
            }
        case .object:
            if let p = f["fields"] { d.fields = declarations(p.value, &r, vocabularies, path: path) } else {
                r.error(.missingField, node, Messages.missingField("fields", path))
            }
        default: break
        }
        return d
    }

    private static func localized(_ pair: YPair?, _ name: String, _ r: inout FieldReader) -> [String: String] {
        guard let pair, let lf = r.fields(pair.value, allowed: ["nb", "nn", "en"], name: name) else { return [:] }
        var out: [String: String] = [:]
        for lang in ["nb", "nn", "en"] {
            if let t = r.text(lf[lang], lang) { out[lang] = t } else if lf[lang] == nil { r.error(.missingField, pair.value, Messages.labelMissing(lang)) }
        }
        return out
    }
}
