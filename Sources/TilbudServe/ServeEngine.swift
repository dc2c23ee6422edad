import Foundation
import TilbudDiagnostics
import TilbudModel
import TilbudOutput
import TilbudRender
import TilbudSite
import TilbudValidate
import TilbudWorkflow
#if canImport(Glibc)
import Glibc
#endif

/// The state behind `tilbud serve`: the published catalog, its diagnostics, and the incremental
/// re-publishing of what a change affects.
///
/// A change to records is handled in two phases. Phase 1 (on the engine queue, the latency that
/// counts): re-validate only the changed records (`CatalogChecker.run(only:)` over their files, in place), replace them in
/// the catalog, render and write their own pages, and tell the pages showing them to reload. Phase 2
/// (a background queue, coalesced, given up as soon as another change arrives): the list pages that
/// show those records (topic, type, audience, municipality, provider, home), then the output steps
/// (feed, search) over the whole catalog. Templates, `site.yaml` or `governance/` changing means a full
/// build. While any file has errors, every page is an error overlay with the same text as the terminal.
public final class ServeEngine: @unchecked Sendable {
    public struct Config: Sendable {
        public var content: URL
        public var contentShown: String
        public var templates: URL
        public var templatesShown: String
        public var output: URL
        public var today: Day
        public var language: MessageLanguage
        public var port: UInt16
        public var colour: Bool
        public var forcePolling: Bool
        /// The `tilbud` executable, for refreshing feed and search in a background build; nil: in this process.
        public var executable: String? = nil
        /// Seconds without changes before feed and search are refreshed.
        public var quiet: TimeInterval = 2
        /// The output steps after the pages (feed, search), as `tilbud build` runs them.
        public var steps: [any OutputStep] = []

        public init(content: URL, contentShown: String, templates: URL, templatesShown: String, output: URL, today: Day,
                    language: MessageLanguage, port: UInt16, colour: Bool, forcePolling: Bool) {
            self.content = content
            self.contentShown = contentShown
            self.templates = templates
            self.templatesShown = templatesShown
            self.output = output
            self.today = today
            self.language = language
            self.port = port
            self.colour = colour
            self.forcePolling = forcePolling
        }
    }

    /// What phase 1 of the last change did.
    struct Publish: Sendable {
        var files: [String]
        var pages: Int
        var milliseconds: Double
        var errors: Int
    }

    let config: Config
    public let server: DevServer
    let baseURL: String
    private let log: @Sendable (String) -> Void
    private var watcher: FileWatcher?
    private let queue = DispatchQueue(label: "tilbud.serve.engine")
    private let listQueue = DispatchQueue(label: "tilbud.serve.lists")

    // Engine-queue state.
    private var catalog: Catalog?
    private var history = ContentHistory(commitTimes: [:], knownFiles: nil, source: .fileDates)
    private var templates: TemplateSet?
    private var diagnostics: [Diagnostic] = []
    private var needsFullBuild = true

    // Shared state, under `lock`.
    private let lock = NSLock()
    private var pendingPaths = Set<String>()
    private var processing = false
    private var listWork: ListWork?
    private var listRunning = false
    private var buildGeneration = 0
    private var feedTimer: DispatchWorkItem?
    private var feedChild: Process?
    private var feedPending = false
    private var errorsShown = false
    private var stopped = false
    /// Paths changed since each background build (running or killed) started.
    private var changedSinceFeed: [ObjectIdentifier: Set<String>] = [:]
    private var inlineNational: Set<String> = []
    private var nationalCount = 0
    private var publishes: [Publish] = []
    private var fullBuilds = 0
    private var listRuns = 0

    /// `TILBUD_SERVE_TRACE=1` prints where the time of each step goes.
    let traceEnabled = ProcessInfo.processInfo.environment["TILBUD_SERVE_TRACE"] == "1"

    public init(_ config: Config, log: @escaping @Sendable (String) -> Void) throws {
        self.config = config
        self.log = log
        server = try DevServer(root: config.output, port: config.port)
        baseURL = "http://127.0.0.1:\(server.port)/"
    }

    /// Builds everything, then serves and watches.
    public func start() {
        queue.sync { fullBuild() }
        server.start()
        let watcher = FileWatcher(roots: [config.content, config.templates], settle: 0.002, forcePolling: config.forcePolling) { [weak self] paths in
            self?.changed(paths)
        }
        self.watcher = watcher
        watcher.start()
    }

