import Foundation

/// Places in the repository, found from this file's path (`Tests/TilbudTestSupport/FileTree.swift`).
public enum TestPaths {
    /// The package root.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// `Tests/Fixtures`: a minimal valid `site.yaml` and governance.
    public static var fixtures: URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures", isDirectory: true)
    }

    /// The repository's real `templates/` folder.
    public static var templates: URL {
        repositoryRoot.appendingPathComponent("templates", isDirectory: true)
    }

    /// The files of `fixtures`, relative to a content folder.
    public static let governanceFiles = ["site.yaml", "governance/policy.yaml", "governance/vocabularies.yaml", "governance/fields.yaml",
                                         "governance/municipalities.csv"]
    /// The files the bundled catalog's `site.yaml` names (logo, sharing image, the pages about the site), relative to
    /// the content folder: a test that copies that `site.yaml` copies these too.
    public static let bundledSiteFiles = ["media/logo.svg", "media/deling.png"]
        + ["om-nettstedet", "personvern", "tilgjengelighet"].flatMap { ["sider/\($0).md", "sider/\($0).nn.md", "sider/\($0).en.md"] }
}

/// Writing and reading whole file trees.
public enum FileTree {
    /// A fresh, not yet created folder in the temporary folder, named `prefix` and a UUID.
    public static func temporaryFolder(_ prefix: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent(prefix + UUID().uuidString, isDirectory: true)
    }

    /// Writes bytes to `url`, creating folders; replaces what is there.
    public static func write(_ data: Data, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Writes text to `url`, creating folders; replaces what is there.
    public static func write(_ text: String, to url: URL) throws {
        try write(Data(text.utf8), to: url)
    }

    /// Writes every section of a txtar archive under `directory`.
    public static func write(txtar: String, into directory: URL) throws {
        for (path, text) in Txtar.parse(txtar) { try write(text, to: directory.appendingPathComponent(path)) }
    }

    /// Copies the fixture governance (`TestPaths.governanceFiles` but `except`) from `Tests/Fixtures` into `content`.
    public static func copyFixtureGovernance(into content: URL, except: Set<String> = []) throws {
        let fm = FileManager.default
        try fm.createDirectory(at: content.appendingPathComponent("governance"), withIntermediateDirectories: true)
        for name in TestPaths.governanceFiles where !except.contains(name) {
            try fm.copyItem(at: TestPaths.fixtures.appendingPathComponent(name), to: content.appendingPathComponent(name))
        }
    }
}

/// Every file under a folder, by relative path, with its bytes.
public enum Tree {
    /// Changes the first byte of `file` the way a person editing the output would: same size, other bytes, a later
    /// modification time, written in place (or as a new file, `replacing`, so no hard link to it sees the change).
    /// Returns the bytes it had.
    @discardableResult
    public static func changeByHand(_ file: URL, replacing: Bool = false) throws -> Data {
        let good = try Data(contentsOf: file)
        var bad = good
        bad[bad.startIndex] = UInt8(ascii: "X")
        Thread.sleep(forTimeInterval: 0.02)
        if replacing { try FileManager.default.removeItem(at: file) }
        try bad.write(to: file)
        return good
    }

    /// The relative paths of every file (not folder) under `root`, sorted.
    public static func paths(_ root: URL) -> [String] {
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [] }
        var out: [String] = []
        while let relative = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + relative, isDirectory: &isDir), !isDir.boolValue {
                out.append(relative)
            }
        }
        return out.sorted()
    }

    public static func read(_ root: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let base = root.standardizedFileURL.resolvingSymlinksInPath().path
        for relative in paths(root) {
            if let data = FileManager.default.contents(atPath: base + "/" + relative) { files[relative] = data }
        }
        return files
    }

    /// The HTML pages of a tree, decoded.
    public static func pages(_ root: URL) -> [(String, String)] {
        read(root).filter { $0.key.hasSuffix(".html") }.sorted { $0.key < $1.key }
            .map { ($0.key, String(decoding: $0.value, as: UTF8.self)) }
    }

    /// Names in `folder` (not recursive), sorted.
    public static func listing(_ folder: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }
}
