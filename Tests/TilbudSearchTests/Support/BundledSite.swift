import Foundation
import TilbudModel
import TilbudRender
@testable import TilbudSearch
import TilbudValidate

/// The bundled catalog (`content/`, `templates/`) checked for the relevance table's day and indexed in memory,
/// once for all tests.
struct BundledSite: @unchecked Sendable {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let today = Day(iso: "2026-11-27")!

    let renderer: SiteRenderer
    /// The checked catalog, bodies and all (the renderer's offers have empty bodies: their Markdown is in its texts).
    let catalog: Catalog
    /// Index files by language, then path relative to the language's `sok/indeks/`.
    let files: [String: [String: Data]]
    let indexes: [String: SearchIndex]

    static let shared: BundledSite = {
        let content = repository.appendingPathComponent("content")
        let check = CatalogChecker(root: content, displayRoot: "content", today: today).run()
        precondition(!check.hasErrors, "the bundled catalog has errors")
        let (templates, diagnostics) = TemplateSet.load(from: repository.appendingPathComponent("templates"), displayRoot: "templates",
                                                        languages: check.catalog.site.languages)
        precondition(templates != nil, "the templates do not load: \(diagnostics)")
        let renderer = SiteRenderer(catalog: check.catalog, templates: templates!)
        var files: [String: [String: Data]] = [:]
        var indexes: [String: SearchIndex] = [:]
        for lang in check.catalog.site.languages {
            let index = SearchIndex.build(renderer.publishedCatalog, language: lang)
            indexes[lang] = index
            var byPath: [String: Data] = [:]
            for (path, data) in SearchFiles().files(for: index) { byPath[path] = data }
            files[lang] = byPath
        }
        return BundledSite(renderer: renderer, catalog: check.catalog, files: files, indexes: indexes)
    }()

    /// A fresh engine over the files of `lang` (engines cache and are not shared between tests).
    func engine(_ lang: String = "nb") throws -> SearchEngine {
        let files = self.files[lang]!
        return try SearchEngine { path in
            guard let d = files[path] else { throw CocoaError(.fileNoSuchFile) }
            return d
        }
    }

    /// The offer ids of the first `n` results of `query`.
    func top(_ query: String, _ n: Int = 5, lang: String = "nb", filters: [String: [String]] = [:]) throws -> [String] {
        let e = try engine(lang)
        let r = try e.search(query, filters: filters)
        return r.documents.prefix(n).map { indexes[lang]!.documents[$0].id }
    }
}

/// One row of `e2e/search/relevance.json`, shared with the browser tests.
struct RelevanceCase: Decodable, Sendable, CustomTestStringConvertible {
    let q: String
    let lang: String?
    let filters: [String: [String]]?
    let top5: [String]
    let kind: String
    let note: String?
    /// Every offer the query should find (default: `top5`), for recall.
    let relevant: [String]?
    /// The most results the query may have.
    let most: Int?
    /// A feature the query needs that the site does not have yet (`location`): the tests skip it.
    let needs: String?

    var testDescription: String { "\(kind): \(q)" }

    static let all: [RelevanceCase] = {
        struct Table: Decodable { let queries: [RelevanceCase] }
        let url = BundledSite.repository.appendingPathComponent("e2e/search/relevance.json")
        guard let data = try? Data(contentsOf: url) else { return [] }
        return (try? JSONDecoder().decode(Table.self, from: data).queries) ?? []
    }()

    /// Rows the Swift engine answers: a postcode in a query becomes the location filter in search.js, which the
    /// browser tests run (e2e/search, with the where filter); the Swift engine mirrors term matching only.
    static let answerable = all.filter { $0.needs == nil && $0.kind != "postcode" }
}

import Testing
