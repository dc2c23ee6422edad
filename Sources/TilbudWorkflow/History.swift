import Foundation
import TilbudModel

/// When each offer first appeared and last changed: from git history when the content folder is in a
/// repository, else from the files' modification times.
///
/// The git history is read with ONE `git log` over `providers/` (names only, no diffs), so the cost
/// grows with the number of commits and changed paths, never with one process per file.
public struct ContentHistory: Sendable {
    /// Where the dates came from.
    public enum Source: String, Sendable {
        /// `git log` over `providers/`; files it does not know (untracked) use their modification time.
        case git
        /// No repository (or no commits): every file's modification time.
        case fileDates
    }

    /// First and last commit time (seconds since 1970) per offer id (`provider/slug`), translations included.
    public let commitTimes: [String: (first: Int, last: Int)]
    /// Every path under `providers/` the log names (relative to the content folder); nil without git.
    public let knownFiles: Set<String>?
    /// Where the dates came from.
    public let source: Source
    /// Commits read from the log.
    public let commits: Int
    /// Distinct paths the log names under `providers/`.
    public let paths: Int
    /// Wall-clock seconds the git call and parsing took.
    public let seconds: Double

    /// Creates a history from known values (tests, incremental updates).
    public init(commitTimes: [String: (first: Int, last: Int)], knownFiles: Set<String>?, source: Source, commits: Int = 0, paths: Int = 0,
                seconds: Double = 0) {
        self.commitTimes = commitTimes
        self.knownFiles = knownFiles
        self.source = source
        self.commits = commits
        self.paths = paths
        self.seconds = seconds
    }

    /// Reads the history of `contentRoot/providers` with one git call; falls back to file dates.
    public static func load(contentRoot: URL, git: Git? = nil) -> ContentHistory {
        let start = Date()
        let git = git ?? Git(directory: contentRoot)
        // --relative: paths relative to the content folder, only changes under it.
        // --no-renames: a move counts as an addition (no rename detection to pay for).
        // Merge commits list no files here, so each change is dated by the commit that made it.
        guard let output = try? git.run(["log", "--relative", "--no-renames", "--no-color", "--format=%x1e%ct",
                                         "--name-only", "--", "providers"]),
              output.succeeded else {
            return ContentHistory(commitTimes: [:], knownFiles: nil, source: .fileDates, seconds: Date().timeIntervalSince(start))
        }
        let (times, known, commits) = parse(output.stdout)
        return ContentHistory(commitTimes: times, knownFiles: known, source: .git, commits: commits, paths: known.count, seconds: Date().timeIntervalSince(start))
    }

    /// Parses `git log --format=%x1e%ct --name-only` output: first/last times per offer id, every path named, commits.
    static func parse(_ data: Data) -> ([String: (first: Int, last: Int)], Set<String>, Int) {
        var times: [String: (first: Int, last: Int)] = [:]
        var known = Set<String>()
        var commits = 0
        var time = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if line.first == 0x1E {
                commits += 1
                time = line.dropFirst().reduce(0) { $1 >= 0x30 && $1 <= 0x39 ? $0 * 10 + Int($1 - 0x30) : $0 }
                continue
            }
            let path = String(decoding: line, as: UTF8.self)
            known.insert(path)
            guard let key = offerKey(path) else { continue }
            if let old = times[key] {
                times[key] = (min(old.first, time), max(old.last, time))
            } else {
                times[key] = (time, time)
            }
        }
        return (times, known, commits)
    }

    /// `providers/<id>/<slug>[.<lang>].md` → `<id>/<slug>`; nil for anything else.
    static func offerKey(_ path: String) -> String? {
        guard path.hasPrefix("providers/"), path.hasSuffix(".md") else { return nil }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[1].isEmpty else { return nil }
        let stem = parts[2].prefix { $0 != "." }
        guard !stem.isEmpty else { return nil }
        return parts[1] + "/" + stem
    }
}

