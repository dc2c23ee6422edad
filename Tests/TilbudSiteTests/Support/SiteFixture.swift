import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudSite

/// A whole content folder laid out from a txtar-like string into a fresh temporary folder and built with
/// the repository's real `templates/`:
///
///     -- content/providers/frisk-oslo/provider.yaml --
///     name: Frisklivssentralen i Oslo
///
/// Paths are relative to the temporary folder. `SiteFixture.governance` (site settings, policy,
/// vocabularies, four municipalities) is laid out first unless a test passes its own.
final class SiteFixture {
    /// The temporary folder; `content/` is inside it and builds go to `public/` beside it by default.
    let directory: URL

    /// The day every fixture build is made for.
    static let today = Day(iso: "2026-11-27")!

    /// The content folder.
    var content: URL { directory.appendingPathComponent("content", isDirectory: true) }
    /// The default output folder.
    var output: URL { directory.appendingPathComponent("public", isDirectory: true) }

    init(_ txtar: String, governance: String = SiteFixture.governance) throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("tilbud-site-" + UUID().uuidString, isDirectory: true)
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        for (path, text) in Txtar.parse(governance) + Txtar.parse(txtar) {
            try write(text, to: path)
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The repository root, found from this file's path.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The real `templates/` folder of the repository.
    static var templates: URL { repositoryRoot.appendingPathComponent("templates", isDirectory: true) }

    /// `Tests/TilbudSiteTests/Golden`.
    static var goldenFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden", isDirectory: true)
    }

    /// The URL of `path` (relative to the temporary folder).
    func url(_ path: String) -> URL { directory.appendingPathComponent(path) }

    /// Writes text to `path`, creating folders; replaces what is there.
    func write(_ text: String, to path: String) throws {
        let u = url(path)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: u)
    }

    /// Removes `path`.
    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: url(path))
    }

    /// Options for a build of this fixture into `output` (default `public/` in the fixture folder).
    func options(output: URL? = nil, templates: URL = SiteFixture.templates) -> BuildOptions {
        BuildOptions(content: content, contentDisplay: "content", templates: templates, templatesDisplay: "templates",
                     output: output ?? self.output, baseURL: nil, today: Self.today)
    }

    /// Runs the whole build (check → render → write → swap).
    @discardableResult
    func build(output: URL? = nil, steps: [any OutputStep] = [], templates: URL = SiteFixture.templates) -> BuildResult {
        SiteBuilder(steps: steps).build(options(output: output, templates: templates))
    }

    /// Builds and records an issue unless the build succeeded.
    @discardableResult
    func buildOK(output: URL? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> BuildResult {
        let result = build(output: output)
        #expect(result.succeeded, "build failed: \(result.failure ?? "")\n\(result.listing)", sourceLocation: sourceLocation)
        return result
    }

    /// A page of the default output as text ("" when missing, with an issue recorded).
    func page(_ path: String, in root: URL? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> String {
        let file = (root ?? output).appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: file.path), let text = String(data: data, encoding: .utf8) else {
            Issue.record("missing page \(path)", sourceLocation: sourceLocation)
            return ""
        }
        return text
    }

    /// True when `path` exists under the output.
    func exists(_ path: String, in root: URL? = nil) -> Bool {
        FileManager.default.fileExists(atPath: (root ?? output).appendingPathComponent(path).path)
    }
}

extension BuildResult {
    /// Every diagnostic, one a line, for failure messages.
    var listing: String {
        diagnostics.map { d in
            let place = d.location.map { "\($0.path):\($0.line):\($0.column)" } ?? "-"
            return "\(place) \(d.severity.rawValue) \(d.id): \(d.message.en)"
        }.joined(separator: "\n")
    }
}

/// Every file under a folder, by relative path, with its bytes.
enum Tree {
    static func read(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return files }
        while let relative = walker.nextObject() as? String {
            let full = base + "/" + relative
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue,
               let data = FileManager.default.contents(atPath: full) {
                files[relative] = data
            }
        }
        return files
    }

    /// The HTML pages of a tree, decoded.
    static func pages(_ root: URL) -> [(String, String)] {
        read(root).filter { $0.key.hasSuffix(".html") }.sorted { $0.key < $1.key }
            .map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }
    }

    /// Names in `folder` (not recursive), sorted.
    static func listing(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }
}

/// Splits a txtar-like archive into (path, text) sections. Text before the first header is a comment.
enum Txtar {
    static func parse(_ archive: String) -> [(String, String)] {
        var files: [(String, [Substring])] = []
        for line in archive.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- "), line.hasSuffix(" --"), line.count > 6 {
                files.append((line.dropFirst(3).dropLast(3).trimmingCharacters(in: .whitespaces), []))
            } else if !files.isEmpty {
                files[files.count - 1].1.append(line)
            }
        }
        return files.map { name, lines in
            var lines = lines
            if lines.last == "" { lines.removeLast() }
            return (name, lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n")
        }
    }
}

/// Counts non-overlapping occurrences.
extension String {
    func occurrences(of needle: String) -> Int {
        guard !needle.isEmpty else { return 0 }
        return components(separatedBy: needle).count - 1
    }
}
