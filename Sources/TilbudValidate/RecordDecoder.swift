import TilbudContent
import TilbudDiagnostics
import TilbudMarkdown
import TilbudModel

/// Decodes and checks providers and offers against the governance data.
struct RecordDecoder {
    let governance: Governance
    /// The declarations, looked up once per check rather than once per record.
    private let offerDeclarations: [String: FieldDeclaration]
    private let offerNames: [String]
    private let providerNames: [String]
    private let subNames: [String: [String]]
    private let requiredSubNames: [String: [String]]
    /// Whether any declared field is read from its declaration alone (see `DeclaredFields`).
    private let offerHasExtra: Bool
    private let providerHasExtra: Bool
    /// Limits, counts and defaults of the modelled fields, by `field` or `field.sub` (read once per check: a
    /// declaration is a large value, and copying one per record was a tenth of `check`).
    private let maxChars: [String: Int]
    private let maxItems: [String: Int]
    private let defaults: [String: String]
    private let statusValues: [String]?
    /// What decoding a course run needs from its declaration, read once per check.
    private let runs: RunDeclarations
    private let freePrices: Set<String>
    /// The `required_when` of the offer's fields (sub-fields as `price.amount_nok`), with the other field's path split.
    private let conditions: [String: (condition: FieldCondition, path: [String], isBool: Bool)]

    init(governance: Governance) {
        self.governance = governance
        let fields = governance.fields
        var declarations: [String: FieldDeclaration] = [:]
        var sub: [String: [String]] = [:], requiredSub: [String: [String]] = [:]
        for d in fields.offer {
            declarations[d.name] = d
            let members = d.item?.fields ?? d.fields
            sub[d.name] = members.map(\.name)
            requiredSub[d.name] = members.filter(\.required).map(\.name)
        }
        offerDeclarations = declarations
        offerNames = fields.offer.map(\.name)
        providerNames = fields.provider.map(\.name)
        subNames = sub
        requiredSubNames = requiredSub
        var conditions: [String: (condition: FieldCondition, path: [String], isBool: Bool)] = [:]
        func note(_ key: String, _ d: FieldDeclaration) {
            guard let c = d.requiredWhen else { return }
            conditions[key] = (c, c.field.split(separator: ".").map(String.init), fields.offerField(path: c.field)?.type == .bool)
        }
        for d in fields.offer {
            note(d.name, d)
            for sub in d.fields { note(d.name + "." + sub.name, sub) }
        }
        self.conditions = conditions
        var maxChars: [String: Int] = [:], maxItems: [String: Int] = [:], defaults: [String: String] = [:]
        for d in fields.offer {
            if let n = d.max { maxItems[d.name] = Int(n) }
            if let v = d.defaultValue { defaults[d.name] = v }
            for sub in d.item?.fields ?? d.fields {
                if let n = sub.maxChars { maxChars[d.name + "." + sub.name] = n }
                if let v = sub.defaultValue { defaults[d.name + "." + sub.name] = v }
            }
        }
        if let editors = fields.providerField("editors") {
            if let n = editors.max { maxItems["provider.editors"] = Int(n) }
            if let n = editors.item?.maxChars { maxChars["provider.editors"] = n }
        }
        self.maxChars = maxChars
        self.maxItems = maxItems
        self.defaults = defaults
        statusValues = fields.offerField("status").map(\.values)
        runs = RunDeclarations(fields.offerField("schedule")?.item, governance)
        freePrices = Set(governance.vocabulary(.price).entries.filter { $0.traits.contains(VocabularyTrait.free.rawValue) }.map(\.id))
        offerHasExtra = fields.offer.contains { FieldSet.modelledOffer[$0.name] == nil }
        providerHasExtra = fields.provider.contains { FieldSet.modelledProvider[$0.name] == nil }
    }

    var policy: Policy { governance.policy }

    /// The declared fields of an offer and a provider.
    var fields: FieldSet { governance.fields }

    /// The offer field `name`'s declaration.
    func declared(_ name: String) -> FieldDeclaration? { offerDeclarations[name] }

    /// The sub-fields the object field `name`, or the items of the list field `name`, may have.
    func subFields(_ name: String) -> [String] { subNames[name] ?? [] }

    /// The required sub-fields of the object field `name`, or of the items of the list field `name`.
    func requiredSubFields(_ name: String) -> [String] { requiredSubNames[name] ?? [] }

    /// The longest text of sub-field `name` of `d` (or of its items).
    func maxChars(_ d: FieldDeclaration?, _ name: String) -> Int? { (d?.item ?? d)?.field(name)?.maxChars }

    /// Whether the `required_when` of the offer field `key` (`price.amount_nok` for a sub-field) holds for the offer `root`.
    func conditionHolds(_ key: String, in root: YNode) -> Bool {
        guard let c = conditions[key] else { return false }
        return c.condition.holds(for: DeclaredFields.writtenValue(c.path, isBool: c.isBool, in: root))
    }

    /// A reader for a record's file, with the governance's limit on free text.
    func reader(_ path: String) -> FieldReader {
        FieldReader(path: path, textMaxChars: governance.policy.textMaxChars, listMaxItems: governance.policy.listMaxItems, plainText: true)
    }