/// A `ContentHistory` being read on a thread of its own (a thread, not a dispatch worker: it waits on git, and a
/// waiting worker would take a core from the checks running meanwhile).
public final class PendingHistory: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var loaded: ContentHistory?

    /// Starts reading the history of `contentRoot` (`ContentHistory.load`).
    public init(contentRoot: URL) {
        Thread.detachNewThread { [self] in
            let history = ContentHistory.load(contentRoot: contentRoot)
            lock.withLock { loaded = history }
            done.signal()
        }
    }

    /// The history, once read (waits until then).
    public var history: ContentHistory {
        if let h = lock.withLock({ loaded }) { return h }
        done.wait()
        done.signal()  // for any later reader
        return lock.withLock { loaded! }
    }
}

/// Fills `Offer.updated` and `Offer.published`: the workflow's build step.
public enum OfferDates {
    /// The catalog with dates filled from `contentRoot`'s git history (one git call), else file dates.
    public static func fill(_ catalog: Catalog, contentRoot: URL) -> Catalog {
        fill(catalog, history: ContentHistory.load(contentRoot: contentRoot), contentRoot: contentRoot)
    }

    /// Starts reading `contentRoot`'s history now; the function returned fills a catalog's dates from it (waiting for
    /// the history if it is not read yet). For `CatalogTransform(prepare:)`: git runs while the catalog is checked.
    public static func startFilling(contentRoot: URL) -> @Sendable (Catalog) -> Catalog {
        let pending = PendingHistory(contentRoot: contentRoot)
        return { catalog in fill(catalog, history: pending.history, contentRoot: contentRoot) }
    }

    /// The catalog with dates filled from `history`; files the history does not know use their modification time.
    public static func fill(_ catalog: Catalog, history: ContentHistory, contentRoot: URL) -> Catalog {
        let root = contentRoot.standardizedFileURL.path
        // One stat per file at most, on all cores.
        var offers = catalog.offers
        offers.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: out.count) { i in
                let (published, updated) = dates(for: out[i], history: history, root: root)
                out[i].published = published
                out[i].updated = updated
            }
        }
        return Catalog(site: catalog.site, governance: catalog.governance, providers: catalog.providers, offers: offers, today: catalog.today)
    }

    /// (published, updated) for one offer.
    public static func dates(for offer: Offer, history: ContentHistory, root: String) -> (Day?, Day?) {
        if let t = history.commitTimes[offer.id] {
            var first = t.first, last = t.last
            // A translation not yet committed next to a committed base: its file date counts as a change.
            for file in files(of: offer) where history.source == .git {
                if !(history.knownFiles?.contains(file) ?? true), let m = modificationTime(root + "/" + file) {
                    first = min(first, m)
                    last = max(last, m)
                }
            }
            return (osloDay(first), osloDay(last))
        }
        var first: Int? = nil, last: Int? = nil
        for file in files(of: offer) {
            guard let m = modificationTime(root + "/" + file) else { continue }
            first = min(first ?? m, m)
            last = max(last ?? m, m)
        }
        return (first.map(osloDay), last.map(osloDay))
    }

    /// The offer's files relative to the content folder: base first, then translations.
    static func files(of offer: Offer) -> [String] {
        ["providers/\(offer.providerID)/\(offer.slug).md"]
            + offer.translations.keys.sorted().map { "providers/\(offer.providerID)/\(offer.slug).\($0).md" }
    }

    static func modificationTime(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        #if os(Linux)
        return Int(st.st_mtim.tv_sec)
        #else
        return Int(st.st_mtimespec.tv_sec)
        #endif
    }

    private static let oslo = TimeZone(identifier: "Europe/Oslo") ?? TimeZone(secondsFromGMT: 3600)!

    /// The Europe/Oslo calendar day of a Unix time.
    public static func osloDay(_ seconds: Int) -> Day {
        let offset = oslo.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return Day(epochSeconds: seconds + offset)
    }
}
