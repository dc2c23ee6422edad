import Foundation
import TilbudHTML
import TilbudMarkdown
import TilbudModel

/// An offer's text in one language, rendered once and shared by every page that shows it.
public struct RenderedText: Sendable {
    /// Title.
    public let title: String
    /// Plain-text summary.
    public let summary: String
    /// Sanitised body HTML.
    public let bodyHTML: String
    /// The body as plain text (for search and JSON).
    public let bodyText: String
    /// The language the text is actually in.
    public let language: String
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
}

/// Turns a validated catalog into pages with the templates: the render stage.
public struct SiteRenderer: Sendable {
    /// The catalog.
    public let catalog: Catalog
    /// The templates.
    public let templates: TemplateSet
    /// The absolute base URL, ending in `/`.
    public let baseURL: String
    /// The path part of the base URL, ending in `/` (links are root-relative to it).
    public let basePath: String
    /// Published offers (not draft or archived), in catalog order.
    public let published: [Offer]
    /// Rendered text per published offer, by language.
    public let texts: [[String: RenderedText]]
    /// Indexes of listed offers, in list order.
    let listed: [Int]
    private let providerIndex: [String: Int]
    /// Each published offer's list card per language, built once and shared by every list page.
    private var cardValues: [[String: TemplateValue]] = []

    /// The most national offers shown inline on a municipality page before linking to the full list.
    public static let nationalInline = 30

