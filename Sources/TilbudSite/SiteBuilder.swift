import Foundation
import TilbudDiagnostics
import TilbudModel
import TilbudOutput
import TilbudRender
import TilbudValidate

/// What `tilbud build` needs to know.
public struct BuildOptions: Sendable {
    /// The content folder.
    public var content: URL
    /// The content folder as shown in diagnostics.
    public var contentDisplay: String
    /// The templates folder.
    public var templates: URL
    /// The templates folder as shown in diagnostics.
    public var templatesDisplay: String
    /// The output folder; replaced as a whole at the end of a successful build.
    public var output: URL
    /// The absolute base URL; `site.yaml`'s when nil.
    public var baseURL: String?
    /// The day states are computed for.
    public var today: Day
    /// Runs the pages and each output step one after another, so each can be timed on its own
    /// (`tilbud build --timings`). By default they run side by side, which keeps both cores busy while one
    /// of them waits for its slowest part.
    public var oneStageAtATime = false
    /// How rendered bodies and list cards are held until written (`Holding`); nil: as they are up to
    /// `SiteRenderer.compressAbove` published offers, above it in a spill file beside the output (compressed where none
    /// can be made). The output is the same every way.
    public var holding: Holding? = nil
    /// Offer files (paths under the content folder) and provider folders (ids) left out of the build, as if they
    /// were not there: `serve` publishes the valid part of a catalog that has errors this way.
    public var excludedFiles: Set<String> = []
    public var excludedProviders: Set<String> = []
    /// Called after each stage that runs on its own (a large catalog's lanes run one after another, see
    /// `SiteBuilder.sideBySideUpTo`), when what that stage held is freed: the CLI gives freed memory back to the
    /// system there, so the next stage does not stand on top of the last one's leftovers.
    public var betweenStages: (@Sendable () -> Void)?

    /// Creates options.
    public init(content: URL, contentDisplay: String, templates: URL, templatesDisplay: String, output: URL, baseURL: String?, today: Day) {
        self.content = content
        self.contentDisplay = contentDisplay
        self.templates = templates
        self.templatesDisplay = templatesDisplay
        self.output = output
        self.baseURL = baseURL
        self.today = today
    }
}

/// The outcome of a build.
public struct BuildResult: Sendable {
    /// Diagnostics from validation and templates.
    public var diagnostics: [Diagnostic]
    /// Files found and checked.
    public var filesChecked: Int
    /// HTML pages written.
    public var pages: Int
    /// All files written.
    public var files: Int
    /// Bytes written.
    public var bytes: Int
    /// Files that were not written but linked from the previous output, their bytes unchanged (counted in `files`).
    public var filesLinked = 0
    /// Files of the reused build before last that already had the right bytes and were left alone (counted in `files`).
    public var filesKept = 0
    /// Files kept from the previous output by their fingerprint, not made again (counted in `files`, and in
    /// `filesLinked` or `filesKept`).
    public var filesCarried = 0
    /// Entries read from the render cache, by kind (bodies, cards, the offers' JSON and FHIR resources).
    public var cacheReads: [RenderCache.Kind: Int] = [:]
    /// Published offers whose bodies were not rendered again but read from the render cache (`RenderCache`).
    public var offersFromCache: Int { cacheReads[.texts] ?? 0 }
    /// Set when the build failed for a reason other than content errors (I/O, unsafe output folder).
    public var failure: String?
    /// Wall and CPU time of each stage in seconds, in order (`tilbud build --timings` prints them).
    public var timings: [Timing] = []

    /// What one stage of the build cost.
    public struct Timing: Sendable {
        /// The stage.
        public var stage: String
        /// Wall time in seconds.
        public var seconds: Double
        /// CPU time (user and system, all threads) in seconds.
        public var cpu: Double
        /// The process's peak resident memory at the end of the stage, in MiB.
        public var peakMiB: Double
        /// The process's resident memory at the end of the stage (what the build still holds), in MiB; 0 where unknown.
        public var residentMiB: Double = 0
    }
    /// True when the new output is in place.
    public var succeeded: Bool { failure == nil && !diagnostics.hasErrors }
}

