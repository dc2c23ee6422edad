import TilbudHTML
import TilbudJSON
import TilbudMarkdown
import TilbudModel

/// The pages that make every URL prefix a page (the indexes of topics, kinds, audiences, providers and offers), the
/// site's own pages from `site.yaml` (about, privacy, the accessibility statement), and the breadcrumbs of an
/// offer's page.
extension SiteRenderer {
    /// One entry of an index page: a link, its count or note, and the language its label is in when not the page's.
    private func indexItem(_ label: String, _ url: String, count: Int?, note: String? = nil, textLang: String? = nil) -> TemplateValue {
        let fields: TemplateFields = ["label": .string(label), "url": .string(url), "count": count.map { .string(String($0)) } ?? false,
                                      "note": note.map { .string($0) } ?? false, "textLang": textLang.map { .string($0) } ?? false]
        return fields.value
    }

    /// A page of `index.mustache`: a heading, an intro, groups of links, and a link onwards.
    private func indexPage(_ path: String, _ lang: String, title: String, intro: String, groups: [(heading: String?, items: [TemplateValue])],
                           more: (url: String, text: String)? = nil) -> [UInt8] {
        var ctx = baseContext(lang, path: path, title: title, description: intro)
        ctx["intro"] = .string(intro)
        ctx["groups"] = .list(groups.enumerated().map { n, g in
            (["heading": g.heading.map { .string($0) } ?? false, "id": .string("gruppe-\(n + 1)"), "items": .list(g.items),
              "empty": .bool(g.items.isEmpty)] as TemplateFields).value
        })
        ctx["more"] = more.map { (["url": .string($0.url), "text": .string($0.text)] as TemplateFields).value } ?? false
        return page("index", ctx, lang)
    }

    /// `tema/`, `type/`, `malgruppe/`: every entry of the vocabulary in its governance order, with its count.
    func vocabularyIndexPage(_ name: VocabularyName, _ lang: String, _ x: ListIndexes) -> [UInt8] {
        let loc = localizer(lang)
        let (counts, key): ([String: [Int]], String) = switch name {
        case .kind: (x.byKind, "kinds")
        case .audiences: (x.byAudience, "audiences")
        default: (x.byTopic, "topics")
        }
        let items = vocabularyIndex(name, lang, counts: counts).map { e in
            indexItem(e["label"] as? String ?? "", e["url"] as? String ?? "", count: e["count"] as? Int)
        }
        return indexPage(SitePaths.index(name) ?? SitePaths.topics, lang, title: loc("index_\(key)_heading"), intro: loc("index_\(key)_intro"),
                         groups: [(nil, items)])
    }

    /// The providers `count` gives offers to (every one when `all`), in Norwegian alphabetical order (æ, ø, å last),
    /// each with its count and a link to `path(id)`.
    private func providerItems(_ lang: String, all: Bool, count: (String) -> Int, path: (String) -> String) -> [TemplateValue] {
        catalog.providers.filter { all || count($0.id) > 0 }.map { p in (key: NorwegianSort.key(p.name), p: p) }
            .sorted { $0.key != $1.key ? $0.key < $1.key : $0.p.id < $1.p.id }
            .map { indexItem($0.p.name, url(path($0.p.id), lang), count: count($0.p.id)) }
    }

    /// `tilbyder/`: every provider, with its number of listed offers.
    func providersPage(_ lang: String, _ x: ListIndexes) -> [UInt8] {
        let loc = localizer(lang)
        return indexPage(SitePaths.providers, lang, title: loc("index_providers_heading"), intro: loc("index_providers_intro"),
                         groups: [(nil, providerItems(lang, all: true, count: { x.byProvider[$0]?.count ?? 0 }, path: SitePaths.provider))])
    }

