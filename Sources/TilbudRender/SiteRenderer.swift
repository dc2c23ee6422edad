import Foundation
import TilbudDeflate
import TilbudHTML
import TilbudMarkdown
import TilbudModel
import TilbudQR

/// An offer's text in one language, rendered once and shared by every page that shows it.
///
/// In a large catalog (see `SiteRenderer.init`) the body's HTML and plain text are held outside the process's memory
/// from the render stage until the last output step has read them (`HeldBytes`: in the build's spill file, or
/// compressed where there is none): they are most of what a build holds per offer (at 100 000 offers, 300 MB), and each
/// is read a few times (its pages, the API, FHIR, search). Otherwise, or when the body is short, they are held as they are.
public struct RenderedText: Sendable {
    /// Title.
    public let title: String
    /// Plain-text summary.
    public let summary: String
    /// The language the text is actually in.
    public let language: String
    /// The HTML's UTF-8 then the plain text's.
    private let held: HeldBytes
    private let htmlCount: Int32

    /// Bodies shorter than this (HTML and text together) are held as they are.
    static let holdAbove = 256

    /// A text held as it is.
    public init(title: String, summary: String, bodyHTML: String, bodyText: String, language: String) {
        self.init(title: title, summary: summary, bodyHTML: bodyHTML, bodyText: bodyText, language: language, holder: nil)
    }

    /// A text whose body `holder` (one per worker) holds, or held as it is when nil.
    init(title: String, summary: String, bodyHTML: String, bodyText: String, language: String, holder: Holder?) {
        self.init(title: title, summary: summary, body: Self.raw(bodyHTML, bodyText), language: language, holder: holder)
    }

    /// A text whose body is `body.raw`: the HTML's UTF-8 (its first `body.htmlCount` bytes), then the plain text's.
    init(title: String, summary: String, body: (raw: [UInt8], htmlCount: Int), language: String, holder: Holder?) {
        self.title = title
        self.summary = summary
        self.language = language
        htmlCount = Int32(body.htmlCount)
        held = HeldBytes(body.raw, holder: holder, minimum: Self.holdAbove)
    }

    /// The HTML's UTF-8 then the plain text's, and where the text starts.
    static func raw(_ html: String, _ text: String) -> (raw: [UInt8], htmlCount: Int) {
        var raw = Array(html.utf8)
        let htmlCount = raw.count
        raw.append(contentsOf: text.utf8)
        return (raw, htmlCount)
    }

    /// Sanitised body HTML.
    public var bodyHTML: String { held.withBytes(html) }

    /// The body as plain text (for search and JSON).
    public var bodyText: String { held.withBytes(text) }

    /// The body's HTML and plain text, read once for both.
    public var body: (html: String, text: String) { held.withBytes { (html($0), text($0)) } }

    private func html(_ all: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: all[0..<min(Int(htmlCount), all.count)]), as: UTF8.self)
    }

    private func text(_ all: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: all[min(Int(htmlCount), all.count)...]), as: UTF8.self)
    }

    /// The bytes of memory the text holds for its body (compressed or not; none when it is in the spill file).
    public var heldBytes: Int { held.inMemory }
}

/// One page to write: its path under the output root and what makes it.
public enum PageJob: Sendable {
    case home(String)
    case offer(Int, String)
    case topic(String, String)
    case kind(String, String)
    case audience(String, String)
    case municipality(String, String)
    case municipalities(String)
    case national(String)
    case provider(Int, String)
    case search(String)
    case notFound(String)
    /// Every entry of a vocabulary that has list pages (topics, kinds, audiences), with counts.
    case index(VocabularyName, String)
    /// Every provider, in alphabetical order.
    case providers(String)
    /// Every provider with offers, linking to `providerOffers`.
    case offers(String)
    /// The offers of provider `i` (the folder its offers' pages lie in).
    case providerOffers(Int, String)
    /// The about, privacy or accessibility page (`site.yaml`'s `pages`).
    case document(SiteDocument.Kind, String)
}

/// What a card's deferred fields are made from (see `TemplateObject.init(prerendered:_:fields:)`): the renderer as it
/// was when the cards were rendered, shared by all cards.
final class CardSource: Sendable {
    let renderer: SiteRenderer
    init(_ renderer: SiteRenderer) { self.renderer = renderer }

    func fields(_ i: Int, _ lang: String) -> TemplateObject {
        if case let .object(o) = renderer.card(i, lang).value { return o }
        return TemplateObject([String: TemplateValue]())
    }
}

/// Turns a validated catalog into pages with the templates: the render stage.
public struct SiteRenderer: Sendable {
    /// The catalog.
    public let catalog: Catalog
    /// The templates.
    public let templates: TemplateSet
    /// The site's URL scheme.
    public let paths: SitePaths
    /// The absolute base URL, ending in `/`.
    public var baseURL: String { paths.baseURL }
    /// The path part of the base URL, ending in `/` (links are root-relative to it).
    public var basePath: String { paths.basePath }
    /// Published offers (not draft or archived), in catalog order.
    public let published: [Offer]
    /// Rendered text per published offer, by language.
    public let texts: [[String: RenderedText]]
    /// Indexes of listed offers, in list order.
    let listed: [Int]
    private let providerIndex: [String: Int]
    /// Each published offer's list card per language, built and rendered once and shared by every list page.
    private var cardValues: [[TemplateValue]] = []
    /// What every page of a language shares, by language.
    private var languageFrames: [String: TemplateValue] = [:]
    /// Every day the published offers mention, written out once per language (by day ordinal).
    private var dateTexts: [String: [Int: String]] = [:]
    /// Each provider's JSON-LD `Organization` per language (provider-major, in site language order), encoded once.
    private var organizations: [[UInt8]] = []
    /// Each published offer's page path (`offerPath`), made once.
    private var offerPaths: [String] = []
    /// Links to the pages of vocabulary entries and municipalities, made once per language and shared by every offer page.
    private var links: [LinkSet: [String: TemplateValue]] = [:]
    /// Where each of `site.yaml`'s files (logo, favicon, sharing image) is published (`SitePaths.siteFile`).
    let siteFilePaths: [SiteFile.Role: String]
    /// What each published offer's own files are made from (`offerFingerprints`), nil when the renderer was given no
    /// digest of the build's shared inputs.
    let fingerprints: [UInt64]?

    /// The files from the content folder the site publishes as they are, with their output paths.
    public var siteFiles: [(path: String, bytes: [UInt8])] {
        catalog.site.files.compactMap { f in siteFilePaths[f.role].map { ($0, f.bytes) } }
    }

    /// A set of link objects: a vocabulary's entries (or the municipalities) on pages in one language.
    struct LinkSet: Hashable {
        /// The vocabulary's name, or "" for the municipalities.
        var name: String
        var lang: String
    }

    /// The most published offers whose rendered bodies and cards are held as they are in memory; a larger catalog holds
    /// them in the build's spill file (at 100 000 offers, 540 MB), or compressed (150 MB) where there is none.
    public static let compressAbove = 25_000

    /// The most national offers shown inline on a municipality page before linking to the full list.
    public static let nationalInline = 30

