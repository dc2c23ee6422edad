import Foundation
import TilbudContent
import TilbudDiagnostics
import TilbudModel

/// The result of loading and validating a catalog.
public struct CheckResult: Sendable {
    /// Every valid record, states computed; records with errors are left out.
    public let catalog: Catalog
    /// Every diagnostic, sorted for output.
    public let diagnostics: [Diagnostic]
    /// How many files were read.
    public let filesChecked: Int
    /// The loaded provider folders, for later stages that need raw files (none yet).
    public var hasErrors: Bool { diagnostics.hasErrors }
}

/// Loads and validates a content folder: the load and validate stages in one call.
public struct CatalogChecker: Sendable {
    /// The content folder.
    public let root: URL
    /// How the content folder is shown in diagnostics.
    public let displayRoot: String
    /// The day states are computed for.
    public let today: Day

    /// Creates a checker.
    public init(root: URL, displayRoot: String, today: Day) {
        self.root = root
        self.displayRoot = displayRoot
        self.today = today
    }

    /// What to check of one provider folder (see `run(only:)`).
    public enum Selection: Sendable, Hashable {
        /// `provider.yaml` and every file in the folder.
        case folder
        /// `provider.yaml` and the base and translation files of these slugs.
        case slugs(Set<String>)
        /// `provider.yaml` alone.
        case providerOnly
    }

