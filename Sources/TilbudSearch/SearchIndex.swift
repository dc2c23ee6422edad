import Foundation
import TilbudModel
import TilbudRender

/// One facet of the search page: a URL parameter, a vocabulary and the values offers have.
public struct SearchFacet: Sendable, Equatable {
    /// The URL parameter (`kommune`, `tema`).
    public let key: String
    /// The heading shown above its values.
    public let label: String
    /// Value ids (kommunenummer, vocabulary ids) and labels, in display order.
    public let values: [(id: String, label: String)]

    /// Creates a facet.
    public init(key: String, label: String, values: [(id: String, label: String)]) {
        self.key = key
        self.label = label
        self.values = values
    }

    public static func == (a: SearchFacet, b: SearchFacet) -> Bool {
        a.key == b.key && a.label == b.label && a.values.map(\.id) == b.values.map(\.id) && a.values.map(\.label) == b.values.map(\.label)
    }
}

/// What a result shows: one offer in one language.
public struct SearchDocument: Sendable, Equatable {
    /// The offer id (`provider/slug`); not written to the index.
    public let id: String
    /// The page path below the language root (`tilbud/provider/slug/`).
    public let path: String
    /// Title in the page language (or the language it falls back to).
    public let title: String
    /// Summary.
    public let summary: String
    /// Provider name.
    public let provider: String
    /// Municipality names, or "whole country".
    public let area: String
    /// Next start, formatted; or the "ongoing" text; or empty.
    public let when: String
    /// Next start as ISO 8601, or empty.
    public let whenISO: String
    /// The text's language when it differs from the page's, else empty.
    public let textLang: String
}

/// A word's entry in the index: the offers that contain it, and the facet values it names.
public struct SearchTerm: Sendable, Equatable {
    /// Document numbers (ascending) and weights 1…15.
    public var postings: [(doc: Int, weight: Int)] = []
    /// Facet values the word names (a label, a synonym, a municipality name): facet number, value number, weight.
    public var refs: [(facet: Int, value: Int, weight: Int)] = []

    public init() {}

    public static func == (a: SearchTerm, b: SearchTerm) -> Bool {
        a.postings.map(\.doc) == b.postings.map(\.doc) && a.postings.map(\.weight) == b.postings.map(\.weight)
            && a.refs.map(\.facet) == b.refs.map(\.facet) && a.refs.map(\.value) == b.refs.map(\.value) && a.refs.map(\.weight) == b.refs.map(\.weight)
    }
}

/// The search index of one language, before it is split into files.
public struct SearchIndex: Sendable {
    /// Language code.
    public let language: String
    /// Root-relative URL of the language's front page (`/`, `/nn/`); result paths are relative to it.
    public let base: String
    /// Listed offers in list order (next start first); a document's number is its position here.
    public let documents: [SearchDocument]
    /// Facets in display order; see `SearchIndex.facetKeys`.
    public let facets: [SearchFacet]
    /// Per facet, per document: the value numbers the document has (ascending).
    public let facetValues: [[[Int]]]
    /// Per document: open to everyone in Norway (counts under every municipality).
    public let national: [Bool]
    /// Index terms (folded, stemmed words).
    public let terms: [String: SearchTerm]

    /// Facet URL parameters in display order, and the vocabulary each draws from (`municipalities` is the kommune list).
    public static let facetKeys: [(key: String, vocabulary: String)] = [
        ("kommune", "municipalities"), ("tema", "topics"), ("malgruppe", "audiences"), ("type", "kind"),
        ("format", "format"), ("gjennomforing", "delivery"), ("pris", "price"), ("henvisning", "referral"),
    ]
    /// The municipality facet's number.
    public static let municipalityFacet = 0

    /// Field weights, in the order the issue ranks them.
    public enum Weight {
        public static let title = 8
        public static let tags = 6
        public static let label = 5
        public static let synonym = 4
        public static let summary = 3
        public static let names = 2
        public static let body = 1
        public static let bodyRepeated = 2
        public static let max = 15
    }
}

