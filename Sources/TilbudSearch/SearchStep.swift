import Foundation
import TilbudModel
import TilbudRender
import TilbudSite

/// The build step that writes the static search index of every language next to its search page
/// (`sok/indeks/`, `nn/sok/indeks/`, …). Only listed offers (current and due for review) are indexed.
public struct SearchStep: OutputStep {
    /// How the index is cut into files.
    public var files: SearchFiles

    /// Creates the step.
    public init(files: SearchFiles = SearchFiles()) {
        self.files = files
    }

    public func write(catalog: Catalog, renderer: SiteRenderer, writer: OutputWriter) throws {
        let languages = catalog.site.languages
        let indexes = SearchIndex.build(renderer: renderer, languages: languages)
        let errors = Errors()
        DispatchQueue.concurrentPerform(iterations: languages.count) { n in
            let lang = languages[n]
            let index = indexes[n]
            let folder = renderer.prefix(lang) + SearchFiles.folder
            for (path, data) in files.files(for: index) {
                do {
                    try writer.write(folder + path, data)
                } catch {
                    errors.set(error)
                    return
                }
            }
        }
        if let e = errors.first { throw e }
    }
}

private final class Errors: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var first: Error? { lock.withLock { stored } }
    func set(_ e: Error) { lock.withLock { if stored == nil { stored = e } } }
}
