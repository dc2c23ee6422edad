import Foundation
import TilbudHTML
import TilbudModel
import TilbudRender
import TilbudOutput

/// `/feed.xml`: an Atom feed of the 50 most recently reviewed current offers.
public struct AtomFeedStep: OutputStep {
    /// How many entries the feed has at most.
    public static let limit = 50

    /// Creates the step.
    public init() {}

    /// Writes the feed.
    public func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
        try write(FeedContext(published: published), writer: writer)
    }

    /// Atom's date-time for a day (midnight UTC).
    static func stamp(_ d: Day) -> String { d.iso + "T00:00:00Z" }

    /// The entries: listed offers, most recently reviewed first (then by id).
    public static func entries(_ c: FeedContext) -> [Int] {
        let published = c.published.offers
        let keys = c.listed.map { (index: $0, reviewed: published[$0].lastReviewed.ordinal, id: published[$0].id) }
        let sorted = keys.sorted { a, b in a.reviewed != b.reviewed ? a.reviewed > b.reviewed : a.id < b.id }
        return sorted.prefix(limit).map(\.index)
    }

    /// Writes the feed with a prepared context.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        try FeedTask.run(tasks(c), with: writer)
    }

    /// The feed, to be made.
    public func tasks(_ c: FeedContext) -> [FeedTask] {
        [FeedTask(SitePaths.feed, cost: 400_000) { self.feed(c) }]
    }

    /// The feed's bytes.
    func feed(_ c: FeedContext) -> [UInt8] {
        let lang = c.defaultLanguage
        let entries = Self.entries(c)
        let gov = c.catalog.governance
        let x = XMLWriter()
        x.startDocument()
        x.startElement("feed")
        x.attribute("xmlns", "http://www.w3.org/2005/Atom")
        x.attribute("xml:lang", lang)
        x.element("id", text: c.baseURL)
        x.element("title", text: c.catalog.site.title[lang] ?? "Tilbud")
        if let tagline = c.catalog.site.tagline[lang], !tagline.isEmpty { x.element("subtitle", text: tagline) }
        let newest = entries.map { FeedContext.lastModified(c.offer($0)) }.max() ?? c.catalog.today
        x.element("updated", text: Self.stamp(newest))
        link(x, rel: "self", href: c.baseURL + SitePaths.feed, type: "application/atom+xml")
        link(x, rel: "alternate", href: c.baseURL, type: "text/html")
        x.startElement("author")
        x.element("name", text: c.catalog.site.title[lang] ?? "Tilbud")
        x.element("uri", text: c.baseURL)
        x.endElement()
        x.element("generator", text: "Tilbud")
        for i in entries {
            let o = c.offer(i)
            let text = c.published.texts[i][lang]
            x.startElement("entry")
            x.element("id", text: c.pageURL(o, lang))
            x.element("title", text: o.title)
            x.element("updated", text: Self.stamp(FeedContext.lastModified(o)))
            if let p = o.published { x.element("published", text: Self.stamp(p)) }
            for l in c.textLanguages(o) {
                link(x, rel: "alternate", href: c.pageURL(o, l), type: "text/html", hreflang: l)
            }
            link(x, rel: "alternate", href: c.apiBase + SitePaths.apiOffer(o.id), type: "application/json")
            x.startElement("author")
            x.element("name", text: c.provider(of: o)?.name ?? o.providerID)
            x.element("uri", text: c.paths.absoluteURL(SitePaths.provider(o.providerID), lang))
            x.endElement()
            category(x, term: o.kind, scheme: c.apiBase + "vocabularies.json#kind", label: gov.vocabulary(.kind)[o.kind]?.label(lang))
            for t in o.topics {
                category(x, term: t, scheme: c.apiBase + "vocabularies.json#topics", label: gov.vocabulary(.topics)[t]?.label(lang))
            }
            x.element("summary", text: o.summary)
            x.startElement("content")
            x.attribute("type", "html")
            x.text(text?.bodyHTML ?? "")
            x.endElement()
            x.endElement()
        }
        x.endDocument()
        return Array(x.finish().utf8)
    }

    func link(_ x: XMLWriter, rel: String, href: String, type: String, hreflang: String? = nil) {
        x.startElement("link")
        x.attribute("rel", rel)
        x.attribute("type", type)
        if let hreflang { x.attribute("hreflang", hreflang) }
        x.attribute("href", href)
        x.endElement()
    }

    func category(_ x: XMLWriter, term: String, scheme: String, label: String?) {
        x.startElement("category")
        x.attribute("term", term)
        x.attribute("scheme", scheme)
        if let label { x.attribute("label", label) }
        x.endElement()
    }
}

