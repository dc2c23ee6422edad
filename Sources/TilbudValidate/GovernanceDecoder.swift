import TilbudContent
import TilbudDiagnostics
import TilbudModel

/// Turns the loaded governance files into a typed `Governance` and `SiteConfig`.
enum GovernanceDecoder {
    static func decode(_ loaded: LoadedGovernance, diagnostics: inout [Diagnostic], loader: ContentLoader) -> (Governance, SiteConfig) {
        let display = loader.display
        var policy = Policy()
        if let file = loaded.policy {
            if let root = file.root {
                var r = FieldReader(path: file.path)
                policy = decodePolicy(root, &r)
                diagnostics += r.diagnostics
            }
        } else {
            diagnostics.append(.error(.missingGovernanceFile, at: SourceLocation(path: display("governance/policy.yaml"), line: 1, column: 1), Messages.missingFile("governance/policy.yaml")))
        }

        var vocabularies: [String: Vocabulary] = [:]
        if let file = loaded.vocabularies {
            if let root = file.root {
                var r = FieldReader(path: file.path)
                vocabularies = decodeVocabularies(root, &r)
                diagnostics += r.diagnostics
            }
        } else {
            diagnostics.append(.error(.missingGovernanceFile, at: SourceLocation(path: display("governance/vocabularies.yaml"), line: 1, column: 1), Messages.missingFile("governance/vocabularies.yaml")))
        }

        var fields = FieldSet()
        if let file = loaded.fields {
            if let root = file.root {
                var r = FieldReader(path: file.path)
                fields = FieldDeclarations.decode(root, &r, vocabularies: vocabularies)
                diagnostics += r.diagnostics
            }
        } else {
            diagnostics.append(.error(.missingGovernanceFile, at: SourceLocation(path: display("governance/fields.yaml"), line: 1, column: 1), Messages.missingFile("governance/fields.yaml")))
        }
        policy.adopt(fields)

        var municipalities: [Municipality] = []
        if let csv = loaded.municipalities {
            municipalities = decodeMunicipalities(csv.path, csv.rows, &diagnostics)
        } else {
            diagnostics.append(.error(.missingGovernanceFile, at: SourceLocation(path: display("governance/municipalities.csv"), line: 1, column: 1), Messages.missingFile("governance/municipalities.csv")))
        }

        var postcodes: [Postcode] = []
        if let csv = loaded.postcodes {
            postcodes = decodePostcodes(csv.path, csv.rows, municipalities, &diagnostics)
        }

        var site = SiteConfig()
        if let file = loaded.site {
            if let root = file.root {
                var r = FieldReader(path: file.path)
                site = SiteDecoder.decode(root, &r, loader: loader)
                diagnostics += r.diagnostics
            }
        } else {
            diagnostics.append(.warning(.missingSiteYaml, at: SourceLocation(path: display("site.yaml"), line: 1, column: 1), Messages.siteMissing))
        }
        return (Governance(policy: policy, vocabularies: vocabularies, municipalities: municipalities, fields: fields, postcodes: postcodes), site)
    }

    private static func positive(_ r: inout FieldReader, _ pair: YPair?, _ name: String, _ into: inout Int) {
        guard let pair else { return }
        if let n = r.integer(pair, name) {
            if n <= 0 { r.error(.invalidNumber, pair.value, Messages.invalidNumber(name)) } else { into = n }
        }
    }

    private static func range(_ r: inout FieldReader, _ pair: YPair?, _ name: String, _ into: inout CountRange) {
        guard let pair, let f = r.fields(pair.value, allowed: ["min", "max"], name: name) else { return }
        var lo = into.min, hi = into.max
        if let n = r.integer(f["min"], "min") { lo = n }
        if let n = r.integer(f["max"], "max") { hi = n }
        if lo < 0 || hi < lo { r.error(.invalidNumber, pair.value, Messages.invalidNumber(name)) } else { into = CountRange(min: lo, max: hi) }
    }