    /// Loads, validates and computes states; never throws for bad content.
    ///
    /// `only` (by provider id) checks part of the content folder in place, with the full rules and the real paths:
    /// the governance files always, and only the selected providers and files (cross-record checks see only those).
    /// `excludingFiles` (paths under the content folder) and `excludingProviders` leave records out, as if they were
    /// not there: the valid part of a catalog that has errors, without copying anything.
    public func run(only selection: [String: Selection]? = nil, excludingFiles: Set<String> = [], excludingProviders: Set<String> = []) -> CheckResult {
        let loader = ContentLoader(root: root, displayRoot: displayRoot)
        var diagnostics: [Diagnostic] = []
        var isDir: ObjCBool = false
        if !FileManager.default.fileExists(atPath: root.path, isDirectory: &isDir) || !isDir.boolValue {
            diagnostics.append(.error(.noContent, at: nil, Messages.noContent(displayRoot)))
            let governance = Governance(policy: Policy(), vocabularies: [:], municipalities: [])
            return CheckResult(catalog: Catalog(site: SiteConfig(), governance: governance, providers: [], offers: [], today: today), diagnostics: diagnostics, filesChecked: 0)
        }
        let loadedGovernance = loader.loadGovernance(diagnostics: &diagnostics)
        let (governance, site) = GovernanceDecoder.decode(loadedGovernance, diagnostics: &diagnostics, loader: loader)
        let policy = governance.policy
        let limits = LoadLimits(maxFileBytes: policy.fileMaxBytes, maxDepth: policy.yamlMaxDepth,
                                translationLanguages: Array(policy.languages.dropFirst()))
        var scanDiagnostics: [Diagnostic] = []
        var (folders, scanned) = loader.scanProviders(limits: limits, diagnostics: &scanDiagnostics)
        if selection == nil && excludingFiles.isEmpty && excludingProviders.isEmpty {
            diagnostics += scanDiagnostics
        } else {
            func wanted(_ id: String) -> Bool { !excludingProviders.contains(id) && (selection.map { $0[id] != nil } ?? true) }
            var renumber: [Int: Int] = [:]
            var keptFolders: [ProviderFolder] = []
            for (i, folder) in folders.enumerated() where wanted(folder.id) {
                renumber[i] = keptFolders.count
                keptFolders.append(folder)
            }
            folders = keptFolders
            scanned = scanned.compactMap { job in
                guard let k = renumber[job.provider], !excludingFiles.contains(job.relative) else { return nil }
                switch selection?[job.providerID] {
                case .providerOnly?: return nil
                case let .slugs(slugs)?: if !slugs.contains(job.slug) { return nil }
                default: break
                }
                return job.renumbered(k)
            }
            // What the walk said about the folders and files left out is not this check's to say.
            let providersShown = loader.display("providers") + "/"
            var kept = Set(folders.flatMap { [$0.path, loader.display("providers/\($0.id)/provider.yaml")] })
            for job in scanned { kept.insert(loader.display(job.relative)) }
            diagnostics += scanDiagnostics.filter { d in
                guard let path = d.location?.path, path.hasPrefix(providersShown) else { return true }
                return kept.contains(path)
            }
        }
        // A constant from here: the parallel pass below reads it from every worker.
        let jobs = scanned
        var files = [loadedGovernance.site, loadedGovernance.policy, loadedGovernance.vocabularies, loadedGovernance.fields].compactMap { $0 }.count
            + (loadedGovernance.municipalities == nil ? 0 : 1)

        let decoder = RecordDecoder(governance: governance)
        var providers: [Provider] = []
        var validProvider = Set<String>()
        for folder in folders {
            guard let file = folder.provider else { continue }
            files += 1
            let (provider, diags) = decoder.provider(id: folder.id, file: file)
            diagnostics += diags
            if let provider {
                providers.append(provider)
                validProvider.insert(provider.id)
            }
        }

        // Read, parse and decode every offer file in one parallel pass; each slot is written by one worker, and a
        // file's text and YAML tree are dropped as soon as it is decoded.
        files += jobs.count
        enum Decoded { case base(Offer?), translation(OfferTranslation?) }
        var results = [(Decoded, [Diagnostic])?](repeating: nil, count: jobs.count)
        let today = self.today
        let realRoot = loader.resolvedRoot
        // Files not yet in the page cache are asked for ahead of the workers, many at a time (see `ReadAhead`).
        let ahead = loader.readAhead(jobs)
        results.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: jobs.count) { i in
                let (file, loadDiagnostics) = loader.loadOffer(jobs[i], limits: limits, realRoot: realRoot)
                if file.language == nil {
                    let (o, d) = decoder.offer(file, today: today)
                    out[i] = (.base(o), loadDiagnostics + d)
                } else {
                    let (t, d) = decoder.translation(file)
                    out[i] = (.translation(t), loadDiagnostics + d)
                }
            }
        }
        ahead?.stop()
        // Valid offers in file order, each moved out of its result slot; `index` finds one by id.
        var valid: [Offer?] = []
        var ids: [String] = []
        var index: [String: Int] = [:]
        valid.reserveCapacity(jobs.count)
        ids.reserveCapacity(jobs.count)
        index.reserveCapacity(jobs.count)
        var baseFiles = Set<String>(minimumCapacity: jobs.count)
        for job in jobs where job.language == nil { baseFiles.insert(job.providerID + "/" + job.slug) }
        var translations: [(ContentLoader.OfferJob, OfferTranslation)] = []
        for i in results.indices {
            guard let (decoded, diags) = results[i].take() else { continue }
            diagnostics += diags
            let file = jobs[i]
            switch decoded {
            case let .base(offer?) where validProvider.contains(file.providerID):
                let id = offer.id
                index[id] = valid.count
                ids.append(id)
                valid.append(offer)
            case let .translation(t?):
                translations.append((file, t))
            default:
                break
            }
            if file.language != nil, !baseFiles.contains(file.providerID + "/" + file.slug) {
                diagnostics.append(.error(.translationWithoutBase, at: SourceLocation(path: loader.display(file.relative), line: 1, column: 1),
                                          Messages.translationWithoutBase("\(file.slug).md")))
            }
        }
        for (file, t) in translations {
            if let k = index[file.providerID + "/" + file.slug] { valid[k]?.translations[t.language] = t }
        }

        // In id order, each offer moved (not copied).
        let order = ids.indices.sorted { ids[$0] < ids[$1] }
        var sorted: [Offer] = []
        sorted.reserveCapacity(order.count)
        for k in order { if let o = valid[k].take() { sorted.append(o) } }

        // Cross-record: titles that collide within one provider confuse citizens.
        var titles: [String: String] = [:]
        titles.reserveCapacity(sorted.count)
        for (k, offer) in zip(order, sorted) where offer.state.isPublished {
            let key = offer.providerID + "\u{0}" + Checks.lowercased(offer.title)
            if let other = titles[key] {
                diagnostics.append(.warning(.duplicateTitle, at: SourceLocation(path: offer.sourcePath, line: 2, column: 1), Messages.duplicateTitle(other)))
            } else {
                titles[key] = ids[k]
            }
        }

        let catalog = Catalog(site: site, governance: governance, providers: providers.sorted { $0.id < $1.id },
                              offers: sorted, today: today)
        return CheckResult(catalog: catalog, diagnostics: diagnostics.sortedForOutput(), filesChecked: files)
    }
}
