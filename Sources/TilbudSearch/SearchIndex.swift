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

/// Where and when, for the location and start-date filters (the same in every language): the municipality facet's
/// other names and positions, the postcode register, the build day and each document's next start.
public struct SearchPlaces: Sendable, Equatable {
    /// Per municipality facet value: names it also goes by (the parts of a bilingual name), beside its label.
    public var names: [[String]] = []
    /// Per municipality facet value: latitude and longitude in thousandths of a degree, nil when unknown.
    public var positions: [(lat: Int, lon: Int)?] = []
    /// Postcodes (as numbers, ascending) and their municipality facet value.
    public var postcodes: [(code: Int, value: Int)] = []
    /// The build day (`--today`), ISO 8601.
    public var today = ""
    /// Per document: the positions of its locations that have one (thousandths of a degree), for distances.
    public var locations: [[(lat: Int, lon: Int)]] = []
    /// Municipality facet values with a one-word name that is also a word of another facet's labels or synonyms
    /// ("Time", a synonym of an appointment): such a word in a query stays a word, not a place.
    public var words: [Int] = []

    public init() {}

    public static func == (a: SearchPlaces, b: SearchPlaces) -> Bool {
        a.names == b.names && a.positions.map { $0?.lat } == b.positions.map { $0?.lat } && a.positions.map { $0?.lon } == b.positions.map { $0?.lon }
            && a.postcodes.map(\.code) == b.postcodes.map(\.code) && a.postcodes.map(\.value) == b.postcodes.map(\.value) && a.today == b.today
            && a.words == b.words && a.locations.map { $0.map(\.lat) } == b.locations.map { $0.map(\.lat) }
            && a.locations.map { $0.map(\.lon) } == b.locations.map { $0.map(\.lon) }
    }

