import Foundation
import TilbudDiagnostics
import TilbudFiles

/// A YAML file after loading: its text for excerpts and its root node (nil if it could not be read).
public struct YAMLFile: Sendable {
    /// The path shown to the user.
    public let path: String
    /// The path inside the content folder, the same however the folder is named or given on the command line.
    public let relativePath: String
    /// The root node, nil when the file failed to load.
    public let root: YNode?
    /// The file's text as written (comments included), "" when it could not be read.
    public var text: String = ""
}

/// One offer file (`<slug>.md` or a translation `<slug>.<lang>.md`) after loading.
public struct OfferFile: Sendable {
    /// The path shown to the user.
    public let path: String
    /// The provider folder's name.
    public let providerID: String
    /// The slug from the file name.
    public let slug: String
    /// nil for the base (default-language) file, else the translation's language.
    public let language: String?
    /// The front matter, nil when it failed to load.
    public let frontMatter: YNode?
    /// The Markdown body.
    public let body: String
    /// The file line the body starts on.
    public let bodyLine: Int
    /// The front matter's YAML as written (comments included), starting on file line 2.
    public var frontMatterText: String = ""
    /// The path inside the content folder (`providers/<provider>/<slug>[.<lang>].md`), the same however the folder is
    /// named or given on the command line.
    public var relativePath: String = ""
}

/// One folder under `providers/`.
public struct ProviderFolder: Sendable {
    /// The folder name, the provider id.
    public let id: String
    /// The folder path shown to the user.
    public let path: String
    /// `provider.yaml`, nil when the folder has none.
    public let provider: YAMLFile?
    /// Offer files, sorted by file name.
    public let offers: [OfferFile]
}

/// The governance files, loaded before anything else since they set the loader's limits.
public struct LoadedGovernance: Sendable {
    /// `site.yaml`.
    public let site: YAMLFile?
    /// `governance/policy.yaml`.
    public let policy: YAMLFile?
    /// `governance/vocabularies.yaml`.
    public let vocabularies: YAMLFile?
    /// `governance/fields.yaml`: every field of an offer and a provider.
    public let fields: YAMLFile?
    /// `governance/municipalities.csv` rows with their line numbers; nil when missing.
    public let municipalities: (path: String, rows: [(line: Int, fields: [String])])?
    /// `governance/postcodes.csv` rows with their line numbers; nil when missing (it is optional).
    public var postcodes: (path: String, rows: [(line: Int, fields: [String])])? = nil
}

/// Limits the loader enforces, from the governance policy.
public struct LoadLimits: Sendable {
    /// Largest file read, in bytes.
    public var maxFileBytes: Int
    /// Deepest YAML nesting.
    public var maxDepth: Int
    /// Languages a translation file may have (the default language excluded).
    public var translationLanguages: [String]

    /// Creates limits; the defaults are the content model's.
    public init(maxFileBytes: Int = 1_048_576, maxDepth: Int = 16, translationLanguages: [String] = ["nn", "en"]) {
        self.maxFileBytes = maxFileBytes
        self.maxDepth = maxDepth
        self.translationLanguages = translationLanguages
    }
}

/// Reads a content folder from disk: the load stage. Never throws for bad content; it reports.
public struct ContentLoader: Sendable {
    /// The content folder on disk.
    public let root: URL
    /// How paths are shown: the content folder as the user should see it (e.g. `content`).
    public let displayRoot: String

    private let rootPath: String

    /// Creates a loader for `root`, showing paths under `displayRoot`.
    public init(root: URL, displayRoot: String) {
        self.root = root.standardizedFileURL
        self.rootPath = root.standardizedFileURL.path
        self.displayRoot = displayRoot.hasSuffix("/") ? String(displayRoot.dropLast()) : displayRoot
    }

    /// The path shown for a file at `relative` inside the content folder.
    public func display(_ relative: String) -> String {
        displayRoot.isEmpty || displayRoot == "." ? relative : displayRoot + "/" + relative
    }

    /// Starts reading ahead the files of `jobs`, in the order a parallel pass over them takes them, when some of
    /// them are not in the page cache (see `ReadAhead`); nil when they all seem to be.
    public func readAhead(_ jobs: [OfferJob]) -> ReadAhead? {
        let root = rootPath
        return ReadAhead.ifNeeded(count: jobs.count, path: { root + "/" + jobs[$0].relative }, work: .data)
    }