    static func decodePolicy(_ root: YNode, _ r: inout FieldReader) -> Policy {
        var p = Policy()
        guard let f = r.fields(root, allowed: ["review", "limits", "required", "languages", "governance_editors"], name: "policy") else { return p }
        if let review = f["review"], let rf = r.fields(review.value, allowed: ["interval_months", "grace_months"], name: "review") {
            positive(&r, rf["interval_months"], "interval_months", &p.reviewIntervalMonths)
            if let g = r.integer(rf["grace_months"], "grace_months") { p.graceMonths = max(0, g) }
        }
        let moved = ["title_max_chars": "title.max_chars", "summary_max_chars": "summary.max_chars", "topics": "topics.min og topics.max",
                     "audiences": "audiences.min og audiences.max", "tags_max": "tags.max", "name_max_chars": "max_chars på hvert navn",
                     "tag_max_chars": "tags.item.max_chars"]
        if let limits = f["limits"], let pairs = limits.value.pairs {
            for pair in pairs { if let to = moved[pair.key] { r.diagnostics.append(.error(.movedToFields, at: r.location(pair.keyLine, pair.keyColumn), Messages.limitMoved(pair.key, to))) } }
            let kept = Fields(pairs.filter { moved[$0.key] == nil })
            if let lf = r.fields(YNode(kind: .mapping(kept.pairs), line: limits.value.line, column: limits.value.column),
                                 allowed: ["body_max_chars", "file_max_bytes", "yaml_max_depth", "text_max_chars", "table_max_columns", "table_max_cells",
                                           "body_html_max_bytes", "list_max_items"], name: "limits") {
                positive(&r, lf["body_max_chars"], "body_max_chars", &p.bodyMaxChars)
                positive(&r, lf["file_max_bytes"], "file_max_bytes", &p.fileMaxBytes)
                positive(&r, lf["yaml_max_depth"], "yaml_max_depth", &p.yamlMaxDepth)
                positive(&r, lf["text_max_chars"], "text_max_chars", &p.textMaxChars)
                positive(&r, lf["list_max_items"], "list_max_items", &p.listMaxItems)
                positive(&r, lf["table_max_columns"], "table_max_columns", &p.tableMaxColumns)
                positive(&r, lf["table_max_cells"], "table_max_cells", &p.tableMaxCells)
                positive(&r, lf["body_html_max_bytes"], "body_html_max_bytes", &p.bodyHTMLMaxBytes)
            }
        } else if let limits = f["limits"] {
            r.error(.wrongType, limits.value, Messages.expectedMapping("limits"))
        }
        if let req = f["required"] {
            r.diagnostics.append(.error(.movedToFields, at: r.location(req.keyLine, req.keyColumn), Messages.limitMoved("required", "required: true på hvert felt")))
        }
        if let langs = r.textList(f["languages"], "languages"), !langs.isEmpty { p.languages = langs.map(\.0) }
        if let eds = r.textList(f["governance_editors"], "governance_editors") { p.governanceEditors = eds.map(\.0) }
        return p
    }