    /// A document's start in `f.bin`: 0 no coming start, 1 continuous intake, else 2 + days from the build day.
    public static func startCode(_ offer: Offer, today: Day) -> Int {
        if let next = offer.nextStart { return 2 + max(0, next.day.ordinal - today.ordinal) }
        return offer.ongoing ? 1 : 0
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
    /// Per document: open to everyone in Norway (counts under every municipality).
    public let national: [Bool]
    /// `facetValues`, `national` and each document's start (`SearchPlaces.startCode`) as `f.bin` holds them,
    /// before compression (shared by the languages).
    let facetFile: [UInt8]
    /// Other names and positions of the municipality facet's values, postcodes, the build day.
    public var places = SearchPlaces()

    /// Per facet, per document: the value numbers the document has (ascending); read from `facetFile`.
    public var facetValues: [[[Int]]] {
        var r = VarintReader(Data(facetFile))
        guard let n = try? r.get(), let f = try? r.get() else { return [] }
        return (0..<f).map { _ in
            (0..<n).map { _ in
                let k = (try? r.get()) ?? 0
                return (0..<k).map { _ in (try? r.get()) ?? 0 }
            }
        }
    }
    /// Every term of every language's index, in UTF-16 order, with its facet references (shared by the languages).
    let vocabulary: SearchVocabulary
    /// This language's postings, by term rank in `vocabulary` (shared by languages whose documents have the same texts).
    let postings: SearchPostings

    /// Index terms (folded, stemmed words), built from the compact form (for tests and tools).
    public var terms: [String: SearchTerm] {
        var out: [String: SearchTerm] = [:]
        for r in vocabulary.names.indices where vocabulary.has(r, postings) {
            var t = SearchTerm()
            t.postings = postings.range(r).map { (doc: Int(postings.entries[$0] >> 4), weight: Int(postings.entries[$0] & 15)) }
            t.refs = vocabulary.refs[r]
            out[vocabulary.names[r]] = t
        }
        return out
    }

    /// Facet URL parameters in display order, and the vocabulary each draws from (`municipalities` is the kommune list).
    public static let facetKeys: [(key: String, vocabulary: String)] = [
        ("kommune", "municipalities"), ("tema", "topics"), ("malgruppe", "audiences"), ("type", "kind"),
        ("format", "format"), ("gjennomforing", "delivery"), ("pris", "price"), ("henvisning", "referral"),
        ("sprak", "languages"),
    ]
    /// The vocabulary of words that mean the same in search, across languages (`SearchWordGroups`).
    public static let wordGroupsVocabulary = "search_words"
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

/// The terms of all languages' indexes in UTF-16 order (a term's rank is its position), with the facet values each
/// names (which do not depend on the language).
final class SearchVocabulary: Sendable {
    /// Terms by rank.
    let names: [String]
    /// Per rank: the facet values the term names (facet, value, weight), ascending.
    let refs: [[(facet: Int, value: Int, weight: Int)]]

    init(names: [String], refs: [[(facet: Int, value: Int, weight: Int)]]) {
        self.names = names
        self.refs = refs
    }

    /// True when the term of rank `r` is in the index with `postings`: some document has it or it names a facet value.
    @inline(__always)
    func has(_ r: Int, _ postings: SearchPostings) -> Bool {
        postings.offsets[r + 1] > postings.offsets[r] || !refs[r].isEmpty
    }
}

/// Postings of one language, by term rank: `entries[offsets[r] ..< offsets[r + 1]]` are `document << 4 | weight`
/// in document order.
final class SearchPostings: Sendable {
    let offsets: [Int32]
    let entries: [UInt32]

    init(offsets: [Int32], entries: [UInt32]) {
        self.offsets = offsets
        self.entries = entries
    }

    @inline(__always)
    func range(_ r: Int) -> Range<Int> { Int(offsets[r])..<Int(offsets[r + 1]) }
}

extension SearchIndex {
    /// Builds the index of `language` from the listed offers and their rendered text.
    public static func build(_ published: PublishedCatalog, language lang: String) -> SearchIndex {
        SearchCorpus(published).index(lang)
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
        let format = strings["date_format"] as? String ?? "{d}.{month}.{y}"
        return replacing("{y}", with: String(day.year), in: replacing("{month}", with: month, in: replacing("{d}", with: String(day.day), in: format)))
    }

    static func formatDateTime(_ value: DateTime, _ strings: [String: Any]) -> String {
        let date = formatDate(value.day, strings)
        guard let time = value.time else { return date }
        let format = strings["date_time_format"] as? String ?? "{date} {time}"
        return replacing("{time}", with: time, in: replacing("{date}", with: date, in: format))
    }

    /// `text` with every `token` replaced by `value`, left to right and without overlaps: what Foundation's
    /// `replacingOccurrences(of:with:)` does with the formats' ASCII placeholders, on the UTF-8 bytes.
    static func replacing(_ token: StaticString, with value: String, in text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            token.withUTF8Buffer { t -> String in
                var out: [UInt8] = []
                var i = 0, copied = 0
                while i + t.count <= bytes.count {
                    if bytes[i] == t[0], UnsafeBufferPointer(rebasing: bytes[i..<(i + t.count)]).elementsEqual(t) {
                        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<i]))
                        out.append(contentsOf: value.utf8)
                        i += t.count
                        copied = i
                    } else {
                        i += 1
                    }
                }
                if copied == 0 { return String(decoding: bytes, as: UTF8.self) }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
                return String(decoding: out, as: UTF8.self)
            }
        }
    }
}

/// What every language's index shares, worked out once: the listed offers, facet values, the terms of every distinct
/// text with their weights (most offers have only their bokmål text, which every language's index then uses), the
/// vocabulary in UTF-16 order and its facet references. `index(_:)` then adds one language's result metadata and postings.
final class SearchCorpus: @unchecked Sendable {
    let published: PublishedCatalog
    /// Published offer numbers of the listed offers, in list order; a document's number is its position here.
    let listed: [Int]
    /// Every municipality (code, name), sorted by name: the location filter offers them all, since national offers
    /// serve every one and the nearest local offers are shown after them.
    let municipalities: [(code: String, name: String)]
    /// Where and when (see `SearchPlaces`).
    let places: SearchPlaces
    let vocabularies: [Vocabulary?]
    let national: [Bool]
    /// `f.bin` before compression: the same in every language.
    let facetFile: [UInt8]
    let vocabulary: SearchVocabulary
    /// The site's languages; `choice` is indexed by their positions.
    let languages: [String]
    /// The distinct texts of every document (document d's are `textStart[d] ..< textStart[d + 1]`): language, title,
    /// summary, and terms `terms[termPart[t]][termStart[t] ..< termEnd[t]]` (rank << 4 | weight, in no particular
    /// order). The terms stay in the parts the workers read them into, renumbered in place: joining them into one
    /// array would hold them twice while it is made (50 MB at 100,000 offers).
    let textStart: [Int32], textLanguage: [String], textTitle: [String], textSummary: [String]
    let termPart: [Int32], termStart: [Int32], termEnd: [Int32], terms: [[UInt32]]
    /// Per document and site language (`d * languages.count + l`): the text shown.
    let choice: [Int32]
    /// Per document: offer id, page path, provider name, municipality names (empty for national offers), next start, ongoing.
    private let ids: [String], paths: [String], providers: [String], areas: [String]
    private let nextStarts: [DateTime?], ongoing: [Bool]
    /// The postings built last, with the text each document showed. Only the last are kept: at 100,000 offers
    /// a language's postings are tens of MB, and `languageOrder` puts languages that show the same texts together.
    private var lastPostings: (shown: [Int32], postings: SearchPostings)?
    private let lock = NSLock()

