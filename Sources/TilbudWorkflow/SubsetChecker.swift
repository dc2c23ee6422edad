import Foundation
import TilbudDiagnostics
import TilbudModel
import TilbudValidate

/// Validates part of a content folder with the full rules: the governance files, `site.yaml` and the
/// chosen provider folders (or single offers) are mirrored into a scratch folder and checked there with
/// `CatalogChecker`, so diagnostics and records are exactly what a full check gives for those files,
/// with paths shown as in the real folder. Cross-record checks (duplicate titles) see only the subset.
public final class SubsetChecker: @unchecked Sendable {
    /// The real content folder.
    public let contentRoot: URL
    /// The content folder as shown in diagnostics.
    public let displayRoot: String
    /// The scratch folder (removed when the checker goes away).
    public let scratch: URL
    private var scratchContent: URL { scratch.appendingPathComponent("content", isDirectory: true) }
    private let lock = NSLock()
    private var governanceMirrored = false
    private let realRoot: String

    /// Creates a checker with its own scratch folder.
    public init(contentRoot: URL, displayRoot: String) throws {
        self.contentRoot = contentRoot.standardizedFileURL
        self.displayRoot = displayRoot
        self.realRoot = Self.realPath(contentRoot.standardizedFileURL.path) ?? contentRoot.standardizedFileURL.path
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-subset-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    deinit {
        removeScratch()
    }

    /// Removes the scratch folder now (a process that exits does not run deinitialisers).
    public func removeScratch() {
        try? FileManager.default.removeItem(at: scratch)
    }

    /// What to check in one provider folder.
    public enum Selection: Sendable, Hashable {
        /// `provider.yaml` and every file in the folder.
        case folder
        /// `provider.yaml` and the base and translation files of these slugs.
        case slugs(Set<String>)
        /// `provider.yaml` alone.
        case providerOnly
    }

    /// Mirrors the governance files again on the next check (after they changed).
    public func governanceChanged() {
        lock.withLock { governanceMirrored = false }
    }

    /// Checks the governance files and the selected providers; the catalog holds only those records.
    public func check(_ selection: [String: Selection], today: Day) -> CheckResult {
        lock.lock()
        defer { lock.unlock() }
        let fm = FileManager.default
        if !governanceMirrored {
            try? fm.removeItem(at: scratchContent)
            try? fm.createDirectory(at: scratchContent.appendingPathComponent("governance"), withIntermediateDirectories: true)
            mirror("site.yaml")
            for name in ((try? fm.contentsOfDirectory(atPath: contentRoot.appendingPathComponent("governance").path)) ?? []).sorted() {
                mirror("governance/" + name)
            }
            governanceMirrored = true
        }
        let providers = scratchContent.appendingPathComponent("providers", isDirectory: true)
        try? fm.removeItem(at: providers)
        try? fm.createDirectory(at: providers, withIntermediateDirectories: true)
        for (id, what) in selection.sorted(by: { $0.key < $1.key }) {
            let folder = "providers/" + id
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: contentRoot.appendingPathComponent(folder).path, isDirectory: &isDir) else { continue }
            if !isDir.boolValue || isSymlink(folder) && !resolvesInside(folder) {
                mirror(folder)
                continue
            }
            try? fm.createDirectory(at: scratchContent.appendingPathComponent(folder), withIntermediateDirectories: true)
            let names = (try? fm.contentsOfDirectory(atPath: contentRoot.appendingPathComponent(folder).path)) ?? []
            for name in names {
                let wanted: Bool
                switch what {
                case .folder: wanted = true
                case .providerOnly: wanted = name == "provider.yaml"
                case let .slugs(slugs):
                    wanted = name == "provider.yaml" || slugs.contains(String(name.prefix { $0 != "." }))
                }
                if wanted { mirror(folder + "/" + name) }
            }
        }
        return CatalogChecker(root: scratchContent, displayRoot: displayRoot, today: today).run()
    }

    /// A copy of the whole content folder without the named files and provider folders (relative paths),
    /// for building the valid part of a catalog that has errors. Files are hard-linked where the file
    /// system allows (no bytes copied), else copied. Replaces the previous copy.
    public func filteredCopy(excludingFiles files: Set<String>, excludingProviders providers: Set<String>) -> URL {
        lock.lock()
        defer { lock.unlock() }
        let fm = FileManager.default
        let copy = scratch.appendingPathComponent("filtered/content", isDirectory: true)
        try? fm.removeItem(at: copy.deletingLastPathComponent())
        try? fm.createDirectory(at: copy.appendingPathComponent("providers"), withIntermediateDirectories: true)
        func place(_ relative: String) {
            guard !files.contains(relative) else { return }
            let source = contentRoot.appendingPathComponent(relative).path
            let target = copy.appendingPathComponent(relative).path
            var st = stat()
            guard lstat(source, &st) == 0 else { return }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try? fm.createDirectory(atPath: target, withIntermediateDirectories: true)
                for name in (try? fm.contentsOfDirectory(atPath: source)) ?? [] where !name.hasPrefix(".") { place(relative + "/" + name) }
                return
            }
            var real = source
            if (st.st_mode & S_IFMT) == S_IFLNK {
                guard let r = Self.realPath(source), r.hasPrefix(realRoot + "/") else { return }
                real = r
            }
            if link(real, target) != 0 { copyFile(real, target) }
        }
        place("site.yaml")
        place("governance")
        for name in ((try? fm.contentsOfDirectory(atPath: contentRoot.appendingPathComponent("providers").path)) ?? []).sorted()
            where !name.hasPrefix(".") && !providers.contains(name) {
            place("providers/" + name)
        }
        return copy
    }

    private func isSymlink(_ relative: String) -> Bool {
        var st = stat()
        return lstat(contentRoot.appendingPathComponent(relative).path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
    }

    private func resolvesInside(_ relative: String) -> Bool {
        guard let real = Self.realPath(contentRoot.appendingPathComponent(relative).path) else { return false }
        return real.hasPrefix(realRoot + "/")
    }

    /// Copies one entry so the loader sees what it would see in the real folder: regular files as
    /// files, links inside the folder as their target's content, links outside as links outside.
    private func mirror(_ relative: String) {
        let source = contentRoot.appendingPathComponent(relative).path
        let target = scratchContent.appendingPathComponent(relative).path
        var st = stat()
        guard lstat(source, &st) == 0 else { return }
        let fm = FileManager.default
        if (st.st_mode & S_IFMT) == S_IFLNK {
            guard let real = Self.realPath(source) else {
                try? fm.createSymbolicLink(atPath: target, withDestinationPath: "/nonexistent-\(UUID().uuidString)")
                return
            }
            if real.hasPrefix(realRoot + "/") {
                copyFile(real, target)
            } else {
                try? fm.createSymbolicLink(atPath: target, withDestinationPath: real)
            }
            return
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: copyFile(source, target)
        case S_IFDIR: try? fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        default: break
        }
    }

    private func copyFile(_ source: String, _ target: String) {
        var st = stat()
        guard stat(source, &st) == 0 else { return }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            try? FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true)
            return
        }
        // Files over the limit are cut one byte past 8 MiB: the loader only needs to see that they are too large.
        guard let handle = FileHandle(forReadingAtPath: source) else { return }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 8 * 1_048_576 + 1)) ?? Data()
        FileManager.default.createFile(atPath: target, contents: data)
    }

    static func realPath(_ path: String) -> String? {
        path.withCString { p in
            guard let r = realpath(p, nil) else { return nil }
            defer { free(r) }
            return String(cString: r)
        }
    }
}
