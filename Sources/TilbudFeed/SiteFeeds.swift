import Foundation
import TilbudHTML
import TilbudModel
import TilbudRender
import TilbudSite

/// `/feed.xml`: an Atom feed of the 50 most recently reviewed current offers.
public struct AtomFeedStep: OutputStep {
    /// How many entries the feed has at most.
    public static let limit = 50

    /// Creates the step.
    public init() {}

    /// Writes the feed.
    public func write(catalog: Catalog, renderer: SiteRenderer, writer: OutputWriter) throws {
        try write(FeedContext(catalog: catalog, renderer: renderer), writer: writer)
    }

    /// Atom's date-time for a day (midnight UTC).
    static func stamp(_ d: Day) -> String { d.iso + "T00:00:00Z" }

    /// The entries: listed offers, most recently reviewed first (then by id).
    public static func entries(_ c: FeedContext) -> [Int] {
        let published = c.renderer.published
        let keys = c.listed.map { (index: $0, reviewed: published[$0].lastReviewed.ordinal, id: published[$0].id) }
        let sorted = keys.sorted { a, b in a.reviewed != b.reviewed ? a.reviewed > b.reviewed : a.id < b.id }
        return sorted.prefix(limit).map(\.index)
    }

    /// Writes the feed with a prepared context.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        try FeedFile.write(files(c), with: writer)
    }

    /// The feed.
    public func files(_ c: FeedContext) -> [FeedFile] {
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
        link(x, rel: "self", href: c.baseURL + "feed.xml", type: "application/atom+xml")
        link(x, rel: "alternate", href: c.baseURL, type: "text/html")
        x.startElement("author")
        x.element("name", text: c.catalog.site.title[lang] ?? "Tilbud")
        x.element("uri", text: c.baseURL)
        x.endElement()
        x.element("generator", text: "Tilbud")
        for i in entries {
            let o = c.offer(i)
            let text = c.renderer.texts[i][lang]
            x.startElement("entry")
            x.element("id", text: c.pageURL(o, lang))
            x.element("title", text: o.title)
            x.element("updated", text: Self.stamp(FeedContext.lastModified(o)))
            if let p = o.published { x.element("published", text: Self.stamp(p)) }
            for l in c.textLanguages(o) {
                link(x, rel: "alternate", href: c.pageURL(o, l), type: "text/html", hreflang: l)
            }
            link(x, rel: "alternate", href: c.apiBase + "offers/" + o.id + ".json", type: "application/json")
            x.startElement("author")
            x.element("name", text: c.provider(of: o)?.name ?? o.providerID)
            x.element("uri", text: c.renderer.absoluteURL("tilbyder/\(o.providerID)/", lang))
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
        return [FeedFile("feed.xml", x.finish())]
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
    public func write(catalog: Catalog, renderer: SiteRenderer, writer: OutputWriter) throws {
        try write(FeedContext(catalog: catalog, renderer: renderer), writer: writer)
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

    /// Every canonical page, in the renderer's order.
    public static func pages(_ c: FeedContext) -> [Page] {
        let r = c.renderer
        let x = r.indexes()
        let published = r.published
        func newest(_ list: [Int]?) -> Day? { list?.map { FeedContext.lastModified(published[$0]) }.max() }
        let all = newest(x.all) ?? c.catalog.today
        let national = newest(x.national)
        var order: [String] = []
        var byPath: [String: (langs: [String], lastmod: Day)] = [:]
        for job in r.jobs() {
            var lastmod = all
            switch job {
            case .notFound: continue
            case let .offer(i, lang):
                if lang != c.defaultLanguage, published[i].translations[lang] == nil { continue }
                lastmod = FeedContext.lastModified(published[i])
            case let .topic(id, _): lastmod = newest(x.byTopic[id]) ?? all
            case let .kind(id, _): lastmod = newest(x.byKind[id]) ?? all
            case let .audience(id, _): lastmod = newest(x.byAudience[id]) ?? all
            case let .municipality(code, _): lastmod = [newest(x.byMunicipality[code]), national].compactMap { $0 }.max() ?? all
            case .national: lastmod = national ?? all
            case let .provider(i, _): lastmod = newest(x.byProvider[c.catalog.providers[i].id]) ?? all
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
            if byPath[relative] == nil {
                order.append(relative)
                byPath[relative] = ([], lastmod)
            }
            byPath[relative]!.langs.append(lang)
        }
        return order.map { p in
            let e = byPath[p]!
            return Page(path: p, languages: c.languages.filter { e.langs.contains($0) }, lastmod: e.lastmod)
        }
    }

    /// Writes with a prepared context.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        try FeedFile.write(files(c), with: writer)
    }

    /// The sitemap (or sitemap index and sitemaps) and robots.txt.
    public func files(_ c: FeedContext) -> [FeedFile] {
        let pages = Self.pages(c)
        var urls: [(Page, String)] = []
        for p in pages { for l in p.languages { urls.append((p, l)) } }
        let chunks = stride(from: 0, to: max(urls.count, 1), by: Self.perFile).map { Array(urls[$0..<min($0 + Self.perFile, urls.count)]) }
        let documents = FeedContext.parallelMap(chunks.count) { n in self.urlset(chunks[n], c) }
        var files: [FeedFile] = []
        if documents.count == 1 {
            files.append(FeedFile("sitemap.xml", documents[0]))
        } else {
            let x = XMLWriter()
            x.startDocument()
            x.startElement("sitemapindex")
            x.attribute("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
            for (n, doc) in documents.enumerated() {
                let name = "sitemap-\(n + 1).xml"
                files.append(FeedFile(name, doc))
                x.startElement("sitemap")
                x.element("loc", text: c.baseURL + name)
                if let newest = chunks[n].map({ $0.0.lastmod }).max() { x.element("lastmod", text: newest.iso) }
                x.endElement()
            }
            x.endDocument()
            files.append(FeedFile("sitemap.xml", x.finish()))
        }
        files.append(FeedFile("robots.txt", "User-agent: *\nAllow: /\n\nSitemap: \(c.baseURL)sitemap.xml\n"))
        return files
    }

    func urlset(_ urls: [(Page, String)], _ c: FeedContext) -> String {
        let x = XMLWriter()
        x.startDocument()
        x.startElement("urlset")
        x.attribute("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9")
        x.attribute("xmlns:xhtml", "http://www.w3.org/1999/xhtml")
        for (page, lang) in urls {
            x.startElement("url")
            x.element("loc", text: c.renderer.absoluteURL(page.path, lang))
            x.element("lastmod", text: page.lastmod.iso)
            if page.languages.count > 1 {
                for l in page.languages { alternate(x, l, c.renderer.absoluteURL(page.path, l)) }
                alternate(x, "x-default", c.renderer.absoluteURL(page.path, c.defaultLanguage))
            }
            x.endElement()
        }
        x.endDocument()
        return x.finish()
    }

    func alternate(_ x: XMLWriter, _ lang: String, _ href: String) {
        x.startElement("xhtml:link")
        x.attribute("rel", "alternate")
        x.attribute("hreflang", lang)
        x.attribute("href", href)
        x.endElement()
    }
}

/// The whole feed as one build step: JSON API, FHIR export, Atom feed, sitemap and robots.txt.
public struct FeedStep: OutputStep {
    /// Creates the step.
    public init() {}

    /// Writes everything, part by part: a part's files are made on all cores, then written side by side, and
    /// dropped before the next part is made. The Atom feed and the sitemap, made on one core, are made meanwhile.
    public func write(catalog: Catalog, renderer: SiteRenderer, writer: OutputWriter) throws {
        let c = FeedContext(catalog: catalog, renderer: renderer)
        let xml = ResultsBox<[FeedFile]>(1)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { xml.set(0, AtomFeedStep().files(c) + SitemapStep().files(c)) }
        try FeedFile.write(JSONAPIStep().files(c), with: writer)
        try FeedFile.write(FHIRStep().files(c), with: writer)
        group.wait()
        try FeedFile.write(xml.values()[0], with: writer)
    }
}