    init(_ site: PublishedCatalog) {
        self.published = site
        let catalog = site.catalog
        let gov = catalog.governance
        let languages = catalog.site.languages
        self.languages = languages
        var providerNames: [String: String] = [:]
        for p in catalog.providers { providerNames[p.id] = p.name }
        let published = site.offers

        // The texts of the listed offers, read in parallel.
        let groups = SearchWordGroups(gov.vocabularies[SearchIndex.wordGroupsVocabulary])
        var weighed = TextWeights(site, providerNames: providerNames, groups: groups)
        let listed = weighed.listed
        self.listed = listed

        // Municipalities any listed offer serves, sorted by name.
        var usedCodes = Set<String>()
        for i in listed { usedCodes.formUnion(published[i].municipalities) }
        // Each name's collation key is made once, not in every comparison.
        let municipalities: [(code: String, name: String)] = usedCodes.union(gov.municipalities.map(\.code)).sorted()
            .map { code in (code: code, name: gov.municipality(code)?.name ?? code) }
            .map { (m: $0, key: SearchIndex.collationKey($0.name)) }
            .sorted { a, b in a.key != b.key ? a.key.lexicographicallyPrecedes(b.key) : a.m.code < b.m.code }
            .map(\.m)
        self.municipalities = municipalities
        var municipalityNames: [String: String] = [:]
        for m in municipalities { municipalityNames[m.code] = m.name }
        var places = SearchPlaces()
        var placeValue: [String: Int] = [:]
        for (v, m) in municipalities.enumerated() {
            placeValue[m.code] = v
            let known = gov.municipality(m.code)
            places.names.append(known.map { Array($0.names.dropFirst()) } ?? [])
            places.positions.append(known?.position.map { (lat: Int(($0.lat * 1000).rounded()), lon: Int(($0.lon * 1000).rounded())) })
        }
        places.postcodes = gov.postcodes.compactMap { p in Int(p.code).flatMap { c in placeValue[p.municipality].map { (code: c, value: $0) } } }
            .sorted { $0.code < $1.code }
        places.today = catalog.today.iso

        // Facet value numbers (the same in every language).
        var vocabularies: [Vocabulary?] = []
        var valueNumber: [[String: Int]] = []
        for (_, name) in SearchIndex.facetKeys {
            var d: [String: Int] = [:]
            if name == "municipalities" {
                for (n, m) in municipalities.enumerated() { d[m.code] = n }
                vocabularies.append(nil)
            } else {
                let v = gov.vocabularies[name] ?? Vocabulary(name: name, entries: [])
                for (n, e) in v.entries.enumerated() where d[e.id] == nil { d[e.id] = n }
                vocabularies.append(v)
            }
            valueNumber.append(d)
        }
        self.vocabularies = vocabularies

        // What documents show, and `f.bin`: per facet, per document, its values; then the national flags.
        var columns = [VarintWriter](repeating: VarintWriter(), count: SearchIndex.facetKeys.count)
        for f in columns.indices { columns[f].bytes.reserveCapacity(listed.count * 2) }
        var national: [Bool] = [], ids: [String] = [], paths: [String] = [], providers: [String] = []
        var areas: [String] = [], nextStarts: [DateTime?] = [], ongoing: [Bool] = []
        national.reserveCapacity(listed.count)
        ongoing.reserveCapacity(listed.count)
        var values: [Int] = []
        for i in listed {
            for (f, (_, name)) in SearchIndex.facetKeys.enumerated() {
                values.removeAll(keepingCapacity: true)
                func add(_ id: String) { if let v = valueNumber[f][id] { values.append(v) } }
                switch name {
                case "municipalities": for id in published[i].municipalities { add(id) }
                case "topics": for id in published[i].topics { add(id) }
                case "audiences": for id in published[i].audiences { add(id) }
                case "kind": add(published[i].kind)
                case "format": add(published[i].format)
                case "delivery": add(published[i].delivery)
                case "price": add(published[i].price.kind)
                case "referral": add(published[i].referral)
                case "languages": for id in published[i].languages { add(id) }
                default: break
                }
                if values.count > 1 { values = Array(Set(values)).sorted() }
                columns[f].put(values.count)
                for v in values { columns[f].put(v) }
            }
            let providerID = published[i].providerID, isNational = published[i].national
            national.append(isNational)
            ids.append(providerID + "/" + published[i].slug)
            paths.append(site.offerPath(i))
            providers.append(providerNames[providerID] ?? providerID)
            areas.append(isNational ? "" : published[i].municipalities.map { municipalityNames[$0] ?? gov.municipality($0)?.name ?? $0 }.joined(separator: ", "))
            nextStarts.append(published[i].nextStart)
            ongoing.append(published[i].ongoing)
        }
        self.national = national
        self.ids = ids
        self.paths = paths
        self.providers = providers
        self.areas = areas
        self.nextStarts = nextStarts
        self.ongoing = ongoing
        var w = VarintWriter()
        w.bytes.reserveCapacity(columns.reduce(listed.count + 16) { $0 + $1.bytes.count })
        w.put(listed.count)
        w.put(columns.count)
        for c in columns { w.bytes += c.bytes }
        for n in national { w.put(n ? 1 : 0) }
        for i in listed { w.put(SearchPlaces.startCode(published[i], today: catalog.today)) }
        places.locations = listed.map { i in
            published[i].locations.compactMap { $0.geo.map { (lat: Int(($0.lat * 1000).rounded()), lon: Int(($0.lon * 1000).rounded())) } }
        }
        self.facetFile = w.bytes

        // References: labels, synonyms and municipality names name facet values.
        var refWeights: [String: [Int: Int]] = [:]  // term → (facet << 20 | value) → weight
        let tokenizer = TermTokenizer()
        func ref(_ text: String, _ f: Int, _ v: Int, _ w: Int) {
            for term in Set(tokenizer.terms(text)) {
                let k = f << 20 | v
                refWeights[term, default: [:]][k] = max(refWeights[term]?[k] ?? 0, w)
            }
        }
        for (f, (_, name)) in SearchIndex.facetKeys.enumerated() {
            if name == "municipalities" {
                // Only the names of municipalities some offer is in name facet values, as before every municipality was listed.
                for (v, m) in municipalities.enumerated() where usedCodes.contains(m.code) { ref(m.name, f, v, SearchIndex.Weight.names) }
                continue
            }
            guard let vocabulary = vocabularies[f] else { continue }
            let primary = name == "topics" || name == "audiences"
            for (v, e) in vocabulary.entries.enumerated() where valueNumber[f][e.id] == v {
                for l in e.labels.keys.sorted() { ref(e.labels[l] ?? "", f, v, primary ? SearchIndex.Weight.label : SearchIndex.Weight.synonym) }
                for s in e.synonyms { ref(s, f, v, SearchIndex.Weight.synonym) }
            }
        }

        // Municipalities whose one-word name is also a vocabulary word (a label or synonym of another facet).
        for (v, m) in municipalities.enumerated() {
            let names = [m.name] + (v < places.names.count ? places.names[v] : [])
            if names.contains(where: { name in
                let terms = tokenizer.terms(name)
                return terms.count == 1 && (refWeights[terms[0]]?.keys.contains { $0 >> 20 != SearchIndex.municipalityFacet } ?? false)
            }) { places.words.append(v) }
        }
        self.places = places

        // One vocabulary in UTF-16 order: the workers' terms and the references' terms.
        var rankOf: [String: Int32] = [:]
        for worker in weighed.workers { for n in worker.tokenizer.names { rankOf[n] = 0 } }
        for term in refWeights.keys { rankOf[term] = 0 }
        let names = rankOf.keys.sorted(by: String.utf16Less)
        for (r, n) in names.enumerated() { rankOf[n] = Int32(r) }
        var refs = [[(facet: Int, value: Int, weight: Int)]](repeating: [], count: names.count)
        for (term, keyed) in refWeights {
            refs[Int(rankOf[term]!)] = keyed.keys.sorted().map { (facet: $0 >> 20, value: $0 & 0xFFFFF, weight: keyed[$0]!) }
        }
        self.vocabulary = SearchVocabulary(names: names, refs: refs)

        // Each worker's terms renumbered by rank, where they are; the documents' texts in document order.
        for w in weighed.workers.indices {
            let rank = weighed.workers[w].tokenizer.names.map { UInt32(rankOf[$0]!) }
            weighed.workers[w].terms.withUnsafeMutableBufferPointer { local in
                for k in local.indices { local[k] = rank[Int(local[k] >> 4)] << 4 | local[k] & 15 }
            }
        }
        var textStart: [Int32] = [0], textLanguage: [String] = [], textTitle: [String] = [], textSummary: [String] = []
        var termPart: [Int32] = [], termStart: [Int32] = [], termEnd: [Int32] = []
        var choice = [Int32](repeating: 0, count: listed.count * languages.count)
        for (d, i) in listed.enumerated() {
            let (wk, first, count) = weighed.location[i]
            let base = Int32(textLanguage.count)
            for l in languages.indices { choice[d * languages.count + l] = base + Int32(weighed.choice[i * languages.count + l]) }
            for t in Int(first)..<Int(first + count) {
                let text = weighed.workers[Int(wk)].texts[t]
                textLanguage.append(text.language)
                textTitle.append(text.title)
                textSummary.append(text.summary)
                termPart.append(wk)
                termStart.append(Int32(text.start))
                termEnd.append(Int32(text.end))
            }
            textStart.append(Int32(textLanguage.count))
        }
        self.textStart = textStart
        self.textLanguage = textLanguage
        self.textTitle = textTitle
        self.textSummary = textSummary
        self.termPart = termPart
        self.termStart = termStart
        self.termEnd = termEnd
        self.terms = weighed.workers.map(\.terms)
        self.choice = choice
    }

