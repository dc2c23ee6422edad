import Foundation
import TilbudContent
import TilbudDiagnostics
import TilbudModel

/// One commit as `tilbud check --since` sees it.
public struct CommitInfo: Sendable, Hashable {
    /// Full hash.
    public let hash: String
    /// Author e-mail.
    public let authorEmail: String
    /// Author name.
    public let authorName: String
    /// First line of the message.
    public let subject: String
    /// Changed paths, relative to the content folder.
    public let files: [String]

    /// The abbreviated hash shown to people.
    public var shortHash: String { String(hash.prefix(10)) }
}

/// The result of an ownership check.
public struct OwnershipResult: Sendable {
    /// One error per commit and file changed by someone not allowed to.
    public let diagnostics: [Diagnostic]
    /// Commits since the revision that touch the content folder.
    public let commits: [CommitInfo]
}

/// Checks that every change to the content folder since a revision was authored by someone allowed
/// to make it: `editors` of the provider for `providers/<id>/`, `governance_editors` for the rest.
///
/// Editors come from the current tree. Two extra rules stop people from granting themselves access
/// in the same change: a change to an existing `provider.yaml` also needs an author who was an editor
/// at the revision, and a change to an existing `governance/policy.yaml` one who was a governance
/// editor then. A provider folder that is gone from the current tree uses its editors at the revision.
public struct OwnershipChecker: Sendable {
    /// The content folder.
    public let contentRoot: URL
    /// The content folder as shown in diagnostics.
    public let displayRoot: String
    /// The validated catalog of the current tree (for editors).
    public let catalog: Catalog

    /// Creates a checker.
    public init(contentRoot: URL, displayRoot: String, catalog: Catalog) {
        self.contentRoot = contentRoot.standardizedFileURL
        self.displayRoot = displayRoot.hasSuffix("/") ? String(displayRoot.dropLast()) : displayRoot
        self.catalog = catalog
    }

    func display(_ relative: String) -> String {
        displayRoot.isEmpty || displayRoot == "." ? relative : displayRoot + "/" + relative
    }

