import Foundation
import TilbudModel
import TilbudRender

/// A step that adds files to the output besides the pages (feed, search index). The site builder runs the steps
/// it is given; the steps know nothing of it, nor of the renderer's pages: they read the published catalog
/// the render stage made (offers, rendered texts, the URL scheme).
public protocol OutputStep: Sendable {
    /// Writes its files for `published` with `writer`.
    func write(_ published: PublishedCatalog, writer: OutputWriter) throws
}

/// The first error of work running on several threads (later ones are dropped): the build's steps and the
/// feed's and search's parallel writers share it.
public final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    /// Creates an empty box.
    public init() {}
    /// True once an error is set.
    public var failed: Bool { lock.withLock { stored != nil } }
    /// The first error set, if any.
    public var error: Error? { lock.withLock { stored } }
    /// Keeps `e` unless an error is there already.
    public func set(_ e: Error) { lock.withLock { if stored == nil { stored = e } } }
}