    /// Prepares the catalog: renders every body once, in parallel.
    public init(catalog: Catalog, templates: TemplateSet, baseURL: String? = nil) {
        self.catalog = catalog
        self.templates = templates
        var base = baseURL ?? catalog.site.baseURL
        if !base.hasSuffix("/") { base += "/" }
        self.baseURL = base
        if let schemeEnd = base.range(of: "://"), let slash = base[schemeEnd.upperBound...].firstIndex(of: "/") {
            self.basePath = String(base[slash...])
        } else {
            self.basePath = "/"
        }
        let published = catalog.offers.filter { $0.state.isPublished }
        self.published = published
        let languages = catalog.site.languages
        var texts = [[String: RenderedText]](repeating: [:], count: published.count)
        texts.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: published.count) { i in
                let offer = published[i]
                let markdown = MarkdownRenderer()
                func render(_ title: String, _ summary: String, _ body: String, _ lang: String) -> RenderedText {
                    let html = HTMLSanitizer.sanitize(markdown.render(body))
                    return RenderedText(title: title, summary: summary, bodyHTML: html, bodyText: HTMLText.plainText(html), language: lang)
                }
                let base = render(offer.title, offer.summary, offer.body, "nb")
                var byLanguage: [String: RenderedText] = [:]
                for lang in languages {
                    if let t = offer.translations[lang] {
                        byLanguage[lang] = render(t.title, t.summary, t.body, lang)
                    } else {
                        byLanguage[lang] = base
                    }
                }
                out[i] = byLanguage
            }
        }
        self.texts = texts
        let today = catalog.today
        let titleKeys = published.map { NorwegianSort.key($0.title) }
        self.listed = published.indices.filter { published[$0].state.isListed }.sorted { a, b in
            let ka = Self.sortDay(published[a], today), kb = Self.sortDay(published[b], today)
            if ka != kb { return ka < kb }
            return titleKeys[a] != titleKeys[b] ? titleKeys[a] < titleKeys[b] : published[a].id < published[b].id
        }
        var providerIndex: [String: Int] = [:]
        for (i, p) in catalog.providers.enumerated() { providerIndex[p.id] = i }
        self.providerIndex = providerIndex
        var cards = [[String: TemplateValue]](repeating: [:], count: published.count)
        let me = self
        cards.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: published.count) { i in
                var byLanguage: [String: TemplateValue] = [:]
                for lang in languages { byLanguage[lang] = TemplateValue(me.card(i, lang)) }
                out[i] = byLanguage
            }
        }
        self.cardValues = cards
    }

    /// The list card of published offer `i` in `lang`.
    func cardValue(_ i: Int, _ lang: String) -> TemplateValue {
        cardValues[i][lang] ?? TemplateValue(card(i, lang))
    }

    /// The list cards of `offers` in `lang`, as one template value.
    func cardList(_ offers: some Sequence<Int>, _ lang: String) -> TemplateValue {
        .list(offers.map { cardValue($0, lang) })
    }

    /// Offers with continuous intake count as starting today; offers with no coming run sort last.
    static func sortDay(_ offer: Offer, _ today: Day) -> Int {
        if let next = offer.nextStart { return max(next.day.ordinal, today.ordinal) }
        return offer.ongoing ? today.ordinal : Int.max
    }

    // MARK: paths

    /// The language's folder prefix: "" for the default language, "nn/" otherwise.
    public func prefix(_ lang: String) -> String {
        lang == catalog.site.languages.first ? "" : lang + "/"
    }

    /// A root-relative URL for `path` (e.g. `tilbud/x/y/`) in `lang`.
    public func url(_ path: String, _ lang: String) -> String { basePath + prefix(lang) + path }

    /// The absolute URL of `path` in `lang`.
    public func absoluteURL(_ path: String, _ lang: String) -> String { baseURL + prefix(lang) + path }

    /// The path of an offer's page.
    public static func offerPath(_ offer: Offer) -> String { "tilbud/\(offer.providerID)/\(offer.slug)/" }

    /// True when published offer `i` has a page of its own in `lang`: in the default language always, in another
    /// language only when the offer is translated into it. An untranslated offer is listed on that language's pages
    /// in its own language, linking to its page in the default language.
    public func hasPage(_ i: Int, _ lang: String) -> Bool {
        lang == catalog.site.languages.first || published[i].translations[lang] != nil
    }

    /// The language of the page a listing in `lang` links to for published offer `i`.
    public func pageLanguage(_ i: Int, _ lang: String) -> String {
        hasPage(i, lang) ? lang : (catalog.site.languages.first ?? lang)
    }

    /// The root-relative URL a listing in `lang` links to for published offer `i`.
    public func offerURL(_ i: Int, _ lang: String) -> String { url(Self.offerPath(published[i]), pageLanguage(i, lang)) }

    /// The absolute URL a listing in `lang` links to for published offer `i`.
    public func offerAbsoluteURL(_ i: Int, _ lang: String) -> String { absoluteURL(Self.offerPath(published[i]), pageLanguage(i, lang)) }

    /// Every page of the site.
    public func jobs() -> [PageJob] {
        var jobs: [PageJob] = []
        let gov = catalog.governance
        for lang in catalog.site.languages {
            jobs.append(.home(lang))
            jobs.append(.search(lang))
            jobs.append(.notFound(lang))
            jobs.append(.municipalities(lang))
            jobs.append(.national(lang))
            for i in published.indices where hasPage(i, lang) { jobs.append(.offer(i, lang)) }
            for e in gov.vocabulary(.topics).entries { jobs.append(.topic(e.id, lang)) }
            for e in gov.vocabulary(.kind).entries { jobs.append(.kind(e.id, lang)) }
            for e in gov.vocabulary(.audiences).entries { jobs.append(.audience(e.id, lang)) }
            for m in gov.municipalities { jobs.append(.municipality(m.code, lang)) }
            for i in catalog.providers.indices { jobs.append(.provider(i, lang)) }
        }
        return jobs
    }

    /// The output path (under the output root) a job writes.
    public func outputPath(_ job: PageJob) -> String {
        switch job {
        case let .home(l): return prefix(l) + "index.html"
        case let .search(l): return prefix(l) + "sok/index.html"
        case let .notFound(l): return prefix(l) + "404.html"
        case let .municipalities(l): return prefix(l) + "kommune/index.html"
        case let .national(l): return prefix(l) + "landsdekkende/index.html"
        case let .offer(i, l): return prefix(l) + Self.offerPath(published[i]) + "index.html"
        case let .topic(id, l): return prefix(l) + "tema/\(id)/index.html"
        case let .kind(id, l): return prefix(l) + "type/\(id)/index.html"
        case let .audience(id, l): return prefix(l) + "malgruppe/\(id)/index.html"
        case let .municipality(code, l): return prefix(l) + "kommune/\(code)/index.html"
        case let .provider(i, l): return prefix(l) + "tilbyder/\(catalog.providers[i].id)/index.html"
        }
    }

    /// Renders one page.
    public func render(_ job: PageJob, indexes: ListIndexes) -> String {
        switch job {
        case let .home(l): return homePage(l, indexes)
        case let .search(l): return simplePage("search", "sok/", l, titleKey: "search_heading")
        case let .notFound(l): return simplePage("notfound", "404.html", l, titleKey: "notfound_heading", canonical: false)
        case let .municipalities(l): return municipalitiesPage(l, indexes)
        case let .national(l):
            let loc = localizer(l)
            return listPage(path: "landsdekkende/", lang: l, heading: loc("national_heading"), intro: loc("national_intro"),
                            sections: [(nil, indexes.national, nil)])
        case let .offer(i, l): return offerPage(i, l)
        case let .topic(id, l):
            let e = catalog.governance.vocabulary(.topics)[id]
            return listPage(path: "tema/\(id)/", lang: l, heading: e?.label(l) ?? id, intro: localizer(l)("topic_intro"),
                            sections: [(nil, indexes.byTopic[id] ?? [], nil)])
        case let .kind(id, l):
            let e = catalog.governance.vocabulary(.kind)[id]
            return listPage(path: "type/\(id)/", lang: l, heading: e?.label(l) ?? id, intro: localizer(l)("kind_intro"),
                            sections: [(nil, indexes.byKind[id] ?? [], nil)])
        case let .audience(id, l):
            let e = catalog.governance.vocabulary(.audiences)[id]
            return listPage(path: "malgruppe/\(id)/", lang: l, heading: e?.label(l) ?? id, intro: localizer(l)("audience_intro"),
                            sections: [(nil, indexes.byAudience[id] ?? [], nil)])
        case let .municipality(code, l): return municipalityPage(code, l, indexes)
        case let .provider(i, l): return providerPage(i, l, indexes)
        }
    }

    // MARK: indexes

    /// Listed offers grouped for list pages (indexes into `published`, in list order).
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
    }

    /// Builds the list indexes once for all pages.
    public func indexes() -> ListIndexes {
        var x = ListIndexes()
        for i in listed {
            let o = published[i]
            x.all.append(i)
            for t in o.topics { x.byTopic[t, default: []].append(i) }
            x.byKind[o.kind, default: []].append(i)
            for a in o.audiences { x.byAudience[a, default: []].append(i) }
            if o.national { x.national.append(i) }
            var seen = Set<String>()
            for m in o.municipalities where seen.insert(m).inserted { x.byMunicipality[m, default: []].append(i) }
            x.byProvider[o.providerID, default: []].append(i)
        }
        return x
    }

    // MARK: contexts

    func localizer(_ lang: String) -> Localizer {
        Localizer(language: lang, strings: templates.strings[lang] ?? templates.strings["nb"] ?? [:])
    }

    private func asset(_ name: String) -> String? {
        templates.assets[name].map { basePath + $0.outputPath }
    }

    private func languageName(_ code: String, in lang: String) -> String {
        catalog.governance.vocabulary(.languages)[code]?.label(lang) ?? code
    }

    /// The language record fields are written in (the default language); false on pages in that language.
    ///
    /// Free text from a record that has no translation (schedule notes, price notes, places, contact names)
    /// is marked with it on pages in other languages, so screen readers switch voice.
    private func dataLanguage(_ lang: String) -> Any {
        lang == "nb" ? false : "nb"
    }

    /// The context every page shares.
    ///
    /// `alternates` lists the languages the page really exists in (for `hreflang` and the language switch).
    func baseContext(_ lang: String, path: String, title: String, description: String?, canonical: Bool = true,
                     alternates: [String]? = nil) -> [String: Any] {
        let loc = localizer(lang)
        let langs = alternates ?? catalog.site.languages
        let switcher: [[String: Any]] = catalog.site.languages.map { l in
            [
                // A page that does not exist in `l` (an untranslated offer) switches to that language's front page.
                "code": l, "name": languageName(l, in: l), "url": url(langs.contains(l) ? path : "", l), "current": l == lang,
                "available": langs.contains(l),
            ]
        }
        var page: [String: Any] = [
            "title": title,
            "fullTitle": path.isEmpty ? (catalog.site.title[lang] ?? title) : "\(title) – \(catalog.site.title[lang] ?? "")",
            "description": description ?? catalog.site.tagline[lang] ?? "",
            // A page without a canonical address (404) has no alternates either.
            "alternates": canonical && langs.count > 1 ? langs.map { ["hreflang": $0, "href": absoluteURL(path, $0)] as [String: Any] } : [],
            "canonical": false,
        ]
        if canonical { page["canonical"] = absoluteURL(path, lang) }
        let nav: [String: Any] = ["home": path.isEmpty, "municipalities": path == "kommune/", "search": path == "sok/"]
        return [
            "lang": lang,
            "t": loc.strings,
            "site": ["title": catalog.site.title[lang] ?? "", "tagline": catalog.site.tagline[lang] ?? ""] as [String: Any],
            "css": asset("style.css") ?? "",
            "js": asset("site.js") ?? "",
            "searchJS": asset("search.js") ?? "",
            "homeURL": url("", lang),
            "searchURL": url("sok/", lang),
            "topicsURL": url("", lang) + "#tema",
            "municipalitiesURL": url("kommune/", lang),
            "languages": switcher,
            "nav": nav,
            "dataLang": dataLanguage(lang),
            "page": page,
        ]
    }

    /// The short card an offer shows in lists.
    func card(_ i: Int, _ lang: String) -> [String: Any] {
        let o = published[i]
        let t = texts[i][lang] ?? texts[i]["nb"]
        let loc = localizer(lang)
        var c: [String: Any] = [
            "url": offerURL(i, lang),
            "title": t?.title ?? o.title,
            "summary": t?.summary ?? o.summary,
            "provider": catalog.providers[providerIndex[o.providerID] ?? 0].name,
            "area": area(o, lang),
            "kind": catalog.governance.vocabulary(.kind)[o.kind]?.label(lang) ?? o.kind,
            "delivery": catalog.governance.vocabulary(.delivery)[o.delivery]?.label(lang) ?? o.delivery,
        ]
        // Every optional key is set (false when absent) so a section never picks up a value from an outer context.
        c["textLang"] = false
        if let t, t.language != lang { c["textLang"] = t.language }
        c["nextStart"] = false
        c["ongoing"] = false
        if let next = o.nextStart {
            c["nextStart"] = loc.dateTime(next)
            c["nextStartISO"] = next.iso
        } else if o.ongoing {
            c["ongoing"] = loc("ongoing_short")
        } else if let running = o.schedule.last(where: { $0.start.day <= catalog.today && $0.lastDay >= catalog.today }) {
            // A run that has started and not finished: no next start, but not over either.
            c["ongoing"] = loc.format("running_until", ["date": loc.date(running.lastDay)])
        } else {
            c["ongoing"] = loc("when_ask")
        }
        return c
    }

    private func area(_ o: Offer, _ lang: String) -> String {
        if o.national { return localizer(lang)("national") }
        return o.municipalities.compactMap { catalog.governance.municipality($0)?.name }.joined(separator: ", ")
    }

    private func vocabLinks(_ ids: [String], _ name: VocabularyName, _ folder: String?, _ lang: String) -> [[String: Any]] {
        let v = catalog.governance.vocabulary(name)
        return ids.map { id in
            var d: [String: Any] = ["label": v[id]?.label(lang) ?? id, "id": id, "url": false]
            if let folder { d["url"] = url("\(folder)/\(id)/", lang) }
            return d
        }
    }

    func offerPage(_ i: Int, _ lang: String) -> String {
        let o = published[i]
        let loc = localizer(lang)
        let gov = catalog.governance
        let text = texts[i][lang] ?? texts[i]["nb"]!
        let path = Self.offerPath(o)
        // The languages the offer's text exists in: its page exists in each of them (see `hasPage`).
        let translated = catalog.site.languages.filter { $0 == catalog.site.languages.first || o.translations[$0] != nil }
        var ctx = baseContext(lang, path: path, title: text.title, description: text.summary, alternates: translated)
        let provider = catalog.providers[providerIndex[o.providerID] ?? 0]
        let referralLabel = gov.vocabulary(.referral)[o.referral]?.label(lang) ?? o.referral
        var offer: [String: Any] = [
            "title": text.title,
            "summary": text.summary,
            "bodyHTML": text.bodyHTML,
            "kind": gov.vocabulary(.kind)[o.kind]?.label(lang) ?? o.kind,
            "format": gov.vocabulary(.format)[o.format]?.label(lang) ?? o.format,
            "delivery": gov.vocabulary(.delivery)[o.delivery]?.label(lang) ?? o.delivery,
            // A sentence from the UI strings when there is one ("No, sign up yourself"), else the vocabulary label.
            "referral": loc.strings["referral_\(o.referral)"] as? String ?? referralLabel,
            "referralNeeded": o.referral != "ingen",
            "topics": vocabLinks(o.topics, .topics, "tema", lang),
            "audiences": vocabLinks(o.audiences, .audiences, "malgruppe", lang),
            "languages": o.languages.map { languageName($0, in: lang) }.joined(separator: ", "),
            "accessibility": vocabLinks(o.accessibility, .accessibility, nil, lang),
            "hasAccessibility": !o.accessibility.isEmpty,
            "area": area(o, lang),
            "areaLinks": o.national ? [] : o.municipalities.map { ["label": gov.municipality($0)?.name ?? $0, "url": url("kommune/\($0)/", lang)] as [String: Any] },
            "national": o.national,
            "provider": ["name": provider.name, "url": url("tilbyder/\(provider.id)/", lang)] as [String: Any],
            "lastReviewed": ["iso": o.lastReviewed.iso, "text": loc.date(o.lastReviewed)] as [String: Any],
        ]
        // When
        var runs: [[String: Any]] = []
        for r in o.schedule {
            var d: [String: Any] = ["startISO": r.start.iso, "start": loc.dateTime(r.start), "past": r.lastDay < catalog.today,
                                    "end": false, "note": r.note ?? false]
            if let end = r.end, end != r.start {
                d["endISO"] = end.iso
                // The same day twice reads badly: "4. februar 2025 kl. 18:00 – 20:00".
                d["end"] = end.day == r.start.day && end.time != nil ? loc.time(end.time ?? "") : loc.dateTime(end)
            }
            runs.append(d)
        }
        offer["runs"] = runs
        offer["hasRuns"] = !runs.isEmpty
        offer["ongoing"] = o.ongoing
        // Where
        offer["locations"] = o.locations.map { l -> [String: Any] in
            let mapURL: String
            if let g = l.geo {
                mapURL = "https://www.openstreetmap.org/?mlat=\(g.lat)&mlon=\(g.lon)#map=17/\(g.lat)/\(g.lon)"
            } else {
                mapURL = "https://www.openstreetmap.org/search?query=" + "\(l.address), \(l.postalCode) \(l.city)".urlQueryEncoded
            }
            return ["name": l.name, "address": l.address, "postalCode": l.postalCode, "city": l.city,
                    "municipality": gov.municipality(l.municipality)?.name ?? l.municipality, "mapURL": mapURL]
        }
        offer["hasLocations"] = !o.locations.isEmpty
        // Price
        let price: String
        switch o.price.kind {
        case "gratis": price = loc("price_free")
        case "egenandel": price = loc.format("price_copay", ["amount": Self.kroner(o.price.amountNOK ?? 0)])
        default: price = loc.format("price_paid", ["amount": Self.kroner(o.price.amountNOK ?? 0)])
        }
        offer["price"] = price
        offer["priceNote"] = o.price.note.flatMap { $0.isEmpty ? nil : $0 } ?? false
        // Sign-up and contact
        var signup: [String: Any] = ["url": false, "phone": false, "email": false, "deadline": false]
        var hasSignup = false
        if let u = o.signup.url { signup["url"] = u; hasSignup = true }
        if let p = o.signup.phone { signup["phone"] = p; signup["phoneHref"] = "tel:" + Checks.e164(p); hasSignup = true }
        if let e = o.signup.email { signup["email"] = e; hasSignup = true }
        if let d = o.signup.deadline {
            signup["deadline"] = loc.date(d)
            signup["deadlineISO"] = d.iso
            signup["deadlinePassed"] = d < catalog.today
        }
        offer["signup"] = hasSignup ? signup : false
        // An ended offer takes no sign-ups: the page keeps contact details, not a call to action.
        offer["showSignup"] = o.state != .ended
        var contact: [String: Any] = ["name": false, "phone": false, "email": false]
        var hasContact = false
        if let n = o.contact.name { contact["name"] = n; hasContact = true }
        if let p = o.contact.phone { contact["phone"] = p; contact["phoneHref"] = "tel:" + Checks.e164(p); hasContact = true }
        if let e = o.contact.email { contact["email"] = e; hasContact = true }
        offer["contact"] = hasContact ? contact : false
        // State
        offer["notice"] = false
        switch o.state {
        case .due:
            offer["notice"] = ["kind": "due", "text": loc.format("notice_due", ["date": loc.date(o.lastReviewed)]), "links": [], "hasLinks": false] as [String: Any]
        case .stale:
            offer["notice"] = ["kind": "stale", "text": loc.format("notice_stale", ["date": loc.date(o.lastReviewed)]), "links": [], "hasLinks": false] as [String: Any]
        case .ended:
            offer["notice"] = ["kind": "ended", "text": loc("notice_ended"), "links": vocabLinks(o.topics, .topics, "tema", lang), "hasLinks": !o.topics.isEmpty] as [String: Any]
        default: break
        }
        // Translations
        offer["translations"] = translated.filter { $0 != lang }.map { l in
            ["hreflang": l, "url": url(path, l), "name": languageName(l, in: l)] as [String: Any]
        }
        offer["hasTranslations"] = translated.contains { $0 != lang }
        ctx["jsonLD"] = StructuredData.jsonLD(renderer: self, index: i, language: lang)
        ctx["offer"] = offer
        return templates.render("offer", ctx)
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

    /// A page of offer cards in one or more sections; `total` overrides the count shown (default: the cards).
    func listPage(path: String, lang: String, heading: String, intro: String?, sections: [Section], extra: [String: Any] = [:],
                  total: Int? = nil) -> String {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: path, title: heading, description: intro)
        let total = total ?? sections.reduce(0) { $0 + $1.offers.count }
        ctx["heading"] = heading
        ctx["intro"] = intro ?? false
        ctx["provider"] = false
        ctx["count"] = loc.format(total == 1 ? "offers_count_one" : "offers_count", ["n": String(total)])
        ctx["sections"] = sections.map { s -> [String: Any] in
            var d: [String: Any] = ["offers": cardList(s.offers, lang), "empty": s.offers.isEmpty,
                                    "sectionHeading": s.heading ?? false, "more": false]
            if let m = s.more { d["more"] = ["url": m.url, "text": m.text] }
            return d
        }
        for (k, v) in extra { ctx[k] = v }
        return templates.render("list", ctx)
    }

    func municipalityPage(_ code: String, _ lang: String, _ x: ListIndexes) -> String {
        let loc = localizer(lang)
        let m = catalog.governance.municipality(code)
        let name = m?.name ?? code
        let local = x.byMunicipality[code] ?? []
        // A national offer that also names this municipality is shown once, with the local ones.
        let localSet = Set(local)
        let national = x.national.filter { !localSet.contains($0) }
        let inline = Array(national.prefix(Self.nationalInline))
        let more: (String, String)? = national.count > inline.count
            ? (url("landsdekkende/", lang), loc.format("more_national", ["n": String(x.national.count)])) : nil
        let county = m?.countyName ?? ""
        let intro = county.isEmpty || county == name
            ? loc.format("municipality_intro_short", ["name": name])
            : loc.format("municipality_intro", ["name": name, "county": county])
        return listPage(path: "kommune/\(code)/", lang: lang, heading: name, intro: intro,
                        sections: [(loc.format("municipality_local", ["name": name]), local, nil),
                                   (loc("municipality_national"), inline, more)],
                        total: local.count + national.count)
    }

    func providerPage(_ i: Int, _ lang: String, _ x: ListIndexes) -> String {
        let p = catalog.providers[i]
        let loc = localizer(lang)
        var info: [String: Any] = [
            "name": p.name,
            "type": catalog.governance.vocabulary(.providerType)[p.type]?.label(lang) ?? p.type,
            "municipality": catalog.governance.municipality(p.municipality)?.name ?? p.municipality,
            "orgNumber": p.orgNumber,
            "website": false, "email": false, "phone": false,
        ]
        if let w = p.website { info["website"] = w }
        if let e = p.email { info["email"] = e }
        if let ph = p.phone { info["phone"] = ph; info["phoneHref"] = "tel:" + Checks.e164(ph) }
        return listPage(path: "tilbyder/\(p.id)/", lang: lang, heading: p.name, intro: nil,
                        sections: [(loc("provider_offers"), x.byProvider[p.id] ?? [], nil)], extra: ["provider": info])
    }

    func vocabularyIndex(_ name: VocabularyName, _ folder: String, _ lang: String, counts: [String: [Int]]) -> [[String: Any]] {
        catalog.governance.vocabulary(name).entries.map { e in
            ["label": e.label(lang), "url": url("\(folder)/\(e.id)/", lang), "count": counts[e.id]?.count ?? 0] as [String: Any]
        }
    }

    /// Counties in code order, each with its municipalities in Norwegian alphabetical order.
    ///
    /// `count` is the number of local offers (national ones come on top everywhere); it is false when there are none,
    /// so lists do not show a discouraging "(0)".
    func counties(_ lang: String, _ x: ListIndexes) -> [[String: Any]] {
        var order: [String] = []
        var groups: [String: (name: String, municipalities: [[String: Any]], offers: Set<Int>)] = [:]
        for m in catalog.governance.municipalities {
            if groups[m.countyCode] == nil { order.append(m.countyCode); groups[m.countyCode] = (m.countyName, [], []) }
            let local = x.byMunicipality[m.code] ?? []
            groups[m.countyCode]?.municipalities.append(["name": m.name, "url": url("kommune/\(m.code)/", lang),
                                                         "count": local.isEmpty ? false : local.count as Any])
            groups[m.countyCode]?.offers.formUnion(local)
        }
        return order.sorted().map { c in
            let g = groups[c]!
            let sorted = g.municipalities.sorted {
                let a = NorwegianSort.key($0["name"] as? String ?? ""), b = NorwegianSort.key($1["name"] as? String ?? "")
                return a != b ? a < b : ($0["url"] as? String ?? "") < ($1["url"] as? String ?? "")
            }
            return ["code": c, "name": g.name, "municipalities": sorted, "id": "fylke-\(c)",
                    "count": g.offers.isEmpty ? false : g.offers.count as Any]
        }
    }

    func homePage(_ lang: String, _ x: ListIndexes) -> String {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: "", title: catalog.site.title[lang] ?? "", description: catalog.site.tagline[lang])
        ctx["topics"] = vocabularyIndex(.topics, "tema", lang, counts: x.byTopic)
        ctx["kinds"] = vocabularyIndex(.kind, "type", lang, counts: x.byKind)
        ctx["audiences"] = vocabularyIndex(.audiences, "malgruppe", lang, counts: x.byAudience)
        ctx["counties"] = counties(lang, x)
        ctx["nationalURL"] = url("landsdekkende/", lang)
        ctx["nationalCount"] = x.national.count
        ctx["total"] = loc.format("offers_total", ["n": String(x.all.count)])
        // "Starting soon" shows dated runs; offers with continuous intake would crowd them out.
        let dated = x.all.filter { published[$0].nextStart != nil }
        ctx["upcoming"] = cardList((dated.isEmpty ? x.all : dated).prefix(6), lang)
        ctx["hasUpcoming"] = !x.all.isEmpty
        return templates.render("home", ctx)
    }

    func municipalitiesPage(_ lang: String, _ x: ListIndexes) -> String {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: "kommune/", title: loc("municipalities_heading"), description: loc("municipalities_intro"))
        ctx["counties"] = counties(lang, x)
        ctx["nationalURL"] = url("landsdekkende/", lang)
        ctx["nationalCount"] = x.national.count
        return templates.render("municipalities", ctx)
    }

    func simplePage(_ template: String, _ path: String, _ lang: String, titleKey: String, canonical: Bool = true) -> String {
        let loc = localizer(lang)
        var ctx = baseContext(lang, path: path, title: loc(titleKey), description: nil, canonical: canonical)
        ctx["topics"] = vocabularyIndex(.topics, "tema", lang, counts: [:])
        ctx["municipalitiesURL"] = url("kommune/", lang)
        return templates.render(template, ctx)
    }
}

/// Phone formatting shared with validation's rules.
enum Checks {
    static func e164(_ phone: String) -> String { phone.filter { $0 != " " } }
}
