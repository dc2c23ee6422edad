import TilbudJSON
import TilbudModel

/// What the render stage hands the output steps (feed, search): the catalog, its published offers with their
/// rendered texts, page paths and list order, the UI strings, and the site's URL scheme. Made by
/// `SiteRenderer.publishedCatalog`, which shares its arrays (a 10 000-offer build's bodies are rendered once and not
/// copied); the steps read this and nothing of the renderer's pages.
///
/// Published offer `k` (its position in `offers`) is the same offer at position `k` of `texts` and `offerPaths`;
/// `listed` names offers by that position.
public struct PublishedCatalog: @unchecked Sendable {
    /// Listed offers grouped for list pages (positions in `offers`, in list order).
    public struct ListIndexes: Sendable {
        /// By topic id.
        public var byTopic: [String: [Int]] = [:]
        /// By kind id.
        public var byKind: [String: [Int]] = [:]
        /// By audience id.
        public var byAudience: [String: [Int]] = [:]
        /// By kommunenummer: offers that name the municipality (a national offer that also names some is listed there too).
        public var byMunicipality: [String: [Int]] = [:]
        /// National offers.
        public var national: [Int] = []
        /// By provider id.
        public var byProvider: [String: [Int]] = [:]
        /// Every listed offer.
        public var all: [Int] = []
        /// Every published offer (listed or not: ended and outdated offers keep their pages), by provider id, in
        /// catalog order.
        public var publishedByProvider: [String: [Int]] = [:]
    }

    /// The whole catalog (providers, governance, every offer, the build day).
    public let catalog: Catalog
    /// Published offers (not draft or archived), in catalog order.
    public let offers: [Offer]
    /// Each published offer's rendered text by site language (an untranslated offer has its own text in each).
    public let texts: [[String: RenderedText]]
    /// The listed offers (current and due for review), in list order: the order of the site's list pages.
    public let listed: [Int]
    /// Each published offer's page path (`SitePaths.offer`).
    public let offerPaths: [String]
    /// The site's URL scheme.
    public let paths: SitePaths
    /// UI strings by language, then key (`templates/i18n/*.yaml`).
    public let strings: [String: [String: Any]]
    /// Each published offer's fingerprint (`SiteRenderer.offerFingerprints`; 0 for none), nil when not computed.
    let fingerprints: [UInt64]?
    /// What earlier builds made of each offer, by fingerprint (`RenderCache`), when this build has one.
    let cache: RenderCache?

    /// Bundles what the render stage made; `SiteRenderer.publishedCatalog` is the usual way to get one.
    public init(catalog: Catalog, offers: [Offer], texts: [[String: RenderedText]], listed: [Int], offerPaths: [String],
                paths: SitePaths, strings: [String: [String: Any]], fingerprints: [UInt64]? = nil, cache: RenderCache? = nil) {
        self.fingerprints = fingerprints
        self.cache = cache
        self.catalog = catalog
        self.offers = offers
        self.texts = texts
        self.listed = listed
        self.offerPaths = offerPaths
        self.paths = paths
        self.strings = strings
    }

    /// The fingerprint of the file at `path` when it is one of published offer `k`'s own (its page in a language, its
    /// calendar): made from the offer's (`SiteRenderer.offerFingerprints`) and the path. nil when there is none: the file
    /// is made every time.
    public func fingerprint(offer k: Int, path: String) -> UInt64? {
        Self.fingerprint(fingerprints.map { $0[k] } ?? 0, path: path)
    }

    /// Writes `kind` of published offer `k` to `w`: what an earlier build made from the same inputs (its fingerprint, see
    /// `RenderCache`), or else what `make` writes, which is then kept for the next build. Only what is made from the offer
    /// alone (its fingerprint's inputs) may go through here: its JSON, its FHIR `HealthcareService`.
    public func write(_ kind: RenderCache.Kind, offer k: Int, to w: inout JSONWriter, _ make: (inout JSONWriter) -> Void) {
        let fingerprint = fingerprints.map { k < $0.count ? $0[k] : 0 } ?? 0
        if let cache, fingerprint != 0, let made = cache.read(fingerprint, kind) {
            w.bytes += made
            return
        }
        let start = w.bytes.count
        make(&w)
        if let cache, fingerprint != 0 { cache.add(fingerprint, kind, Array(w.bytes[start...])) }
    }

    /// The fingerprint of an offer's file at `path` from the offer's fingerprint, nil when that is 0 (none).
    static func fingerprint(_ offer: UInt64, path: String) -> UInt64? {
        guard offer != 0 else { return nil }
        var h = FileHash()
        h.update(offer)
        h.update(text: path)
        return h.finish()
    }

    /// The site's languages, the default first.
    public var languages: [String] { catalog.site.languages }