    // MARK: provider

    func provider(id: String, file: YAMLFile) -> (Provider?, [Diagnostic]) {
        guard let root = file.root else { return (nil, []) }
        var r = reader(file.path)
        guard let f = r.fields(root, allowed: providerNames, name: "provider") else { return (nil, r.diagnostics) }
        r.require(policy.requiredProviderFields, in: f, at: root, what: "provider")
        r.scanNationalIDs(text: file.text, firstLine: 1)
        r.scanNationalIDs(name: id)
        let name = r.text(f["name"], "name", max: policy.nameMaxChars)
        var org: String? = nil
        if let p = f["org_number"], !p.value.isNull, let s = r.code(p.value, "org_number") {
            if Checks.isValidOrgNumber(s) { org = s.filter { $0 != " " } } else { r.error(.invalidOrgNumber, p.value, Messages.invalidOrgNumber(s)) }
        }
        var type: String? = nil
        if let p = f["type"], !p.value.isNull { type = r.vocabularyID(p.value, "type", governance.vocabulary(.providerType)) }
        var municipality: String? = nil
        if let p = f["municipality"], !p.value.isNull { municipality = r.municipality(p.value, governance) }
        let website = r.url(f["website"], "website")
        let email = r.email(f["email"], "email")
        let phone = r.phone(f["phone"], "phone")
        let editors = r.textList(f["editors"], "editors", max: maxChars["provider.editors"], items: maxItems["provider.editors"])?.map(\.0) ?? []
        let extra = providerHasExtra ? DeclaredFields(governance: governance).extra(fields.provider, modelled: FieldSet.modelledProvider, f, root: root, &r) : []
        if r.diagnostics.hasErrors { return (nil, r.diagnostics) }
        var provider = Provider(id: id, name: name ?? id, orgNumber: org ?? "", type: type ?? "", municipality: municipality ?? "",
                                website: website, email: email, phone: phone, editors: editors, sourcePath: file.path)
        provider.extra = extra
        // The path inside the content folder, not as shown: `--content ./content` and `--content content` make the same
        // pages, and a rebuild keeps them.
        provider.sourceDigest = FileHash.of(texts: file.relativePath, file.text)
        return (provider, r.diagnostics)
    }

    /// The digest of an offer or translation file as read: its path inside the content folder, front matter and body
    /// (`Offer.sourceDigest`).
    static func digest(_ file: OfferFile) -> UInt64 {
        FileHash.of(texts: file.relativePath, file.frontMatterText, file.body)
    }

    // MARK: translation

    func translation(_ file: OfferFile) -> (OfferTranslation?, [Diagnostic]) {
        guard let root = file.frontMatter, let language = file.language else { return (nil, Self.scanBodyOnly(file)) }
        var r = reader(file.path)
        guard let pairs = root.pairs else { return (nil, []) }
        var known: [YPair] = []
        for pair in pairs {
            if pair.key == "title" || pair.key == "summary" {
                known.append(pair)
            } else if offerDeclarations[pair.key] != nil {
                r.diagnostics.append(.error(.translationField, at: r.location(pair.keyLine, pair.keyColumn), Messages.translationField(pair.key)))
            } else {
                let suggestion = Checks.suggestion(for: pair.key, among: ["title", "summary"])
                r.diagnostics.append(.error(.unknownField, at: r.location(pair.keyLine, pair.keyColumn), Messages.unknownField(pair.key, suggestion)))
            }
        }
        let f = Fields(known)
        r.require(["title", "summary"], in: f, at: root, what: "offer")
        r.scanNationalIDs(file)
        let title = checkTitle(f["title"], &r)
        let summary = checkSummary(f["summary"], title: title, &r)
        checkBody(file, &r)
        guard let title, let summary, !r.diagnostics.hasErrors else { return (nil, r.diagnostics) }
        var translation = OfferTranslation(language: language, title: title, summary: summary, body: file.body, sourcePath: file.path)
        translation.sourceDigest = Self.digest(file)
        return (translation, r.diagnostics)
    }

    private func checkTitle(_ pair: YPair?, _ r: inout FieldReader) -> String? {
        r.text(pair, "title", max: policy.titleMaxChars)
    }

    private func checkSummary(_ pair: YPair?, title: String?, _ r: inout FieldReader) -> String? {
        guard let pair, let summary = r.text(pair, "summary", max: policy.summaryMaxChars) else { return nil }
        if Self.looksLikeHTML(summary) { /* reported by the reader, as in every plain-text field */ }
        else if summary.utf8.containsSequence([0x2A, 0x2A]) || summary.utf8.containsSequence([0x5D, 0x28]) || summary.utf8.first == 0x23 { r.warning(.markdownInSummary, pair.value, Messages.markdownInSummary) }
        if let title {
            // Compare letters and digits only, ASCII case folded (enough to spot a copied title).
            func kept(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b >= 0x80 }
            func norm(_ s: String) -> [UInt8] { s.utf8.compactMap { kept($0) ? ($0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0) : nil } }
            // Only a summary at most 11 kept bytes longer than the title can repeat it: count before comparing.
            let extra = summary.utf8.reduce(0) { $0 + (kept($1) ? 1 : 0) } - title.utf8.reduce(0) { $0 + (kept($1) ? 1 : 0) }
            if extra >= 0 && extra < 12 {
                let s = norm(summary), t = norm(title)
                if s == t || (s.starts(with: t) && s.count - t.count < 12) { r.warning(.summaryRepeatsTitle, pair.value, Messages.summaryRepeatsTitle) }
            }
        }
        return summary
    }

