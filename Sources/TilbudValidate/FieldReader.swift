import TilbudContent
import TilbudDiagnostics
import TilbudModel

/// The pairs of a mapping that a record may have, looked up by key (the YAML reader has refused duplicates).
///
/// A record's mapping has a few dozen keys at most: comparing short keys one by one is cheaper than hashing
/// them into a dictionary for every mapping of every record.
struct Fields {
    /// The pairs, in file order.
    let pairs: [YPair]

    /// The fields `pairs`, each key once.
    init(_ pairs: [YPair]) {
        self.pairs = pairs
    }

    /// The pair with `key`, nil when there is none.
    subscript(key: String) -> YPair? {
        for pair in pairs where pair.key.isSameKey(key) { return pair }
        return nil
    }
}

extension String {
    /// `==` with the length compared first: most keys compared while looking a field up are not the one
    /// looked for, and have another length, which is one load away (comparing the text is a call).
    func isSameKey(_ other: String) -> Bool {
        utf8.count == other.utf8.count && self == other
    }
}

/// Reads typed values out of YAML nodes, collecting a diagnostic for every problem.
struct FieldReader {
    let path: String
    var diagnostics: [Diagnostic] = []
    /// The longest text `text` and `textList` accept where the caller names no limit of its own
    /// (the governance's `text_max_chars` for records; none for the governance files themselves).
    var textMaxChars: Int
    /// The most items `list` accepts where the caller names no limit of its own (`list_max_items`).
    var listMaxItems: Int

    /// Whether `text` and `textList` hold values to plain text: no HTML tags, no invisible characters (a record's
    /// fields are shown as they are written; the governance files are not published).
    var plainText: Bool

    init(path: String, textMaxChars: Int = .max, listMaxItems: Int = .max, plainText: Bool = false) {
        self.path = path
        self.textMaxChars = textMaxChars
        self.listMaxItems = listMaxItems
        self.plainText = plainText
    }

    func location(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(path: path, line: line, column: column)
    }

    mutating func error(_ id: DiagnosticID, _ node: YNode, _ message: Message, hint: Message? = nil) {
        diagnostics.append(.error(id, at: location(node.line, node.column), message, hint: hint))
    }

    mutating func warning(_ id: DiagnosticID, _ node: YNode, _ message: Message, hint: Message? = nil) {
        diagnostics.append(.warning(id, at: location(node.line, node.column), message, hint: hint))
    }

    /// The mapping's allowed pairs by key; unknown keys are reported with a suggestion.
    mutating func fields(_ node: YNode, allowed: [String], name: String) -> Fields? {
        guard let pairs = node.pairs else {
            error(.wrongType, node, Messages.expectedMapping(name))
            return nil
        }
        var allKnown = true
        for pair in pairs where !allowed.contains(where: { $0.isSameKey(pair.key) }) {
            allKnown = false
            let suggestion = Checks.suggestion(for: pair.key, among: allowed)
            diagnostics.append(.error(.unknownField, at: location(pair.keyLine, pair.keyColumn), Messages.unknownField(pair.key, suggestion),
                                      hint: suggestion == nil ? Messages.allowedFields(allowed) : nil))
        }
        // Usually every key is allowed, and the mapping's own pairs are used as they are.
        return Fields(allKnown ? pairs : pairs.filter { pair in allowed.contains { $0.isSameKey(pair.key) } })
    }

    /// Reports every name in `required` that `fields` lacks (or holds as null), at `node`.
    mutating func require(_ required: [String], in fields: Fields, at node: YNode, what: String) {
        for name in required {
            let pair = fields[name]
            if let pair, !pair.value.isNull { continue }
            let at = pair.map { YNode(kind: .scalar("", plain: true), line: $0.keyLine, column: $0.keyColumn) } ?? node
            error(.missingField, at, Messages.missingField(name, what))
        }
    }

    /// Non-empty text of at most `max` characters (`textMaxChars` when nil), or nil (reported when of the wrong
    /// type, empty or too long).
    mutating func text(_ pair: YPair?, _ name: String, allowEmpty: Bool = false, max: Int? = nil) -> String? {
        guard let pair, !pair.value.isNull else { return nil }
        guard let s = pair.value.scalar else {
            error(.wrongType, pair.value, Messages.expectedText(name))
            return nil
        }
        let trimmed = s.trimmingWhitespace()
        if trimmed.isEmpty && !allowEmpty {
            error(.emptyField, pair.value, Messages.emptyText(name))
            return nil
        }
        guard withinLimit(trimmed, pair.value, name, max ?? textMaxChars) else { return nil }
        if plainText { checkPlainText(trimmed, pair.value, name) }
        return trimmed
    }

