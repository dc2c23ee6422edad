import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudOutput
import TilbudSite
import TilbudTestSupport

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
    static let today = SharedFixture.buildDay

    /// The content folder.
    var content: URL { directory.appendingPathComponent("content", isDirectory: true) }
    /// The default output folder.
    var output: URL { directory.appendingPathComponent("public", isDirectory: true) }

    init(_ txtar: String, governance: String = SiteFixture.governance) throws {
        directory = FileTree.temporaryFolder("tilbud-site-")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        try FileTree.write(txtar: governance, into: directory)
        // The fields are the shared fixture's unless the fixture declares its own.
        let fields = content.appendingPathComponent("governance/fields.yaml")
        if !FileManager.default.fileExists(atPath: fields.path) {
            try FileManager.default.copyItem(at: TestPaths.fixtures.appendingPathComponent("governance/fields.yaml"), to: fields)
        }
        try FileTree.write(txtar: txtar, into: directory)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The real `templates/` folder of the repository.
    static var templates: URL { TestPaths.templates }

    /// `Tests/TilbudSiteTests/Golden`.
    static var goldenFolder: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Golden", isDirectory: true)
    }

    /// The URL of `path` (relative to the temporary folder).
    func url(_ path: String) -> URL { directory.appendingPathComponent(path) }

    /// Writes text to `path`, creating folders; replaces what is there.
    func write(_ text: String, to path: String) throws {
        try FileTree.write(text, to: url(path))
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
    func build(output: URL? = nil, steps: [any OutputStep] = [], templates: URL = SiteFixture.templates,
               transform: (@Sendable (Catalog, URL) -> Catalog)? = nil) -> BuildResult {
        SiteBuilder(steps: steps, catalogTransform: transform.map(CatalogTransform.init)).build(options(output: output, templates: templates))
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

/// Counts non-overlapping occurrences.
extension String {
    func occurrences(of needle: String) -> Int {
        guard !needle.isEmpty else { return 0 }
        return components(separatedBy: needle).count - 1
    }
}
