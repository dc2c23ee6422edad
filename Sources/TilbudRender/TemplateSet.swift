import Foundation
import TilbudDiagnostics
import TilbudContent

/// A static asset with a content-hashed public path.
public struct Asset: Sendable {
    /// Path under the output root (`assets/style.1a2b3c4d.css`).
    public let outputPath: String
    /// The file's bytes.
    public let data: Data
}

/// Everything in `templates/`: Mustache templates, UI strings per language, assets.
public struct TemplateSet: @unchecked Sendable {
    /// Compiled templates by name (`base`, `offer`, and partials such as `card`).
    public let library: [String: CompiledTemplate]
    /// Each template with its layout and partials resolved, ready to run.
    let programs: [String: TemplateProgram]
    /// UI strings by language, converted once for rendering.
    let stringValues: [String: TemplateValue]
    /// UI strings by language, then key.
    public let strings: [String: [String: Any]]
    /// Assets by their source name (`style.css`).
    public let assets: [String: Asset]

    /// The page templates every site needs.
    public static let requiredPages = ["home", "offer", "list", "search", "notfound", "municipalities", "index", "document"]

    /// Loads `templates/` from `directory`; problems come back as diagnostics.
    public static func load(from directory: URL, displayRoot: String, languages: [String]) -> (TemplateSet?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let fm = FileManager.default
        func shown(_ relative: String) -> String { displayRoot.isEmpty ? relative : displayRoot + "/" + relative }
        var library: [String: CompiledTemplate] = [:]
        var found = Set<String>()
        for folder in ["layouts", "pages", "partials"] {
            let dir = directory.appendingPathComponent(folder)
            for file in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where file.hasSuffix(".mustache") {
                let name = String(file.dropLast(".mustache".count))
                let relative = "\(folder)/\(file)"
                guard let data = fm.contents(atPath: dir.appendingPathComponent(file).path), let text = String(data: data, encoding: .utf8) else {
                    diagnostics.append(.error(.templateUnreadable, at: SourceLocation(path: shown(relative), line: 1, column: 1),
                                              Messages.templateNotUTF8))
                    continue
                }
                do {
                    library[name] = try CompiledTemplate(text)
                    found.insert(name)
                } catch let error as CompiledTemplate.ParseError {
                    diagnostics.append(.error(.templateSyntax, at: SourceLocation(path: shown(relative), line: error.line, column: error.column),
                                              Messages.templateSyntax(error.message)))
                } catch {
                    diagnostics.append(.error(.templateSyntax, at: SourceLocation(path: shown(relative), line: 1, column: 1),
                                              Messages.templateError(String(describing: error))))
                }
            }
        }
        for page in requiredPages + ["base"] where !found.contains(page) {
            diagnostics.append(.error(.templateMissing, at: SourceLocation(path: shown("pages/\(page).mustache"), line: 1, column: 1),
                                      Messages.templateMissing(page)))
        }

        var strings: [String: [String: Any]] = [:]
        for lang in languages {
            let relative = "i18n/\(lang).yaml"
            guard let data = fm.contents(atPath: directory.appendingPathComponent(relative).path), let text = String(data: data, encoding: .utf8) else {
                diagnostics.append(.error(.stringsMissing, at: SourceLocation(path: shown(relative), line: 1, column: 1),
                                          Messages.stringsMissing(lang)))
                continue
            }
            let (root, problems) = YAMLReader(maxDepth: 8).parse(text, path: shown(relative))
            diagnostics += problems
            guard let root else { continue }
            guard let pairs = root.pairs else {
                diagnostics.append(.error(.stringsSyntax, at: SourceLocation(path: shown(relative), line: root.line, column: root.column),
                                          Messages.stringsNotMapping))
                continue
            }
            var dict: [String: Any] = [:]
            for pair in pairs {
                switch pair.value.kind {
                case let .scalar(text, _): dict[pair.key] = text
                case let .sequence(items): dict[pair.key] = items.compactMap(\.scalar)
                case .mapping:
                    diagnostics.append(.error(.stringsSyntax, at: SourceLocation(path: shown(relative), line: pair.keyLine, column: pair.keyColumn),
                                              Messages.stringsNotText(pair.key)))
                }
            }
            strings[lang] = dict
        }
        // Every language must have the keys bokmål has, so no page shows a blank.
        if let reference = strings[languages.first ?? "nb"] {
            for lang in languages.dropFirst() {
                guard let other = strings[lang] else { continue }
                for key in reference.keys.sorted() where other[key] == nil {
                    diagnostics.append(.error(.stringsMissingKey, at: SourceLocation(path: shown("i18n/\(lang).yaml"), line: 1, column: 1),
                                              Messages.stringsMissingKey(key, lang)))
                }
            }
        }

        var assets: [String: Asset] = [:]
        let assetDir = directory.appendingPathComponent("assets")
        for file in ((try? fm.contentsOfDirectory(atPath: assetDir.path)) ?? []).sorted() where !file.hasPrefix(".") {
            guard let data = fm.contents(atPath: assetDir.appendingPathComponent(file).path) else { continue }
            let hash = ContentHash.hex(data, length: 10)
            let ext = (file as NSString).pathExtension
            let stem = (file as NSString).deletingPathExtension
            assets[file] = Asset(outputPath: "assets/\(stem).\(hash)\(ext.isEmpty ? "" : "." + ext)", data: data)
        }
        if diagnostics.hasErrors { return (nil, diagnostics) }
        let stringValues = strings.mapValues { TemplateValue($0) }
        let programs = library.mapValues { TemplateProgram($0, partials: library) }
        return (TemplateSet(library: library, programs: programs, stringValues: stringValues, strings: strings, assets: assets), diagnostics)
    }

    /// Renders the template `name` with `context` on top of `base` (what every page of a language shares), as UTF-8.
    func renderBytes(_ name: String, _ context: TemplateValue, base: TemplateValue, capacity: Int = 32_768) -> [UInt8] {
        guard let program = programs[name] else { return [] }
        var out: [UInt8] = []
        out.reserveCapacity(capacity)
        program.run(frames: [base, context], into: &out)
        return out
    }

    /// The UI strings of `lang`, converted once.
    func stringsValue(_ lang: String) -> TemplateValue {
        stringValues[lang] ?? stringValues["nb"] ?? .null
    }
}

/// A deterministic content hash (FNV-1a 64, twice with different seeds) for asset names.
public enum ContentHash {
    /// `length` hex digits of the hash of `data`.
    public static func hex(_ data: Data, length: Int = 10) -> String {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x8422_2325_cbf2_9ce4
        for b in data {
            h1 = (h1 ^ UInt64(b)) &* 0x0000_0100_0000_01B3
            h2 = (h2 ^ UInt64(b)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
        }
        let s = String(h1, radix: 16) + String(h2, radix: 16)
        return String(s.prefix(length))
    }
}