    /// The content folder with symlinks resolved (files must stay inside it).
    public var resolvedRoot: String { realRoot }

    private var realRoot: String {
        root.path.withCString { p in
            guard let r = realpath(p, nil) else { return root.path }
            defer { free(r) }
            return String(cString: r)
        }
    }

    /// The result of reading one file.
    enum ReadOutcome {
        case text(String)
        case missing
        case problem(Diagnostic)
    }

    /// Reads a file with every safety rule: symlinks, size, UTF-8.
    func readText(_ relative: String, limits: LoadLimits, realRoot: String) -> ReadOutcome {
        let path = rootPath + "/" + relative
        // The common case in one path lookup: a regular file that is not a link and not too large. Anything
        // else (a link, a folder, a missing or unreadable file) takes the careful way below.
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if fd >= 0 {
            defer { close(fd) }
            var st = stat()
            if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) <= limits.maxFileBytes {
                return readOpenFile(fd, size: Int(st.st_size), relative, limits: limits)
            }
        }
        return readTextCarefully(path, relative, limits: limits, realRoot: realRoot)
    }

    /// Reads the open regular file `fd` of about `size` bytes: at most one byte past the limit, in case it grew.
    private func readOpenFile(_ fd: Int32, size: Int, _ relative: String, limits: LoadLimits) -> ReadOutcome {
        let limit = limits.maxFileBytes + 1
        var bytes = [UInt8](repeating: 0, count: min(size + 1, limit))
        var count = 0
        while count < limit {
            if count == bytes.count { bytes += [UInt8](repeating: 0, count: min(bytes.count, limit - count)) }
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            count += n
        }
        return decodeText(bytes[..<count], relative, limits: limits)
    }

    /// The text of a file's `bytes`, or the diagnostic for why they are not text.
    private func decodeText(_ bytes: ArraySlice<UInt8>, _ relative: String, limits: LoadLimits) -> ReadOutcome {
        let shown = display(relative)
        if bytes.count > limits.maxFileBytes {
            return .problem(.error(.fileTooLarge, at: SourceLocation(path: shown, line: 1, column: 1), Messages.tooLarge(bytes.count, limits.maxFileBytes)))
        }
        guard let text = TextDecoding.decode(bytes) else {
            let line = Self.firstInvalidUTF8Line(Data(bytes))
            return .problem(.error(.notUtf8, at: SourceLocation(path: shown, line: line, column: 1), Messages.notUTF8))
        }
        if let (line, column, scalar) = Self.firstControlCharacter(bytes) {
            return .problem(.error(.controlCharacter, at: SourceLocation(path: shown, line: line, column: column), Messages.controlCharacter(scalar)))
        }
        return .text(text)
    }

    /// The line, column (in Unicode scalars) and value of the first character no record may hold
    /// (`ControlCharacters.isForbidden`). `bytes` is valid UTF-8; only the leads that can start such a character
    /// (ASCII, C2 for C1, E2 for U+2000–U+2FFF) are decoded. Lines and columns are those of the decoded text
    /// (`TextDecoding`): a leading byte order mark takes no column, and CR LF or a lone CR ends a line.
    static func firstControlCharacter(_ bytes: ArraySlice<UInt8>) -> (Int, Int, UInt32)? {
        var line = 1, column = 1
        var i = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == 0x0A { line += 1; column = 1; i += 1; continue }
            if b == 0x0D {
                line += 1; column = 1
                i += i + 1 < bytes.endIndex && bytes[i + 1] == 0x0A ? 2 : 1
                continue
            }
            if b < 0x80 {
                if ControlCharacters.isForbidden(UInt32(b)) { return (line, column, UInt32(b)) }
                column += 1; i += 1; continue
            }
            if b == 0xC2, i + 1 < bytes.endIndex, ControlCharacters.isForbidden(UInt32(bytes[i + 1])) { return (line, column, UInt32(bytes[i + 1])) }
            if b == 0xE2, i + 2 < bytes.endIndex {
                let v = (UInt32(b & 0x0F) << 12) | (UInt32(bytes[i + 1] & 0x3F) << 6) | UInt32(bytes[i + 2] & 0x3F)
                if ControlCharacters.isForbidden(v) { return (line, column, v) }
            }
            if b & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return nil
    }

    /// `readText` for what is not a plain regular file: links must stay inside the content folder.
    private func readTextCarefully(_ path: String, _ relative: String, limits: LoadLimits, realRoot: String) -> ReadOutcome {
        let shown = display(relative)
        var st = stat()
        guard lstat(path, &st) == 0 else { return .missing }
        if (st.st_mode & S_IFMT) == S_IFLNK {
            let target: String? = path.withCString { p in
                guard let r = realpath(p, nil) else { return nil }
                defer { free(r) }
                return String(cString: r)
            }
            guard let target, target.hasPrefix(realRoot + "/") else {
                return .problem(.error(.symlinkOutside, at: SourceLocation(path: shown, line: 1, column: 1), Messages.symlinkOutside))
            }
            guard stat(target, &st) == 0 else { return .missing }
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            return .problem(.error(.unreadableFile, at: SourceLocation(path: shown, line: 1, column: 1), Messages.unreadable("not a regular file")))
        }
        if Int(st.st_size) > limits.maxFileBytes {
            return .problem(.error(.fileTooLarge, at: SourceLocation(path: shown, line: 1, column: 1), Messages.tooLarge(Int(st.st_size), limits.maxFileBytes)))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .problem(.error(.unreadableFile, at: SourceLocation(path: shown, line: 1, column: 1), Messages.unreadable("permission denied")))
        }
        defer { try? handle.close() }
        // Read at most one byte past the limit, in case the file grew after stat.
        let data = (try? handle.read(upToCount: limits.maxFileBytes + 1)) ?? Data()
        return decodeText(ArraySlice(data), relative, limits: limits)
    }

    static func firstInvalidUTF8Line(_ data: Data) -> Int {
        var line = 1
        var start = data.startIndex
        while start < data.endIndex {
            let end = data[start...].firstIndex(of: 0x0A) ?? data.endIndex
            if String(validating: data[start..<end], as: UTF8.self) == nil { return line }
            line += 1
            start = end < data.endIndex ? data.index(after: end) : data.endIndex
        }
        return line
    }

    private func loadYAML(_ relative: String, limits: LoadLimits, realRoot: String, diagnostics: inout [Diagnostic]) -> YAMLFile? {
        switch readText(relative, limits: limits, realRoot: realRoot) {
        case .missing:
            return nil
        case let .problem(d):
            diagnostics.append(d)
            return YAMLFile(path: display(relative), relativePath: relative, root: nil)
        case let .text(text):
            let (node, diags) = YAMLReader(maxDepth: limits.maxDepth).parse(text, path: display(relative))
            diagnostics += diags
            return YAMLFile(path: display(relative), relativePath: relative, root: node, text: text)
        }
    }

    /// Loads `site.yaml` and `governance/` with the default limits.
    public func loadGovernance(diagnostics: inout [Diagnostic]) -> LoadedGovernance {
        let limits = LoadLimits()
        let realRoot = self.realRoot
        let site = loadYAML("site.yaml", limits: limits, realRoot: realRoot, diagnostics: &diagnostics)
        // readText checks a file that is a link; a linked governance folder must stay inside too.
        let governanceReal = root.appendingPathComponent("governance").path.withCString { p -> String? in
            guard let r = realpath(p, nil) else { return nil }
            defer { free(r) }
            return String(cString: r)
        }
        if let governanceReal, !governanceReal.hasPrefix(realRoot + "/") {
            diagnostics.append(.error(.symlinkOutside, at: SourceLocation(path: display("governance"), line: 1, column: 1), Messages.symlinkOutside))
            return LoadedGovernance(site: site, policy: nil, vocabularies: nil, fields: nil, municipalities: nil)
        }
        let policy = loadYAML("governance/policy.yaml", limits: limits, realRoot: realRoot, diagnostics: &diagnostics)
        let vocab = loadYAML("governance/vocabularies.yaml", limits: limits, realRoot: realRoot, diagnostics: &diagnostics)
        let fields = loadYAML("governance/fields.yaml", limits: limits, realRoot: realRoot, diagnostics: &diagnostics)
        var municipalities: (String, [(Int, [String])])? = nil
        let csvPath = "governance/municipalities.csv"
        switch readText(csvPath, limits: LoadLimits(maxFileBytes: 8 * 1_048_576), realRoot: realRoot) {
        case .missing: break
        case let .problem(d): diagnostics.append(d)
        case let .text(text): municipalities = (display(csvPath), CSV.parse(text))
        }
        var loaded = LoadedGovernance(site: site, policy: policy, vocabularies: vocab, fields: fields, municipalities: municipalities)
        let postcodesPath = "governance/postcodes.csv"
        switch readText(postcodesPath, limits: LoadLimits(maxFileBytes: 8 * 1_048_576), realRoot: realRoot) {
        case .missing: break
        case let .problem(d): diagnostics.append(d)
        case let .text(text): loaded.postcodes = (display(postcodesPath), CSV.parse(text))
        }
        return loaded
    }

    /// Reads a Markdown file with front matter that is not an offer (the site's about, privacy and accessibility
    /// pages) with the same rules as an offer file; nil when there is no such file.
    public func loadDocument(_ relative: String, limits: LoadLimits = LoadLimits()) -> (OfferFile, [Diagnostic])? {
        var st = stat()
        guard lstat(rootPath + "/" + relative, &st) == 0 else { return nil }
        return loadOffer(relative, providerID: "", slug: "", language: nil, limits: limits, realRoot: realRoot)
    }

    /// Reads a file the site publishes as it is (an image) with the same rules as every other file (a link must
    /// stay inside the content folder, at most `maxBytes`); nil when there is no such file.
    public func loadBytes(_ relative: String, maxBytes: Int) -> Result<[UInt8], Diagnostic>? {
        let path = rootPath + "/" + relative
        let shown = SourceLocation(path: display(relative), line: 1, column: 1)
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let real: String? = path.withCString { p in
            guard let r = realpath(p, nil) else { return nil }
            defer { free(r) }
            return String(cString: r)
        }
        guard let real, real.hasPrefix(realRoot + "/") else { return .failure(.error(.symlinkOutside, at: shown, Messages.symlinkOutside)) }
        guard stat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            return .failure(.error(.unreadableFile, at: shown, Messages.unreadable("not a regular file")))
        }
        if Int(st.st_size) > maxBytes { return .failure(.error(.fileTooLarge, at: shown, Messages.tooLarge(Int(st.st_size), maxBytes))) }
        guard let data = FileManager.default.contents(atPath: real) else {
            return .failure(.error(.unreadableFile, at: shown, Messages.unreadable("permission denied")))
        }
        return .success([UInt8](data))
    }

    /// An offer file found by `scanProviders`, not yet read.
    public struct OfferJob: Sendable {
        /// Index of its folder in `scanProviders`' folders.
        public let provider: Int
        /// The provider id (folder name).
        public let providerID: String
        /// The path under the content folder.
        public let relative: String
        /// The slug from the file name.
        public let slug: String
        /// nil for the base file, else the translation's language.
        public let language: String?

        /// The same file, for folder `provider` of a shorter folder list.
        public func renumbered(_ provider: Int) -> OfferJob {
            OfferJob(provider: provider, providerID: providerID, relative: relative, slug: slug, language: language)
        }
    }

    /// Walks `providers/`: loads each folder's `provider.yaml` and lists its offer files without reading them,
    /// so a caller can read and decode each file in one parallel pass (and drop its YAML tree at once).
    /// The folders come back with no offers.
    public func scanProviders(limits: LoadLimits, diagnostics: inout [Diagnostic]) -> (folders: [ProviderFolder], jobs: [OfferJob]) {
        let realRoot = self.realRoot
        let fm = FileManager.default
        let providersDir = root.appendingPathComponent("providers")
        guard let names = try? fm.contentsOfDirectory(atPath: providersDir.path) else { return ([], []) }

        // The folders, in name order; each one's provider.yaml and file list are then read on all cores.
        var valid: [(name: String, relative: String)] = []
        for name in names.sorted() where !name.hasPrefix(".") {
            let relative = "providers/\(name)"
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: providersDir.appendingPathComponent(name).path, isDirectory: &isDir) else { continue }
            guard isDir.boolValue else {
                diagnostics.append(.warning(.ignoredFile, at: SourceLocation(path: display(relative), line: 1, column: 1), Messages.ignoredFile(name)))
                continue
            }
            if !Identifier.isValid(name) {
                diagnostics.append(.error(.badFolderName, at: SourceLocation(path: display(relative), line: 1, column: 1), Messages.badProviderFolder(name)))
                continue
            }
            // A symlinked provider folder must stay inside the content folder too.
            let folderReal = providersDir.appendingPathComponent(name).path.withCString { p -> String? in
                guard let r = realpath(p, nil) else { return nil }
                defer { free(r) }
                return String(cString: r)
            }
            guard let folderReal, folderReal.hasPrefix(realRoot + "/") else {
                diagnostics.append(.error(.symlinkOutside, at: SourceLocation(path: display(relative), line: 1, column: 1), Messages.symlinkOutside))
                continue
            }
            valid.append((name, relative))
        }

        struct Scanned { var provider: YAMLFile?; var diagnostics: [Diagnostic]; var jobs: [OfferJob] }
        var scanned = [Scanned?](repeating: nil, count: valid.count)
        scanned.withUnsafeMutableBufferPointer { buffer in
            let out = buffer
            DispatchQueue.concurrentPerform(iterations: valid.count) { index in
                let (name, relative) = valid[index]
                var diagnostics: [Diagnostic] = []
                var jobs: [OfferJob] = []
                let providerYAML = loadYAML("\(relative)/provider.yaml", limits: limits, realRoot: realRoot, diagnostics: &diagnostics)
                if providerYAML == nil {
                    diagnostics.append(.error(.missingProviderYaml, at: SourceLocation(path: display("\(relative)/provider.yaml"), line: 1, column: 1), Messages.missingProviderYAML))
                }
                let files = ((try? FileManager.default.contentsOfDirectory(atPath: providersDir.appendingPathComponent(name).path)) ?? []).sorted()
                for file in files where file != "provider.yaml" && !file.hasPrefix(".") {
                    let fileRelative = "\(relative)/\(file)"
                    guard file.hasSuffix(".md") else {
                        diagnostics.append(.warning(.ignoredFile, at: SourceLocation(path: display(fileRelative), line: 1, column: 1), Messages.ignoredFile(file)))
                        continue
                    }
                    let stem = String(file.dropLast(3))
                    let parts = stem.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    guard (parts.count == 1 || parts.count == 2), Identifier.isValid(parts[0]) else {
                        diagnostics.append(.error(.badFileName, at: SourceLocation(path: display(fileRelative), line: 1, column: 1), Messages.badFileName(file)))
                        continue
                    }
                    if parts.count == 2 {
                        guard limits.translationLanguages.contains(parts[1]) else {
                            diagnostics.append(.error(.badFileName, at: SourceLocation(path: display(fileRelative), line: 1, column: 1), Messages.unknownLanguage(parts[1], limits.translationLanguages)))
                            continue
                        }
                    }
                    jobs.append(OfferJob(provider: index, providerID: name, relative: fileRelative, slug: parts[0], language: parts.count == 2 ? parts[1] : nil))
                }
                out[index] = Scanned(provider: providerYAML, diagnostics: diagnostics, jobs: jobs)
            }
        }
        var folders: [ProviderFolder] = []
        var jobs: [OfferJob] = []
        folders.reserveCapacity(valid.count)
        for (index, slot) in scanned.enumerated() {
            // Every slot is filled; an empty one would still keep the folder indexes the jobs refer to.
            let result = slot ?? Scanned(provider: nil, diagnostics: [], jobs: [])
            folders.append(ProviderFolder(id: valid[index].name, path: display(valid[index].relative), provider: result.provider, offers: []))
            diagnostics += result.diagnostics
            jobs += result.jobs
        }

        return (folders, jobs)
    }

    /// Reads and parses one offer file found by `scanProviders`; `realRoot` is `resolvedRoot`, looked up once.
    public func loadOffer(_ job: OfferJob, limits: LoadLimits, realRoot: String) -> (OfferFile, [Diagnostic]) {
        loadOffer(job.relative, providerID: job.providerID, slug: job.slug, language: job.language, limits: limits, realRoot: realRoot)
    }

    private func loadOffer(_ relative: String, providerID: String, slug: String, language: String?, limits: LoadLimits, realRoot: String) -> (OfferFile, [Diagnostic]) {
        var (file, diagnostics) = parseOffer(relative, providerID: providerID, slug: slug, language: language, limits: limits, realRoot: realRoot)
        file.relativePath = relative
        return (file, diagnostics)
    }

    private func parseOffer(_ relative: String, providerID: String, slug: String, language: String?, limits: LoadLimits, realRoot: String) -> (OfferFile, [Diagnostic]) {
        let shown = display(relative)
        func failed(_ d: [Diagnostic]) -> (OfferFile, [Diagnostic]) {
            (OfferFile(path: shown, providerID: providerID, slug: slug, language: language, frontMatter: nil, body: "", bodyLine: 1), d)
        }
        switch readText(relative, limits: limits, realRoot: realRoot) {
        case .missing: return failed([.error(.unreadableFile, at: SourceLocation(path: shown, line: 1, column: 1), Messages.unreadable("missing"))])
        case let .problem(d): return failed([d])
        case var .text(text):
            // Split and parse on the file's bytes: only the body is copied out, as a String of its own.
            let reader = YAMLReader(maxDepth: limits.maxDepth)
            let parsed = text.withUTF8 { bytes in
                FrontMatter.locate(bytes, path: shown).map { parts in
                    (parts, reader.parse(utf8: UnsafeBufferPointer(rebasing: bytes[parts.yaml]), path: shown, lineOffset: 1))
                }
            }
            switch parsed {
            case let .failure(d): return failed([d])
            case let .success((parts, (node, diags))):
                let body = String(text[text.utf8.index(text.startIndex, offsetBy: parts.bodyStart)...])
                let yamlText = String(text[text.utf8.index(text.startIndex, offsetBy: parts.yaml.lowerBound)..<text.utf8.index(text.startIndex, offsetBy: parts.yaml.upperBound)])
                var all = diags
                if let node, node.pairs == nil {
                    all.append(.error(.frontMatterNotMapping, at: SourceLocation(path: shown, line: node.line, column: node.column), Messages.notMapping))
                    // Keep the body: validation still scans it for what must never be published.
                    return (OfferFile(path: shown, providerID: providerID, slug: slug, language: language, frontMatter: nil, body: body, bodyLine: parts.bodyLine, frontMatterText: yamlText), all)
                }
                if node == nil && diags.isEmpty {
                    // An empty front matter: validation reports the missing fields.
                    return (OfferFile(path: shown, providerID: providerID, slug: slug, language: language,
                                      frontMatter: YNode(kind: .mapping([]), line: 2, column: 1), body: body, bodyLine: parts.bodyLine, frontMatterText: yamlText), all)
                }
                return (OfferFile(path: shown, providerID: providerID, slug: slug, language: language, frontMatter: node, body: body, bodyLine: parts.bodyLine, frontMatterText: yamlText), all)
            }
        }
    }
}

/// The id rule for providers and slugs: lowercase a-z, 0-9 and `-`, 2 to 64 characters.
public enum Identifier {
    /// True when `s` follows the id rule.
    public static func isValid(_ s: String) -> Bool {
        let u = s.utf8
        guard u.count >= 2, u.count <= 64 else { return false }
        return u.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

/// A small CSV reader for the municipality list: commas, double quotes, one record per line.
public enum CSV {
    /// Rows with 1-based line numbers; the header row included.
    public static func parse(_ text: String) -> [(line: Int, fields: [String])] {
        var rows: [(Int, [String])] = []
        var lineNo = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNo += 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            var fields: [String] = []
            var current = ""
            var quoted = false
            var chars = line.makeIterator()
            while let c = chars.next() {
                if quoted {
                    if c == "\"" { quoted = false } else { current.append(c) }
                } else if c == "\"" {
                    quoted = true
                } else if c == "," {
                    fields.append(current)
                    current = ""
                } else {
                    current.append(c)
                }
            }
            fields.append(current)
            rows.append((lineNo, fields))
        }
        return rows
    }
}