/// What a build does to the validated catalog before anything is rendered, with the content folder: the workflow
/// fills `Offer.updated` and `Offer.published` from git history here. Those two dates are part of an offer's
/// fingerprint (`SiteRenderer.offerFingerprints`); a transform that changes anything else of an offer must not be
/// used over an output whose pages it would change, or clear `Offer.sourceDigest` of what it changes (then those
/// pages are always made again).
public struct CatalogTransform: Sendable {
    /// Called when the build starts, with the content folder; what it returns is applied to the checked catalog (at
    /// most once: a build that stops on errors never applies it).
    let start: @Sendable (URL) -> @Sendable (Catalog) -> Catalog

    /// A transform that prepares as the build starts: slow work that needs only the content folder (reading the git
    /// history: 0.7 s for 5,000 commits at 10,000 offers) is started by `prepare` on a thread of its own and runs
    /// while the catalog is loaded and checked, instead of after it.
    public init(prepare: @escaping @Sendable (URL) -> @Sendable (Catalog) -> Catalog) {
        self.start = prepare
    }

    /// A transform with nothing to prepare.
    public init(_ apply: @escaping @Sendable (Catalog, URL) -> Catalog) {
        self.start = { content in { apply($0, content) } }
    }
}

/// Runs the whole pipeline: check → render → write to a temporary folder → swap it in.
public struct SiteBuilder: Sendable {
    /// Extra output steps, run after the pages.
    public var steps: [any OutputStep]
    /// Runs on the validated catalog before anything is rendered (see `CatalogTransform`).
    public var catalogTransform: CatalogTransform?

    /// Creates a builder.
    public init(steps: [any OutputStep] = [], catalogTransform: CatalogTransform? = nil) {
        self.steps = steps
        self.catalogTransform = catalogTransform
    }