extension SearchIndex {
    /// Builds the index of `language` from the renderer's listed offers and rendered text.
    public static func build(renderer: SiteRenderer, language lang: String) -> SearchIndex {
        build(renderer: renderer, languages: [lang])[0]
    }

    /// Builds the indexes of `languages`, tokenizing each distinct text once, in parallel.
    public static func build(renderer: SiteRenderer, languages: [String]) -> [SearchIndex] {
        let weights = TextWeights(renderer: renderer)
        var out = [SearchIndex?](repeating: nil, count: languages.count)
        out.withUnsafeMutableBufferPointer { buffer in
            let b = buffer
            DispatchQueue.concurrentPerform(iterations: languages.count) { n in
                b[n] = build(renderer: renderer, language: languages[n], weights: weights)
            }
        }
        return out.map { $0! }
    }

    static func build(renderer: SiteRenderer, language lang: String, weights: TextWeights) -> SearchIndex {
        let catalog = renderer.catalog
        let gov = catalog.governance
        let strings = renderer.templates.strings[lang] ?? renderer.templates.strings["nb"] ?? [:]
        func text(_ key: String) -> String { strings[key] as? String ?? key }
        let listed = renderer.indexes().all
        var providerNames: [String: String] = [:]
        for p in catalog.providers { providerNames[p.id] = p.name }

        // Municipalities any listed offer serves, sorted by name.
        var usedCodes = Set<String>()
        for i in listed { usedCodes.formUnion(renderer.published[i].municipalities) }
        let municipalities: [(String, String)] = usedCodes.sorted().map { code -> (String, String) in (code, gov.municipality(code)?.name ?? code) }
            .sorted { a, b in
                let ka = collationKey(a.1), kb = collationKey(b.1)
                return ka != kb ? ka.lexicographicallyPrecedes(kb) : a.0 < b.0
            }
        var municipalityNumber: [String: Int] = [:]
        for (n, m) in municipalities.enumerated() { municipalityNumber[m.0] = n }

        // Facets.
        var facets: [SearchFacet] = []
        var vocabularies: [Vocabulary?] = []
        for (key, name) in facetKeys {
            let label = text("search_facet_" + key)
            if name == "municipalities" {
                facets.append(SearchFacet(key: key, label: label, values: municipalities.map { (id: $0.0, label: $0.1) }))
                vocabularies.append(nil)
            } else {
                let v = gov.vocabularies[name] ?? Vocabulary(name: name, entries: [])
                facets.append(SearchFacet(key: key, label: label, values: v.entries.map { (id: $0.id, label: $0.label(lang)) }))
                vocabularies.append(v)
            }
        }
        var valueNumber: [[String: Int]] = facets.map { f in
            var d: [String: Int] = [:]
            for (n, v) in f.values.enumerated() where d[v.id] == nil { d[v.id] = n }
            return d
        }
        valueNumber[municipalityFacet] = municipalityNumber

        // Documents and their facet values.
        var documents: [SearchDocument] = []
        var facetValues = [[[Int]]](repeating: [], count: facets.count)
        var national: [Bool] = []
        documents.reserveCapacity(listed.count)
        for i in listed {
            let o = renderer.published[i]
            let t = renderer.texts[i][lang] ?? renderer.texts[i]["nb"]
            var when = "", whenISO = ""
            if let next = o.nextStart {
                when = formatDateTime(next, strings)
                whenISO = next.iso
            } else if o.ongoing {
                when = text("ongoing_short")
            }
            let area = o.national ? text("national") : o.municipalities.map { gov.municipality($0)?.name ?? $0 }.joined(separator: ", ")
            let textLang = (t?.language ?? "nb") == lang ? "" : (t?.language ?? "nb")
            documents.append(SearchDocument(id: o.id, path: SiteRenderer.offerPath(o), title: t?.title ?? o.title, summary: t?.summary ?? o.summary,
                                            provider: providerNames[o.providerID] ?? o.providerID, area: area, when: when, whenISO: whenISO,
                                            textLang: textLang))
            for (f, (_, name)) in facetKeys.enumerated() {
                let ids: [String]
                switch name {
                case "municipalities": ids = o.municipalities
                case "topics": ids = o.topics
                case "audiences": ids = o.audiences
                case "kind": ids = [o.kind]
                case "format": ids = [o.format]
                case "delivery": ids = [o.delivery]
                case "price": ids = [o.price.kind]
                case "referral": ids = [o.referral]
                default: ids = []
                }
                facetValues[f].append(Array(Set(ids.compactMap { valueNumber[f][$0] })).sorted())
            }
            national.append(o.national)
        }

        // Postings, in document order.
        var postings: [String: [UInt32]] = [:]
        for (d, i) in listed.enumerated() {
            let textLanguage = renderer.texts[i][lang]?.language ?? "nb"
            weights.forEach(offer: i, language: textLanguage) { term, w in
                postings[term, default: []].append(UInt32(d) << 4 | UInt32(w))
            }
        }
        var terms: [String: SearchTerm] = [:]
        terms.reserveCapacity(postings.count)
        for (term, list) in postings {
            var entry = SearchTerm()
            entry.postings = list.map { (doc: Int($0 >> 4), weight: Int($0 & 15)) }
            terms[term] = entry
        }

        // References: labels, synonyms and municipality names name facet values.
        var refWeights: [String: [Int: Int]] = [:]  // term → (facet << 20 | value) → weight
        func ref(_ text: String, _ f: Int, _ v: Int, _ w: Int) {
            for term in Set(SearchText.terms(text)) {
                let k = f << 20 | v
                refWeights[term, default: [:]][k] = max(refWeights[term]?[k] ?? 0, w)
            }
        }
        for (f, (_, name)) in facetKeys.enumerated() {
            if name == "municipalities" {
                for (v, m) in municipalities.enumerated() { ref(m.1, f, v, Weight.names) }
                continue
            }
            guard let vocabulary = vocabularies[f] else { continue }
            let primary = name == "topics" || name == "audiences"
            for (v, e) in vocabulary.entries.enumerated() where valueNumber[f][e.id] == v {
                for l in e.labels.keys.sorted() { ref(e.labels[l] ?? "", f, v, primary ? Weight.label : Weight.synonym) }
                for s in e.synonyms { ref(s, f, v, Weight.synonym) }
            }
        }
        for (term, refs) in refWeights {
            terms[term, default: SearchTerm()].refs = refs.keys.sorted().map { (facet: $0 >> 20, value: $0 & 0xFFFFF, weight: refs[$0]!) }
        }
        return SearchIndex(language: lang, base: renderer.url("", lang), documents: documents, facets: facets, facetValues: facetValues,
                           national: national, terms: terms)
    }

