import Foundation

// Reads what the generator needs from a governance folder: the municipality
// codes (municipalities.csv) and the vocabulary ids (vocabularies.yaml). The
// YAML reader is deliberately small: it only collects `id:` values (and their
// `nb` labels) per vocabulary, and falls back to the spec's ids for anything
// it cannot find.

/// One row of `municipalities.csv`.
struct Municipality {
    let code: String
    let name: String

    /// The first of the official names ("Kárášjohka - Karasjok" → "Kárášjohka").
    var shortName: String {
        let first = name.components(separatedBy: " - ").first ?? name
        let trimmed = first.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? code : trimmed
    }

    /// The name without a parenthesised county ("Herøy (Nordland)" → "Herøy").
    var cityName: String {
        let base = shortName.components(separatedBy: " (").first ?? shortName
        return base.isEmpty ? shortName : base
    }

    var countyCode: String { String(code.prefix(2)) }
}

enum MunicipalityReader {
    /// Rows whose first field is a four-digit code; a header and blank lines are skipped.
    static func parse(_ text: String) -> [Municipality] {
        var result: [Municipality] = []
        var seen = Set<String>()
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let fields = splitCSV(String(rawLine))
            guard fields.count >= 1 else { continue }
            let code = fields[0].trimmingCharacters(in: .whitespaces)
            guard code.count == 4, code.allSatisfy({ $0.isASCII && $0.isNumber }), !seen.contains(code) else { continue }
            seen.insert(code)
            let name = fields.count > 1 ? fields[1].trimmingCharacters(in: .whitespaces) : code
            result.append(Municipality(code: code, name: name.isEmpty ? code : name))
        }
        return result
    }

    /// Splits one CSV line on commas, honouring double quotes.
    static func splitCSV(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var pending: Character? = nil
        while let ch = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if ch == "\"" {
                    if let following = iterator.next() {
                        if following == "\"" { current.append("\"") } else { quoted = false; pending = following }
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(ch)
                }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        fields.append(current)
        return fields
    }
}

/// Vocabulary ids (and nb labels) read from `vocabularies.yaml`, keyed by a normalised vocabulary name.
struct VocabularyFile {
    private(set) var ids: [String: [String]] = [:]
    private(set) var labels: [String: String] = [:]

    /// Lowercase letters and digits only, without a plural `s` ("provider_types" → "providertype").
    static func normalise(_ name: String) -> String {
        var key = String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        if key.hasSuffix("s"), key.count > 3 { key.removeLast() }
        return key
    }

    /// The ids listed under the first of `names` found in the file, or nil.
    func ids(named names: [String]) -> [String]? {
        for name in names {
            if let list = ids[VocabularyFile.normalise(name)], !list.isEmpty { return list }
        }
        return nil
    }

    static func parse(_ text: String) -> VocabularyFile {
        var file = VocabularyFile()
        var stack: [(indent: Int, key: String)] = []
        var lastID: (vocabulary: String, id: String)? = nil
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = String(rawLine)
            let content = line.drop(while: { $0 == " " })
            if content.isEmpty || content.hasPrefix("#") || content.hasPrefix("---") { continue }
            let indent = line.count - content.count
            if content.hasPrefix("-") {
                // A list item: it belongs to the nearest key indented no deeper than the dash.
                while let top = stack.last, top.indent > indent { stack.removeLast() }
                let item = content.dropFirst().drop(while: { $0 == " " })
                guard let owner = stack.last(where: { !$0.key.hasPrefix("\u{1}") })?.key else { continue }
                for id in values(of: "id", in: String(item)) {
                    file.add(id: id, to: owner)
                    lastID = (owner, id)
                }
                if let label = value(of: "nb", in: String(item)), let last = lastID {
                    file.setLabel(label, for: last.id, in: last.vocabulary)
                }
                // "- id: x" opens a mapping whose further keys sit at indent + 2.
                if let colon = item.firstIndex(of: ":"), !item.hasPrefix("{") {
                    let key = item[item.startIndex..<colon].trimmingCharacters(in: .whitespaces)
                    let itemIndent = indent + (content.count - item.count)
                    stack.append((itemIndent, "\u{1}item:" + key))
                }
                continue
            }
            guard let colon = content.firstIndex(of: ":") else { continue }
            let key = content[content.startIndex..<colon].trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
            let rest = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            while let top = stack.last, top.indent >= indent { stack.removeLast() }
            let owner = stack.last(where: { !$0.key.hasPrefix("\u{1}") })?.key
            if key == "id", let owner {
                let id = unquote(rest)
                file.add(id: id, to: owner)
                lastID = (owner, id)
            } else if rest.hasPrefix("[") {
                // A whole vocabulary in flow style: `topics: [{id: sovn, label: {nb: Søvn}}, …]`.
                for id in values(of: "id", in: rest) { file.add(id: id, to: key) }
            } else if key == "nb", let last = lastID, !rest.isEmpty {
                file.setLabel(unquote(rest), for: last.id, in: last.vocabulary)
            } else if let label = value(of: "nb", in: rest), let last = lastID {
                file.setLabel(label, for: last.id, in: last.vocabulary)
            }
            if rest.isEmpty || rest.hasPrefix("#") {
                stack.append((indent, key))
            } else if key == "id" || key == "label" || key == "synonyms" {
                stack.append((indent, "\u{1}" + key))
            } else {
                stack.append((indent, key))
            }
        }
        return file
    }

    private mutating func add(id: String, to vocabulary: String) {
        guard !id.isEmpty else { return }
        let key = VocabularyFile.normalise(vocabulary)
        var list = ids[key] ?? []
        if !list.contains(id) { list.append(id) }
        ids[key] = list
    }

    private mutating func setLabel(_ label: String, for id: String, in vocabulary: String) {
        let key = VocabularyFile.normalise(vocabulary) + "/" + id
        if labels[key] == nil, !label.isEmpty { labels[key] = label }
    }

    func label(for id: String, in names: [String]) -> String? {
        for name in names {
            if let label = labels[VocabularyFile.normalise(name) + "/" + id] { return label }
        }
        return nil
    }

    /// The first value of `key` in a flow mapping or a `key: value` fragment ("id: sovn, label: {nb: Søvn}").
    private static func value(of key: String, in text: String) -> String? {
        values(of: key, in: text).first
    }

    /// Every scalar value of `key` in a flow fragment, in order.
    private static func values(of key: String, in text: String) -> [String] {
        var found: [String] = []
        var searchStart = text.startIndex
        while let range = text.range(of: key + ":", range: searchStart..<text.endIndex) {
            searchStart = range.upperBound
            let before = range.lowerBound == text.startIndex ? " " : text[text.index(before: range.lowerBound)]
            guard before == " " || before == "{" || before == "," else { continue }
            var rest = text[range.upperBound...].drop(while: { $0 == " " })
            if let quote = rest.first, quote == "\"" || quote == "'" {
                rest.removeFirst()
                found.append(String(rest.prefix(while: { $0 != quote })))
                continue
            }
            let raw = rest.prefix(while: { $0 != "," && $0 != "}" && $0 != "]" && $0 != "#" })
            let value = raw.trimmingCharacters(in: .whitespaces)
            if !value.isEmpty, !value.hasPrefix("{") { found.append(value) }
        }
        return found
    }

    private static func unquote(_ text: String) -> String {
        var value = text
        if let hash = value.range(of: " #") { value = String(value[value.startIndex..<hash.lowerBound]) }
        value = value.trimmingCharacters(in: .whitespaces)
        if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
            value = String(value.dropFirst().dropLast())
        }
        return value
    }
}