    /// The index of `lang`.
    func index(_ lang: String) -> SearchIndex {
        let strings = published.strings[lang] ?? published.strings["nb"] ?? [:]
        func text(_ key: String) -> String { strings[key] as? String ?? key }

        var facets: [SearchFacet] = []
        for (f, (key, name)) in SearchIndex.facetKeys.enumerated() {
            let label = text("search_facet_" + key)
            if name == "municipalities" {
                facets.append(SearchFacet(key: key, label: label, values: municipalities.map { (id: $0.code, label: $0.name) }))
            } else {
                let entries = vocabularies[f]?.entries ?? []
                facets.append(SearchFacet(key: key, label: label, values: entries.map { (id: $0.id, label: $0.label(lang)) }))
            }
        }

        // Result metadata. An offer has a page in `lang` only when it is translated into it; otherwise its result
        // links to its page in the language the site's lists link to (the default one), root-relative, and says which
        // language its text is in.
        var documents: [SearchDocument] = []
        documents.reserveCapacity(listed.count)
        let shown = shown(lang)
        var whenText: [DateTime: (String, String)] = [:]
        let ongoingText = text("ongoing_short"), nationwide = text("national")
        for (d, i) in listed.enumerated() {
            let t = Int(shown[d])
            var when = "", whenISO = ""
            if let next = nextStarts[d] {
                if let known = whenText[next] {
                    (when, whenISO) = known
                } else {
                    (when, whenISO) = (SearchIndex.formatDateTime(next, strings), next.iso)
                    whenText[next] = (when, whenISO)
                }
            } else if ongoing[d] {
                when = ongoingText
            }
            let pageLanguage = published.pageLanguage(i, lang)
            let path = pageLanguage == lang ? paths[d] : published.paths.url(paths[d], pageLanguage)
            documents.append(SearchDocument(id: ids[d], path: path, title: textTitle[t], summary: textSummary[t], provider: providers[d],
                                            area: national[d] ? nationwide : areas[d], when: when, whenISO: whenISO,
                                            textLang: textLanguage[t] == lang ? "" : textLanguage[t]))
        }
        return SearchIndex(language: lang, base: published.paths.url(SitePaths.home, lang), documents: documents, facets: facets, national: national,
                           facetFile: facetFile, places: places, vocabulary: vocabulary, postings: postings(shown))
    }