    /// Norwegian collation for municipality names: case-insensitive, æ ø å after z.
    static func collationKey(_ s: String) -> [UInt32] {
        s.lowercased().unicodeScalars.map { u in
            switch u {
            case "æ", "ä": return 0x7B
            case "ø", "ö": return 0x7C
            case "å": return 0x7D
            case "á", "à", "â": return 0x61
            case "é", "è", "ê": return 0x65
            case "ü": return 0x75
            default: return u.value
            }
        }
    }

    static func formatDate(_ day: Day, _ strings: [String: Any]) -> String {
        let months = strings["months"] as? [String] ?? []
        let month = day.month - 1 < months.count ? months[day.month - 1] : String(day.month)
        return (strings["date_format"] as? String ?? "{d}.{month}.{y}")
            .replacingOccurrences(of: "{d}", with: String(day.day))
            .replacingOccurrences(of: "{month}", with: month)
            .replacingOccurrences(of: "{y}", with: String(day.year))
    }

    static func formatDateTime(_ value: DateTime, _ strings: [String: Any]) -> String {
        let date = formatDate(value.day, strings)
        guard let time = value.time else { return date }
        return (strings["date_time_format"] as? String ?? "{date} {time}")
            .replacingOccurrences(of: "{date}", with: date)
            .replacingOccurrences(of: "{time}", with: time)
    }
}