    /// Published offer `k`'s text in `lang`, or its default text.
    public func text(_ k: Int, _ lang: String) -> RenderedText? {
        texts[k][lang] ?? texts[k]["nb"]
    }

    /// Published offer `k`'s page path.
    public func offerPath(_ k: Int) -> String {
        k < offerPaths.count ? offerPaths[k] : offers.withUnsafeBufferPointer { SitePaths.offer($0[k]) }
    }

    /// True when published offer `k` has a page of its own in `lang` (see `SiteRenderer.hasPage`).
    public func hasPage(_ k: Int, _ lang: String) -> Bool {
        offers.withUnsafeBufferPointer { SitePaths.hasPage(translations: $0[k].translations, lang, languages: languages) }
    }

    /// The language of the page a listing in `lang` links to for published offer `k`.
    public func pageLanguage(_ k: Int, _ lang: String) -> String {
        hasPage(k, lang) ? lang : (languages.first ?? lang)
    }

    // MARK: pages

    /// Every page of the site: the renderer writes them, the sitemap lists them.
    public func jobs() -> [PageJob] {
        var jobs: [PageJob] = []
        let gov = catalog.governance
        let withOffers = Set(offers.map(\.providerID))
        for lang in catalog.site.languages {
            jobs.append(.home(lang))
            jobs.append(.search(lang))
            jobs.append(.notFound(lang))
            jobs.append(.municipalities(lang))
            jobs.append(.national(lang))
            for i in offers.indices where hasPage(i, lang) { jobs.append(.offer(i, lang)) }
            for e in gov.vocabulary(.topics).entries { jobs.append(.topic(e.id, lang)) }
            for e in gov.vocabulary(.kind).entries { jobs.append(.kind(e.id, lang)) }
            for e in gov.vocabulary(.audiences).entries { jobs.append(.audience(e.id, lang)) }
            for m in gov.municipalities { jobs.append(.municipality(m.code, lang)) }
            for i in catalog.providers.indices { jobs.append(.provider(i, lang)) }
            // Every folder a page lies in is a page too: the indexes of topics, kinds, audiences, providers and offers.
            for name in [VocabularyName.topics, .kind, .audiences] { jobs.append(.index(name, lang)) }
            jobs.append(.providers(lang))
            jobs.append(.offers(lang))
            for i in catalog.providers.indices where withOffers.contains(catalog.providers[i].id) { jobs.append(.providerOffers(i, lang)) }
            for d in catalog.site.documents { jobs.append(.document(d.kind, lang)) }
        }
        return jobs
    }


    /// The output path (under the output root) a job writes.
    public func outputPath(_ job: PageJob) -> String {
        switch job {
        case let .home(l): return paths.file(SitePaths.home, l)
        case let .search(l): return paths.file(SitePaths.search, l)
        case let .notFound(l): return paths.file(SitePaths.notFound, l)
        case let .municipalities(l): return paths.file(SitePaths.municipalities, l)
        case let .national(l): return paths.file(SitePaths.national, l)
        case let .offer(i, l): return paths.file(offerPath(i), l)
        case let .topic(id, l): return paths.file(SitePaths.topic(id), l)
        case let .kind(id, l): return paths.file(SitePaths.kind(id), l)
        case let .audience(id, l): return paths.file(SitePaths.audience(id), l)
        case let .municipality(code, l): return paths.file(SitePaths.municipality(code), l)
        case let .provider(i, l): return paths.file(SitePaths.provider(catalog.providers[i].id), l)
        case let .index(name, l): return paths.file(SitePaths.index(name) ?? SitePaths.topics, l)
        case let .providers(l): return paths.file(SitePaths.providers, l)
        case let .offers(l): return paths.file(SitePaths.offers, l)
        case let .providerOffers(i, l): return paths.file(SitePaths.providerOffers(catalog.providers[i].id), l)
        case let .document(kind, l): return paths.file(SitePaths.document(kind), l)
        }
    }

    /// The listed offers grouped as the list pages show them (built once for all pages, and by the sitemap).
    public func indexes() -> ListIndexes {
        var x = ListIndexes()
        // Field by field: binding a whole offer to a constant would copy it (and retain each of its fields).
        for i in listed {
            x.all.append(i)
            for t in offers[i].topics { x.byTopic[t, default: []].append(i) }
            x.byKind[offers[i].kind, default: []].append(i)
            for a in offers[i].audiences { x.byAudience[a, default: []].append(i) }
            if offers[i].national { x.national.append(i) }
            var seen = Set<String>()
            for m in offers[i].municipalities where seen.insert(m).inserted { x.byMunicipality[m, default: []].append(i) }
            x.byProvider[offers[i].providerID, default: []].append(i)
        }
        for i in offers.indices { x.publishedByProvider[offers[i].providerID, default: []].append(i) }
        return x
    }
}