    /// Per document: the text it shows in the index of `lang` (a language not on the site shows bokmål's).
    func shown(_ lang: String) -> [Int32] {
        let l = languages.firstIndex(of: lang)
        return (0..<listed.count).map { d in
            if let l { return choice[d * languages.count + l] }
            return Int32((Int(textStart[d])..<Int(textStart[d + 1])).first { textLanguage[$0] == "nb" } ?? Int(textStart[d]))
        }
    }

    /// `langs` in an order that puts languages whose documents show the same texts next to each other (each group where
    /// its first language was), so their postings and term shards are made once while only the last are kept.
    func languageOrder(_ langs: [String]) -> [String] {
        var groups: [(shown: [Int32], langs: [String])] = []
        for lang in langs {
            let s = shown(lang)
            if let g = groups.firstIndex(where: { $0.shown == s }) { groups[g].langs.append(lang) } else { groups.append((s, [lang])) }
        }
        return groups.flatMap(\.langs)
    }

    /// The postings when document d shows text `shown[d]`: those of the previous call again when it showed the same.
    func postings(_ shown: [Int32]) -> SearchPostings {
        let reused: SearchPostings? = lock.withLock {
            if let last = lastPostings, last.shown == shown { return last.postings }
            lastPostings = nil
            return nil
        }
        if let reused { return reused }
        let count = vocabulary.names.count
        var offsets = [Int32](repeating: 0, count: count + 1)
        for t in shown {
            terms[Int(termPart[Int(t)])].withUnsafeBufferPointer { terms in
                for k in Int(termStart[Int(t)])..<Int(termEnd[Int(t)]) { offsets[Int(terms[k] >> 4) + 1] += 1 }
            }
        }
        for r in 0..<count { offsets[r + 1] += offsets[r] }
        var next = offsets
        let total = Int(offsets[count])
        let entries = [UInt32](unsafeUninitializedCapacity: total) { buffer, initialized in
            next.withUnsafeMutableBufferPointer { next in
                for (d, t) in shown.enumerated() {
                    terms[Int(termPart[Int(t)])].withUnsafeBufferPointer { terms in
                        for k in Int(termStart[Int(t)])..<Int(termEnd[Int(t)]) {
                            let x = terms[k], r = Int(x >> 4)
                            buffer[Int(next[r])] = UInt32(d) << 4 | x & 15
                            next[r] += 1
                        }
                    }
                }
            }
            initialized = total
        }
        let p = SearchPostings(offsets: offsets, entries: entries)
        lock.withLock { lastPostings = (shown, p) }
        return p
    }
}