    /// Prepares the catalog: renders every body once, in parallel.
    ///
    /// The offers the renderer keeps (`catalog.offers`, `published`) have empty `body`s: their Markdown is in `texts`,
    /// rendered, and nothing after this stage reads it (at 100 000 offers it held 140 MB). A caller that passes its only
    /// reference to the catalog frees it here.
    ///
    /// `holding` says how the rendered bodies and list cards are held until they are written (see `Holding`; the output is
    /// the same every way); nil: as they are up to `compressAbove` published offers, and above it in `spill` when
    /// given, compressed when not.
    ///
    /// `inputsDigest` names everything the build shares (`SiteBuilder.inputsDigest`: the executable, templates, the content
    /// outside the provider folders, the build day and base URL); given it, each offer's own pages and calendar get a
    /// fingerprint (`fingerprint(_:)`), and a rebuild keeps the file the previous build made from the same fingerprint.
    public init(catalog: Catalog, templates: TemplateSet, baseURL: String? = nil, holding: Holding? = nil, spill: SpillFile? = nil,
                inputsDigest: UInt64? = nil, cache: RenderCache? = nil) {
        var catalog = catalog
        self.templates = templates
        self.paths = SitePaths(baseURL: baseURL ?? catalog.site.baseURL, languages: catalog.site.languages)
        var published = catalog.offers.filter { $0.state.isPublished }
        self.fingerprints = inputsDigest.map { Self.offerFingerprints(published, providers: catalog.providers, inputsDigest: $0) }
        let holding = holding ?? (published.count > Self.compressAbove ? .spilled : .plain)
        let languages = catalog.site.languages
        self.offerPaths = published.map(SitePaths.offer)
        var siteFilePaths: [SiteFile.Role: String] = [:]
        for f in catalog.site.files { siteFilePaths[f.role] = SitePaths.siteFile(f, hash: ContentHash.hex(Data(f.bytes))) }
        self.siteFilePaths = siteFilePaths
        var texts = [[String: RenderedText]](repeating: [:], count: published.count)
        // One holder per worker (a compressor holds zlib's state, a spiller its buffer), for the texts and then the cards.
        let holders: [Holder]? = switch holding {
        case .plain: nil
        case .compressed: Holder.perWorker(spill: nil)
        case .spilled: Holder.perWorker(spill: spill)
        }
        // An offer whose fingerprint an earlier build rendered takes its bodies and cards from the cache (`RenderCache`);
        // the others are rendered and added to it. Only offers with a fingerprint are looked for or added.
        let cache = inputsDigest == nil ? nil : cache
        self.cache = cache
        let fingerprints = self.fingerprints ?? []
        cache?.begin(live: fingerprints)
        texts.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            Parallel.run(published.count) { w, i in
                let offer = published[i]
                let fingerprint = cache == nil || i >= fingerprints.count ? 0 : fingerprints[i]
                // The texts in the cache's order: the default language's, then each translation's in site order.
                let translated = languages.filter { offer.translations[$0] != nil }
                var bodies: [(raw: [UInt8], htmlCount: Int)]
                if fingerprint != 0, let entry = cache?.read(fingerprint, .texts),
                   let decoded = Self.decodeTexts(entry, count: 1 + translated.count) {
                    bodies = decoded
                } else {
                    let markdown = MarkdownRenderer()
                    func render(_ body: String) -> (raw: [UInt8], htmlCount: Int) {
                        let (html, text) = markdown.withRenderedHTML(body) { HTMLSanitizer.sanitizeWithText(utf8: $0) }
                        return RenderedText.raw(html, text)
                    }
                    bodies = [render(offer.body)] + translated.map { render(offer.translations[$0]!.body) }
                    if fingerprint != 0 { cache?.add(fingerprint, .texts, Self.encodeTexts(bodies)) }
                }
                let base = RenderedText(title: offer.title, summary: offer.summary, body: bodies[0], language: "nb", holder: holders?[w])
                var byLanguage: [String: RenderedText] = [:]
                var next = 1
                for lang in languages {
                    if let t = offer.translations[lang] {
                        byLanguage[lang] = RenderedText(title: t.title, summary: t.summary, body: bodies[next], language: lang, holder: holders?[w])
                        next += 1
                    } else {
                        byLanguage[lang] = base
                    }
                }
                out[i] = byLanguage
            }
        }
        // What the spillers still buffer is written before anything reads it.
        for h in holders ?? [] { h.flush() }
        self.texts = texts
        for i in published.indices { published[i].dropBodies() }
        catalog = catalog.withoutBodies()
        self.catalog = catalog
        self.published = published
        let today = catalog.today
        var titleKeys = [String](repeating: "", count: published.count)
        titleKeys.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: published.count) { out[$0] = NorwegianSort.key(published[$0].title) }
        }
        self.listed = published.indices.filter { published[$0].state.isListed }.sorted { a, b in
            let ka = Self.sortDay(published[a], today), kb = Self.sortDay(published[b], today)
            if ka != kb { return ka < kb }
            return titleKeys[a] != titleKeys[b] ? titleKeys[a] < titleKeys[b] : published[a].id < published[b].id
        }
        var providerIndex: [String: Int] = [:]
        for (i, p) in catalog.providers.enumerated() { providerIndex[p.id] = i }
        self.providerIndex = providerIndex
        var days = Set<Int>([today.ordinal])
        for o in published {
            days.insert(o.lastReviewed.ordinal)
            if let d = o.signup.deadline { days.insert(d.ordinal) }
            for r in o.schedule {
                if let d = r.deadline { days.insert(d.ordinal) }
                days.insert(r.start.day.ordinal)
                days.insert(r.lastDay.ordinal)
            }
        }
        var dateTexts: [String: [Int: String]] = [:]
        for lang in languages {
            let loc = localizer(lang)
            var texts: [Int: String] = [:]
            texts.reserveCapacity(days.count)
            for d in days { texts[d] = loc.date(Day(ordinal: d)) }
            dateTexts[lang] = texts
        }
        self.dateTexts = dateTexts
        var frames: [String: TemplateValue] = [:]
        for lang in languages { frames[lang] = Self.languageFrame(self, lang) }
        self.languageFrames = frames
        var organizations: [[UInt8]] = []
        organizations.reserveCapacity(catalog.providers.count * languages.count)
        for p in catalog.providers {
            for lang in languages { organizations.append(StructuredData.organizationBytes(p, renderer: self, language: lang)) }
        }
        self.organizations = organizations
        var links: [LinkSet: [String: TemplateValue]] = [:]
        for lang in languages {
            for name in Self.linkedVocabularies {
                var byID: [String: TemplateValue] = [:]
                for e in catalog.governance.vocabulary(name).entries { byID[e.id] = vocabLink(e.id, name, lang) }
                links[LinkSet(name: name.rawValue, lang: lang)] = byID
            }
            var byCode: [String: TemplateValue] = [:]
            for m in catalog.governance.municipalities { byCode[m.code] = municipalityLink(m.code, lang) }
            links[LinkSet(name: "", lang: lang)] = byCode
        }
        self.links = links
        // A card looks the same on every list of its language, so the `card` partial is rendered once per offer and
        // language (with the card on top of the language's frame) and copied into each list.
        var cards = [[TemplateValue]](repeating: [], count: published.count)
        let me = self
        // A card keeps its bytes only; its fields are made again from the renderer if a list template reads one.
        let source = CardSource(me)
        let cardTemplate = templates.programs["card"]
        // Cards are cached only when every language's card is rendered by the template (as it always is with a `card`).
        let cardCache = cardTemplate != nil && languages.allSatisfy { frames[$0] != nil } ? cache : nil
        cards.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            Parallel.run(published.count) { w, i in
                // Only listed offers appear in lists.
                guard published[i].state.isListed else { return }
                func prerendered(_ bytes: [UInt8], _ lang: String) -> TemplateValue {
                    let done = Prerendered(partial: "card", bytes, holder: holders?[w])
                    return .object(TemplateObject(prerendered: done, fields: { source.fields(i, lang) }))
                }
                let fingerprint = cardCache == nil || i >= fingerprints.count ? 0 : fingerprints[i]
                if fingerprint != 0, let entry = cardCache?.read(fingerprint, .cards),
                   let decoded = Self.decodeCards(entry, count: languages.count) {
                    out[i] = zip(decoded, languages).map { prerendered($0, $1) }
                    return
                }
                var byLanguage: [TemplateValue] = []
                var made: [[UInt8]] = []
                var bytes: [UInt8] = []
                bytes.reserveCapacity(2048)
                for lang in languages {
                    guard case let .object(object) = me.card(i, lang).value else { byLanguage.append(.null); continue }
                    guard let cardTemplate, let frame = frames[lang] else { byLanguage.append(.object(object)); continue }
                    bytes.removeAll(keepingCapacity: true)
                    cardTemplate.run(frames: [frame, .object(object)], into: &bytes)
                    if fingerprint != 0 { made.append(bytes) }
                    byLanguage.append(prerendered(bytes, lang))
                }
                if fingerprint != 0, made.count == languages.count { cardCache?.add(fingerprint, .cards, Self.encodeCards(made)) }
                out[i] = byLanguage
            }
        }
        for h in holders ?? [] { h.flush() }
        self.cardValues = cards
    }

    /// What the render stage hands the output steps that follow the pages (feed, search): the published offers,
    /// their rendered texts, list order and page paths, and the URL scheme. It shares the renderer's arrays (nothing
    /// is copied) and holds none of its pages' state (cards, frames, links).
    public var publishedCatalog: PublishedCatalog {
        PublishedCatalog(catalog: catalog, offers: published, texts: texts, listed: listed, offerPaths: offerPaths, paths: paths,
                         strings: templates.strings, fingerprints: fingerprints, cache: cache)
    }

    /// What each offer's own files (its pages in every language, its calendar) are made from, as one hash: the build's
    /// shared inputs, the offer's file and its translations' files as read, its provider's file, and the dates the
    /// workflow gave it. An offer page shows nothing of any other offer (`offerPage`; `tilbud serve` relies on the same
    /// when it re-renders only a changed offer's pages), so two builds that agree on this make the same files. 0 for an
    /// offer whose files were not read (built in code): never carried over.
    static func offerFingerprints(_ offers: [Offer], providers: [Provider], inputsDigest: UInt64) -> [UInt64] {
        var providerDigests: [String: UInt64] = [:]
        for p in providers { providerDigests[p.id] = p.sourceDigest }
        return offers.map { o in
            guard o.sourceDigest != 0, let provider = providerDigests[o.providerID], provider != 0,
                  o.translations.values.allSatisfy({ $0.sourceDigest != 0 }) else { return 0 }
            var h = FileHash()
            h.update(inputsDigest)
            h.update(o.sourceDigest)
            for language in o.translations.keys.sorted() {
                h.update(text: language)
                h.update(o.translations[language]!.sourceDigest)
            }
            h.update(provider)
            h.update(text: o.updated?.iso ?? "-")
            h.update(text: o.published?.iso ?? "-")
            return h.finish()
        }
    }

    /// What earlier builds made, by fingerprint; handed on to the output steps (`PublishedCatalog.write(_:offer:to:_:)`).
    let cache: RenderCache?

    /// A cache entry of an offer's texts: how many, then each one's HTML size and whole size, then their bytes.
    static func encodeTexts(_ bodies: [(raw: [UInt8], htmlCount: Int)]) -> [UInt8] {
        guard bodies.count < 256 else { return [] }  // never read back
        var bytes: [UInt8] = [UInt8(bodies.count)]
        for b in bodies {
            RenderCache.append32(b.htmlCount, to: &bytes)
            RenderCache.append32(b.raw.count, to: &bytes)
        }
        for b in bodies { bytes += b.raw }
        return bytes
    }

    /// The texts of a cache entry, nil unless it holds exactly `count` well-formed ones.
    static func decodeTexts(_ entry: [UInt8], count: Int) -> [(raw: [UInt8], htmlCount: Int)]? {
        var r = CacheReader(entry)
        guard r.u8() == count else { return nil }
        var sizes: [(html: Int, all: Int)] = []
        for _ in 0..<count {
            guard let html = r.u32(), let all = r.u32(), html <= all else { return nil }
            sizes.append((html, all))
        }
        var bodies: [(raw: [UInt8], htmlCount: Int)] = []
        for size in sizes {
            guard let raw = r.take(size.all) else { return nil }
            bodies.append((Array(raw), size.html))
        }
        return r.atEnd ? bodies : nil
    }

    /// A cache entry of an offer's cards, one per site language: how many, each one's size, then their bytes.
    static func encodeCards(_ cards: [[UInt8]]) -> [UInt8] {
        guard cards.count < 256 else { return [] }  // never read back
        var bytes: [UInt8] = [UInt8(cards.count)]
        for c in cards { RenderCache.append32(c.count, to: &bytes) }
        for c in cards { bytes += c }
        return bytes
    }

    /// The cards of a cache entry, nil unless it holds exactly `count`.
    static func decodeCards(_ entry: [UInt8], count: Int) -> [[UInt8]]? {
        var r = CacheReader(entry)
        guard r.u8() == count else { return nil }
        var sizes: [Int] = []
        for _ in 0..<count {
            guard let size = r.u32() else { return nil }
            sizes.append(size)
        }
        var cards: [[UInt8]] = []
        for size in sizes {
            guard let card = r.take(size) else { return nil }
            cards.append(Array(card))
        }
        return r.atEnd ? cards : nil
    }

    /// Frees the list cards once every page is written (the feed and search steps that follow do not use them).
    public mutating func dropCards() {
        cardValues = []
    }

    /// The list cards of `offers` in `lang`, as one template value.
    func cardList(_ offers: some Sequence<Int>, _ lang: String) -> TemplateValue {
        guard let l = catalog.site.languages.firstIndex(of: lang) else { return .list(offers.map { card($0, lang).value }) }
        return .list(offers.map { i in i < cardValues.count && l < cardValues[i].count ? cardValues[i][l] : card(i, lang).value })
    }

    /// The position in `catalog.providers` of the provider with id `id`.
    func providerPosition(_ id: String) -> Int? { providerIndex[id] }

    /// Provider `p`'s JSON-LD `Organization` on pages in `lang` (see `StructuredData`).
    func organizationLD(_ p: Int, _ lang: String) -> [UInt8] {
        let languages = catalog.site.languages
        if let l = languages.firstIndex(of: lang), p * languages.count + l < organizations.count { return organizations[p * languages.count + l] }
        return StructuredData.organizationBytes(catalog.providers[p], renderer: self, language: lang)
    }

    /// Offers with continuous intake count as starting today; offers with no coming run sort last.
    static func sortDay(_ offer: Offer, _ today: Day) -> Int {
        if let next = offer.nextStart { return max(next.day.ordinal, today.ordinal) }
        return offer.ongoing ? today.ordinal : Int.max
    }

    // MARK: paths

    /// The language's folder prefix: "" for the default language, "nn/" otherwise (see `SitePaths`).
    public func prefix(_ lang: String) -> String { paths.prefix(lang) }

    /// A root-relative URL for `path` (e.g. `tilbud/x/y/`) in `lang`.
    public func url(_ path: String, _ lang: String) -> String { paths.url(path, lang) }

    /// The absolute URL of `path` in `lang`.
    public func absoluteURL(_ path: String, _ lang: String) -> String { paths.absoluteURL(path, lang) }

    /// The path of an offer's page.
    public static func offerPath(_ offer: Offer) -> String { SitePaths.offer(offer) }

    /// The path of published offer `i`'s page.
    public func offerPath(_ i: Int) -> String { i < offerPaths.count ? offerPaths[i] : SitePaths.offer(published[i]) }

    /// True when published offer `i` has a page of its own in `lang`: in the default language always, in another
    /// language only when the offer is translated into it. An untranslated offer is listed on that language's pages
    /// in its own language, linking to its page in the default language.
    public func hasPage(_ i: Int, _ lang: String) -> Bool {
        // Only the translations are read, so the (large) offer is not copied.
        Self.hasPage(translations: published[i].translations, lang, languages: catalog.site.languages)
    }

    /// True when `offer` has a page in `lang` on a site in `languages` (the first is the default).
    public static func hasPage(_ offer: Offer, _ lang: String, languages: [String]) -> Bool {
        hasPage(translations: offer.translations, lang, languages: languages)
    }

    /// The one rule the pages, the sitemap, the feed and `serve` share: an offer with `translations` has a page in
    /// `lang` when that is the default language (the first of `languages`) or it is translated into it.
    static func hasPage(translations: [String: OfferTranslation], _ lang: String, languages: [String]) -> Bool {
        SitePaths.hasPage(translations: translations, lang, languages: languages)
    }

    /// The languages `offer` has a page in, in site order.
    public static func pageLanguages(_ offer: Offer, languages: [String]) -> [String] {
        SitePaths.pageLanguages(offer, languages: languages)
    }

    /// The language of the page a listing in `lang` links to for published offer `i`.
    public func pageLanguage(_ i: Int, _ lang: String) -> String {
        hasPage(i, lang) ? lang : (catalog.site.languages.first ?? lang)
    }

    /// The root-relative URL a listing in `lang` links to for published offer `i`.
    public func offerURL(_ i: Int, _ lang: String) -> String { url(offerPath(i), pageLanguage(i, lang)) }
    /// Every page of the site (see `PublishedCatalog.jobs`).
    public func jobs() -> [PageJob] { publishedCatalog.jobs() }

    /// The output path (under the output root) a job writes.
    public func outputPath(_ job: PageJob) -> String { publishedCatalog.outputPath(job) }

    /// The fingerprint of `job`'s page at `path` (`PublishedCatalog.fingerprint`): only an offer's own pages have one.
    public func fingerprint(_ job: PageJob, path: String) -> UInt64? {
        // From the renderer's own array: `publishedCatalog` is made anew on each use.
        guard let fingerprints, case let .offer(i, _) = job else { return nil }
        return PublishedCatalog.fingerprint(fingerprints[i], path: path)
    }

    /// Renders one page.
    public func render(_ job: PageJob, indexes: ListIndexes) -> String {
        String(decoding: renderBytes(job, indexes: indexes), as: UTF8.self)
    }

    /// Renders one page as UTF-8.
    public func renderBytes(_ job: PageJob, indexes: ListIndexes) -> [UInt8] {
        switch job {
        case let .home(l): return homePage(l, indexes)
        case let .search(l): return simplePage("search", SitePaths.search, l, titleKey: "search_page_heading")
        case let .notFound(l): return simplePage("notfound", SitePaths.notFound, l, titleKey: "notfound_heading", canonical: false)
        case let .municipalities(l): return municipalitiesPage(l, indexes)
        case let .national(l):
            let loc = localizer(l)
            return listPage(path: SitePaths.national, lang: l, heading: loc("national_heading"), intro: loc("national_intro"),
                            sections: [(nil, indexes.national, nil)])
        case let .offer(i, l): return offerPage(i, l)
        case let .topic(id, l):
            let e = catalog.governance.vocabulary(.topics)[id]
            return listPage(path: SitePaths.topic(id), lang: l, heading: e?.label(l) ?? id, intro: localizer(l)("topic_intro"),
                            sections: [(nil, indexes.byTopic[id] ?? [], nil)], filter: "tema=" + id)
        case let .kind(id, l):
            let e = catalog.governance.vocabulary(.kind)[id]
            return listPage(path: SitePaths.kind(id), lang: l, heading: e?.label(l) ?? id, intro: localizer(l)("kind_intro"),
                            sections: [(nil, indexes.byKind[id] ?? [], nil)], filter: "type=" + id)
        case let .audience(id, l):
            let e = catalog.governance.vocabulary(.audiences)[id]
            return listPage(path: SitePaths.audience(id), lang: l, heading: e?.label(l) ?? id, intro: localizer(l)("audience_intro"),
                            sections: [(nil, indexes.byAudience[id] ?? [], nil)], filter: "malgruppe=" + id)
        case let .municipality(code, l): return municipalityPage(code, l, indexes)
        case let .provider(i, l): return providerPage(i, l, indexes)
        case let .index(name, l): return vocabularyIndexPage(name, l, indexes)
        case let .providers(l): return providersPage(l, indexes)
        case let .offers(l): return offersPage(l, indexes)
        case let .providerOffers(i, l): return providerOffersPage(i, l, indexes)
        case let .document(kind, l): return documentPage(kind, l)
        }
    }

    // MARK: indexes

    /// Listed offers grouped for list pages (see `PublishedCatalog.ListIndexes`).
    public typealias ListIndexes = PublishedCatalog.ListIndexes

    /// Builds the list indexes once for all pages (see `PublishedCatalog.indexes`).
    public func indexes() -> ListIndexes { publishedCatalog.indexes() }

    // MARK: contexts

    func localizer(_ lang: String) -> Localizer {
        Localizer(language: lang, strings: templates.strings[lang] ?? templates.strings["nb"] ?? [:], dates: dateTexts[lang])
    }

    func asset(_ name: String) -> String? {
        templates.assets[name].map { paths.basePath + $0.outputPath }
    }

    private func languageName(_ code: String, in lang: String) -> String {
        catalog.governance.vocabulary(.languages)[code]?.label(lang) ?? code
    }

    /// The language record fields are written in (the default language); false on pages in that language.
    ///
    /// Free text from a record that has no translation (schedule notes, price notes, places, contact names)
    /// is marked with it on pages in other languages, so screen readers switch voice.
    func dataLanguage(_ lang: String) -> Any {
        lang == "nb" ? false : "nb"
    }

    /// The context every page shares.
    ///
    /// `alternates` lists the languages the page really exists in (for `hreflang` and the language switch).
    func baseContext(_ lang: String, path: String, title: String, description: String?, canonical: Bool = true,
                     alternates: [String]? = nil) -> TemplateFields {
        let langs = alternates ?? catalog.site.languages
        let switcher: [TemplateValue] = catalog.site.languages.map { l in
            let fields: TemplateFields = [
                // A page that does not exist in `l` (an untranslated offer) switches to that language's front page.
                "code": .string(l), "name": .string(languageName(l, in: l)), "url": .string(url(langs.contains(l) ? path : SitePaths.home, l)),
                "current": .bool(l == lang), "available": .bool(langs.contains(l)),
            ]
            return fields.value
        }
        var page: TemplateFields = [
            "title": .string(title),
            // Link previews: an offer's page is an article about it; every other page is the site.
            "ogType": .string(path.hasPrefix("tilbud/") && path.split(separator: "/").count == 3 ? "article" : "website"),
            "fullTitle": .string(path.isEmpty ? (catalog.site.title[lang] ?? title) : "\(title) – \(catalog.site.title[lang] ?? "")"),
            "description": .string(description ?? catalog.site.tagline[lang] ?? ""),
            // A page without a canonical address (404) has no alternates either.
            "alternates": .list(canonical && langs.count > 1
                                ? langs.map { (["hreflang": .string($0), "href": .string(absoluteURL(path, $0))] as TemplateFields).value } : []),
            "canonical": false,
        ]
        if canonical { page["canonical"] = .string(absoluteURL(path, lang)) }
        let nav: TemplateFields = ["home": .bool(path.isEmpty), "topics": .bool(path == SitePaths.topics),
                                   "municipalities": .bool(path == SitePaths.municipalities), "search": .bool(path == SitePaths.search)]
        return [
            "languages": .list(switcher),
            "nav": nav.value,
            "page": page.value,
        ]
    }

    /// What every page in `lang` shares, converted once: the bottom frame of each page's context.
    static func languageFrame(_ r: SiteRenderer, _ lang: String) -> TemplateValue {
        let frame: [String: Any] = [
            "lang": lang,
            "t": r.templates.stringsValue(lang),
            "site": ["title": r.catalog.site.title[lang] ?? "", "tagline": r.catalog.site.tagline[lang] ?? ""] as [String: Any],
            "css": r.asset("style.css") ?? "",
            "js": r.asset("site.js") ?? "",
            "searchJS": r.asset("search.js") ?? "",
            "homeURL": r.url(SitePaths.home, lang),
            "searchURL": r.url(SitePaths.search, lang),
            "topicsURL": r.url(SitePaths.topics, lang),
            "municipalitiesURL": r.url(SitePaths.municipalities, lang),
            "dataLang": r.dataLanguage(lang),
            "publisher": r.publisherFrame(lang),
        ]
        return TemplateValue(frame)
    }

    /// Who stands behind the site, for the footer and the head of every page in `lang`: the publisher's name,
    /// contact and logo, the links to the about, privacy and accessibility pages, the favicon and the image and
    /// locale link previews (Open Graph, Twitter cards) show.
    func publisherFrame(_ lang: String) -> [String: Any] {
        let site = catalog.site
        let p = site.publisher
        let loc = localizer(lang)
        func fileURL(_ role: SiteFile.Role) -> String? { siteFilePaths[role].map { paths.basePath + $0 } }
        var frame: [String: Any] = [
            "name": p.name[lang] ?? p.name[site.languages.first ?? "nb"] ?? "",
            "url": p.url ?? false, "email": p.email ?? false, "phone": p.phone ?? false,
            "phoneHref": p.phone.map { "tel:" + Phone.e164($0) } ?? false,
            "logo": fileURL(.logo) ?? false,
            "favicon": fileURL(.favicon) ?? fileURL(.logo) ?? false,
            "ogLocale": loc("og_locale"),
            "socialImage": false,
        ]
        // The links the footer shows, in a fixed order: about, privacy, accessibility statement.
        frame["links"] = site.documents.map { d -> [String: Any] in
            ["url": url(SitePaths.document(d.kind), lang), "label": loc("footer_\(d.kind.rawValue)")]
        }
        frame["hasLinks"] = !site.documents.isEmpty
        // The website is the publisher's name's link; the contact column lists e-mail and phone.
        frame["hasContact"] = p.email != nil || p.phone != nil
        if let image = site.file(.socialImage), let path = siteFilePaths[.socialImage] {
            var fields: [String: Any] = ["url": paths.baseURL + path, "type": image.mediaType, "width": false, "height": false]
            if let size = image.size { fields["width"] = String(size.width); fields["height"] = String(size.height) }
            frame["socialImage"] = fields
        }
        return frame
    }

    /// Renders page template `name` with `context` on top of its language's frame.
    func page(_ name: String, _ context: TemplateFields, _ lang: String, capacity: Int = 32_768) -> [UInt8] {
        templates.renderBytes(name, context.value, base: languageFrames[lang] ?? Self.languageFrame(self, lang), capacity: capacity)
    }

    /// The bytes the rendered cards of `offers` take: a list page is sized for them up front rather than grown
    /// (a long list would otherwise be copied into ever larger buffers as it is written).
    func cardBytes(_ offers: [Int], _ lang: String) -> Int {
        guard let l = catalog.site.languages.firstIndex(of: lang) else { return 0 }
        var total = 0
        for i in offers where i < cardValues.count && l < cardValues[i].count {
            if case let .object(o) = cardValues[i][l], let done = o.prerendered { total += done.count }
        }
        return total
    }

    /// The short card an offer shows in lists.
    func card(_ i: Int, _ lang: String) -> TemplateFields {
        let o = published[i]
        let t = texts[i][lang] ?? texts[i]["nb"]
        let loc = localizer(lang)
        var c: TemplateFields = [
            "url": .string(offerURL(i, lang)),
            "title": .string(t?.title ?? o.title),
            "summary": .string(t?.summary ?? o.summary),
            "provider": .string(catalog.providers[providerIndex[o.providerID] ?? 0].name),
            "area": .string(area(o, lang)),
            "kind": .string(catalog.governance.vocabulary(.kind)[o.kind]?.label(lang) ?? o.kind),
            "delivery": .string(catalog.governance.vocabulary(.delivery)[o.delivery]?.label(lang) ?? o.delivery),
            "price": .string(priceText(o, loc)),
            "referral": .string(catalog.governance.vocabulary(.referral)[o.referral]?.label(lang) ?? o.referral),
            // For the lists' sort (site.js): the day it starts (continuous intake today, none last) and the title.
            "sortStart": .string(String(min(Self.sortDay(o, catalog.today), 99_999_999))),
            // Every optional key is set (false when absent) so a section never picks up a value from an outer context.
            "textLang": false,
            "nextStart": false,
            "nextStartIn": false,
            "ongoing": false,
        ]
        if let t, t.language != lang { c["textLang"] = .string(t.language) }
        if let next = o.nextStart {
            c["nextStart"] = .string(loc.dateTime(next))
            c["nextStartISO"] = .string(next.iso)
            // How soon, from the build day.
            let days = next.day.ordinal - catalog.today.ordinal
            if days >= 0 {
                c["nextStartIn"] = .string(days == 0 ? loc("card_today") : days == 1 ? loc("card_in_day") : loc.format("card_in_days", ["n": String(days)]))
            }
        } else if o.ongoing {
            c["ongoing"] = .string(loc("ongoing_short"))
        } else if let running = o.schedule.last(where: { $0.start.day <= catalog.today && $0.lastDay >= catalog.today }) {
            // A run that has started and not finished: no next start, but not over either.
            c["ongoing"] = .string(loc.format("running_until", ["date": loc.date(running.lastDay)]))
        } else {
            c["ongoing"] = .string(loc("when_ask"))
        }
        return c
    }

    /// "Gratis", "Egenandel 200 kr", "1 500 kr".
    func priceText(_ o: Offer, _ loc: Localizer) -> String {
        let prices = catalog.governance.vocabulary(.price)
        return prices.has(o.price.kind, .free) ? loc("price_free")
            : loc.format(prices.has(o.price.kind, .copay) ? "price_copay" : "price_paid", ["amount": Self.kroner(o.price.amountNOK ?? 0)])
    }

    private func area(_ o: Offer, _ lang: String) -> String {
        if o.national { return localizer(lang)("national") }
        return o.municipalities.compactMap { catalog.governance.municipality($0)?.name }.joined(separator: ", ")
    }

    /// The vocabularies whose entries offer pages show, linked to the entries' pages where they have one (`SitePaths.entry`).
    static let linkedVocabularies: [VocabularyName] = [.topics, .audiences, .accessibility]

    /// Links to the entries `ids` of vocabulary `name`, one of `linkedVocabularies`.
    private func vocabLinks(_ ids: [String], _ name: VocabularyName, _ lang: String) -> TemplateValue {
        let made = links[LinkSet(name: name.rawValue, lang: lang)]
        return .list(ids.map { made?[$0] ?? vocabLink($0, name, lang) })
    }

    /// A link (`label`, `id`, `url`) to the page of entry `id` of vocabulary `name`, or just its label when it has no page.
    private func vocabLink(_ id: String, _ name: VocabularyName, _ lang: String) -> TemplateValue {
        let fields: TemplateFields = ["label": .string(catalog.governance.vocabulary(name)[id]?.label(lang) ?? id), "id": .string(id),
                                      "url": SitePaths.entry(name, id).map { .string(url($0, lang)) } ?? false]
        return fields.value
    }

    /// A link (`label`, `url`) to the page of municipality `code`.
    private func municipalityLink(_ code: String, _ lang: String) -> TemplateValue {
        let fields: TemplateFields = ["label": .string(catalog.governance.municipality(code)?.name ?? code),
                                      "url": .string(url(SitePaths.municipality(code), lang))]
        return fields.value
    }

    func offerPage(_ i: Int, _ lang: String) -> [UInt8] {
        let o = published[i]
        let loc = localizer(lang)
        let gov = catalog.governance
        let text = texts[i][lang] ?? texts[i]["nb"]!
        let path = offerPath(i)
        // The languages the offer's text exists in: its page exists in each of them (see `hasPage`).
        let translated = Self.pageLanguages(o, languages: catalog.site.languages)
        var ctx = baseContext(lang, path: path, title: text.title, description: text.summary, alternates: translated)
        let provider = catalog.providers[providerIndex[o.providerID] ?? 0]
        let referralLabel = gov.vocabulary(.referral)[o.referral]?.label(lang) ?? o.referral
        let municipalityLinks = links[LinkSet(name: "", lang: lang)]
        let providerFields: TemplateFields = ["name": .string(provider.name), "url": .string(url(SitePaths.provider(provider.id), lang))]
        let reviewed: TemplateFields = ["iso": .string(o.lastReviewed.iso), "text": .string(loc.date(o.lastReviewed))]
        let pageURL = absoluteURL(path, lang)
        var offer: TemplateFields = [
            "title": .string(text.title),
            "summary": .string(text.summary),
            "bodyHTML": .string(text.bodyHTML),
            "kind": .string(gov.vocabulary(.kind)[o.kind]?.label(lang) ?? o.kind),
            "format": .string(gov.vocabulary(.format)[o.format]?.label(lang) ?? o.format),
            "delivery": .string(gov.vocabulary(.delivery)[o.delivery]?.label(lang) ?? o.delivery),
            // A sentence from the UI strings when there is one ("No, sign up yourself"), else the vocabulary label.
            "referral": .string(loc.strings["referral_\(o.referral)"] as? String ?? referralLabel),
            "referralNeeded": .bool(!gov.vocabulary(.referral).has(o.referral, .selfReferral)),
            "topics": vocabLinks(o.topics, .topics, lang),
            "audiences": vocabLinks(o.audiences, .audiences, lang),
            "languages": .string(o.languages.map { languageName($0, in: lang) }.joined(separator: ", ")),
            "accessibility": vocabLinks(o.accessibility, .accessibility, lang),
            "hasAccessibility": .bool(!o.accessibility.isEmpty),
            // Declared fields the templates do not lay out themselves (`show: facts` in fields.yaml).
            "facts": .list(FieldFacts.facts(o.extra, gov.fields.offer, gov, loc)),
            "area": .string(area(o, lang)),
            "areaLinks": .list(o.national ? [] : o.municipalities.map { municipalityLinks?[$0] ?? municipalityLink($0, lang) }),
            "national": .bool(o.national),
            "provider": providerFields.value,
            "lastReviewed": reviewed.value,
            // The printed handout: the page's address, and a QR code of it.
            "pageURL": .string(pageURL),
            "qrSVG": .string(QRCode.svg(pageURL, label: loc("qr_label")) ?? ""),
        ]
        // When
        var runs: [TemplateValue] = []
        let capacities = gov.fields.offerField("schedule")?.item?.field("capacity")?.vocabulary.flatMap { gov.vocabulary(named: $0) }
        let weekdayNames = loc.strings["weekdays_plural"] as? [String] ?? []
        // Runs that are over are not shown: the page is about what one can still join.
        for r in o.schedule where r.lastDay >= catalog.today {
            let times = r.times.map { t -> String in
                let day = (1...weekdayNames.count).contains(t.isoWeekday) ? weekdayNames[t.isoWeekday - 1] : t.weekday
                return loc.format("run_weekly", ["weekday": day, "from": loc.time(t.from), "to": loc.time(t.to)])
            }
            var d: TemplateFields = ["startISO": .string(r.start.iso), "start": .string(loc.dateTime(r.start)), "past": false,
                                     "end": false, "note": .text(r.note),
                                     "times": times.isEmpty ? false : .string(times.joined(separator: ", ")),
                                     "sessions": r.sessions.map { .string(loc.format($0 == 1 ? "run_session" : "run_sessions", ["n": String($0)])) } ?? false,
                                     "place": r.location.map { .string($0) } ?? false,
                                     "capacity": r.capacity.map { .string(capacities?[$0]?.label(lang) ?? $0) } ?? false,
                                     "full": .bool(r.capacity.map { capacities?.has($0, .full) ?? false } ?? false),
                                     "deadline": r.deadline.map { .string(loc.date($0)) } ?? false,
                                     "deadlineISO": .string(r.deadline?.iso ?? ""),
                                     "deadlinePassed": .bool(r.deadline.map { $0 < catalog.today } ?? false)]
            if let end = r.end, end != r.start {
                d["endISO"] = .string(end.iso)
                // The same day twice reads badly: "4. februar 2025 kl. 18:00 – 20:00".
                d["end"] = .string(end.day == r.start.day && end.time != nil ? loc.time(end.time ?? "") : loc.dateTime(end))
            }
            runs.append(d.value)
        }
        offer["hasRuns"] = .bool(!runs.isEmpty)
        offer["nextStart"] = o.nextStart.map { .string(loc.dateTime($0)) } ?? false
        offer["nextStartISO"] = .string(o.nextStart?.iso ?? "")
        offer["calendarURL"] = o.hasCalendar ? .string(paths.url(SitePaths.calendar(o), catalog.site.languages.first ?? "nb")) : false
        offer["runs"] = .list(runs)
        // An ended offer takes no one in: "start at any time" would contradict its notice.
        offer["ongoing"] = .bool(o.ongoing && o.state != .ended)
        // Where
        offer["locations"] = .list(o.locations.map { l -> TemplateValue in
            let mapURL: String
            if let g = l.geo {
                mapURL = "https://www.openstreetmap.org/?mlat=\(g.lat)&mlon=\(g.lon)#map=17/\(g.lat)/\(g.lon)"
            } else {
                mapURL = "https://www.openstreetmap.org/search?query=" + "\(l.address), \(l.postalCode) \(l.city)".urlQueryEncoded
            }
            let fields: TemplateFields = ["name": .string(l.name), "address": .string(l.address), "postalCode": .string(l.postalCode),
                                          "city": .string(l.city), "municipality": .string(gov.municipality(l.municipality)?.name ?? l.municipality),
                                          "mapURL": .string(mapURL)]
            return fields.value
        })
        offer["hasLocations"] = .bool(!o.locations.isEmpty)
        // Price
        let price = priceText(o, loc)
        let access = OfferAccess(o, gov, lang)
        var priceDetails: [String] = []
        if access.frikort { priceDetails.append(loc("price_frikort")) }
        if access.freeForRelatives { priceDetails.append(loc("price_free_relatives")) }
        if let fee = access.noShowFee, fee > 0 { priceDetails.append(loc.format("price_no_show", ["amount": Self.kroner(fee)])) }
        offer["price"] = .string(([price] + priceDetails).joined(separator: ". "))
        // Relatives
        offer["relatives"] = false
        if let welcome = access.relativesWelcome {
            let fields: TemplateFields = ["label": .string(gov.fields.offerField("relatives")?.label(lang) ?? "relatives"),
                                          "value": .string(loc(welcome ? "value_yes" : "value_no")), "note": .text(access.relativesNote)]
            offer["relatives"] = fields.value
        }
        offer["priceNote"] = .text(o.price.note)
        // Sign-up and contact
        var signup: TemplateFields = ["url": .text(o.signup.url), "phone": .text(o.signup.phone), "email": .text(o.signup.email), "deadline": false]
        let hasSignup = o.signup.url != nil || o.signup.phone != nil || o.signup.email != nil
        if let p = o.signup.phone { signup["phoneHref"] = .string("tel:" + Phone.e164(p)) }
        if let d = o.signup.deadline {
            signup["deadline"] = .string(loc.date(d))
            signup["deadlineISO"] = .string(d.iso)
            signup["deadlinePassed"] = .bool(d < catalog.today)
        }
        offer["signup"] = hasSignup ? signup.value : false
        // An ended offer takes no sign-ups: the page keeps contact details, not a call to action.
        // The call to action follows the access mode: sign-up where people may come themselves, a referral (with a box
        // for the referring clinician) where they may be referred, both where both apply.
        offer["showSignup"] = .bool(o.state != .ended && access.selfSignup)
        offer["referralCTA"] = o.state != .ended && access.referral ? referralCTA(access, gov, loc, referralText: loc.strings["referral_\(o.referral)"] as? String).value : false
        var contact: TemplateFields = ["name": .text(o.contact.name), "phone": .text(o.contact.phone), "email": .text(o.contact.email)]
        let hasContact = o.contact.name != nil || o.contact.phone != nil || o.contact.email != nil
        if let p = o.contact.phone { contact["phoneHref"] = .string("tel:" + Phone.e164(p)) }
        offer["contact"] = hasContact ? contact.value : false
        // State
        offer["notice"] = false
        switch o.state {
        case .due:
            offer["notice"] = (["kind": "due", "text": .string(loc.format("notice_due", ["date": loc.date(o.lastReviewed)])),
                                "links": [], "hasLinks": false] as TemplateFields).value
        case .stale:
            offer["notice"] = (["kind": "stale", "text": .string(loc.format("notice_stale", ["date": loc.date(o.lastReviewed)])),
                                "links": [], "hasLinks": false] as TemplateFields).value
        case .ended:
            offer["notice"] = (["kind": "ended", "text": .string(loc("notice_ended")), "links": vocabLinks(o.topics, .topics, lang),
                                "hasLinks": .bool(!o.topics.isEmpty)] as TemplateFields).value
        default: break
        }
        // Translations
        offer["translations"] = .list(translated.filter { $0 != lang }.map { l in
            (["hreflang": .string(l), "url": .string(url(path, l)), "name": .string(languageName(l, in: l))] as TemplateFields).value
        })
        offer["hasTranslations"] = .bool(translated.contains { $0 != lang })
        ctx["jsonLD"] = .bytes(StructuredData.jsonLDBytes(renderer: self, index: i, language: lang))
        let trail = breadcrumbs(i, lang, title: text.title)
        ctx["breadcrumbs"] = trail.links
        ctx["breadcrumbLD"] = .bytes(trail.jsonLD)
        ctx["offer"] = offer.value
        return page("offer", ctx, lang)
    }

    /// The referral call to action: its heading, who may refer, and the box for the referring clinician.
    private func referralCTA(_ access: OfferAccess, _ gov: Governance, _ loc: Localizer, referralText: String?) -> TemplateFields {
        let heading = access.selfSignup ? "referral_heading_also" : access.gp ? "referral_heading_gp" : "referral_heading"
        let declaration = gov.fields.offerField("referral_recipient")
        func label(_ name: String) -> String { declaration?.field(name)?.label(loc.language) ?? name }
        var rows: [TemplateValue] = []
        func row(_ name: String, _ value: String?, href: String? = nil) {
            guard let value, !value.isEmpty else { return }
            rows.append((["label": .string(label(name)), "value": .string(value), "href": .text(href)] as TemplateFields).value)
        }
        row("unit", access.recipient("unit"))
        let place = [access.recipient("postal_code"), access.recipient("city")].compactMap { $0 }.joined(separator: " ")
        row("address", [access.recipient("address"), place.isEmpty ? nil : place].compactMap { $0 }.joined(separator: ", "))
        if let p = access.recipient("phone") { row("phone", p, href: "tel:" + Phone.e164(p)) }
        if let e = access.recipient("email") { row("email", e, href: "mailto:" + e) }
        row("her_id", access.recipient("her_id"))
        let html = access.clinicianHTML
        var fields: TemplateFields = [
            "heading": .string(loc(heading)),
            "from": access.referrers.isEmpty ? false : .string(loc.format("referral_from", ["who": access.referrers.joined(separator: ", ")])),
            // With no referrers named, the referral's own sentence ("Frisklivsresept – få den hos fastlegen …") says who.
            "referralText": access.referrers.isEmpty && !access.selfSignup ? .text(referralText) : false,
            "recipient": .list(rows),
            "hasRecipient": .bool(!rows.isEmpty),
            "clinicianHTML": .text(html),
        ]
        fields["hasClinician"] = .bool(!rows.isEmpty || html != nil)
        return fields
    }

    static func kroner(_ n: Int) -> String {
        // 1 500, with a no-break space as thousands separator.
        let s = String(n)
        var out = ""
        for (i, c) in s.enumerated() {
            if i > 0 && (s.count - i) % 3 == 0 { out.append("\u{00A0}") }
            out.append(c)
        }
        return out
    }

    typealias Section = (heading: String?, offers: [Int], more: (url: String, text: String)?)

    /// A page of offer cards in one or more sections; `total` overrides the count shown (default: the cards); `filter`
    /// is the search page's query string for the page's facet (`tema=søvn`), for its "Filtrer" link.
    func listPage(path: String, lang: String, heading: String, intro: String?, sections: [Section], extra: TemplateFields = [:],
                  total: Int? = nil, filter: String? = nil) -> [UInt8] {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: path, title: heading, description: intro)
        let total = total ?? sections.reduce(0) { $0 + $1.offers.count }
        ctx["heading"] = .string(heading)
        ctx["intro"] = intro.map { .string($0) } ?? false
        ctx["provider"] = false
        ctx["filterURL"] = filter.map { .string(url(SitePaths.search, lang) + "?" + $0) } ?? false
        ctx["sortable"] = .bool(sections.contains { $0.offers.count > 1 })
        ctx["count"] = .string(loc.format(total == 1 ? "offers_count_one" : "offers_count", ["n": String(total)]))
        ctx["sections"] = .list(sections.map { s -> TemplateValue in
            var d: TemplateFields = ["offers": cardList(s.offers, lang), "empty": .bool(s.offers.isEmpty),
                                     "sectionHeading": s.heading.map { .string($0) } ?? false, "more": false]
            if let m = s.more { d["more"] = (["url": .string(m.url), "text": .string(m.text)] as TemplateFields).value }
            return d.value
        })
        for (k, v) in zip(extra.keys, extra.values) { ctx[k.name] = v }
        return page("list", ctx, lang, capacity: 32_768 + sections.reduce(0) { $0 + cardBytes($1.offers, lang) })
    }

    func municipalityPage(_ code: String, _ lang: String, _ x: ListIndexes) -> [UInt8] {
        let loc = localizer(lang)
        let m = catalog.governance.municipality(code)
        let name = m?.name ?? code
        let local = x.byMunicipality[code] ?? []
        // A national offer that also names this municipality is shown once, with the local ones. Those are the local
        // offers that are national (usually none), so the long national list is only walked as far as it is shown.
        let alsoLocal = local.filter { published[$0].national }
        let nationalCount = x.national.count - alsoLocal.count
        var inline: [Int] = []
        inline.reserveCapacity(Self.nationalInline)
        for i in x.national where !alsoLocal.contains(i) {
            if inline.count == Self.nationalInline { break }
            inline.append(i)
        }
        let more: (String, String)? = nationalCount > inline.count
            ? (url(SitePaths.national, lang), loc.format("more_national", ["n": String(x.national.count)])) : nil
        let county = m?.countyName ?? ""
        let intro = county.isEmpty || county == name
            ? loc.format("municipality_intro_short", ["name": name])
            : loc.format("municipality_intro", ["name": name, "county": county])
        return listPage(path: SitePaths.municipality(code), lang: lang, heading: name, intro: intro,
                        sections: [(loc.format("municipality_local", ["name": name]), local, nil),
                                   (loc("municipality_national"), inline, more)],
                        total: local.count + nationalCount, filter: "kommune=" + code)
    }

    func providerPage(_ i: Int, _ lang: String, _ x: ListIndexes) -> [UInt8] {
        let p = catalog.providers[i]
        let loc = localizer(lang)
        var info: TemplateFields = [
            "name": .string(p.name),
            "type": .string(catalog.governance.vocabulary(.providerType)[p.type]?.label(lang) ?? p.type),
            "municipality": .string(catalog.governance.municipality(p.municipality)?.name ?? p.municipality),
            "orgNumber": .string(p.orgNumber),
            "website": .text(p.website), "email": .text(p.email), "phone": .text(p.phone),
        ]
        if let ph = p.phone { info["phoneHref"] = .string("tel:" + Phone.e164(ph)) }
        return listPage(path: SitePaths.provider(p.id), lang: lang, heading: p.name, intro: nil,
                        sections: [(loc("provider_offers"), x.byProvider[p.id] ?? [], nil)], extra: ["provider": info.value])
    }

    /// Links to the list pages of the entries of `name` (one of those `SitePaths.entry` gives a page).
    func vocabularyIndex(_ name: VocabularyName, _ lang: String, counts: [String: [Int]]) -> [[String: Any]] {
        catalog.governance.vocabulary(name).entries.map { e in
            ["label": e.label(lang), "url": url(SitePaths.entry(name, e.id) ?? "", lang), "count": counts[e.id]?.count ?? 0] as [String: Any]
        }
    }

    /// Counties in Norwegian alphabetical order (æ, ø, å last), each with its municipalities in the same order.
    ///
    /// `count` is the number of local offers (national ones come on top everywhere); it is false when there are none,
    /// so lists do not show a discouraging "(0)".
    func counties(_ lang: String, _ x: ListIndexes) -> [[String: Any]] {
        var order: [String] = []
        var groups: [String: (name: String, municipalities: [[String: Any]], offers: Set<Int>)] = [:]
        for m in catalog.governance.municipalities {
            if groups[m.countyCode] == nil { order.append(m.countyCode); groups[m.countyCode] = (m.countyName, [], []) }
            let local = x.byMunicipality[m.code] ?? []
            groups[m.countyCode]?.municipalities.append(["name": m.name, "url": url(SitePaths.municipality(m.code), lang),
                                                         "count": local.isEmpty ? false : local.count as Any])
            groups[m.countyCode]?.offers.formUnion(local)
        }
        let byName = order.map { (key: NorwegianSort.key(groups[$0]?.name ?? $0), code: $0) }
            .sorted { $0.key != $1.key ? $0.key < $1.key : $0.code < $1.code }.map(\.code)
        return byName.map { c in
            let g = groups[c]!
            let keyed = g.municipalities.map { (key: NorwegianSort.key($0["name"] as? String ?? ""), url: $0["url"] as? String ?? "", value: $0) }
            let sorted = keyed.sorted { $0.key != $1.key ? $0.key < $1.key : $0.url < $1.url }.map(\.value)
            return ["code": c, "name": g.name, "municipalities": sorted, "id": "fylke-\(c)",
                    "count": g.offers.isEmpty ? false : g.offers.count as Any]
        }
    }

    func homePage(_ lang: String, _ x: ListIndexes) -> [UInt8] {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: SitePaths.home, title: catalog.site.title[lang] ?? "", description: catalog.site.tagline[lang])
        ctx["topics"] = TemplateValue(vocabularyIndex(.topics, lang, counts: x.byTopic))
        ctx["kinds"] = TemplateValue(vocabularyIndex(.kind, lang, counts: x.byKind))
        ctx["audiences"] = TemplateValue(vocabularyIndex(.audiences, lang, counts: x.byAudience))
        ctx["counties"] = TemplateValue(counties(lang, x))
        ctx["nationalURL"] = .string(url(SitePaths.national, lang))
        ctx["nationalCount"] = .string(String(x.national.count))
        ctx["total"] = .string(loc.format("offers_total", ["n": String(x.all.count)]))
        // "Starting soon" shows dated runs; offers with continuous intake would crowd them out.
        let dated = x.all.filter { published[$0].nextStart != nil }
        ctx["upcoming"] = cardList((dated.isEmpty ? x.all : dated).prefix(6), lang)
        ctx["hasUpcoming"] = .bool(!x.all.isEmpty)
        return page("home", ctx, lang)
    }

    func municipalitiesPage(_ lang: String, _ x: ListIndexes) -> [UInt8] {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: SitePaths.municipalities, title: loc("municipalities_heading"), description: loc("municipalities_intro"))
        ctx["counties"] = TemplateValue(counties(lang, x))
        ctx["nationalURL"] = .string(url(SitePaths.national, lang))
        ctx["nationalCount"] = .string(String(x.national.count))
        return page("municipalities", ctx, lang)
    }

    func simplePage(_ template: String, _ path: String, _ lang: String, titleKey: String, canonical: Bool = true) -> [UInt8] {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: path, title: loc(titleKey), description: nil, canonical: canonical)
        ctx["topics"] = TemplateValue(vocabularyIndex(.topics, lang, counts: [:]))
        ctx["municipalitiesURL"] = .string(url(SitePaths.municipalities, lang))
        return page(template, ctx, lang)
    }
}