    /// Reports HTML tags and invisible characters in a plain-text value. A plain-text field is shown as written,
    /// so `<b>` would show as characters (backticks are no code span here either), and a zero-width space makes
    /// a title look like another one that search does not find.
    mutating func checkPlainText(_ s: String, _ node: YNode, _ name: String) {
        // Most values have neither `<` nor a lead byte of the invisible characters (U+180E, U+200B–U+2060, U+FEFF).
        guard s.utf8.contains(where: { $0 == 0x3C || $0 == 0xE1 || $0 == 0xE2 || $0 == 0xEF }) else { return }
        if let (line, column) = RecordDecoder.firstHTMLTag(s, codeSpans: false) {
            let at = node.isPlain && line == 1 ? location(node.line, node.column + column - 1) : location(node.line, node.column)
            diagnostics.append(.error(name == "summary" ? .htmlInSummary : .htmlInText, at: at,
                                      name == "summary" ? Messages.htmlInSummary : Messages.htmlInText(name)))
        }
        let scalars = Array(s.unicodeScalars)
        for (i, u) in scalars.enumerated() where Checks.isInvisible(u.value) {
            // A zero-width joiner between two emoji joins them into one (👨‍👩‍👧): that one is meant.
            if u.value == 0x200D, i > 0, i + 1 < scalars.count, scalars[i - 1].properties.isEmoji, scalars[i + 1].properties.isEmoji,
               scalars[i - 1].value > 0xFF { continue }
            let at = node.isPlain && !scalars[..<i].contains("\n") ? location(node.line, node.column + i) : location(node.line, node.column)
            diagnostics.append(.error(.invisibleCharacter, at: at, Messages.invisibleCharacter(name, u.value)))
            return
        }
    }

    /// True when `s` has at most `limit` characters; reports it at `node` when not.
    mutating func withinLimit(_ s: String, _ node: YNode, _ name: String, _ limit: Int) -> Bool {
        // Characters are never more than UTF-8 bytes: count them (slowly) only when the bytes could be over.
        guard s.utf8.count > limit else { return true }
        let n = s.count
        if n <= limit { return true }
        error(.tooLong, node, Messages.tooLong(name, n, limit))
        return false
    }

    /// A code written as text (kommunenummer, postnummer, org number): plain numbers are read as written.
    mutating func code(_ node: YNode, _ name: String) -> String? {
        guard let s = node.scalar else {
            error(.wrongType, node, Messages.expectedText(name))
            return nil
        }
        return s.trimmingWhitespace()
    }

    mutating func bool(_ pair: YPair?, _ name: String) -> Bool? {
        guard let pair, !pair.value.isNull else { return nil }
        guard let s = pair.value.scalar else {
            error(.wrongType, pair.value, Messages.expectedBool(name, pair.value.shape))
            return nil
        }
        switch s {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default:
            error(.wrongType, pair.value, Messages.expectedBool(name, s))
            return nil
        }
    }

    mutating func integer(_ pair: YPair?, _ name: String) -> Int? {
        guard let pair, !pair.value.isNull else { return nil }
        guard let s = pair.value.scalar, let n = Int(s.trimmingWhitespace()) else {
            error(.wrongType, pair.value, Messages.expectedInteger(name, pair.value.scalar ?? pair.value.shape))
            return nil
        }
        return n
    }

    mutating func day(_ pair: YPair?, _ name: String) -> Day? {
        guard let pair, !pair.value.isNull else { return nil }
        guard let s = pair.value.scalar, let d = Day(iso: s.trimmingWhitespace()) else {
            error(.invalidDate, pair.value, Messages.expectedDate(name, pair.value.scalar ?? pair.value.shape))
            return nil
        }
        return d
    }

    mutating func dateTime(_ pair: YPair?, _ name: String) -> DateTime? {
        guard let pair, !pair.value.isNull else { return nil }
        guard let s = pair.value.scalar, let d = DateTime(parsing: s) else {
            error(.invalidDate, pair.value, Messages.expectedDateTime(name, pair.value.scalar ?? pair.value.shape))
            return nil
        }
        return d
    }

    /// A list of at most `max` nodes (`listMaxItems` when nil); a non-list or a longer list is reported.
    mutating func list(_ pair: YPair?, _ name: String, max: Int? = nil) -> [YNode]? {
        guard let pair, !pair.value.isNull else { return nil }
        guard let items = pair.value.items else {
            error(.wrongType, pair.value, Messages.expectedList(name))
            return nil
        }
        let limit = max ?? listMaxItems
        if items.count > limit {
            error(.count, pair.value, Messages.count(name, items.count, (0, limit)))
            return nil
        }
        return items
    }

    /// A list of texts, each at most `max` characters (`textMaxChars` when nil).
    mutating func textList(_ pair: YPair?, _ name: String, max: Int? = nil, items maxItems: Int? = nil) -> [(String, YNode)]? {
        guard let items = list(pair, name, max: maxItems) else { return nil }
        var out: [(String, YNode)] = []
        for item in items {
            guard let s = item.scalar else {
                error(.wrongType, item, Messages.expectedText(name))
                continue
            }
            let t = s.trimmingWhitespace()
            if t.isEmpty { error(.emptyField, item, Messages.emptyText(name)); continue }
            guard withinLimit(t, item, name, max ?? textMaxChars) else { continue }
            if plainText { checkPlainText(t, item, name) }
            out.append((t, item))
        }
        return out
    }