/// Each listed offer's index terms and weights, per language its text is in: the sum of the weights of the fields
/// a term is in (body: 1, or 2 when repeated), at most 15. Read by the workers in parallel, each with its own
/// tokenizer that numbers the terms it meets, while one of them puts the listed offers in list order.
struct TextWeights {
    /// The listed offers in list order (`PublishedCatalog.listed`).
    var listed: [Int]
    /// The workers, with their terms and texts.
    var workers: [WeightWorker]
    /// Per published offer: the worker that read it, and where its texts are in that worker's `texts`.
    var location: [(worker: Int32, first: Int32, count: Int32)]
    /// Per published offer and site language (`i * languages.count + l`): which of its texts is shown.
    var choice: [UInt8]

    init(_ site: PublishedCatalog, providerNames: [String: String], groups: SearchWordGroups) {
        let published = site.offers
        let languages = site.languages
        // Listed offers are the published ones whose state is listed (the list pages show those, in `site.listed` order).
        let offers = published.indices.filter { published[$0].state.isListed }
        let chunk = 64
        let chunks = (offers.count + chunk - 1) / chunk
        var workers = (0..<Parallel.workers).map { _ in WeightWorker(groups: groups) }
        var location = [(worker: Int32, first: Int32, count: Int32)](repeating: (0, 0, 0), count: published.count)
        var choice = [UInt8](repeating: 0, count: published.count * languages.count)
        var done = [Bool](repeating: false, count: published.count)
        let listed = site.listed
        workers.withUnsafeMutableBufferPointer { workers in
            location.withUnsafeMutableBufferPointer { locationOut in
                choice.withUnsafeMutableBufferPointer { choiceOut in
                    done.withUnsafeMutableBufferPointer { doneOut in
                        let workers = workers, locationOut = locationOut, choiceOut = choiceOut, doneOut = doneOut
                        Parallel.run(chunks) { w, c in
                            for i in offers[(c * chunk)..<min(offers.count, (c + 1) * chunk)] {
                                let first = workers[w].texts.count
                                workers[w].weigh(site, offer: i, provider: providerNames[published[i].providerID] ?? "",
                                                 languages: languages, choice: UnsafeMutableBufferPointer(rebasing: choiceOut[(i * languages.count)...]))
                                locationOut[i] = (Int32(w), Int32(first), Int32(workers[w].texts.count - first))
                                doneOut[i] = true
                            }
                        }
                        // Should the lists ever show other offers, read those too.
                        for i in listed where !doneOut[i] {
                            let first = workers[0].texts.count
                            workers[0].weigh(site, offer: i, provider: providerNames[published[i].providerID] ?? "",
                                             languages: languages, choice: UnsafeMutableBufferPointer(rebasing: choiceOut[(i * languages.count)...]))
                            locationOut[i] = (0, Int32(first), Int32(workers[0].texts.count - first))
                        }
                    }
                }
            }
        }
        self.listed = listed
        self.workers = workers
        self.location = location
        self.choice = choice
    }
}

