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
    /// The repository is a shallow clone: the log stops at the oldest commit fetched, which names every file, so an
    /// offer's `published` (and `updated`, when it did not change since) is that commit's day, not its own.
    public let shallow: Bool

    /// Creates a history from known values (tests, incremental updates).
    public init(commitTimes: [String: (first: Int, last: Int)], knownFiles: Set<String>?, source: Source, commits: Int = 0, paths: Int = 0,
                seconds: Double = 0, shallow: Bool = false) {
        self.commitTimes = commitTimes
        self.knownFiles = knownFiles
        self.source = source
        self.commits = commits
        self.paths = paths
        self.seconds = seconds
        self.shallow = shallow
    }

    /// Reads the history of `contentRoot/providers` with one `git log`; falls back to file dates.
    ///
    /// What a `git log` read is kept in the repository's git folder (`HistoryCache`, keyed by HEAD), so the next build
    /// reads only the commits made since: with 20,000 commits the whole log takes about 3 s, and a rebuild after a
    /// commit or none reads a few. The kept history is used only when its HEAD is still in HEAD's history (not after a
    /// rebase or a reset to elsewhere), for the same folder of the repository, and never in a shallow clone (deepening
    /// it adds older commits). `cache: false` reads the whole log and keeps nothing.
    public static func load(contentRoot: URL, git: Git? = nil, cache useCache: Bool = true) -> ContentHistory {
        let start = Date()
        let git = git ?? Git(directory: contentRoot)
        func fileDates() -> ContentHistory {
            ContentHistory(commitTimes: [:], knownFiles: nil, source: .fileDates, seconds: Date().timeIntervalSince(start))
        }
        // The git folder, whether the clone is shallow, where the content folder is in the repository, and HEAD. Nil
        // outside a repository and before the first commit (then the log fails too), or with a git too old to say:
        // then the whole log is read and nothing kept, as before there was a kept history.
        let place = repositoryPlace(git)
        let head = place?.head ?? "HEAD"
        let cacheFile = place.flatMap { useCache && !$0.shallow ? URL(fileURLWithPath: $0.gitDir).appendingPathComponent("tilbud/history") : nil }
        var kept = cacheFile.flatMap(HistoryCache.read).flatMap { $0.prefix == place?.prefix ? $0 : nil }
        if let k = kept, k.head != head,
           (try? git.run(["merge-base", "--is-ancestor", k.head, head]))?.succeeded != true {
            kept = nil  // HEAD moved off the kept history: read it all again.
        }
        var history = kept ?? HistoryCache(head: head, prefix: place?.prefix ?? "", commits: 0, paths: [:])
        if kept?.head != head {
            // --relative: paths relative to the content folder, only changes under it.
            // --no-renames: a move counts as an addition (no rename detection to pay for).
            // Merge commits list no files here, so each change is dated by the commit that made it.
            let range = kept.map { "\($0.head)..\(head)" } ?? head
            guard let output = try? git.run(["log", "--relative", "--no-renames", "--no-color", "--format=%x1e%ct",
                                             "--name-only", range, "--", "providers"]),
                  output.succeeded else { return fileDates() }
            let (paths, commits) = parsePaths(output.stdout)
            history.merge(paths, commits: commits, head: head)
            if let cacheFile { history.write(cacheFile) }
        }
        return ContentHistory(commitTimes: byOffer(history.paths), knownFiles: Set(history.paths.keys), source: .git,
                              commits: history.commits, paths: history.paths.count, seconds: Date().timeIntervalSince(start),
                              shallow: place?.shallow ?? false)
    }

    /// `git rev-parse --absolute-git-dir --is-shallow-repository --show-prefix HEAD`, read; nil when git does not answer
    /// all four.
    static func repositoryPlace(_ git: Git) -> (gitDir: String, shallow: Bool, prefix: String, head: String)? {
        guard let output = try? git.run(["rev-parse", "--absolute-git-dir", "--is-shallow-repository", "--show-prefix", "HEAD"]),
              output.succeeded else { return nil }
        let l = output.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard l.count >= 4, l[0].hasPrefix("/"), l[1] == "true" || l[1] == "false", !l[3].isEmpty else { return nil }
        return (l[0], l[1] == "true", l[2], l[3])
    }

    /// Parses `git log --format=%x1e%ct --name-only` output: first/last commit time per path named, and the commits.
    static func parsePaths(_ data: Data) -> ([String: (first: Int, last: Int)], Int) {
        var times: [String: (first: Int, last: Int)] = [:]
        var commits = 0
        var time = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: true) {
            if line.first == 0x1E {
                commits += 1
                time = line.dropFirst().reduce(0) { $1 >= 0x30 && $1 <= 0x39 ? $0 * 10 + Int($1 - 0x30) : $0 }
                continue
            }
            widen(&times, String(decoding: line, as: UTF8.self), time, time)
        }
        return (times, commits)
    }

    /// First/last times per offer id from those of its files (the offer's and its translations').
    static func byOffer(_ paths: [String: (first: Int, last: Int)]) -> [String: (first: Int, last: Int)] {
        var times: [String: (first: Int, last: Int)] = [:]
        for (path, t) in paths {
            guard let key = offerKey(path) else { continue }
            widen(&times, key, t.first, t.last)
        }
        return times
    }

    /// Widens `times[key]` to cover `first ... last` (or sets it).
    static func widen(_ times: inout [String: (first: Int, last: Int)], _ key: String, _ first: Int, _ last: Int) {
        if let old = times[key] {
            times[key] = (min(old.first, first), max(old.last, last))
        } else {
            times[key] = (first, last)
        }
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

/// The history a `git log` gave, kept between builds in the repository's git folder (`<git dir>/tilbud/history`, never
/// in the work tree): the HEAD it was read at, the content folder's place in the repository (`git rev-parse
/// --show-prefix`), the commits read, and the first and last commit time of every path. Text, one path a line; a file
/// that does not read back whole (another version, cut short, edited) is not used, and the whole log is read again.
struct HistoryCache {
    static let header = "tilbud-history 1"
    var head: String
    var prefix: String
    var commits: Int
    var paths: [String: (first: Int, last: Int)]

    /// Adds the times of commits read since `self.head`, which is now `head`.
    mutating func merge(_ more: [String: (first: Int, last: Int)], commits: Int, head: String) {
        for (path, t) in more { ContentHistory.widen(&paths, path, t.first, t.last) }
        self.commits += commits
        self.head = head
    }

    /// The file's text: the header, head, prefix and commit count, then `first last path` per path (sorted), then `end`.
    func encoded() -> Data {
        var text = "\(Self.header)\nhead \(head)\nprefix \(prefix)\ncommits \(commits)\npaths \(paths.count)\n"
        for path in paths.keys.sorted() {
            let t = paths[path]!
            text += "\(t.first) \(t.last) \(path)\n"
        }
        text += "end\n"
        return Data(text.utf8)
    }

    /// The kept history, or nil when the file is missing or does not read back whole.
    static func decode(_ data: Data) -> HistoryCache? {
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 7, lines[0] == header, lines[1].hasPrefix("head "), lines[2].hasPrefix("prefix "),
              lines[3].hasPrefix("commits "), lines[4].hasPrefix("paths "),
              let commits = Int(lines[3].dropFirst(8)), let count = Int(lines[4].dropFirst(6)),
              lines.count == count + 7, lines[count + 5] == "end", lines[count + 6].isEmpty else { return nil }
        var paths: [String: (first: Int, last: Int)] = [:]
        paths.reserveCapacity(count)
        for line in lines[5..<(5 + count)] {
            let parts = line.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let first = Int(parts[0]), let last = Int(parts[1]), !parts[2].isEmpty else { return nil }
            paths[String(parts[2])] = (first, last)
        }
        // A commit id, nothing else: it is handed to git as a revision.
        let head = lines[1].dropFirst(5)
        guard paths.count == count, head.count == 40 || head.count == 64, head.utf8.allSatisfy(\.isLowercaseHexDigit) else { return nil }
        return HistoryCache(head: String(head), prefix: String(lines[2].dropFirst(7)), commits: commits, paths: paths)
    }

    static func read(_ file: URL) -> HistoryCache? {
        (try? Data(contentsOf: file)).flatMap(decode)
    }

    /// Writes the file whole or not at all (a new file renamed over the old); a git folder that cannot be written
    /// to (a read-only checkout) keeps nothing.
    func write(_ file: URL) {
        let fm = FileManager.default
        let temporary = file.deletingLastPathComponent().appendingPathComponent(".history.\(ProcessInfo.processInfo.processIdentifier)-\(UInt64.random(in: 0 ... .max))")
        do {
            try fm.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try encoded().write(to: temporary)
            guard rename(temporary.path, file.path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            try? fm.removeItem(at: temporary)
        }
    }
}

/// A `ContentHistory` being read on a thread of its own (a thread, not a dispatch worker: it waits on git, and a
/// waiting worker would take a core from the checks running meanwhile).
public final class PendingHistory: @unchecked Sendable {
    private let read = DispatchGroup()
    /// Set once, before `read` is left; read only after waiting for it.
    private var loaded: ContentHistory?

    /// Starts reading the history of `contentRoot` (`ContentHistory.load`).
    public init(contentRoot: URL) {
        read.enter()
        Thread.detachNewThread { [self] in
            loaded = ContentHistory.load(contentRoot: contentRoot)
            read.leave()
        }
    }

    /// The history, once read (waits until then).
    public var history: ContentHistory {
        read.wait()
        return loaded!
    }
}

/// Fills `Offer.updated` and `Offer.published`: the workflow's build step.
public enum OfferDates {
    /// Starts reading `contentRoot`'s history now; the function returned fills a catalog's dates from it (waiting for
    /// the history if it is not read yet), and hands the filled catalog and the history to `seen`. For
    /// `CatalogTransform(prepare:)`: git runs while the catalog is checked.
    public static func startFilling(contentRoot: URL, seen: (@Sendable (Catalog, ContentHistory) -> Void)? = nil)
        -> @Sendable (Catalog) -> Catalog {
        let pending = PendingHistory(contentRoot: contentRoot)
        return { catalog in
            let history = pending.history
            let filled = fill(catalog, history: history, contentRoot: contentRoot)
            seen?(filled, history)
            return filled
        }
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