    private func checkBody(_ file: OfferFile, _ r: inout FieldReader) {
        let body = file.body
        // Unicode scalars are the UTF-8 bytes that do not continue a sequence.
        let count = body.utf8.count <= policy.bodyMaxChars ? body.utf8.count : body.utf8.reduce(0) { $0 + ($1 & 0xC0 != 0x80 ? 1 : 0) }
        if count > policy.bodyMaxChars {
            r.diagnostics.append(.error(.tooLong, at: r.location(file.bodyLine, 1), Messages.bodyTooLong(count, policy.bodyMaxChars)))
        }
        var tablesWithinLimits = true
        for table in Self.tables(body) {
            let at = r.location(file.bodyLine + table.line - 1, 1)
            if table.columns > policy.tableMaxColumns {
                r.diagnostics.append(.error(.tableTooWide, at: at, Messages.tableTooWide(table.columns, policy.tableMaxColumns)))
                tablesWithinLimits = false
            } else if table.columns * table.rows > policy.tableMaxCells {
                r.diagnostics.append(.error(.tableTooLarge, at: at, Messages.tableTooLarge(table.columns, table.rows, policy.tableMaxCells)))
                tablesWithinLimits = false
            }
        }
        // Rendered only when it could be over the limit (and never with a table over its limits, which is what
        // makes rendering slow): no construct but a reference link grows more than 32 times as HTML.
        if tablesWithinLimits, count <= policy.bodyMaxChars,
           body.utf8.count > policy.bodyHTMLMaxBytes / 32 || Self.hasReferenceDefinition(body) {
            let size = MarkdownRenderer().withRenderedHTML(body) { $0.count }
            if size > policy.bodyHTMLMaxBytes {
                r.diagnostics.append(.error(.bodyHtmlTooLarge, at: r.location(file.bodyLine, 1), Messages.bodyHTMLTooLarge(size, policy.bodyHTMLMaxBytes)))
            }
        }
        if body.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x09 || $0 == 0x0D }) {
            r.diagnostics.append(.warning(.bodyEmpty, at: r.location(max(1, file.bodyLine - 1), 1), Messages.bodyEmpty))
        } else if let (line, column) = Self.firstHTMLTag(body) {
            r.diagnostics.append(.warning(.rawHtml, at: r.location(file.bodyLine + line - 1, column), Messages.rawHTMLInBody))
        }
        for link in Self.refusedLinks(body) {
            let at = r.location(file.bodyLine + link.line - 1, link.column)
            // A warning: the page drops the link (the sanitizer is the second line of defence), and the editor is told
            // where, so the link can be fixed.
            if link.scheme == "http" {
                r.diagnostics.append(.warning(.insecureLink, at: at, Messages.insecureURL(link.url)))
            } else {
                r.diagnostics.append(.warning(.forbiddenLink, at: at, Messages.forbiddenURL(link.url, link.scheme)))
            }
        }
    }

    /// Links in a Markdown body that the page will not keep because their scheme is not allowed (`http:`,
    /// `javascript:`, `data:`, …): inline links and images `](url)`, reference definitions `[x]: url`, autolinks
    /// `<scheme:…>` and bare `http://` addresses (which GitHub-flavoured Markdown links). Relative links are left to
    /// the renderer. Each with its 1-based line and column (in Unicode scalars) and lower-cased scheme.
    static func refusedLinks(_ body: String) -> [(line: Int, column: Int, url: String, scheme: String)] {
        // Fast exit: every such link has a colon.
        guard Checks.contains(UInt8(ascii: ":"), in: body) else { return [] }
        let u = Array(body.unicodeScalars)
        var found: [(Int, Int, String, String)] = []
        var positions = ScalarPositions(u)
        func destination(from start: Int, ends: Set<Unicode.Scalar>) -> (String, Int)? {
            var i = start
            while i < u.count, u[i] == " " { i += 1 }
            if i < u.count, u[i] == "<" { i += 1 }
            let begin = i
            while i < u.count, !ends.contains(u[i]), u[i] != "\n", u[i] != " ", i - begin < 2048 { i += 1 }
            guard i > begin else { return nil }
            return (String(String.UnicodeScalarView(u[begin..<i])), begin)
        }
        func consider(_ url: String, at index: Int) {
            guard let scheme = URLSchemePolicy.scheme(of: url), !URLSchemePolicy.allowedSchemes.contains(scheme) else { return }
            let (l, c) = positions.of(index)
            found.append((l, c, url, scheme))
        }
        var lineStart = true, lineBeginsWithBracket = false
        var i = 0
        while i < u.count {
            let c = u[i]
            if lineStart && c != " " { lineBeginsWithBracket = c == "[" }
            if c == "]", i + 1 < u.count, u[i + 1] == "(" {
                if let (url, begin) = destination(from: i + 2, ends: [")", ">"]) { consider(url, at: begin) }
            } else if c == "]", i + 1 < u.count, u[i + 1] == ":", lineBeginsWithBracket {
                if let (url, begin) = destination(from: i + 2, ends: []) { consider(url, at: begin) }
            } else if c == "<", let (url, begin) = destination(from: i + 1, ends: [">"]), i + 1 == begin,
                      begin + url.unicodeScalars.count < u.count, u[begin + url.unicodeScalars.count] == ">" {
                consider(url, at: begin)
            } else if (c == "h" || c == "H"), i + 7 <= u.count, String(String.UnicodeScalarView(u[i..<(i + 7)])).lowercased() == "http://",
                      i == 0 || !(u[i - 1].properties.isAlphabetic || u[i - 1] == "(" || u[i - 1] == "<") {
                let (url, _) = destination(from: i, ends: [")", ">"]) ?? ("http://", i)
                consider(url, at: i)
            }
            if c == "\n" { lineStart = true } else if c != " " { lineStart = false }
            i += 1
        }
        return found
    }

    /// The GitHub-flavoured Markdown tables in `body` as the renderer will see them: for each delimiter row
    /// (`| --- | :-: |`, also inside a quote or a list item), its 1-based line, its number of columns, and the
    /// rows the table has (the header, and every line up to the next blank one, as GFM reads them).
    static func tables(_ body: String) -> [(line: Int, columns: Int, rows: Int)] {
        guard Checks.contains(UInt8(ascii: "|"), in: body) else { return [] }
        var found: [(line: Int, columns: Int, rows: Int)] = []
        var lines = body.utf8.split(separator: 0x0A, omittingEmptySubsequences: false).map { Self.strippingContainers($0) }
        if lines.last?.isEmpty == true { lines.removeLast() }
        var i = 1
        while i < lines.count {
            guard let columns = Self.delimiterColumns(lines[i]), !lines[i - 1].isEmpty else { i += 1; continue }
            var end = i + 1
            while end < lines.count, !lines[end].isEmpty { end += 1 }
            found.append((line: i + 1, columns: columns, rows: end - i))
            i = end
        }
        return found
    }

    /// A line without the marks of the quotes and list items it is in (`>`, `-`, `*`, `+`, `1.`), and without
    /// spaces and a carriage return at its ends: empty for a blank line.
    private static func strippingContainers(_ line: Substring.UTF8View) -> ArraySlice<UInt8> {
        var s = ArraySlice(line)
        while let last = s.last, last == 0x20 || last == 0x09 || last == 0x0D { s.removeLast() }
        while true {
            while let first = s.first, first == 0x20 || first == 0x09 { s.removeFirst() }
            guard let first = s.first else { return s }
            if first == UInt8(ascii: ">") { s.removeFirst(); continue }
            if first == UInt8(ascii: "-") || first == UInt8(ascii: "*") || first == UInt8(ascii: "+"), s.count > 1,
               s[s.startIndex + 1] == 0x20 || s[s.startIndex + 1] == 0x09 { s.removeFirst(2); continue }
            var digits = s.startIndex
            while digits < s.endIndex, digits - s.startIndex < 9, (0x30...0x39).contains(s[digits]) { digits += 1 }
            if digits > s.startIndex, digits + 1 < s.endIndex, s[digits] == UInt8(ascii: ".") || s[digits] == UInt8(ascii: ")"),
               s[digits + 1] == 0x20 || s[digits + 1] == 0x09 { s = s[(digits + 2)...]; continue }
            return s
        }
    }

    /// The number of columns when `line` is a GFM table delimiter row (cells of `:?-+:?` between pipes), else nil.
    private static func delimiterColumns(_ line: ArraySlice<UInt8>) -> Int? {
        guard line.contains(UInt8(ascii: "|")), line.contains(UInt8(ascii: "-")) else { return nil }
        var cells = line.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)
        if cells.first?.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) == true, line.first == UInt8(ascii: "|") { cells.removeFirst() }
        if cells.last?.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) == true, line.last == UInt8(ascii: "|") { cells.removeLast() }
        guard !cells.isEmpty else { return nil }
        for cell in cells {
            let t = cell.drop { $0 == 0x20 || $0 == 0x09 }.reversed().drop { $0 == 0x20 || $0 == 0x09 }.reversed()
            var inner = t[...]
            if inner.first == UInt8(ascii: ":") { inner.removeFirst() }
            if inner.last == UInt8(ascii: ":") { inner.removeLast() }
            guard !inner.isEmpty, inner.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return nil }
        }
        return cells.count
    }

    /// True when a line of `body` looks like a link reference definition (`[label]: destination`), the one
    /// construct whose HTML can be many times longer than its Markdown (the destination is repeated at each use).
    static func hasReferenceDefinition(_ body: String) -> Bool {
        guard Checks.contains(UInt8(ascii: "]"), in: body) else { return false }
        for line in body.utf8.split(separator: 0x0A) {
            let s = Self.strippingContainers(line)
            if s.first == UInt8(ascii: "["), let close = s.firstIndex(of: UInt8(ascii: "]")), close + 1 < s.endIndex,
               s[close + 1] == UInt8(ascii: ":") { return true }
        }
        return false
    }

    static func looksLikeHTML(_ s: String) -> Bool {
        firstHTMLTag(s) != nil
    }

    /// The 1-based line and column of the first thing that looks like an HTML tag (`<x`, `</x`, `<!`).
    static func firstHTMLTag(_ s: String, codeSpans: Bool = true) -> (Int, Int)? {
        guard Checks.contains(UInt8(ascii: "<"), in: s) else { return nil }
        let scalars = Array(s.unicodeScalars)
        var line = 1, column = 1
        var previousWasLT = false
        var inCode = false
        for (i, c) in scalars.enumerated() {
            if c == "\n" { line += 1; column = 1; previousWasLT = false; continue }
            if c == "`" && codeSpans { inCode.toggle() }
            // Autolinks like <https://…> and <post@example.org> are Markdown, not HTML.
            if previousWasLT, !inCode, (c.properties.isAlphabetic || c == "/" || c == "!"), !isAutolink(scalars[i...]) {
                return (line, column - 1)
            }
            previousWasLT = c == "<"
            column += 1
        }
        return nil
    }

    /// True when `rest` (what follows a `<`) is a CommonMark autolink: `scheme:…>` or `address@domain>`.
    private static func isAutolink(_ rest: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let end = rest.firstIndex(where: { $0 == ">" || $0 == "<" || $0 == " " || $0 == "\t" || $0 == "\n" }), rest[end] == ">" else { return false }
        let inside = rest[rest.startIndex..<end]
        if let colon = inside.firstIndex(of: ":") {
            let scheme = inside[inside.startIndex..<colon]
            return (2...32).contains(scheme.count) && scheme.first.map { $0.isASCII && $0.properties.isAlphabetic } == true
                && scheme.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "+" || $0 == "." || $0 == "-") }
        }
        if let at = inside.firstIndex(of: "@") {
            let domain = inside[inside.index(after: at)...]
            return at > inside.startIndex && domain.contains(".") && !domain.contains("@")
        }
        return false
    }

    /// A file whose front matter could not be read is rejected already, but an identity number in its
    /// body is reported in the same run: one pass reports every problem, and this one most of all.
    static func scanBodyOnly(_ file: OfferFile) -> [Diagnostic] {
        var r = FieldReader(path: file.path)
        r.scanNationalIDs(file)
        return r.diagnostics
    }

    // MARK: offer

    func offer(_ file: OfferFile, today: Day) -> (Offer?, [Diagnostic]) {
        guard let root = file.frontMatter else { return (nil, Self.scanBodyOnly(file)) }
        var r = reader(file.path)
        guard let f = r.fields(root, allowed: offerNames, name: "front matter") else { return (nil, r.diagnostics) }
        r.require(policy.requiredOfferFields, in: f, at: root, what: "offer")
        r.scanNationalIDs(file)

        let title = checkTitle(f["title"], &r)
        let summary = checkSummary(f["summary"], title: title, &r)
        checkBody(file, &r)
        /// The vocabulary id `key` holds; `absent` when the key is missing or has no value (`referral:` with nothing after
        /// it, or only a comment, is the same as no `referral`); nil, with an error, for an id not in the vocabulary.
        func one(_ key: String, _ vocab: VocabularyName, absent: String? = nil) -> String? {
            guard let p = f[key], !p.value.isNull else { return absent }
            return r.vocabularyID(p.value, key, governance.vocabulary(vocab))
        }
        let kind = one("kind", .kind)
        let format = one("format", .format)
        let delivery = one("delivery", .delivery)
        let referral = one("referral", .referral, absent: defaults["referral"] ?? "")
        let topics = r.vocabularyList(f["topics"], "topics", governance.vocabulary(.topics), range: policy.topics) ?? []
        let audiences = r.vocabularyList(f["audiences"], "audiences", governance.vocabulary(.audiences), range: policy.audiences) ?? []
        let accessibility = r.vocabularyList(f["accessibility"], "accessibility", governance.vocabulary(.accessibility), range: nil) ?? []
        let languages = r.vocabularyList(f["languages"], "languages", governance.vocabulary(.languages), range: nil) ?? Self.list(defaults["languages"]) ?? ["nb"]
        let tags = r.textList(f["tags"], "tags", max: policy.tagMaxChars, items: maxItems["tags"])?.map(\.0) ?? []
        if tags.count > policy.tagsMax, let p = f["tags"] { r.error(.count, p.value, Messages.count("tags", tags.count, (0, policy.tagsMax))) }

        let national = r.bool(f["national"], "national") ?? false
        var municipalities: [String] = []
        if let items = r.list(f["municipalities"], "municipalities", max: max(1, governance.municipalities.count)) {
            var repeated = Set<String>()
            for item in items {
                if let code = r.municipality(item, governance) {
                    if municipalities.contains(code) {
                        if repeated.insert(code).inserted { r.warning(.duplicateValue, item, Messages.duplicateValue("municipalities", code)) }
                    } else {
                        municipalities.append(code)
                    }
                }
            }
        }
        if conditionHolds("municipalities", in: root) && municipalities.isEmpty && (f["municipalities"]?.value.items?.isEmpty ?? true) {
            r.error(.missingField, f["municipalities"]?.value ?? root, Messages.needsMunicipalities)
        }

        let locations = decodeLocations(f["locations"], &r)
        if let delivery, conditionHolds("locations", in: root), locations.isEmpty, !(f["locations"]?.value.items?.isEmpty == false) {
            r.error(.missingField, f["locations"]?.value ?? f["delivery"]?.value ?? root, Messages.needsLocation(delivery))
        }
        for (loc, node) in locations where !national && !municipalities.isEmpty && !municipalities.contains(loc.municipality) {
            r.warning(.locationOutsideMunicipalities, node, Messages.locationOutside(loc.municipality))
        }

        let ongoing = r.bool(f["ongoing"], "ongoing") ?? false
        let schedule = decodeSchedule(f["schedule"], locations: locations.map(\.0.name), ongoing: ongoing, &r)
        if conditionHolds("schedule", in: root) && schedule.isEmpty && (f["schedule"]?.value.items?.isEmpty ?? true) {
            r.error(.missingField, f["schedule"]?.value ?? root, Messages.needsSchedule)
        }

        let price = decodePrice(f["price"], root: root, &r)
        let signup = decodeSignup(f["signup"], &r)
        let contact = decodeContact(f["contact"], &r)
        if f["signup"] == nil && f["contact"] == nil { r.warning(.noSignup, root, Messages.noWayToSignUp) }
        if let deadline = signup.deadline, let first = schedule.first, deadline > first.start.day, let p = f["signup"]?.value["deadline"] {
            r.warning(.deadlineAfterStart, p, Messages.deadlineAfterStart)
        }

        let lastReviewed = r.day(f["last_reviewed"], "last_reviewed")
        if let lastReviewed, lastReviewed > today, let p = f["last_reviewed"] { r.warning(.reviewedInFuture, p.value, Messages.reviewedInFuture(lastReviewed.iso)) }
        let validUntil = r.day(f["valid_until"], "valid_until")
        var status = defaults["status"].flatMap(OfferStatus.init(rawValue:)) ?? .published
        if let p = f["status"], let s = r.text(p, "status") {
            if let st = OfferStatus(rawValue: s), statusValues?.contains(s) ?? true { status = st } else { r.error(.unknownId, p.value, Messages.invalidStatus(s)) }
        }
        let extra = offerHasExtra ? DeclaredFields(governance: governance).extra(fields.offer, modelled: FieldSet.modelledOffer, f, root: root, &r) : []

        guard !r.diagnostics.hasErrors, let title, let summary, let kind, let format, let delivery, let referral else {
            // No offer without an error that says why: a record is never left out of the catalog silently.
            if !r.diagnostics.hasErrors {
                let values: [(String, String?)] = [("title", title), ("summary", summary), ("kind", kind), ("format", format),
                                                   ("delivery", delivery), ("referral", referral)]
                for (name, value) in values where value == nil {
                    r.error(.missingField, f[name]?.value ?? root, Messages.missingField(name, "offer"))
                }
            }
            return (nil, r.diagnostics)
        }
        var offer = Offer(providerID: file.providerID, slug: file.slug, title: title, summary: summary, kind: kind, format: format,
                          delivery: delivery, topics: topics, audiences: audiences, municipalities: municipalities, national: national,
                          locations: locations.map(\.0), schedule: schedule.sorted { $0.start < $1.start }, ongoing: ongoing, price: price ?? Price(kind: defaults["price.kind"] ?? "", amountNOK: nil, note: nil),
                          referral: referral, signup: signup, contact: contact, languages: languages, accessibility: accessibility, tags: tags,
                          lastReviewed: lastReviewed ?? today, validUntil: validUntil, status: status, body: file.body, sourcePath: file.path)
        offer.extra = extra
        offer.sourceDigest = Self.digest(file)
        offer.state = offer.computeState(today: today, policy: policy)
        offer.nextStart = offer.schedule.first { $0.lastDay >= today }?.start
        if let p = f["last_reviewed"], let lastReviewed {
            let due = lastReviewed.addingMonths(policy.reviewIntervalMonths)
            switch offer.state {
            case .due: r.warning(.dueForReview, p.value, Messages.dueForReview(lastReviewed.iso, due.iso))
            case .stale: r.warning(.stale, p.value, Messages.stale(lastReviewed.iso))
            default: break
            }
        }
        return (offer, r.diagnostics)
    }

    private func decodeLocations(_ pair: YPair?, _ r: inout FieldReader) -> [(Location, YNode)] {
        guard let items = r.list(pair, "locations", max: maxItems["locations"]) else { return [] }
        var out: [(Location, YNode)] = []
        for item in items {
            guard let f = r.fields(item, allowed: subFields("locations"), name: "locations") else { continue }
            r.require(requiredSubFields("locations"), in: f, at: item, what: "location")
            let name = r.text(f["name"], "name", max: maxChars["locations.name"])
            let address = r.text(f["address"], "address", max: maxChars["locations.address"])
            let city = r.text(f["city"], "city", max: maxChars["locations.city"])
            var postal: String? = nil
            if let p = f["postal_code"], !p.value.isNull, let s = r.code(p.value, "postal_code") {
                if Checks.isValidPostalCode(s) { postal = s } else {
                    r.error(.invalidPostalCode, p.value, Messages.invalidPostalCode(s), hint: s.count < 4 && s.allSatisfy(\.isASCIIDigit) ? Messages.notStrictText : nil)
                }
            }
            var municipality: String? = nil
            if let p = f["municipality"], !p.value.isNull { municipality = r.municipality(p.value, governance) }
            var geo: Geo? = nil
            if let p = f["geo"], !p.value.isNull {
                if let items = p.value.items, items.count == 2, let lat = items[0].scalar.flatMap(Double.init), let lon = items[1].scalar.flatMap(Double.init),
                   (57.9...71.3).contains(lat), (4.4...31.3).contains(lon) {
                    geo = Geo(lat: lat, lon: lon)
                } else {
                    r.error(.invalidGeo, p.value, Messages.invalidGeo())
                }
            }
            if let name, let address, let city, let postal, let municipality {
                out.append((Location(name: name, address: address, postalCode: postal, city: city, municipality: municipality, geo: geo), item))
            }
        }
        return out
    }

    private func decodeSchedule(_ pair: YPair?, locations: [String], ongoing: Bool, _ r: inout FieldReader) -> [ScheduleRun] {
        guard let items = r.list(pair, "schedule", max: maxItems["schedule"]) else { return [] }
        var out: [ScheduleRun] = []
        for item in items {
            guard let f = r.fields(item, allowed: subFields("schedule"), name: "schedule") else { continue }
            r.require(requiredSubFields("schedule"), in: f, at: item, what: "schedule")
            let start = r.dateTime(f["start"], "start")
            let end = r.dateTime(f["end"], "end")
            let note = r.text(f["note"], "note", allowEmpty: true, max: maxChars["schedule.note"])
            let times = decodeTimes(f["times"], &r)
            var sessions: Int? = nil
            if let p = f["sessions"], let n = r.integer(p, "sessions") {
                if let lo = runs.sessionsMin, Double(n) < lo { r.error(.invalidNumber, p.value, Messages.count("sessions", n, (Int(lo), Int(runs.sessionsMax ?? Double(Int.max))))) }
                else if let hi = runs.sessionsMax, Double(n) > hi { r.error(.invalidNumber, p.value, Messages.count("sessions", n, (Int(runs.sessionsMin ?? 0), Int(hi)))) }
                else { sessions = n }
            }
            var location: String? = nil
            if let p = f["location"], let name = r.text(p, "location", max: maxChars["schedule.location"]) {
                if locations.contains(name) { location = name } else { r.error(.unknownLocation, p.value, Messages.unknownLocation(name, locations)) }
            }
            var capacity: String? = nil
            if let p = f["capacity"], !p.value.isNull, let v = runs.capacity {
                capacity = r.vocabularyID(p.value, "capacity", v)
            }
            let deadline = r.day(f["deadline"], "deadline")
            if let start, let deadline, deadline > start.day, let p = f["deadline"] { r.warning(.deadlineAfterStart, p.value, Messages.runDeadlineAfterStart) }
            if let start, let end, end < start, let p = f["end"] {
                r.error(.endBeforeStart, p.value, Messages.endBeforeStart(end.iso, start.iso))
                continue
            }
            guard let start else { continue }
            let run = ScheduleRun(start: start, end: end, note: note?.isEmpty == true ? nil : note, times: times, sessions: sessions,
                                  location: location, capacity: capacity, deadline: deadline)
            if !ongoing, !run.hasStructuredTime, let p = f["start"] { r.warning(.runWithoutTime, p.value, Messages.runWithoutTime) }
            out.append(run)
        }
        return out
    }

    /// The weekly times of a run (`times`): a weekday from the declared vocabulary, and `HH:MM` from and to.
    private func decodeTimes(_ pair: YPair?, _ r: inout FieldReader) -> [WeeklyTime] {
        guard let items = r.list(pair, "times", max: runs.timesMax) else { return [] }
        let vocab = runs.weekdays
        var out: [WeeklyTime] = []
        for item in items {
            guard let f = r.fields(item, allowed: runs.timesFields, name: "times") else { continue }
            r.require(runs.timesRequired, in: f, at: item, what: "times")
            var weekday: String? = nil
            if let p = f["weekday"], !p.value.isNull, let vocab { weekday = r.vocabularyID(p.value, "weekday", vocab) }
            func clock(_ key: String) -> String? {
                guard let p = f[key], let s = r.text(p, key) else { return nil }
                guard let t = Self.clock(s) else { r.error(.invalidTime, p.value, Messages.invalidTime(key, s)); return nil }
                return t
            }
            let from = clock("from"), to = clock("to")
            if let from, let to, to <= from, let p = f["to"] { r.error(.invalidTime, p.value, Messages.timeEndsBeforeStart(from, to)); continue }
            if let weekday, let from, let to, let vocab {
                let iso = (VocabularyTrait.weekdays.firstIndex { vocab.has(weekday, $0) } ?? -1) + 1
                out.append(WeeklyTime(weekday: weekday, isoWeekday: iso, from: from, to: to))
            }
        }
        return out
    }

    /// `HH:MM` (or `H:MM`, or with a dot) as `HH:MM`; nil when it is not a time of day.
    static func clock(_ s: String) -> String? {
        // On bytes: one `:` or `.`, one or two digits before it and two after.
        let u = Array(s.utf8)
        func isDigit(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) }
        guard let sep = u.firstIndex(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") }) else { return nil }
        let hh = u[..<sep], mm = u[(sep + 1)...]
        guard (1...2).contains(hh.count), mm.count == 2, hh.allSatisfy(isDigit), mm.allSatisfy(isDigit) else { return nil }
        let h = hh.reduce(0) { $0 * 10 + Int($1 - 0x30) }, m = mm.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        guard h <= 23, m <= 59 else { return nil }
        return (h < 10 ? "0" : "") + String(h) + ":" + String(decoding: mm, as: UTF8.self)
    }

    private func decodePrice(_ pair: YPair?, root: YNode, _ r: inout FieldReader) -> Price? {
        guard let pair, !pair.value.isNull, let f = r.fields(pair.value, allowed: subFields("price"), name: "price") else { return nil }
        r.require(requiredSubFields("price"), in: f, at: pair.value, what: "price")
        guard let kp = f["kind"], !kp.value.isNull, let kind = r.vocabularyID(kp.value, "price.kind", governance.vocabulary(.price)) else { return nil }
        let amount = r.integer(f["amount_nok"], "amount_nok")
        if let amount, amount < 0, let p = f["amount_nok"] { r.error(.invalidNumber, p.value, Messages.negativeAmount) }
        if conditionHolds("price.amount_nok", in: root) && amount == nil && f["amount_nok"] == nil { r.error(.missingField, pair.value, Messages.needsAmount(kind)) }
        let free = freePrices.contains(kind)
        if free, let amount, amount > 0, let p = f["amount_nok"] { r.warning(.amountForFree, p.value, Messages.amountForFree()) }
        let note = r.text(f["note"], "note", allowEmpty: true, max: maxChars["price.note"])
        return Price(kind: kind, amountNOK: free ? nil : amount, note: note?.isEmpty == true ? nil : note)
    }

    private func decodeSignup(_ pair: YPair?, _ r: inout FieldReader) -> Signup {
        guard let pair, !pair.value.isNull, let f = r.fields(pair.value, allowed: subFields("signup"), name: "signup") else { return Signup() }
        let s = Signup(url: r.url(f["url"], "url"), phone: r.phone(f["phone"], "phone"), email: r.email(f["email"], "email"), deadline: r.day(f["deadline"], "deadline"))
        if f["url"] == nil && f["phone"] == nil && f["email"] == nil { r.error(.missingField, pair.value, Messages.signupEmpty) }
        return s
    }

    private func decodeContact(_ pair: YPair?, _ r: inout FieldReader) -> Contact {
        guard let pair, !pair.value.isNull, let f = r.fields(pair.value, allowed: subFields("contact"), name: "contact") else { return Contact() }
        return Contact(name: r.text(f["name"], "name", max: maxChars["contact.name"]), phone: r.phone(f["phone"], "phone"), email: r.email(f["email"], "email"))
    }
}