    /// One id from `vocabulary`, with a suggestion when it is not there.
    mutating func vocabularyID(_ node: YNode, _ name: String, _ vocabulary: Vocabulary) -> String? {
        guard let raw = node.scalar else {
            error(.wrongType, node, Messages.expectedText(name))
            return nil
        }
        let id = raw.trimmingWhitespace()
        guard vocabulary.contains(id) else {
            let suggestion = Checks.suggestion(for: id, among: vocabulary.ids)
            error(.unknownId, node, Messages.unknownID(name, id, vocabulary.name, suggestion, vocabulary.ids))
            return nil
        }
        return id
    }

    /// A list of ids from `vocabulary`, with its length checked against `range`.
    mutating func vocabularyList(_ pair: YPair?, _ name: String, _ vocabulary: Vocabulary, range: CountRange?) -> [String]? {
        guard let pair, !pair.value.isNull else { return nil }
        guard let items = list(pair, name) else { return nil }
        var ids: [String] = []
        var repeated = Set<String>()
        for item in items {
            if let id = vocabularyID(item, name, vocabulary) {
                // One warning per repeated value, not one per repetition: a long list must not flood the output.
                if ids.contains(id) {
                    if repeated.insert(id).inserted { warning(.duplicateValue, item, Messages.duplicateValue(name, id)) }
                } else {
                    ids.append(id)
                }
            }
        }
        if let range, items.count < range.min || items.count > range.max {
            error(.count, pair.value, Messages.count(name, items.count, (range.min, range.max)))
        }
        return ids
    }

    mutating func url(_ pair: YPair?, _ name: String, max: Int? = nil) -> String? {
        guard let s = text(pair, name, max: max), let pair else { return nil }
        switch Checks.urlProblem(s) {
        case nil: return s
        case .insecure: error(.insecureUrl, pair.value, Messages.insecureURL(s))
        case let .forbiddenScheme(scheme): error(.forbiddenUrl, pair.value, Messages.forbiddenURL(s, scheme))
        case .malformed: error(.invalidUrl, pair.value, Messages.malformedURL(s))
        }
        return nil
    }

    mutating func phone(_ pair: YPair?, _ name: String, max: Int? = nil) -> String? {
        guard let s = text(pair, name, max: max), let pair else { return nil }
        guard Checks.isValidPhone(s) else {
            error(.invalidPhone, pair.value, Messages.invalidPhone(s))
            return nil
        }
        return s
    }

    mutating func email(_ pair: YPair?, _ name: String, max: Int? = nil) -> String? {
        guard let s = text(pair, name, max: max), let pair else { return nil }
        guard Checks.isValidEmail(s) else {
            error(.invalidEmail, pair.value, Messages.invalidEmail(s))
            return nil
        }
        return s
    }

    mutating func municipality(_ node: YNode, _ governance: Governance) -> String? {
        guard let code = code(node, "municipality") else { return nil }
        guard governance.municipality(code) != nil else {
            let padded = code.count < 4 && code.allSatisfy(\.isASCIIDigit) ? String(repeating: "0", count: 4 - code.count) + code : nil
            let suggestion = padded.flatMap { governance.municipality($0) != nil ? "\"\($0)\"" : nil }
            error(.invalidMunicipality, node, Messages.invalidMunicipality(code, suggestion))
            return nil
        }
        return code
    }

    /// Reports national identity numbers anywhere in an offer file as written: front matter (comments included),
    /// body, and its slug. The provider id is the provider's to report, once (`RecordDecoder.provider`).
    mutating func scanNationalIDs(_ file: OfferFile) {
        scanNationalIDs(text: file.frontMatterText, firstLine: 2)
        scanNationalIDs(text: file.body, firstLine: file.bodyLine)
        scanNationalIDs(name: file.slug)
    }

    /// Reports national identity numbers in `text`, which starts on file line `firstLine`.
    mutating func scanNationalIDs(text: String, firstLine: Int) {
        for (line, column) in Checks.nationalIDPositions(in: text) {
            diagnostics.append(.error(.nationalIdNumber, at: location(firstLine + line - 1, column), Messages.nationalID))
        }
    }

    /// Reports a national identity number in a folder or file name (a provider id or a slug), at the file's start.
    mutating func scanNationalIDs(name: String) {
        if !Checks.nationalIDPositions(in: name).isEmpty {
            diagnostics.append(.error(.nationalIdNumber, at: location(1, 1), Messages.nationalIDInName(name)))
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        // Most values start and end with a visible ASCII character: nothing to trim, no Character properties to look up.
        if let first = utf8.first, let last = utf8.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return self }
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
