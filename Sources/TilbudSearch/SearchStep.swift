import Foundation
import TilbudModel
import TilbudRender
import TilbudOutput

/// The build step that writes the static search index of every language next to its search page
/// (`sok/indeks/`, `nn/sok/indeks/`, …). Only listed offers (current and due for review) are indexed.
///
/// What the languages share (the terms of every distinct text, the vocabulary, the facet values) is worked out
/// once; then one language at a time is indexed, encoded, compressed and written, so only one language's index
/// and files are in memory at once. Files that come out the same in two languages are compressed once: languages
/// whose documents show the same texts are indexed one after the other.
public struct SearchStep: OutputStep {
    /// How the index is cut into files.
    public var files: SearchFiles

    /// Creates the step.
    public init(files: SearchFiles = SearchFiles()) {
        self.files = files
    }

    public func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
        let corpus = SearchCorpus(published)
        let cache = SearchFiles.Cache()
        for lang in corpus.languageOrder(published.languages) {
            let files = self.files.encode(corpus.index(lang), cache: cache)
            let folder = published.paths.prefix(lang) + SearchFiles.folder
            let errors = FirstError()
            Parallel.run(files.count) { _, k in
                do {
                    try writer.write(folder + files[k].path, files[k].bytes)
                } catch {
                    errors.set(error)
                }
            }
            if let e = errors.error { throw e }
        }
    }
}