extension RecordDecoder {
    /// A list written as a default (`[nb, en]`), nil when there is none.
    static func list(_ text: String?) -> [String]? {
        guard let text else { return nil }
        let inner = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
        return inner.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
    }
}

extension Sequence where Element == UInt8 {
    /// True when `needle` occurs as a contiguous run.
    func containsSequence(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        let hay = Array(self)
        guard hay.count >= needle.count else { return false }
        for start in 0...(hay.count - needle.count) where hay[start] == needle[0] {
            var k = 1
            while k < needle.count && hay[start + k] == needle[k] { k += 1 }
            if k == needle.count { return true }
        }
        return false
    }
}

/// The parts of a course run's declaration (`schedule.item`) the decoder reads for every run.
struct RunDeclarations {
    let timesMax: Int?
    let timesFields: [String]
    let timesRequired: [String]
    let weekdays: Vocabulary?
    let sessionsMin: Double?
    let sessionsMax: Double?
    let capacity: Vocabulary?

    init(_ run: FieldDeclaration?, _ governance: Governance) {
        let times = run?.field("times")
        let timeFields = times?.item?.fields ?? []
        timesMax = times?.max.map { Int($0) }
        timesFields = timeFields.map(\.name)
        timesRequired = timeFields.filter(\.required).map(\.name)
        weekdays = timeFields.first { $0.name == "weekday" }?.vocabulary.flatMap { governance.vocabulary(named: $0) }
        let sessions = run?.field("sessions")
        sessionsMin = sessions?.min
        sessionsMax = sessions?.max
        capacity = run?.field("capacity")?.vocabulary.flatMap { governance.vocabulary(named: $0) }
    }
}