/// Each listed offer's index terms and weights, per language its text is in: the sum of the weights of the
/// fields a term is in (body: 1, or 2 when repeated), at most 15. Computed once for all languages, in parallel
/// over chunks of offers; a chunk's terms are numbered by its own tokenizer.
final class TextWeights: @unchecked Sendable {
    private static let chunk = 250
    /// Per published offer, per text language: term number << 4 | weight.
    private var byOffer: [[String: [UInt32]]]
    /// Per chunk of listed offers: its tokenizer's terms by number.
    private var names: [[String]]
    /// Per published offer: its chunk.
    private var chunkOf: [Int]

    init(renderer: SiteRenderer) {
        let catalog = renderer.catalog
        var providerNames: [String: String] = [:]
        for p in catalog.providers { providerNames[p.id] = p.name }
        let listed = renderer.indexes().all
        let chunk = Self.chunk
        let chunks = (listed.count + chunk - 1) / chunk
        var byOffer = [[String: [UInt32]]](repeating: [:], count: renderer.published.count)
        var names = [[String]](repeating: [], count: chunks)
        var chunkOf = [Int](repeating: 0, count: renderer.published.count)
        for (n, i) in listed.enumerated() { chunkOf[i] = n / chunk }
        byOffer.withUnsafeMutableBufferPointer { buffer in
            names.withUnsafeMutableBufferPointer { namesBuffer in
                let out = buffer, outNames = namesBuffer
                DispatchQueue.concurrentPerform(iterations: chunks) { c in
                    let tokenizer = TermTokenizer()
                    var weight: [Int] = [], mark: [Int] = [], bodyCount: [Int] = [], touched: [Int] = []
                    var stamp = 0
                    func ids(_ text: String) -> [Int] {
                        let ids = tokenizer.ids(text)
                        while weight.count < tokenizer.names.count { weight.append(0); mark.append(-1); bodyCount.append(0) }
                        return ids
                    }
                    func add(_ ids: [Int], _ w: Int) {
                        stamp += 1
                        for id in ids where mark[id] != stamp {
                            mark[id] = stamp
                            if weight[id] == 0 { touched.append(id) }
                            weight[id] += w
                        }
                    }
                    for i in listed[(c * chunk)..<min(listed.count, (c + 1) * chunk)] {
                        let o = renderer.published[i]
                        var texts: [String: RenderedText] = [:]
                        for t in renderer.texts[i].values { texts[t.language] = t }
                        let tags = o.tags.flatMap { ids($0) }
                        var names = ids(providerNames[o.providerID] ?? "")
                        for l in o.locations { names += ids(l.name) + ids(l.city) }
                        var result: [String: [UInt32]] = [:]
                        for (language, t) in texts {
                            add(ids(t.title), SearchIndex.Weight.title)
                            add(tags, SearchIndex.Weight.tags)
                            add(ids(t.summary), SearchIndex.Weight.summary)
                            add(names, SearchIndex.Weight.names)
                            let body = ids(t.bodyText)
                            for id in body {
                                bodyCount[id] += 1
                                if weight[id] == 0 && bodyCount[id] == 1 { touched.append(id) }
                            }
                            for id in body where bodyCount[id] > 0 {
                                weight[id] += bodyCount[id] > 1 ? SearchIndex.Weight.bodyRepeated : SearchIndex.Weight.body
                                bodyCount[id] = 0
                            }
                            result[language] = touched.map { UInt32($0) << 4 | UInt32(min(weight[$0], SearchIndex.Weight.max)) }
                            for id in touched { weight[id] = 0 }
                            touched.removeAll(keepingCapacity: true)
                        }
                        out[i] = result
                    }
                    outNames[c] = tokenizer.names
                }
            }
        }
        self.byOffer = byOffer
        self.names = names
        self.chunkOf = chunkOf
    }

    /// Calls `body` with each term and weight of published offer `i`'s text in `language`.
    func forEach(offer i: Int, language: String, _ body: (String, Int) -> Void) {
        guard let list = byOffer[i][language] else { return }
        let names = self.names[chunkOf[i]]
        for x in list { body(names[Int(x >> 4)], Int(x & 15)) }
    }
}