    /// Checks every commit in `since..HEAD`. Throws when there is no repository or no such revision.
    public func check(since: String) throws -> OwnershipResult {
        let git = Git(directory: contentRoot)
        guard !since.isEmpty, !since.hasPrefix("-"), !since.contains("..") else {
            throw WorkflowError("bad-revision", nb: "«\(since)» er ikke en gyldig git-revisjon for --since.",
                                en: "'\(since)' is not a valid git revision for --since.")
        }
        // Where the content folder is in the repository: git log paths are relative to its top.
        let where_ = try? git.run(["rev-parse", "--is-inside-work-tree", "--show-prefix"])
        let lines = where_?.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) ?? []
        guard where_?.succeeded == true, lines.first == "true" else {
            throw WorkflowError("not-a-repository", nb: "--since krever at innholdsmappen «\(displayRoot)» ligger i et git-repo.",
                                en: "--since needs the content folder '\(displayRoot)' to be inside a git repository.")
        }
        let verify = try git.run(["rev-parse", "--verify", "--quiet", since + "^{commit}"])
        guard verify.succeeded else {
            throw WorkflowError("unknown-revision",
                                nb: "Fant ikke revisjonen «\(since)». I GitHub Actions: hent hele historikken med «fetch-depth: 0» i actions/checkout.",
                                en: "The revision '\(since)' was not found. In GitHub Actions, fetch the whole history with 'fetch-depth: 0' in actions/checkout.")
        }
        let base = verify.text.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = lines.count > 1 ? lines[1] : ""
        // --cc: a merge lists the files it changed beyond its parents (a change hidden in a merge).
        // Not --relative: git ignores it for merges; the prefix is taken off here instead.
        let log = try git.run(["log", "--no-renames", "--cc", "--no-color",
                               "--format=%x1e%H%x1f%ae%x1f%an%x1f%s", "--name-only", base + "..HEAD", "--", "."])
        guard log.succeeded else {
            throw WorkflowError("git-log-failed", nb: "git log feilet: \(log.stderr)", en: "git log failed: \(log.stderr)")
        }
        let commits = Self.parseLog(log.stdout).map { c in
            CommitInfo(hash: c.hash, authorEmail: c.authorEmail, authorName: c.authorName, subject: c.subject,
                       files: c.files.compactMap { $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil })
        }
        var rules = Rules(checker: self, git: git, base: base)
        var diagnostics: [Diagnostic] = []
        var seen = Set<String>()
        for commit in commits {
            for file in commit.files {
                guard let problem = rules.problem(commit: commit, file: file), seen.insert(commit.hash + "\0" + file).inserted else { continue }
                diagnostics.append(.error(problem.id, at: SourceLocation(path: display(file), line: 1, column: 1), problem.message, hint: problem.hint))
            }
        }
        return OwnershipResult(diagnostics: diagnostics, commits: commits)
    }

    /// Parses `git log --format=%x1e%H%x1f%ae%x1f%an%x1f%s --name-only`.
    static func parseLog(_ data: Data) -> [CommitInfo] {
        var commits: [CommitInfo] = []
        for record in data.split(separator: 0x1E) {
            let lines = record.split(separator: 0x0A, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
            guard let header = lines.first else { continue }
            let fields = header.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 4 else { continue }
            commits.append(CommitInfo(hash: fields[0], authorEmail: fields[1], authorName: fields[2],
                                      subject: fields[3...].joined(separator: "\u{1F}"), files: Array(lines.dropFirst())))
        }
        return commits
    }

    /// Who may change what; editors at the base revision are read once per provider, on demand.
    struct Rules {
        let checker: OwnershipChecker
        let git: Git
        let base: String
        var baseEditors: [String: [String]?] = [:]
        var currentEditors: [String: [String]?] = [:]

        init(checker: OwnershipChecker, git: Git, base: String) {
            self.checker = checker
            self.git = git
            self.base = base
        }

        struct Problem {
            let id: DiagnosticID
            let message: Message
            let hint: Message?
        }

        /// The editors in `providers/<id>/provider.yaml` of the current tree (nil when there is no such file).
        mutating func current(_ id: String) -> [String]? {
            if let cached = currentEditors[id] { return cached }
            var editors: [String]? = nil
            if let p = checker.catalog.provider(id) {
                editors = p.editors
            } else if let data = FileManager.default.contents(atPath: checker.contentRoot.appendingPathComponent("providers/\(id)/provider.yaml").path) {
                // The provider did not validate; its editors still decide who may fix it.
                editors = Self.editors(in: String(decoding: data, as: UTF8.self), key: "editors")
            }
            currentEditors[id] = editors
            return editors
        }

        /// The list under `key` in the YAML file at `relative` at the base revision (nil when the file did not exist).
        mutating func atBase(_ relative: String, key: String) -> [String]? {
            if let cached = baseEditors[relative] { return cached }
            var editors: [String]? = nil
            if let out = try? git.run(["show", "\(base):./\(relative)"]), out.succeeded {
                editors = Self.editors(in: out.text, key: key) ?? []
            }
            baseEditors[relative] = editors
            return editors
        }

        static func editors(in yaml: String, key: String) -> [String]? {
            let (node, _) = YAMLReader().parse(yaml, path: "")
            guard let node else { return [] }
            return node[key]?.items?.compactMap(\.scalar) ?? []
        }

        mutating func problem(commit: CommitInfo, file: String) -> Problem? {
            let email = commit.authorEmail
            let shown = checker.display(file)
            let subject = commit.subject.count > 60 ? String(commit.subject.prefix(57)) + "…" : commit.subject
            let change = Messages.Change(shortHash: commit.shortHash, subject: subject, authorName: commit.authorName, email: email, file: shown)
            let parts = file.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count >= 3, parts[0] == "providers" {
                let id = String(parts[1])
                let yamlPath = "providers/\(id)/provider.yaml"
                let currentList = current(id)
                let list = currentList ?? atBase(yamlPath, key: "editors") ?? []
                if !EmailGlob.matchesAny(email, list) {
                    return Problem(id: .notAnEditor, message: Messages.notAnEditor(change, provider: id, editors: list), hint: Messages.notAnEditorHint)
                }
                // With no editors before, only the governance body can name the first ones.
                if parts.count == 3, parts[2] == "provider.yaml", currentList != nil, let before = atBase(yamlPath, key: "editors"),
                   !EmailGlob.matchesAny(email, before.isEmpty ? checker.catalog.governance.policy.governanceEditors : before) {
                    return Problem(id: .notAnEditor, message: Messages.wasNotAnEditor(change, provider: id, editorsBefore: before),
                                   hint: Messages.wasNotAnEditorHint)
                }
                return nil
            }
            // governance/, site.yaml and anything else outside providers/ belongs to the governance body.
            let list = checker.catalog.governance.policy.governanceEditors
            if !EmailGlob.matchesAny(email, list) {
                return Problem(id: .notAGovernanceEditor, message: Messages.notAGovernanceEditor(change, governanceEditors: list),
                               hint: Messages.notAGovernanceEditorHint)
            }
            // With no governance editors before, the first list is set up by whoever commits it.
            if file == "governance/policy.yaml", let before = atBase(file, key: "governance_editors"), !before.isEmpty,
               !EmailGlob.matchesAny(email, before) {
                return Problem(id: .notAGovernanceEditor, message: Messages.wasNotAGovernanceEditor(change, governanceEditorsBefore: before),
                               hint: Messages.wasNotAGovernanceEditorHint)
            }
            return nil
        }
    }
}