    /// Stops watching and serving; with `wait`, also lets work in flight end, so nothing writes once
    /// the caller cleans up (a process about to exit need not wait for a build).
    public func stop(wait: Bool = true) {
        lock.withLock { stopped = true }
        watcher?.stop()
        cancelFeed()
        if wait {
            queue.sync {}
            listQueue.sync {}
        }
        server.stop()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    // MARK: changes

    /// Called by the watcher with absolute paths.
    func changed(_ paths: [String]) {
        if traceEnabled { log(String(format: "  tid: endring sett %.3f\n", Date().timeIntervalSince1970)) }
        // A change comes first: a feed refresh in the background stops at once.
        cancelFeed()
        let schedule: Bool = lock.withLock {
            for key in changedSinceFeed.keys { changedSinceFeed[key]?.formUnion(paths) }
            pendingPaths.formUnion(paths)
            if processing { return false }
            processing = true
            return true
        }
        if schedule { queue.async { self.process() } }
    }

    /// True while a change waits or is being handled (phase 2 gives way).
    var busy: Bool { lock.withLock { processing || !pendingPaths.isEmpty } }

    /// Blocks until every change so far has been handled, lists and steps included.
    func waitUntilIdle(timeout: TimeInterval = 120) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            queue.sync {}
            listQueue.sync {}
            let idle = lock.withLock { !processing && pendingPaths.isEmpty && listWork == nil && !listRunning && !feedPending }
            if idle { return true }
            Thread.sleep(forTimeInterval: 0.005)
        }
        return false
    }

    /// Phase-1 records, oldest first.
    var publishLog: [Publish] { lock.withLock { publishes } }
    /// Full builds done (the first included).
    var fullBuildCount: Int { lock.withLock { fullBuilds } }
    /// Phase-2 runs done.
    var listRunCount: Int { lock.withLock { listRuns } }
    /// The diagnostics shown now.
    var currentDiagnostics: [Diagnostic] { queue.sync { diagnostics } }
    /// The catalog published now.
    var currentCatalog: Catalog? { queue.sync { catalog } }

    private func relative(_ path: String, to root: URL) -> String? {
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : (path == root.path ? "" : nil)
    }

    static func ignoredName(_ name: Substring) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasSuffix(".swp") || name.hasSuffix(".tmp") || name.hasPrefix("#")
    }

    private func process() {
        if lock.withLock({ stopped }) {
            lock.withLock { processing = false; pendingPaths.removeAll() }
            return
        }
        let start = DispatchTime.now()
        if traceEnabled { log(String(format: "  tid: behandling starter %.3f\n", Date().timeIntervalSince1970)) }
        let paths: Set<String> = lock.withLock {
            let p = pendingPaths
            pendingPaths.removeAll()
            return p
        }
        var full = false
        var selection: [String: CatalogChecker.Selection] = [:]
        var changedFiles = Set<String>()
        for path in paths {
            if let rel = relative(path, to: config.templates) {
                if !rel.split(separator: "/").contains(where: Self.ignoredName) { full = true }
                continue
            }
            guard let rel = relative(path, to: config.content) else { continue }
            let parts = rel.split(separator: "/", omittingEmptySubsequences: true)
            guard let first = parts.first else { full = true; continue }
            // site.yaml, governance/ and the files site.yaml names (in folders beside it): anything but providers/
            // may change every page.
            if first != "providers" {
                if !parts.contains(where: Self.ignoredName) { full = true }
                continue
            }
            guard first == "providers", parts.count >= 2, !Self.ignoredName(parts[1]) else { continue }
            let id = String(parts[1])
            if parts.count == 3 {
                if Self.ignoredName(parts[2]) { continue }
                // Editors' and tools' scratch files that are already gone (sed's, for one) change nothing.
                let isRecord = parts[2].hasSuffix(".md") || parts[2] == "provider.yaml"
                if !isRecord && !FileManager.default.fileExists(atPath: path) && !diagnostics.contains(where: { $0.location?.path.hasSuffix(rel) == true }) {
                    continue
                }
                changedFiles.insert(rel)
                if parts[2] == "provider.yaml" {
                    selection[id] = .folder
                } else {
                    let slug = String(parts[2].prefix { $0 != "." })
                    switch selection[id] {
                    case .folder?: break
                    case let .slugs(s)?: selection[id] = .slugs(s.union([slug]))
                    default: selection[id] = .slugs([slug])
                    }
                }
            } else {
                selection[id] = .folder
            }
        }
        if full || (needsFullBuild && !selection.isEmpty) {
            fullBuild()
        } else if !selection.isEmpty {
            incremental(selection, changedFiles: changedFiles, start: start)
        }
        let again: Bool = lock.withLock {
            if pendingPaths.isEmpty {
                processing = false
                return false
            }
            return true
        }
        if again { queue.async { self.process() } }
    }

    // MARK: full build

    /// Runs the whole build into the output folder. With errors in records, the valid records are
    /// built from a copy without the broken files, so fixing one needs only an incremental step.
    private func fullBuild() {
        let start = DispatchTime.now()
        // Phase 2 and feed refreshes of an older catalog must not write into the new output.
        cancelFeed()
        lock.withLock {
            listWork = nil
            buildGeneration += 1
        }
        listQueue.sync {}
        let box = CatalogBox()
        let content = config.content
        // Dates come from the real folder's history even when building from the filtered copy; read while the catalog
        // is checked.
        let transform = CatalogTransform(prepare: { _ in OfferDates.startFilling(contentRoot: content) { box.store($0, $1) } })
        let builder = SiteBuilder(steps: config.steps, catalogTransform: transform)
        var options = BuildOptions(content: config.content, contentDisplay: config.contentShown, templates: config.templates,
                                   templatesDisplay: config.templatesShown, output: config.output, baseURL: baseURL, today: config.today)
        let result = builder.build(options)
        var built = result.succeeded
        var failure = result.failure
        var shown = result.diagnostics
        if !built, failure == nil, let (files, providers) = excluded(result.diagnostics) {
            options.excludedFiles = files
            options.excludedProviders = providers
            let second = builder.build(options)
            built = second.succeeded
            failure = second.failure
            // Template errors only show up once the content is valid.
            shown += second.diagnostics.filter { $0.severity == .error && stripContent($0.location?.path ?? "") == nil }
        }
        diagnostics = shown.sortedForOutput()
        if built, let stored = box.value {
            catalog = stored.catalog
            history = stored.history
            let languages = stored.catalog.site.languages
            templates = TemplateSet.load(from: config.templates, displayRoot: config.templatesShown, languages: languages).0
            needsFullBuild = templates == nil
            rememberNational(SiteRenderer(catalog: Self.stripped(stored.catalog), templates: templates!, baseURL: baseURL))
        } else {
            needsFullBuild = true
        }
        lock.withLock { fullBuilds += 1 }
        let ms = Self.milliseconds(since: start)
        if !diagnostics.isEmpty { log(format(diagnostics)) }
        if let failure {
            log((config.language == .nb ? "feil: " : "error: ") + failure + "\n")
        }
        let offers = catalog?.offers.count ?? 0
        log(config.language == .nb ? "Bygget hele nettstedet (\(offers) tilbud) på \(Self.seconds(ms)) s.\n"
                                   : "Built the whole site (\(offers) offers) in \(Self.seconds(ms)) s.\n")
        if built, history.source == .git {
            let t = String(format: "%.0f", history.seconds * 1000)
            log(config.language == .nb
                ? "  datoer fra git: 1 git-kall, \(history.commits) commits, \(history.paths) filer, \(t) ms.\n"
                : "  dates from git: 1 git call, \(history.commits) commits, \(history.paths) files, \(t) ms.\n")
        }
        updateOverlay()
        server.reload(paths: nil)
    }

    /// The files and provider folders to leave out so the rest builds; nil when an error is elsewhere
    /// (governance, site.yaml, templates), so nothing can be built.
    private func excluded(_ diagnostics: [Diagnostic]) -> (Set<String>, Set<String>)? {
        var files = Set<String>(), providers = Set<String>()
        for d in diagnostics where d.severity == .error {
            guard let path = d.location?.path, let rel = stripContent(path) else { return nil }
            let parts = rel.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0] == "providers" else { return nil }
            if parts.count == 2 || parts[2] == "provider.yaml" { providers.insert(String(parts[1])) } else { files.insert(rel) }
        }
        return (files, providers)
    }

    private func stripContent(_ shown: String) -> String? {
        let root = config.contentShown
        if root.isEmpty || root == "." { return shown }
        return shown.hasPrefix(root + "/") ? String(shown.dropFirst(root.count + 1)) : nil
    }

    // MARK: phase 1

    private func incremental(_ selection: [String: CatalogChecker.Selection], changedFiles: Set<String>, start: DispatchTime) {
        guard let old = catalog, let templates else {
            fullBuild()
            return
        }
        var trace = Trace(enabled: traceEnabled)
        let result = CatalogChecker(root: config.content, displayRoot: config.contentShown, today: config.today).run(only: selection)
        trace.mark("check")
        func selected(rel: String) -> Bool {
            let parts = rel.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0] == "providers", let what = selection[String(parts[1])] else { return false }
            switch what {
            case .folder: return true
            case .providerOnly: return parts.count == 2 || parts[2] == "provider.yaml"
            case let .slugs(slugs): return parts.count == 2 || parts[2] == "provider.yaml" || slugs.contains(String(parts[2].prefix { $0 != "." }))
            }
        }
        func affected(_ d: Diagnostic) -> Bool {
            guard let path = d.location?.path, let rel = stripContent(path) else { return false }
            return selected(rel: rel)
        }
        func selectedOffer(_ o: Offer) -> Bool {
            switch selection[o.providerID] {
            case .folder?: return true
            case let .slugs(slugs)?: return slugs.contains(o.slug)
            default: return false
            }
        }
        let errorsBefore = diagnostics.hasErrors
        let fresh = result.diagnostics.filter(affected)
        diagnostics = (diagnostics.filter { !affected($0) } + fresh).sortedForOutput()

        // The new records, dated as `tilbud build` would date them from this working tree.
        let root = config.content.standardizedFileURL.path
        var newOffers: [Offer] = []
        for offer in result.catalog.offers where selectedOffer(offer) {
            var o = offer
            (o.published, o.updated) = OfferDates.dates(for: offer, history: history, root: root)
            newOffers.append(o)
        }
        var providers = old.providers.filter { selection[$0.id] == nil }
        for id in selection.keys { if let p = result.catalog.provider(id) { providers.append(p) } }
        providers.sort { $0.id < $1.id }
        let removedProviders = Set(old.providers.map(\.id)).subtracting(providers.map(\.id))
        // The catalog is sorted by id, so a provider's offers are one run, found by binary search.
        var oldOffers: [Offer] = []
        for id in selection.keys.sorted() {
            for i in Self.offerRange(of: id, in: old.offers) where selectedOffer(old.offers[i]) { oldOffers.append(old.offers[i]) }
        }
        trace.mark("records")

        // Their own pages, in every language: all that is needed to show the change.
        var written: [String] = []
        let published = newOffers.filter { $0.state.isPublished }
        let mini = SiteRenderer(catalog: Catalog(site: old.site, governance: old.governance, providers: providers, offers: published, today: old.today),
                                templates: templates, baseURL: baseURL)
        let indexes = mini.indexes()
        var failures: [String] = []
        for job in mini.jobs() {
            guard case .offer = job else { continue }
            let path = mini.outputPath(job)
            do {
                try Self.writeAtomically(mini.render(job, indexes: indexes), to: config.output.appendingPathComponent(path))
                written.append(path)
            } catch {
                failures.append("\(path): \(error)")
            }
        }
        // Pages of records that are gone, broken or no longer published, and of translations removed.
        let now = Dictionary(published.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var gone: [String] = []
        for o in oldOffers where o.state.isPublished {
            for lang in old.site.languages {
                let had = SitePaths.hasPage(translations: o.translations, lang, languages: old.site.languages)
                let has = now[o.id].map { SitePaths.hasPage(translations: $0.translations, lang, languages: old.site.languages) } ?? false
                if had && !has { gone.append(mini.paths.file(SitePaths.offer(o), lang)) }
            }
        }
        for id in removedProviders.sorted() {
            gone += old.site.languages.map { mini.paths.file(SitePaths.provider(id), $0) }
        }
        for path in gone {
            let url = config.output.appendingPathComponent(path)
            if (try? FileManager.default.removeItem(at: url)) != nil {
                written.append(path)
                try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
            }
        }
        trace.mark("render")
        let errorsNow = diagnostics.hasErrors
        updateOverlay()
        server.reload(paths: errorsBefore != errorsNow ? nil : written.map(Self.urlPath))
        trace.mark("reload")
        let reloadedAt = Date().timeIntervalSince1970
        let ms = Self.milliseconds(since: start)
        let errorCount = diagnostics.filter { $0.severity == .error }.count
        lock.withLock { publishes.append(Publish(files: changedFiles.sorted(), pages: written.count, milliseconds: ms, errors: errorCount)) }

        // Then the catalog itself, sorted by id: the others stay in place, the new ones go where they belong.
        var offers: [Offer] = []
        offers.reserveCapacity(old.offers.count + newOffers.count)
        for o in old.offers where !selectedOffer(o) && !removedProviders.contains(o.providerID) { offers.append(o) }
        for o in newOffers {
            let id = o.id
            var lo = 0, hi = offers.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if offers[mid].id < id { lo = mid + 1 } else { hi = mid }
            }
            offers.insert(o, at: lo)
        }
        let new = Catalog(site: old.site, governance: old.governance, providers: providers, offers: offers, today: old.today)
        catalog = new
        // Freeing ten thousand records takes a while; not on this queue.
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(old) {} }
        trace.mark("catalog")

        // Terminal: what the changed files say now, and what was published.
        if !fresh.isEmpty { log(format(fresh)) }
        if traceEnabled { log("  tid: \(trace.text)" + String(format: ", lastet inn %.3f\n", reloadedAt)) }
        for f in failures { log((config.language == .nb ? "feil: " : "error: ") + f + "\n") }
        let names = changedFiles.sorted().map { config.contentShown.isEmpty ? $0 : config.contentShown + "/" + $0 }.joined(separator: ", ")
        let msText = String(format: "%.0f", ms)
        if errorsNow {
            log(config.language == .nb
                ? "✗ \(names): \(errorCount) feil i katalogen; nettleseren viser dem til de er rettet (\(msText) ms).\n"
                : "✗ \(names): \(errorCount) errors in the catalog; the browser shows them until they are fixed (\(msText) ms).\n")
        } else {
            log(config.language == .nb ? "✓ \(names): publisert \(written.count) sider på \(msText) ms.\n"
                                       : "✓ \(names): published \(written.count) pages in \(msText) ms.\n")
        }

        // Phase 2: the lists that show these records, then feed and search.
        var keys = Set<ListKey>([.home, .municipalities])
        for o in oldOffers + newOffers where o.state.isListed { keys.formUnion(ListKey.keys(for: o)) }
        for id in selection.keys { keys.insert(.provider(id)) }
        let national = Set((oldOffers + newOffers).filter { $0.national && $0.state.isListed }.map(\.id))
        scheduleLists(ListWork(generation: lock.withLock { buildGeneration }, catalog: new, templates: templates, keys: keys, nationalChanged: national, started: start))
    }

    // MARK: phase 2

    /// A list page, in every language.
    enum ListKey: Hashable {
        case home, municipalities, national
        case topic(String), kind(String), audience(String), municipality(String), provider(String)

        static func keys(for o: Offer) -> Set<ListKey> {
            var k = Set<ListKey>([.kind(o.kind), .provider(o.providerID)])
            for t in o.topics { k.insert(.topic(t)) }
            for a in o.audiences { k.insert(.audience(a)) }
            for m in o.municipalities { k.insert(.municipality(m)) }
            if o.national { k.insert(.national) }
            return k
        }
    }

    struct ListWork {
        var generation: Int
        var catalog: Catalog
        var templates: TemplateSet
        var keys: Set<ListKey>
        /// Listed national offers among the changed ones: municipality pages show the first national offers inline.
        var nationalChanged: Set<String>
        var started: DispatchTime

        mutating func merge(_ newer: ListWork) {
            catalog = newer.catalog
            templates = newer.templates
            keys.formUnion(newer.keys)
            nationalChanged.formUnion(newer.nationalChanged)
        }
    }

    private func scheduleLists(_ work: ListWork) {
        let start: Bool = lock.withLock {
            if listWork == nil { listWork = work } else { listWork!.merge(work) }
            if listRunning { return false }
            listRunning = true
            return true
        }
        if start { listQueue.async { self.runLists() } }
    }

    /// The catalog with every body left out: list pages show titles and summaries only, so a renderer
    /// over it renders the same lists without converting 10 000 Markdown bodies.
    static func stripped(_ c: Catalog) -> Catalog {
        Catalog(site: c.site, governance: c.governance, providers: c.providers, offers: c.offers.filter { $0.state.isPublished },
                today: c.today).withoutBodies()
    }

    private func rememberNational(_ renderer: SiteRenderer) {
        let x = renderer.indexes()
        let inline = Set(x.national.prefix(SiteRenderer.nationalInline).map { renderer.published[$0].id })
        lock.withLock {
            inlineNational = inline
            nationalCount = x.national.count
        }
    }

    private func runLists() {
        while true {
            let (taken, generation): (ListWork?, Int) = lock.withLock {
                let w = listWork
                listWork = nil
                return (w, buildGeneration)
            }
            guard let work = taken else { break }
            let templates = work.templates
            let start = DispatchTime.now()
            var listTrace = Trace(enabled: traceEnabled)
            let strippedCatalog = Self.stripped(work.catalog)
            listTrace.mark("strip")
            let renderer = SiteRenderer(catalog: strippedCatalog, templates: templates, baseURL: baseURL)
            listTrace.mark("renderer")
            let x = renderer.indexes()
            let inline = Set(x.national.prefix(SiteRenderer.nationalInline).map { renderer.published[$0].id })
            let (oldInline, oldCount) = lock.withLock { (inlineNational, nationalCount) }
            // Every municipality page shows the first national offers and their count.
            let allMunicipalities = oldCount != x.national.count || !work.nationalChanged.isDisjoint(with: inline.union(oldInline))
            let providerIDs = renderer.catalog.providers.map(\.id)
            let jobs = renderer.jobs().filter { job in
                switch job {
                case .home: return work.keys.contains(.home)
                case .municipalities: return work.keys.contains(.municipalities)
                case .national: return work.keys.contains(.national) || allMunicipalities
                case let .topic(id, _): return work.keys.contains(.topic(id))
                case let .kind(id, _): return work.keys.contains(.kind(id))
                case let .audience(id, _): return work.keys.contains(.audience(id))
                case let .municipality(code, _): return allMunicipalities || work.keys.contains(.municipality(code))
                case let .provider(i, _), let .providerOffers(i, _): return work.keys.contains(.provider(providerIDs[i]))
                // The indexes count what every change may move, as the front page does.
                case .index, .providers, .offers: return work.keys.contains(.home)
                default: return false
                }
            }
            let gaveWay = AtomicFlag()
            var pages = [String?](repeating: nil, count: jobs.count)
            pages.withUnsafeMutableBufferPointer { buffer in
                let out = buffer
                DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                    if gaveWay.isSet { return }
                    if self.busy || self.isStopped { gaveWay.set(); return }
                    let path = renderer.outputPath(jobs[i])
                    if (try? Self.writeAtomically(renderer.render(jobs[i], indexes: x), to: self.config.output.appendingPathComponent(path))) != nil {
                        out[i] = path
                    }
                }
            }
            if isStopped { break }
            if gaveWay.isSet {
                // A newer change is being published: do this again after it, with its catalog
                // (unless a full build started, which makes every list anew).
                lock.withLock {
                    guard generation == buildGeneration else { return }
                    if listWork == nil { listWork = work } else { var w = work; w.merge(listWork!); listWork = w }
                }
                while busy && lock.withLock({ generation == buildGeneration }) { Thread.sleep(forTimeInterval: 0.005) }
                continue
            }
            lock.withLock {
                inlineNational = inline
                nationalCount = x.national.count
            }
            let written = pages.compactMap { $0 }
            listTrace.mark("pages")
            if traceEnabled { log("  tid (lister): \(listTrace.text)\n") }
            server.reload(paths: written.map(Self.urlPath))
            let listMS = Self.milliseconds(since: start)
            lock.withLock { listRuns += 1 }
            log(config.language == .nb
                ? "  lister: \(written.count) sider på \(String(format: "%.0f", listMS)) ms.\n"
                : "  lists: \(written.count) pages in \(String(format: "%.0f", listMS)) ms.\n")
            scheduleFeed(work)
        }
        lock.withLock { listRunning = false }
        // A change may have queued work after the loop saw none.
        let again: Bool = lock.withLock {
            if listWork != nil && !listRunning { listRunning = true; return true }
            return false
        }
        if again { listQueue.async { self.runLists() } }
    }

    // MARK: feed and search

    /// Feed, search index and the other output steps read the whole catalog with every text: seconds of
    /// work at 10 000 offers. They are brought up to date once the editor has paused for `quiet`, and
    /// never hold up a change: with the `tilbud` executable they run as a full `tilbud build` into the
    /// served folder at the lowest CPU and I/O priority, stopped as soon as the next change arrives;
    /// without it (tests), in this process, on the lists queue.
    private func scheduleFeed(_ work: ListWork) {
        guard !config.steps.isEmpty else { return }
        let item = DispatchWorkItem { [weak self] in self?.refreshFeed(work) }
        lock.withLock {
            feedTimer?.cancel()
            feedTimer = item
            feedPending = true
        }
        listQueue.asyncAfter(deadline: .now() + config.quiet, execute: item)
    }

    /// Stops a pending or running refresh (a change is coming). A child build is killed without waiting
    /// for it (at the lowest priority on a busy machine, dying can take a while); should it have finished
    /// and put its output in place anyway, the changes since it started are handled again.
    private func cancelFeed() {
        let child: Process? = lock.withLock {
            feedTimer?.cancel()
            feedTimer = nil
            feedPending = false
            let c = feedChild
            feedChild = nil
            return c
        }
        if let child, child.isRunning { kill(child.processIdentifier, SIGKILL) }
    }

    private func refreshFeed(_ work: ListWork) {
        let go: Bool = lock.withLock {
            feedTimer = nil
            if stopped || processing || !pendingPaths.isEmpty || generationChanged(work) { feedPending = false; return false }
            return true
        }
        guard go else { return }
        // Never `queue.sync` here: a full build on the engine queue waits for this queue.
        if lock.withLock({ errorsShown }) {
            lock.withLock { feedPending = false }
            return
        }
        let start = DispatchTime.now()
        if let executable = config.executable {
            let process = Process()
            var arguments = [executable, "build", "--content", config.content.path, "--templates", config.templates.path,
                             "--output", config.output.path, "--base-url", baseURL, "--today", config.today.iso, "--quiet"]
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/ionice") { arguments = ["/usr/bin/ionice", "-c", "3"] + arguments }
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/nice") { arguments = ["/usr/bin/nice", "-n", "19"] + arguments }
            process.executableURL = URL(fileURLWithPath: arguments[0])
            process.arguments = Array(arguments.dropFirst())
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            let language = config.language
            process.terminationHandler = { [weak self] p in
                guard let self else { return }
                let (mine, missed): (Bool, Set<String>) = self.lock.withLock {
                    let missed = self.changedSinceFeed.removeValue(forKey: ObjectIdentifier(p)) ?? []
                    guard self.feedChild === p else { return (false, missed) }
                    self.feedChild = nil
                    self.feedPending = false
                    return (true, missed)
                }
                guard mine else {
                    // Stopped by a change, but it may have swapped its output in first: do those changes again.
                    if p.terminationReason == .exit, p.terminationStatus == 0, !missed.isEmpty { self.changed(Array(missed)) }
                    return
                }
                let s = Self.seconds(Self.milliseconds(since: start))
                if p.terminationStatus == 0 {
                    self.log(language == .nb ? "  feed og søk: hele nettstedet bygget på nytt i bakgrunnen på \(s) s.\n"
                                             : "  feed and search: the whole site rebuilt in the background in \(s) s.\n")
                } else {
                    self.log(language == .nb ? "  feed og søk: byggingen i bakgrunnen stoppet (kode \(p.terminationStatus)).\n"
                                             : "  feed and search: the background build stopped (code \(p.terminationStatus)).\n")
                }
            }
            let started: Bool = lock.withLock {
                guard feedPending, !processing, pendingPaths.isEmpty else { return false }
                do { try process.run() } catch { return false }
                feedChild = process
                changedSinceFeed[ObjectIdentifier(process)] = []
                return true
            }
            if !started { lock.withLock { feedPending = false } }
            return
        }
        // In this process: not to be interrupted, so only for small catalogs (and tests).
        var stepTrace = Trace(enabled: traceEnabled)
        var stepError: String? = nil
        let published = SiteRenderer(catalog: work.catalog, templates: work.templates, baseURL: baseURL).publishedCatalog
        stepTrace.mark("texts")
        let writer = OutputWriter(root: config.output)
        do {
            for step in config.steps {
                try step.write(published, writer: writer)
                stepTrace.mark(String(describing: type(of: step)))
            }
        } catch {
            stepError = String(describing: error)
        }
        lock.withLock { feedPending = false }
        if let stepError { log((config.language == .nb ? "feil: " : "error: ") + stepError + "\n") }
        if traceEnabled { log("  tid (feed og søk): \(stepTrace.text)\n") }
        log(config.language == .nb ? "  feed og søk: oppdatert på \(String(format: "%.0f", Self.milliseconds(since: start))) ms.\n"
                                   : "  feed and search: updated in \(String(format: "%.0f", Self.milliseconds(since: start))) ms.\n")
    }

    /// True when a full build started after `work` was made (call with `lock` held).
    private func generationChanged(_ work: ListWork) -> Bool { work.generation != buildGeneration }

    // MARK: output

    private func updateOverlay() {
        let errors = diagnostics.filter { $0.severity == .error }
        lock.withLock { errorsShown = !errors.isEmpty }
        if errors.isEmpty {
            server.setOverlay(nil)
            return
        }
        // The errors as the terminal shows them (without colour), and the count.
        let formatter = DiagnosticFormatter(language: config.language, colour: false)
        let text = errors.map { formatter.text($0, source: sourceText) }.joined(separator: "\n")
        server.setOverlay(ErrorOverlay.page(text: text, errors: errors.count, language: config.language))
    }

    private func format(_ diagnostics: [Diagnostic]) -> String {
        let formatter = DiagnosticFormatter(language: config.language, colour: config.colour)
        return formatter.texts(diagnostics, source: sourceText).joined(separator: "\n")
    }

    /// Reads a file shown at `path`: relative to the working directory, like every diagnostic path.
    private func sourceText(_ path: String) -> String? {
        if let rel = stripContent(path), let text = DiagnosticFormatter.readSource(config.content.appendingPathComponent(rel).path) { return text }
        return DiagnosticFormatter.readSource(path)
    }

    /// The positions of `providerID`'s offers in offers sorted by id (ids are `<provider>/<slug>`).
    static func offerRange(of providerID: String, in offers: [Offer]) -> Range<Int> {
        let prefix = providerID + "/"
        var lo = 0, hi = offers.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if offers[mid].id < prefix { lo = mid + 1 } else { hi = mid }
        }
        var end = lo
        while end < offers.count, offers[end].providerID == providerID { end += 1 }
        return lo..<end
    }

    /// `tilbud/a/b/index.html` → `/tilbud/a/b/`.
    static func urlPath(_ relative: String) -> String {
        "/" + (relative.hasSuffix("index.html") ? String(relative.dropLast("index.html".count)) : relative)
    }

    /// Writes a file next to its final name, then renames it: a request never sees half a page.
    static func writeAtomically(_ text: String, to url: URL) throws {
        let dir = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(url.lastPathComponent).serve-\(UUID().uuidString.prefix(8))")
        try Data(text.utf8).write(to: temp)
        if rename(temp.path, url.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw WorkflowError("write-failed", nb: "Kunne ikke skrive \(url.path): \(reason).", en: "Could not write \(url.path): \(reason).")
        }
    }

    static func milliseconds(since start: DispatchTime) -> Double {
        Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1_000_000
    }

    static func seconds(_ ms: Double) -> String { String(format: "%.1f", ms / 1000) }
}

/// Milliseconds per named step, for `TILBUD_SERVE_TRACE=1`.
struct Trace {
    let enabled: Bool
    private var last = DispatchTime.now()
    private var parts: [(String, Double)] = []

    init(enabled: Bool) { self.enabled = enabled }

    mutating func mark(_ name: String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        parts.append((name, Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1_000_000))
        last = now
    }

    var text: String { parts.map { "\($0.0) \(String(format: "%.1f", $0.1)) ms" }.joined(separator: ", ") }
}

/// The catalog and history the build's transform saw.
final class CatalogBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: (catalog: Catalog, history: ContentHistory)?
    func store(_ catalog: Catalog, _ history: ContentHistory) { lock.withLock { stored = (catalog, history) } }
    var value: (catalog: Catalog, history: ContentHistory)? { lock.withLock { stored } }
}

/// A flag set once, from any thread.
final class AtomicFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
