/// The site's URL scheme, in one place: where each page, list and API file lives, the folder prefix of each
/// language, and root-relative and absolute URLs. The pages, the feed, the search index and `serve` all ask it.
///
/// A page path (`tilbud/<provider>/<slug>/`, `kommune/0301/`, `""` for the front page) is relative to a language's
/// root: the site root for the default language (the first), `<lang>/` for the others. Its inputs are the base URL
/// and the site's languages; the rest is fixed here.
public struct SitePaths: Sendable {
    /// The absolute base URL, ending in `/`.
    public let baseURL: String
    /// The path part of the base URL, ending in `/` (links are root-relative to it).
    public let basePath: String
    /// The site's languages, the default first.
    public let languages: [String]
    /// `basePath` and `baseURL` followed by each site language's folder prefix, made once.
    private let languageBases: [(lang: String, path: String, absolute: String)]

    /// The URL scheme of a site at `baseURL` (a `/` is added when missing) in `languages` (the default first).
    public init(baseURL: String, languages: [String]) {
        var base = baseURL
        if !base.hasSuffix("/") { base += "/" }
        self.baseURL = base
        // The path starts at the first `/` after `scheme://`.
        let scalars = Array(base.unicodeScalars)
        var basePath = "/"
        if let schemeEnd = scalars.indices.first(where: { i in i + 2 < scalars.count && scalars[i] == ":" && scalars[i + 1] == "/" && scalars[i + 2] == "/" }),
           let slash = scalars[(schemeEnd + 3)...].firstIndex(of: "/") {
            var path = String.UnicodeScalarView()
            path.append(contentsOf: scalars[slash...])
            basePath = String(path)
        }
        self.basePath = basePath
        self.languages = languages
        let pathBase = basePath
        self.languageBases = languages.map { l in
            let prefix = l == languages.first ? "" : l + "/"
            return (l, pathBase + prefix, base + prefix)
        }
    }

    // MARK: languages

    /// The language's folder prefix: "" for the default language, "nn/" otherwise.
    public func prefix(_ lang: String) -> String {
        lang == languages.first ? "" : lang + "/"
    }

    /// A root-relative URL for page path `path` (e.g. `tilbud/x/y/`) in `lang`.
    public func url(_ path: String, _ lang: String) -> String {
        (languageBases.first { $0.lang == lang }?.path ?? basePath + prefix(lang)) + path
    }

    /// The absolute URL of page path `path` in `lang`.
    public func absoluteURL(_ path: String, _ lang: String) -> String {
        (languageBases.first { $0.lang == lang }?.absolute ?? baseURL + prefix(lang)) + path
    }

    /// The file (under the output root) that holds page path `path` in `lang`: `<prefix><path>index.html` for a
    /// folder (a path ending in `/`, or the front page's `""`), `<prefix><path>` for a file such as `404.html`.
    public func file(_ path: String, _ lang: String) -> String {
        path.isEmpty || path.hasSuffix("/") ? prefix(lang) + path + "index.html" : prefix(lang) + path
    }

    // MARK: pages

    /// The front page.
    public static let home = ""
    /// The search page.
    public static let search = "sok/"
    /// The search index files, next to the search page.
    public static let searchIndex = search + "indeks/"
    /// The page shown for a missing page (it has no canonical address).
    public static let notFound = "404.html"
    /// The list of municipalities by county.
    public static let municipalities = "kommune/"
    /// The list of national offers.
    public static let national = "landsdekkende/"

    /// The page of the offer `slug` of provider `providerID`.
    public static func offer(providerID: String, slug: String) -> String { "tilbud/\(providerID)/\(slug)/" }

    /// The page of `offer`.
    public static func offer(_ offer: Offer) -> String { self.offer(providerID: offer.providerID, slug: offer.slug) }

    /// An offer's calendar file (iCalendar), next to its page in the default language.
    public static func calendar(_ offer: Offer) -> String { self.offer(offer) + "kalender.ics" }

    /// The page of provider `id`, with its offers.
    public static func provider(_ id: String) -> String { "tilbyder/\(id)/" }

    /// The list of offers in municipality `code` (kommunenummer).
    public static func municipality(_ code: String) -> String { "kommune/\(code)/" }

    /// The list of offers with topic `id`.
    public static func topic(_ id: String) -> String { "tema/\(id)/" }

    /// The list of offers of kind `id`.
    public static func kind(_ id: String) -> String { "type/\(id)/" }

    /// The list of offers for audience `id`.
    public static func audience(_ id: String) -> String { "malgruppe/\(id)/" }