/// One worker's tokenizer, the texts it read and scratch arrays for `TextWeights` (a value in the workers' array, so
/// its loops run without exclusivity checks).
struct WeightWorker {
    let tokenizer = TermTokenizer()
    let groups: SearchWordGroups
    /// Per term number: the terms of the word groups it belongs to (`groups.targets`), once looked up.
    private var aliases: [[Int32]?] = []
    /// Texts read: language, title, summary and terms `terms[start ..< end]` (term number << 4 | weight).
    var texts: [(language: String, title: String, summary: String, start: Int, end: Int)] = []
    var terms: [UInt32] = []
    private var weight: [Int32] = [], mark: [Int32] = [], bodyCount: [Int32] = [], touched: [Int32] = []
    private var stamp: Int32 = 0
    private var ids: [Int32] = [], tags: [Int32] = [], names: [Int32] = []

    /// Reads the distinct texts of published offer `i` into `texts`; sets `choice[l]` to the one shown in `languages[l]`
    /// (counted from the first text of the offer).
    mutating func weigh(_ site: PublishedCatalog, offer i: Int, provider: String, languages: [String], choice: UnsafeMutableBufferPointer<UInt8>) {
        tags.removeAll(keepingCapacity: true)
        for t in site.offers[i].tags {
            tokenize(t)
            tags += ids
        }
        // Declared fields with `search: true` weigh as tags.
        if !site.offers[i].extra.isEmpty {
            let governance = site.catalog.governance
            for t in FieldFacts.searchWords(site.offers[i].extra, governance.fields.offer, governance) {
                tokenize(t)
                tags += ids
            }
        }
        names.removeAll(keepingCapacity: true)
        tokenize(provider)
        names += ids
        for l in site.offers[i].locations {
            tokenize(l.name)
            names += ids
            tokenize(l.city)
            names += ids
        }
        let first = texts.count
        let byLanguage = site.texts[i]
        for (l, lang) in languages.enumerated() {
            guard let t = byLanguage[lang] ?? byLanguage["nb"] else {
                // No text at all (the render stage gives every language one): the record's title and summary, no terms.
                if let known = texts[first...].firstIndex(where: { $0.language == "nb" }) {
                    choice[l] = UInt8(known - first)
                } else {
                    choice[l] = UInt8(texts.count - first)
                    texts.append(("nb", site.offers[i].title, site.offers[i].summary, terms.count, terms.count))
                }
                continue
            }
            if let known = texts[first...].firstIndex(where: { $0.language == t.language }) {
                choice[l] = UInt8(known - first)
                continue
            }
            choice[l] = UInt8(texts.count - first)
            tokenize(t.title)
            add(ids, SearchIndex.Weight.title)
            add(tags, SearchIndex.Weight.tags)
            tokenize(t.summary)
            add(ids, SearchIndex.Weight.summary)
            add(names, SearchIndex.Weight.names)
            tokenize(t.bodyText)
            for id in ids {
                let k = Int(id)
                bodyCount[k] += 1
                if weight[k] == 0 && bodyCount[k] == 1 { touched.append(id) }
            }
            for id in ids where bodyCount[Int(id)] > 0 {
                let k = Int(id)
                weight[k] += Int32(bodyCount[k] > 1 ? SearchIndex.Weight.bodyRepeated : SearchIndex.Weight.body)
                bodyCount[k] = 0
            }
            addAliases()
            let start = terms.count
            for id in touched {
                terms.append(UInt32(id) << 4 | UInt32(min(Int(weight[Int(id)]), SearchIndex.Weight.max)))
                weight[Int(id)] = 0
            }
            touched.removeAll(keepingCapacity: true)
            texts.append((t.language, t.title, t.summary, start, terms.count))
        }
    }