/// `/sitemap.xml` (every canonical page with its `hreflang` alternates and `lastmod`) and `/robots.txt`.
///
/// A page shown untranslated in another language points its canonical at the original, so only the
/// languages an offer's text exists in are listed for it. Above 50,000 addresses the sitemap becomes
/// an index of `sitemap-N.xml` files.
public struct SitemapStep: OutputStep {
    /// Addresses per sitemap file (the protocol allows 50,000).
    public static let perFile = 40_000

    /// Creates the step.
    public init() {}

    /// Writes the sitemap and robots.txt.
    public func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
        try write(FeedContext(published: published), writer: writer)
    }

    /// One page in every language it exists in.
    public struct Page: Sendable {
        /// Path under the language prefix, e.g. `tilbud/x/y/`.
        public let path: String
        /// Languages, the default first.
        public let languages: [String]
        /// Last modified.
        public let lastmod: Day
    }

    /// Every canonical page, in the order the pages are written (`PublishedCatalog.jobs`).
    public static func pages(_ c: FeedContext) -> [Page] {
        let r = c.published
        let x = r.indexes()
        // Read from the array in place: binding an offer to a constant would copy it (and retain each of its fields).
        let modified = r.offers.withUnsafeBufferPointer { p in p.indices.map { FeedContext.lastModified(p[$0]) } }
        func newest(_ list: [Int]?) -> Day? { list?.lazy.map { modified[$0] }.max() }
        // The newest day of each list, computed once (every list page exists in each language).
        func newestOf(_ lists: [String: [Int]]) -> [String: Day] { lists.compactMapValues { newest($0) } }
        let all = newest(x.all) ?? c.catalog.today
        let national = newest(x.national)
        let byTopic = newestOf(x.byTopic), byKind = newestOf(x.byKind), byAudience = newestOf(x.byAudience)
        let byMunicipality = newestOf(x.byMunicipality), byProvider = newestOf(x.byProvider)
        // Pages in order of their first job, with the languages of their jobs. An offer's page is found by its number
        // (its path is made once); the other pages, a few per vocabulary id, municipality and provider, by their path.
        var entries: [(path: String, langs: [String], lastmod: Day)] = []
        var offerEntry = [Int](repeating: -1, count: r.offers.count)
        var pathEntry: [String: Int] = [:]
        for job in r.jobs() {
            var lastmod = all
            switch job {
            case .notFound: continue
            case let .offer(i, lang):
                // Offer jobs are made only in the languages the offer has a page in (its text exists in);
                // the page is `outputPath(job)` without its language folder and index.html, i.e. the offer's path.
                if offerEntry[i] < 0 {
                    offerEntry[i] = entries.count
                    let path = r.offerPath(i)
                    entries.append((path, [], modified[i]))
                }
                entries[offerEntry[i]].langs.append(lang)
                continue
            case let .topic(id, _): lastmod = byTopic[id] ?? all
            case let .kind(id, _): lastmod = byKind[id] ?? all
            case let .audience(id, _): lastmod = byAudience[id] ?? all
            case let .municipality(code, _): lastmod = [byMunicipality[code], national].compactMap { $0 }.max() ?? all
            case .national: lastmod = national ?? all
            case let .provider(i, _): lastmod = byProvider[c.catalog.providers[i].id] ?? all
            default: break
            }
            var relative = r.outputPath(job)
            var lang = c.defaultLanguage
            if let slash = relative.firstIndex(of: "/"), case let first = String(relative[..<slash]), first != c.defaultLanguage,
               c.languages.contains(first) {
                lang = first
                relative = String(relative[relative.index(after: slash)...])
            }
            if relative.hasSuffix("index.html") { relative.removeLast("index.html".count) }
            if let n = pathEntry[relative] {
                entries[n].langs.append(lang)
            } else {
                pathEntry[relative] = entries.count
                entries.append((relative, [lang], lastmod))
            }
        }
        return entries.map { e in Page(path: e.path, languages: c.languages.filter { e.langs.contains($0) }, lastmod: e.lastmod) }
    }

    /// Writes with a prepared context.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        try FeedTask.run(tasks(c, writer: writer), with: writer)
    }

    /// The sitemap and robots.txt, to be made. The pages are gathered inside the task, on whichever core is free;
    /// above `perFile` addresses the task writes `sitemap-N.xml` one after the other and returns the index.
    public func tasks(_ c: FeedContext, writer: OutputWriter) -> [FeedTask] {
        let estimate = c.published.offers.count * 2 + 1_000
        return [
            FeedTask(SitePaths.sitemap, cost: estimate * 400) {
                let pages = Self.pages(c)
                var urls: [(page: Int, lang: String)] = []
                for (n, p) in pages.enumerated() { for l in p.languages { urls.append((n, l)) } }
                if urls.count <= Self.perFile { return self.urlset(pages, urls[...], c) }
                let chunks = stride(from: 0, to: urls.count, by: Self.perFile).map { $0..<min($0 + Self.perFile, urls.count) }
                let x = XMLWriter()
                x.startDocument()
                x.startElement("sitemapindex")
                x.attribute("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
                for (n, range) in chunks.enumerated() {
                    let name = "sitemap-\(n + 1).xml"
                    try self.urlset(pages, urls[range], c).withUnsafeBytes { try writer.write(name, bytes: $0) }
                    x.startElement("sitemap")
                    x.element("loc", text: c.baseURL + name)
                    if let newest = urls[range].map({ pages[$0.page].lastmod }).max() { x.element("lastmod", text: newest.iso) }
                    x.endElement()
                }
                x.endDocument()
                return Array(x.finish().utf8)
            },
            FeedTask(SitePaths.robots) { Array("User-agent: *\nAllow: /\n\nSitemap: \(c.baseURL)\(SitePaths.sitemap)\n".utf8) },
        ]
    }

    /// A `urlset` document of `urls` (a page of `pages` and one of its languages each), with each page's address,
    /// `lastmod` and, for a page in more than one language, its alternates; laid out as `XMLWriter` lays it out.
    /// Written straight to bytes: each language's root URL is escaped once, and a page's alternates once for all
    /// of its languages.
    func urlset(_ pages: [Page], _ urls: ArraySlice<(page: Int, lang: String)>, _ c: FeedContext) -> [UInt8] {
        var x = XMLBytes()
        x.bytes.reserveCapacity(urls.count * 420 + 256)
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        x.append(#"<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml""#)
        guard !urls.isEmpty else {
            x.append("/>\n")
            return x.bytes
        }
        x.append(">\n")
        var roots: [String: (text: [UInt8], attribute: [UInt8])] = [:]
        func root(_ lang: String) -> (text: [UInt8], attribute: [UInt8]) {
            if let known = roots[lang] { return known }
            let url = c.paths.absoluteURL(SitePaths.home, lang)
            let escaped = (XMLBytes.escapedText(url), XMLBytes.escapedAttribute(url))
            roots[lang] = escaped
            return escaped
        }
        var alternates = (page: -1, bytes: [UInt8]())
        for (n, lang) in urls {
            let page = pages[n]
            x.append("  <url>\n    <loc>")
            x.append(root(lang).text)
            x.text(page.path)
            x.append("</loc>\n    <lastmod>")
            x.day(page.lastmod)
            x.append("</lastmod>\n")
            if page.languages.count > 1 {
                if alternates.page != n {
                    var a = XMLBytes()
                    let path = XMLBytes.escapedAttribute(page.path)
                    func alternate(_ hreflang: String, _ lang: String) {
                        a.append(#"    <xhtml:link rel="alternate" hreflang=""#)
                        a.attribute(hreflang)
                        a.append(#"" href=""#)
                        a.append(root(lang).attribute)
                        a.append(path)
                        a.append("\"/>\n")
                    }
                    for l in page.languages { alternate(l, l) }
                    alternate("x-default", c.defaultLanguage)
                    alternates = (n, a.bytes)
                }
                x.append(alternates.bytes)
            }
            x.append("  </url>\n")
        }
        x.append("</urlset>\n")
        return x.bytes
    }
}

/// The whole feed as one build step: JSON API, FHIR export, Atom feed, sitemap and robots.txt.
public struct FeedStep: OutputStep {
    /// How offers and FHIR resources are streamed.
    let offers: Batching, resources: Batching

    /// Creates the step (the batchings only change how the work is cut up, never the output).
    public init(offers: Batching = .offers, resources: Batching = .resources) {
        self.offers = offers
        self.resources = resources
    }

    /// Writes everything, streaming: the offers (their files and `offers.json`) and the FHIR resources (their files and the
    /// Bundle) are made on all cores a window at a time and written as they are made; then every other file (lists,
    /// vocabularies, schemas, OpenAPI, Atom, sitemap, robots.txt) is made and written by whichever core is free,
    /// the largest first. No more than a window of records, or one list file per core, is held at once.
    public func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
        let c = FeedContext(published: published)
        let api = JSONAPIStep(batching: offers)
        let references = try api.writeOffers(c, writer: writer)
        try FHIRStep(batching: resources).write(c, writer: writer)
        try FeedTask.run(api.tasks(c, references: references) + AtomFeedStep().tasks(c) + SitemapStep().tasks(c, writer: writer)
                         + OfferCalendar.tasks(c),
                         with: writer)
    }
}