    /// Builds; `progress` is called with (done, total) now and then, from any thread.
    public func build(_ options: BuildOptions, progress: (@Sendable (Int, Int) -> Void)? = nil) -> BuildResult {
        // A build that was killed can leave its staging folder behind, or (killed in the middle of a swap
        // without atomic exchange) the previous output under its `.old` name: put that back first, so even
        // a build that then stops on content errors leaves the previous output as it was.
        // Old trees that earlier builds swapped out are deleted on a thread of their own while this build checks and
        // renders: deleting tens of thousands of files is not on the build's path (it is waited for before returning).
        let cleanup = DispatchGroup()
        if Self.unsafeOutput(options) == nil {
            let output = options.output.standardizedFileURL
            Self.recoverLeftovers(output: output)
            DispatchQueue.global().async(group: cleanup) { Self.removeTrash(beside: output) }
        }
        defer { cleanup.wait() }
        var clock = StageClock()
        // Started before the catalog is loaded, so what it prepares (the workflow reads the git history) runs meanwhile.
        let transform = catalogTransform?.start(options.content)
        var check: CheckResult? = CatalogChecker(root: options.content, displayRoot: options.contentDisplay, today: options.today)
            .run(excludingFiles: options.excludedFiles, excludingProviders: options.excludedProviders)
        var result = BuildResult(diagnostics: check!.diagnostics, filesChecked: check!.filesChecked, pages: 0, files: 0, bytes: 0, failure: nil)
        result.timings.append(clock.lap("load and check"))
        if check!.hasErrors { return result }
        // The catalog is handed on, not kept here: the renderer frees what it no longer needs (the offers' Markdown).
        var catalog: Catalog? = check.take()!.catalog
        if let transform { catalog = transform(catalog.take()!) }
        result.timings.append(clock.lap("dates from git"))
        let inputsDigest = Self.inputsDigest(options)
        let (templates, templateDiagnostics) = TemplateSet.load(from: options.templates, displayRoot: options.templatesDisplay,
                                                                languages: catalog!.site.languages)
        result.diagnostics += templateDiagnostics
        result.timings.append(clock.lap("templates"))
        guard let templates, !templateDiagnostics.hasErrors else { return result }

        if let problem = Self.unsafeOutput(options) {
            result.failure = problem
            return result
        }
        let output = options.output.standardizedFileURL
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        let pid = ProcessInfo.processInfo.processIdentifier
        let staging = parent.appendingPathComponent(".\(name).tmp-\(pid)")
        let old = parent.appendingPathComponent(".\(name).old-\(pid)")
        let trash = parent.appendingPathComponent(".\(name).trash-\(pid)")
        let spare = Self.spare(of: output)
        let fm = FileManager.default
        var reusing: PreviousOutput?
        var cache: RenderCache?
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try? fm.removeItem(at: staging)
            reusing = Self.claimSpare(spare, as: staging, for: output, trash: trash)
            if reusing == nil { try fm.createDirectory(at: staging, withIntermediateDirectories: false) }
        } catch {
            result.failure = "could not create \(staging.path): \(error)"
            return result
        }
        // The build before last, when it was kept, is the staging folder: its files that are already right stay as they
        // are. Otherwise files whose bytes the previous build wrote at the same path are linked from it. Up to
        // `bothManifestsUpTo` offers both manifests are read, so a page the spare does not have as it is now but the
        // previous output does is linked from there: after a change to what every page shares, the spare is from before
        // it, and without the previous output's manifest the build after the change would make every page again too.
        // Above that only one manifest is read.
        let bothManifests = catalog!.offers.count <= Self.bothManifestsUpTo
        let writer = reusing.map { OutputWriter(root: staging, previous: bothManifests ? PreviousOutput.load(output) : nil, reusing: $0) }
            ?? OutputWriter(root: staging, previous: PreviousOutput.load(output))
        // After a reboot the files this build keeps are looked up ahead of the pages that keep them.
        let lookAhead = writer.lookAhead()
        defer { lookAhead?.stop() }
        do {
            try writer.write(Self.outputMarker, Self.outputMarkerText)
            // A large catalog's bodies and cards are held in a file beside the output rather than in memory (`SpillFile`:
            // unlinked at once, so nothing is left behind); the renderer decides by the published offers whether to use
            // it. Made only when it may be needed: for `.spilled`, or by default when all offers are more than that.
            let spilling: Bool = if let h = options.holding { h == .spilled } else { catalog!.offers.count > SiteRenderer.compressAbove }
            let spill = spilling ? SpillFile(in: parent) : nil
            // What earlier builds rendered, by fingerprint (`RenderCache`): a rebuild reads it and adds to it (the first
            // rebuild after a fresh build makes it); a fresh build removes it and makes none, like the spare.
            cache = inputsDigest != nil && Self.hasManifest(output) ? RenderCache(path: Self.cachePath(of: output).path) : nil
            var renderer = SiteRenderer(catalog: catalog.take()!, templates: templates, baseURL: options.baseURL,
                                        holding: options.holding, spill: spill, inputsDigest: inputsDigest, cache: cache)
            result.timings.append(clock.lap("markdown and cards"))
            for asset in templates.assets.values.sorted(by: { $0.outputPath < $1.outputPath }) {
                try writer.write(asset.outputPath, asset.data)
            }
            // site.yaml's files (the publisher's logo, the favicon, the sharing image), as they are.
            for file in renderer.siteFiles { try writer.write(file.path, file.bytes) }
            try writer.write("_headers", HostFiles.headers(renderer.paths))
            try writer.write("_redirects", HostFiles.redirects(renderer.paths))
            // The feed and search steps read the published catalog (offers, texts, URL scheme; shared with the
            // renderer, not copied), not the renderer: the list cards are freed as soon as the pages are written.
            let published = renderer.publishedCatalog
            let pages = Lane(name: "pages") { [renderer] in
                try Self.writePages(renderer, writer: writer, progress: progress)
            }
            let lanes = [pages] + steps.map { step in
                Lane(name: String(describing: type(of: step))) {
                    try step.write(published, writer: writer)
                    return 0
                }
            }
            renderer.dropCards()
            if options.oneStageAtATime || published.offers.count > Self.sideBySideUpTo {
                for lane in lanes {
                    try lane.run()
                    writer.forgetFolders()
                    options.betweenStages?()
                    result.timings.append(clock.lap(lane.name))
                }
            } else {
                try Lane.runSideBySide(lanes)
                result.timings.append(clock.lap(lanes.map(\.name).joined(separator: " + ")))
            }
            // A card or body that could not be read back from the spill file was written empty: not an output to keep.
            if let problem = spill?.failed { throw SpillFailure(message: problem) }
            result.pages = pages.count
            result.files = writer.filesWritten
            result.bytes = writer.bytesWritten
            result.filesLinked = writer.filesLinked
            result.filesKept = writer.filesKept
            result.filesCarried = writer.filesCarried
            try writer.writeManifest()
            // The old trees are gone by now (they were deleted while this build rendered): the swap keeps the previous
            // output as the spare, and only what cannot be kept goes to this build's trash name.
            cleanup.wait()
            try Self.swap(staging: staging, into: output, old: old, trash: trash, spare: spare)
            cache?.finish()
            result.timings.append(clock.lap("swap"))
        } catch {
            cache?.abandon()
            try? fm.removeItem(at: staging)
            result.failure = String(describing: error)
        }
        result.cacheReads = cache?.hits ?? [:]
        return result
    }

    /// A hash of everything a build shares between its pages, beside the records themselves: this program (its
    /// executable's bytes), every file of the templates folder, every file of the content folder except the offer files
    /// and `provider.yaml`s in the provider folders (governance, reference data, `site.yaml`, documents, media), the build
    /// day, base URL and the files left out. Two builds that agree on it and on an offer's own files make the same pages
    /// for that offer (`SiteRenderer.offerFingerprints`); hidden files and folders of the content folder (`.git`) are not
    /// read by the build and are left out. nil when something could not be read: then nothing is carried over.
    static func inputsDigest(_ options: BuildOptions) -> UInt64? {
        var h = FileHash()
        h.update(text: "tilbud-inputs 1")
        // The executable in 1 MiB pieces (it is 16 MB).
        guard let exe = FileHandle(forReadingAtPath: "/proc/self/exe") ?? Bundle.main.executablePath.flatMap(FileHandle.init(forReadingAtPath:)) else { return nil }
        defer { try? exe.close() }
        var exeBytes = 0
        do {
            while let piece = try exe.read(upToCount: 1 << 20), !piece.isEmpty {
                piece.withUnsafeBytes { h.update($0) }
                exeBytes += piece.count
            }
        } catch {
            return nil
        }
        guard exeBytes > 0 else { return nil }
        // Every regular file under `folder` (symbolic links followed, at most 32 folders deep) but those `skip` names,
        // in byte order of their paths: each path, size and bytes. Plain directory listing and stat calls: at 10,000
        // offers FileManager's enumerator, which looks at every offer file, took a second.
        // The output folder is never an input, wherever it is (inside the content folder, say).
        let output = options.output.standardizedFileURL.path
        func add(folder: URL, skip: (_ relative: String, _ depth: Int, _ name: String) -> Bool) -> Bool {
            let root = folder.standardizedFileURL.path
            var files: [String] = []
            func walk(_ relative: String, depth: Int) -> Bool {
                guard depth < 32, let names = try? FileManager.default.contentsOfDirectory(atPath: relative.isEmpty ? root : root + "/" + relative) else { return false }
                for name in names {
                    let path = relative.isEmpty ? name : relative + "/" + name
                    if skip(path, depth, name) || root + "/" + path == output { continue }
                    var info = stat()
                    guard stat(root + "/" + path, &info) == 0 else { return false }
                    switch info.st_mode & S_IFMT {
                    case S_IFDIR: guard walk(path, depth: depth + 1) else { return false }
                    case S_IFREG: files.append(path)
                    default: continue
                    }
                }
                return true
            }
            guard walk("", depth: 0) else { return false }
            for relative in files.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
                guard let data = FileManager.default.contents(atPath: root + "/" + relative) else { return false }
                h.update(text: relative)
                h.update(UInt64(data.count))
                data.withUnsafeBytes { h.update($0) }
            }
            h.update(text: "")
            return true
        }
        guard add(folder: options.templates, skip: { _, _, _ in false }) else { return nil }
        let content = add(folder: options.content) { relative, depth, name in
            if name.hasPrefix(".") { return true }
            // providers/<id>/<slug>.md and providers/<id>/provider.yaml: each record's own digest.
            return depth == 2 && relative.hasPrefix("providers/") && (name == "provider.yaml" || name.hasSuffix(".md"))
        }
        guard content else { return nil }
        h.update(text: options.today.iso)
        h.update(text: options.baseURL ?? "-")
        for f in options.excludedFiles.sorted() { h.update(text: f) }
        h.update(text: "")
        for p in options.excludedProviders.sorted() { h.update(text: p) }
        return h.finish()
    }

    /// The most published offers for which the pages and the output steps run side by side. Above it they run one
    /// after another, each on all cores, so the list cards (held until the pages are written) and the search index
    /// (built whole) are never in memory together: at 100 000 offers side by side peaked at 1.2 GiB, one at a time at
    /// 1.0 GiB. Below it the difference is a few MB and running side by side keeps both cores busy through each
    /// lane's serial parts.
    public static let sideBySideUpTo = 25_000

    /// The most offers for which a build that reuses the spare also reads the previous output's manifest (see `build`).
    /// Each manifest costs about 40 MB at 100,000 offers; since the bodies and cards of a large catalog went to a spill
    /// file the build has room for both under 1 GiB there.
    static let bothManifestsUpTo = 100_000

    /// Work that runs after the pages' inputs are ready: writing the pages, or one output step.
    final class Lane: @unchecked Sendable {
        let name: String
        /// Released once it has run, with what it holds (the pages' renderer holds the list cards).
        private var work: (() throws -> Int)?
        /// What the work returned (pages written), once it has run.
        private(set) var count = 0

        init(name: String, work: @escaping () throws -> Int) {
            self.name = name
            self.work = work
        }

        func run() throws {
            defer { work = nil }
            count = try work?() ?? 0
        }

        /// Runs every lane on a thread of its own (each spreads its work over all cores) and waits for all;
        /// rethrows the first error.
        static func runSideBySide(_ lanes: [Lane]) throws {
            let errors = FirstError()
            let group = DispatchGroup()
            for lane in lanes {
                DispatchQueue.global().async(group: group) {
                    do { try lane.run() } catch { errors.set(error) }
                }
            }
            group.wait()
            if let e = errors.error { throw e }
        }
    }

    /// Renders and writes every page on all cores; returns how many.
    static func writePages(_ renderer: SiteRenderer, writer: OutputWriter, progress: (@Sendable (Int, Int) -> Void)?) throws -> Int {
        let jobs = renderer.jobs()
        let indexes = renderer.indexes()
        let errors = FirstError()
        let done = Counter()
        DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
            if errors.failed { return }
            let job = jobs[i]
            do {
                // An offer page the previous build made from the same inputs is kept, not rendered.
                let path = renderer.outputPath(job)
                try writer.write(path, fingerprint: renderer.fingerprint(job, path: path)) { renderer.renderBytes(job, indexes: indexes) }
            } catch {
                errors.set(error)
            }
            let n = done.increment()
            if let progress, n % 500 == 0 || n == jobs.count { progress(n, jobs.count) }
        }
        if let e = errors.error { throw e }
        return jobs.count
    }

    /// Puts the new output in place. Where the file system can, the two folders are exchanged in one
    /// atomic step (`renameat2(RENAME_EXCHANGE)`), so there is no moment without an output folder;
    /// elsewhere the old folder is renamed aside, the new one renamed in, and the old one restored on failure.
    /// The previous output is then kept as `spare`, for the next build to reuse (see `claimSpare`).
    static func swap(staging: URL, into output: URL, old: URL, trash: URL, spare: URL) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDir) else {
            try fm.moveItem(at: staging, to: output)
            return
        }
        if isDir.boolValue, AtomicExchange.exchange(staging.path, output.path) {
            // `staging` now holds the previous output.
            keep(staging, as: spare, trash: trash)
            return
        }
        try? fm.removeItem(at: old)
        try fm.moveItem(at: output, to: old)
        do {
            try fm.moveItem(at: staging, to: output)
        } catch {
            try? fm.moveItem(at: old, to: output)
            throw error
        }
        keep(old, as: spare, trash: trash)
    }

    /// Renames a swapped-out output to `spare`; a spare already there (another build's) goes to `trash`, deleted by
    /// the next build, and if the rename fails the folder is deleted at once.
    static func keep(_ folder: URL, as spare: URL, trash: URL) {
        let fm = FileManager.default
        if fm.fileExists(atPath: spare.path) { discard(spare, as: trash) }
        if (try? fm.moveItem(at: folder, to: spare)) == nil { try? fm.removeItem(at: folder) }
    }

    /// Renames a folder to `trash`, which the next build deletes while it renders (removed at once if that fails).
    static func discard(_ folder: URL, as trash: URL) {
        let fm = FileManager.default
        try? fm.removeItem(at: trash)
        if (try? fm.moveItem(at: folder, to: trash)) == nil { try? fm.removeItem(at: folder) }
    }

    /// True when `folder` holds an output manifest: there is an output that a kept spare can be reused to replace.
    static func hasManifest(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(OutputManifest.fileName).path)
    }

    /// Where a rebuild keeps what it rendered for the next (`RenderCache`): `.<name>.cache` beside the output.
    public static func cachePath(of output: URL) -> URL { beside(output, "cache") }

    /// Where the output before the current one is kept: `.<name>.spare` beside the output.
    static func spare(of output: URL) -> URL { beside(output, "spare") }

    /// `.<name>.<suffix>` in the folder that holds the output `<name>`.
    static func beside(_ output: URL, _ suffix: String) -> URL {
        let output = output.standardizedFileURL
        return output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).\(suffix)")
    }

    /// Takes the kept build before last as this build's staging folder, when there is a current output to replace
    /// and the spare is a whole output with its manifest: returns that manifest (read before anything changes, and
    /// the file removed, so a build killed while reusing the folder leaves nothing that claims to be whole). A spare
    /// that cannot be used goes to `trash`. The rename is atomic, so two builds never take the same spare.
    static func claimSpare(_ spare: URL, as staging: URL, for output: URL, trash: URL) -> PreviousOutput? {
        guard hasManifest(output), rename(spare.path, staging.path) == 0 else { return nil }
        // A folder, not a symbolic link to one: the build writes and deletes in what it reuses.
        var info = stat()
        let isFolder = lstat(staging.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        let marker = staging.appendingPathComponent(outputMarker).path
        if isFolder, FileManager.default.fileExists(atPath: marker), let reused = PreviousOutput.load(staging),
           unlink(staging.appendingPathComponent(OutputManifest.fileName).path) == 0 {
            return reused
        }
        discard(staging, as: trash)
        return nil
    }

    /// Removes what earlier builds left beside `output` under their process id, except what a build still running may
    /// be making: old outputs to delete (`.<name>.trash-<pid>`) and render caches a killed build was writing anew
    /// (`.<name>.cache.new-<pid>`, `RenderCache`); and the kept spare and render cache when there is no output (then
    /// the build is a fresh one, and neither is reused).
    static func removeTrash(beside output: URL) {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let stems = [".\(output.lastPathComponent).trash-", cachePath(of: output).lastPathComponent + ".new-"]
        if !hasManifest(output) {
            try? fm.removeItem(at: spare(of: output))
            try? fm.removeItem(at: cachePath(of: output))
        }
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for entry in entries.sorted() {
            guard let stem = stems.first(where: { entry.hasPrefix($0) }), let pid = Int32(entry.dropFirst(stem.count)), pid > 0,
                  !processIsAlive(pid) else { continue }
            try? fm.removeItem(at: parent.appendingPathComponent(entry))
        }
    }

    /// Removes staging and old folders left beside `output` by builds that are no longer running,
    /// after restoring an old folder when the output itself is missing.
    static func recoverLeftovers(output: URL) {
        let fm = FileManager.default
        let parent = output.deletingLastPathComponent()
        let name = output.lastPathComponent
        guard let entries = try? fm.contentsOfDirectory(atPath: parent.path) else { return }
        for kind in ["old", "tmp"] {
            let stem = ".\(name).\(kind)-"
            for entry in entries.sorted() where entry.hasPrefix(stem) {
                guard let pid = Int32(entry.dropFirst(stem.count)), pid > 0, !processIsAlive(pid) else { continue }
                let leftover = parent.appendingPathComponent(entry)
                if kind == "old" && !fm.fileExists(atPath: output.path) {
                    if (try? fm.moveItem(at: leftover, to: output)) != nil { continue }
                }
                try? fm.removeItem(at: leftover)
            }
        }
    }

    /// True while a process with `pid` exists (or cannot be checked: then it is left alone).
    static func processIsAlive(_ pid: Int32) -> Bool {
        if pid == ProcessInfo.processInfo.processIdentifier { return false }
        return kill(pid, 0) == 0 || errno == EPERM
    }

    /// The file every output folder gets, naming its generator: a folder is replaced only when it is empty or holds
    /// this file, so `--output` can never delete a folder Tilbud did not make.
    public static let outputMarker = ".tilbud-output"
    static let outputMarkerText = "This folder is generated by tilbud build and is replaced as a whole by the next build.\nDo not keep other files here.\n"

    /// Why `options.output` must not be (re)placed, nil when it may. Nothing is deleted when it returns a reason.
    static func unsafeOutput(_ options: BuildOptions) -> String? {
        let shown = options.output.path
        let fm = FileManager.default
        // A symbolic link is refused rather than replaced: the swap would put a folder where the link was.
        if let type = try? fm.attributesOfItem(atPath: options.output.standardizedFileURL.path)[.type] as? FileAttributeType,
           type == .typeSymbolicLink {
            return "refusing to use \(shown) as the output folder: it is a symbolic link. Give the folder it points to, or a new folder"
        }
        let out = options.output.standardizedFileURL.resolvingSymlinksInPath().path
        let content = options.content.standardizedFileURL.resolvingSymlinksInPath().path
        let templates = options.templates.standardizedFileURL.resolvingSymlinksInPath().path
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).resolvingSymlinksInPath().path
        let home = fm.homeDirectoryForCurrentUser.resolvingSymlinksInPath().path
        func within(_ a: String, _ b: String) -> Bool { a == b || a.hasPrefix(b.hasSuffix("/") ? b : b + "/") }
        if out == "/" || within(cwd, out) || within(home, out) || within(content, out) || within(templates, out)
            || within(out, content) || within(out, templates) {
            return "refusing to use \(shown) as the output folder: it would replace sources, the working folder, the home folder or a folder above them. Nothing was deleted"
        }
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: out, isDirectory: &isDir) else { return nil }
        if !isDir.boolValue { return "\(shown) exists and is not a folder. Nothing was deleted" }
        guard let entries = try? fm.contentsOfDirectory(atPath: out) else {
            return "could not read the output folder \(shown). Nothing was deleted"
        }
        if entries.isEmpty || entries.contains(outputMarker) { return nil }
        return "refusing to replace \(shown): it is not empty and was not made by tilbud build (it has no \(outputMarker) file). "
            + "Give a new or empty folder with --output, or empty this one yourself. Nothing was deleted"
    }
}