    /// `tilbud/`: every offer that has a page, grouped by provider (each group a page of its own, `tilbud/<provider>/`).
    func offersPage(_ lang: String, _ x: ListIndexes) -> [UInt8] {
        let loc = localizer(lang)
        return indexPage(SitePaths.offers, lang, title: loc("index_offers_heading"), intro: loc("index_offers_intro"),
                         groups: [(nil, providerItems(lang, all: false, count: { x.publishedByProvider[$0]?.count ?? 0 }, path: SitePaths.providerOffers))],
                         more: (url(SitePaths.search, lang), loc("index_offers_search")))
    }

    /// `tilbud/<provider>/`: every published offer of a provider in alphabetical order; ended and outdated ones marked.
    func providerOffersPage(_ i: Int, _ lang: String, _ x: ListIndexes) -> [UInt8] {
        let p = catalog.providers[i]
        let loc = localizer(lang)
        let items = (x.publishedByProvider[p.id] ?? []).map { k -> (key: String, id: String, item: TemplateValue) in
            let text = texts[k][lang] ?? texts[k]["nb"]
            let title = text?.title ?? published[k].title
            let note: String? = switch published[k].state {
            case .ended: loc("index_offer_ended")
            case .stale: loc("index_offer_stale")
            default: nil
            }
            let textLang = text.flatMap { $0.language != lang ? $0.language : nil }
            return (NorwegianSort.key(title), published[k].id, indexItem(title, offerURL(k, lang), count: nil, note: note, textLang: textLang))
        }.sorted { $0.key != $1.key ? $0.key < $1.key : $0.id < $1.id }.map(\.item)
        return indexPage(SitePaths.providerOffers(p.id), lang, title: loc.format("index_provider_offers_heading", ["name": p.name]),
                         intro: loc.format("index_provider_offers_intro", ["name": p.name]), groups: [(nil, items)],
                         more: (url(SitePaths.provider(p.id), lang), loc.format("index_provider_offers_more", ["name": p.name])))
    }

    /// The about, privacy or accessibility page: its Markdown, rendered and sanitised like an offer's body.
    func documentPage(_ kind: SiteDocument.Kind, _ lang: String) -> [UInt8] {
        guard let doc = catalog.site.document(kind), let text = doc.texts[lang] ?? doc.texts[catalog.site.languages.first ?? "nb"] else { return [] }
        let (html, _) = MarkdownRenderer().withRenderedHTML(text.markdown) { HTMLSanitizer.sanitizeWithText(utf8: $0) }
        var ctx = baseContext(lang, path: SitePaths.document(kind), title: text.title, description: text.description)
        ctx["bodyHTML"] = .string(html)
        ctx["textLang"] = text.language != lang ? .string(text.language) : false
        return page("document", ctx, lang)
    }

    /// The trail from the front page to offer `i`'s page, following its address: front page, offers, the provider's
    /// offers, the offer. As template links (`name`, `url`, `current`) and as schema.org `BreadcrumbList` JSON-LD.
    func breadcrumbs(_ i: Int, _ lang: String, title: String) -> (links: TemplateValue, jsonLD: [UInt8]) {
        let loc = localizer(lang)
        let provider = providerPosition(published[i].providerID).map { catalog.providers[$0] }
        let trail: [(name: String, path: String)] = [
            (loc("nav_home"), SitePaths.home),
            (loc("index_offers_heading"), SitePaths.offers),
            (provider?.name ?? published[i].providerID, SitePaths.providerOffers(published[i].providerID)),
            (title, offerPath(i)),
        ]
        let links = TemplateValue.list(trail.enumerated().map { n, step in
            (["name": .string(step.name), "url": .string(url(step.path, lang)), "current": .bool(n == trail.count - 1)] as TemplateFields).value
        })
        var w = JSONWriter(escaping: .html, capacity: 1024)
        w.openObject()
        w.string("@context", "https://schema.org")
        w.string("@type", "BreadcrumbList")
        w.openArray("itemListElement")
        for (n, step) in trail.enumerated() {
            w.openObject()
            w.string("@type", "ListItem")
            w.int("position", n + 1)
            w.string("name", step.name)
            w.string("item", absoluteURL(step.path, lang))
            w.closeObject()
        }
        w.closeArray()
        w.closeObject()
        return (links, w.bytes)
    }
}