    /// The list page of entry `id` of vocabulary `name`: topics, kinds and audiences have one; other vocabularies nil.
    public static func entry(_ name: VocabularyName, _ id: String) -> String? {
        switch name {
        case .topics: return topic(id)
        case .kind: return kind(id)
        case .audiences: return audience(id)
        default: return nil
        }
    }

    /// The one rule the pages, the sitemap, the feed, search and `serve` share: an offer with `translations` has a
    /// page in `lang` when that is the default language (the first of `languages`) or it is translated into it.
    public static func hasPage(translations: [String: OfferTranslation], _ lang: String, languages: [String]) -> Bool {
        lang == languages.first || translations[lang] != nil
    }

    /// The languages `offer` has a page in, in site order.
    public static func pageLanguages(_ offer: Offer, languages: [String]) -> [String] {
        languages.filter { hasPage(translations: offer.translations, $0, languages: languages) }
    }

    // MARK: index pages: every folder a page lies in is a page too

    /// Every topic, with its number of offers.
    public static let topics = "tema/"
    /// Every kind of offer.
    public static let kinds = "type/"
    /// Every audience.
    public static let audiences = "malgruppe/"
    /// Every provider, in alphabetical order.
    public static let providers = "tilbyder/"
    /// Every offer, grouped by provider: one list per provider at `providerOffers`.
    public static let offers = "tilbud/"
    /// Every published offer of provider `id` (the folder its offers' pages lie in).
    public static func providerOffers(_ id: String) -> String { "tilbud/\(id)/" }

    /// The index page of vocabulary `name` (topics, kinds, audiences); nil for the others.
    public static func index(_ name: VocabularyName) -> String? {
        switch name {
        case .topics: return topics
        case .kind: return kinds
        case .audiences: return audiences
        default: return nil
        }
    }

    // MARK: the site's own pages (site.yaml `pages`)

    /// The page of `kind`: about the site, privacy, the accessibility statement.
    public static func document(_ kind: SiteDocument.Kind) -> String {
        switch kind {
        case .about: return "om-nettstedet/"
        case .privacy: return "personvern/"
        case .accessibility: return "tilgjengelighet/"
        }
    }

    /// Where a site file (logo, favicon, sharing image) is published: `assets/site-<role>.<hash>.<ext>`, beside the
    /// templates' assets and like them named by `hash` of its bytes, so hosts may cache it for a year.
    public static func siteFile(_ file: SiteFile, hash: String) -> String {
        let ext = file.source.split(separator: ".").last.map { "." + $0.lowercased() } ?? ""
        return "assets/site-\(String(file.role.rawValue.map { $0 == "_" ? "-" : $0 })).\(hash)\(ext)"
    }

    /// The Atom feed of recently reviewed offers.
    public static let feed = "feed.xml"
    /// The sitemap of every page.
    public static let sitemap = "sitemap.xml"
    /// Where crawlers read the sitemap's address.
    public static let robots = "robots.txt"

    // MARK: API

    /// The JSON API's folder (see docs/api.md); its files are named relative to it.
    public static let api = "api/v1/"
    /// The FHIR R4 export's folder.
    public static let fhir = "api/fhir/R4/"
    /// The FHIR export's resource types, in the order of its manifest.
    public static let fhirTypes = ["CodeSystem", "Organization", "Location", "HealthcareService"]
    /// The FHIR Bulk Data publish manifest, relative to `fhir` (the path the IG's `$bulk-publish` is served at).
    public static let fhirManifest = "$bulk-publish"
    /// The NDJSON file of one FHIR resource type, relative to `fhir`.
    public static func fhirFile(_ type: String) -> String { type + ".ndjson" }

    /// `<base>api/v1/`.
    public var apiBase: String { baseURL + Self.api }
    /// `<base>api/fhir/R4/`.
    public var fhirBase: String { baseURL + Self.fhir }

    /// The JSON API file of the offer with id `id` (`<provider>/<slug>`), relative to `api`.
    public static func apiOffer(_ id: String) -> String { "offers/" + id + ".json" }
    /// The JSON API file of the national offers (open to everyone in Norway), relative to `api`.
    public static let apiNational = "national.json"
    /// The JSON API file of provider `id`, relative to `api`.
    public static func apiProvider(_ id: String) -> String { "providers/\(id).json" }
    /// The JSON API file of municipality `code`, relative to `api`.
    public static func apiMunicipality(_ code: String) -> String { "municipalities/\(code).json" }
    /// The JSON API file of topic `id`, relative to `api`.
    public static func apiTopic(_ id: String) -> String { "topics/\(id).json" }
}