    init(groups: SearchWordGroups) {
        self.groups = groups
    }

    /// Gives every term of a word group that a touched term belongs to the best weight of its members in this text.
    private mutating func addAliases() {
        guard !groups.isEmpty else { return }
        let sources = touched.count
        for j in 0..<sources {
            let id = touched[j]
            let targets = alias(id)
            if targets.isEmpty { continue }
            grow()
            let w = weight[Int(id)]
            for a in targets where a != id {
                let k = Int(a)
                if weight[k] == 0 { touched.append(a) }
                weight[k] = max(weight[k], w)
            }
        }
    }

    /// The group terms of term `id`, numbered by the tokenizer.
    private mutating func alias(_ id: Int32) -> [Int32] {
        let k = Int(id)
        if aliases.count <= k { aliases += repeatElement(nil, count: k - aliases.count + 1024) }
        if let known = aliases[k] { return known }
        let found = groups.targets(of: tokenizer.names[k]).map { tokenizer.number($0) }
        aliases[k] = found
        return found
    }

    private mutating func tokenize(_ text: String) {
        tokenizer.ids(text, into: &ids)
        grow()
    }

    /// Makes the per-term arrays as long as the tokenizer's terms.
    private mutating func grow() {
        let n = tokenizer.names.count
        if weight.count < n {
            let more = n - weight.count + 1024
            weight += repeatElement(0, count: more)
            mark += repeatElement(-1, count: more)
            bodyCount += repeatElement(0, count: more)
        }
    }

    /// Adds `w` to each distinct term of `list`.
    private mutating func add(_ list: [Int32], _ w: Int) {
        stamp += 1
        for id in list {
            let k = Int(id)
            if mark[k] == stamp { continue }
            mark[k] = stamp
            if weight[k] == 0 { touched.append(id) }
            weight[k] += Int32(w)
        }
    }
}

/// Words that mean the same in search, across languages: the entries of the governance vocabulary `search_words`
/// (`SearchIndex.wordGroupsVocabulary`). A text with a term of a group, or a term that starts or ends with one of its
/// one-word members of 5 or more letters (stemmed), is indexed with every term of the group too, at the same weight,
/// so `depression` finds a text about `depresjon`. Members of several words (`quit smoking`) give their terms but are
/// not looked for in texts.
final class SearchWordGroups: Sendable {
    /// One-word members' terms → the group terms they stand for.
    private let members: [String: [String]]
    let isEmpty: Bool

    init(_ vocabulary: Vocabulary?) {
        var members: [String: Set<String>] = [:]
        for e in vocabulary?.entries ?? [] {
            let words = e.labels.keys.sorted().compactMap { e.labels[$0] } + e.synonyms
            let terms = words.map(SearchText.terms)
            let all = Set(terms.joined())
            for t in terms where t.count == 1 { members[t[0], default: []].formUnion(all) }
        }
        self.members = members.mapValues { $0.sorted() }
        isEmpty = members.isEmpty
    }

    /// The group terms `term` stands for: those of the groups with `term` as a member, or with a member of 5 or more
    /// letters that `term` starts with (`depresjonsmestring`) or ends with (`vinterdepresjon`); empty for most terms.
    func targets(of term: String) -> [String] {
        if let exact = members[term] { return exact }
        let letters = Array(term.unicodeScalars)
        guard letters.count > 5 else { return [] }
        func part(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(letters[r])) }
        for n in stride(from: letters.count - 1, through: 5, by: -1) {
            if let found = members[part(0..<n)] ?? members[part((letters.count - n)..<letters.count)] { return found }
        }
        return []
    }
}