    static func decodeVocabularies(_ root: YNode, _ r: inout FieldReader) -> [String: Vocabulary] {
        // The vocabularies the code knows must be there; the governance body may add its own, for fields of its own.
        let known = VocabularyName.allCases.map(\.rawValue)
        guard let pairs = root.pairs else {
            r.error(.wrongType, root, Messages.expectedMapping("vocabularies"))
            return [:]
        }
        let f = Fields(pairs)
        for name in known where f[name] == nil {
            r.error(.missingVocabulary, root, Messages.vocabularyMissing(name))
            // A vocabulary of its own whose name is close to the missing one is most likely it, misspelt.
            for pair in pairs where !known.contains(pair.key) && Checks.suggestion(for: pair.key, among: [name]) != nil {
                r.diagnostics.append(.error(.unknownField, at: r.location(pair.keyLine, pair.keyColumn), Messages.unknownField(pair.key, name)))
            }
        }
        var result: [String: Vocabulary] = [:]
        for pair in pairs {
            let name = pair.key
            if name == "municipalities" || !name.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }) {
                r.diagnostics.append(.error(.fieldDeclaration, at: r.location(pair.keyLine, pair.keyColumn), Messages.badFieldName(name)))
                continue
            }
            guard let items = r.list(pair, name) else { continue }
            var entries: [VocabularyEntry] = []
            var seen = Set<String>()
            for item in items {
                guard let ef = r.fields(item, allowed: ["id", "label", "synonyms", "traits"], name: name) else { continue }
                r.require(["id", "label"], in: ef, at: item, what: "vocabulary entry")
                guard let idPair = ef["id"], let id = r.text(idPair, "id") else { continue }
                if !id.allSatisfy({ ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "-" }) {
                    r.error(.invalidId, idPair.value, Messages.badVocabularyID(id))
                    continue
                }
                if !seen.insert(id).inserted { r.error(.duplicateId, idPair.value, Messages.duplicateID(id)); continue }
                var labels: [String: String] = [:]
                if let lp = ef["label"], let lf = r.fields(lp.value, allowed: ["nb", "nn", "en"], name: "label") {
                    for lang in ["nb", "nn", "en"] {
                        if let t = r.text(lf[lang], lang) { labels[lang] = t } else if lf[lang] == nil { r.error(.missingField, lp.value, Messages.labelMissing(lang)) }
                    }
                }
                let synonyms = r.textList(ef["synonyms"], "synonyms")?.map(\.0) ?? []
                var traits: [String] = []
                for (trait, node) in r.textList(ef["traits"], "traits") ?? [] {
                    let known = VocabularyTrait.allCases.map(\.rawValue)
                    if known.contains(trait) { traits.append(trait) } else {
                        r.error(.unknownId, node, Messages.unknownID("traits", trait, "traits", Checks.suggestion(for: trait, among: known), known))
                    }
                }
                entries.append(VocabularyEntry(id: id, labels: labels, synonyms: synonyms, traits: traits))
            }
            result[name] = Vocabulary(name: name, entries: entries)
        }
        return result
    }

    static func decodeMunicipalities(_ path: String, _ rows: [(line: Int, fields: [String])], _ diagnostics: inout [Diagnostic]) -> [Municipality] {
        var out: [Municipality] = []
        var columns = 4
        var seen = Set<String>()
        for (i, row) in rows.enumerated() {
            let loc = SourceLocation(path: path, line: row.line, column: 1)
            if i == 0 {
                let header = row.fields.map { $0.trimmingWhitespace() }
                if header != ["kommunenummer", "navn", "fylkesnummer", "fylkesnavn"] && header != ["kommunenummer", "navn", "fylkesnummer", "fylkesnavn", "breddegrad", "lengdegrad"] {
                    diagnostics.append(.error(.csvHeader, at: loc, Messages.municipalityCSVHeader()))
                }
                columns = header.count
                continue
            }
            guard row.fields.count == columns else {
                diagnostics.append(.error(.csvRow, at: loc, Messages.csvBadRow))
                continue
            }
            let f = row.fields.map { $0.trimmingWhitespace() }
            guard f[0].count == 4, f[0].allSatisfy(\.isASCIIDigit) else {
                diagnostics.append(.error(.csvRow, at: loc, Messages.invalidMunicipalityRow(f[0])))
                continue
            }
            if !seen.insert(f[0]).inserted {
                diagnostics.append(.error(.duplicateId, at: loc, Messages.duplicateID(f[0])))
                continue
            }
            var position: Geo? = nil
            if f.count == 6 {
                guard let lat = Double(f[4]), let lon = Double(f[5]), (-90...90).contains(lat), (-180...180).contains(lon) else {
                    diagnostics.append(.error(.csvRow, at: loc, Messages.csvBadRow))
                    continue
                }
                position = Geo(lat: lat, lon: lon)
            }
            out.append(Municipality(code: f[0], name: f[1], countyCode: f[2], countyName: f[3], position: position))
        }
        return out
    }

    /// `postcodes.csv`: `postnummer,poststed,kommunenummer`, each a current municipality.
    static func decodePostcodes(_ path: String, _ rows: [(line: Int, fields: [String])], _ municipalities: [Municipality], _ diagnostics: inout [Diagnostic]) -> [Postcode] {
        let known = Set(municipalities.map(\.code))
        var out: [Postcode] = []
        var seen = Set<String>()
        for (i, row) in rows.enumerated() {
            let loc = SourceLocation(path: path, line: row.line, column: 1)
            let f = row.fields.map { $0.trimmingWhitespace() }
            if i == 0 {
                if f != ["postnummer", "poststed", "kommunenummer"] { diagnostics.append(.error(.csvHeader, at: loc, Messages.postcodeRow)) }
                continue
            }
            guard f.count == 3, f[0].count == 4, f[0].allSatisfy(\.isASCIIDigit), known.contains(f[2]) else {
                diagnostics.append(.error(.csvRow, at: loc, Messages.postcodeRow))
                continue
            }
            if !seen.insert(f[0]).inserted {
                diagnostics.append(.error(.duplicateId, at: loc, Messages.duplicateID(f[0])))
                continue
            }
            out.append(Postcode(code: f[0], place: f[1], municipality: f[2]))
        }
        return out
    }

}