/// A spill file write or read that failed (disk full, I/O error): the build stops and the previous output stays.
struct SpillFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Measures the wall and CPU time between laps.
struct StageClock {
    private var last = DispatchTime.now().uptimeNanoseconds
    private var lastCPU = StageClock.cpuSeconds()

    /// User and system CPU time of the whole process so far.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    /// The process's peak resident memory so far, in MiB.
    static func peakMiB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// The process's resident memory now, in MiB (Linux's `/proc/self/statm`); 0 elsewhere.
    static func residentMiB() -> Double {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    /// The time since the previous lap (or the start), named, with the peak memory so far and the memory held now.
    mutating func lap(_ stage: String) -> BuildResult.Timing {
        let now = DispatchTime.now().uptimeNanoseconds
        let cpu = Self.cpuSeconds()
        defer { last = now; lastCPU = cpu }
        return BuildResult.Timing(stage: stage, seconds: Double(now - last) / 1e9, cpu: cpu - lastCPU, peakMiB: Self.peakMiB(),
                                  residentMiB: Self.residentMiB())
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    func increment() -> Int { lock.withLock { n += 1; return n } }
}

/// `renameat2(…, RENAME_EXCHANGE)`, looked up at run time (Linux 3.15+, glibc 2.28+; not every file system).
enum AtomicExchange {
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32

    private static let function: RenameAt2? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "renameat2") else { return nil }
        return unsafeBitCast(symbol, to: RenameAt2.self)
        #else
        return nil
        #endif
    }()

    /// Exchanges the two paths atomically; false when the system cannot (the caller falls back).
    static func exchange(_ a: String, _ b: String) -> Bool {
        guard let function else { return false }
        let atFDCWD: Int32 = -100
        let renameExchange: UInt32 = 1 << 1
        return function(atFDCWD, a, atFDCWD, b, renameExchange) == 0
    }
}
