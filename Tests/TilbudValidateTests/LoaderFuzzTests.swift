import Foundation
import Testing
import TilbudContent
import TilbudDiagnostics
import TilbudModel
import TilbudTestSupport
import TilbudValidate

/// A content folder with the bundled catalog's governance that holds one provider and one offer at a time, checked
/// as `tilbud check` would.
final class FuzzCatalog {
    let directory = FileTree.temporaryFolder("tilbud-fuzz-")
    var content: URL { directory.appendingPathComponent("content", isDirectory: true) }
    static let today = Day(iso: "2026-11-27")!

    init() throws {
        let bundled = TestPaths.repositoryRoot.appendingPathComponent("content")
        for name in TestPaths.governanceFiles + TestPaths.bundledSiteFiles {
            try FileTree.write(Data(contentsOf: bundled.appendingPathComponent(name)), to: content.appendingPathComponent(name))
        }
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// The paths the checker shows for the provider file and the offer file.
    static func paths(providerID: String, slug: String) -> (provider: String, offer: String) {
        ("content/providers/\(providerID)/provider.yaml", "content/providers/\(providerID)/\(slug).md")
    }

    /// Replaces the providers folder with one provider and one offer, then checks the catalog.
    func check(providerID: String, provider: [UInt8], slug: String, offer: [UInt8]) throws -> CheckResult {
        let providers = content.appendingPathComponent("providers")
        try? FileManager.default.removeItem(at: providers)
        try FileTree.write(Data(provider), to: providers.appendingPathComponent("\(providerID)/provider.yaml"))
        try FileTree.write(Data(offer), to: providers.appendingPathComponent("\(providerID)/\(slug).md"))
        return CatalogChecker(root: content, displayRoot: "content", today: Self.today).run()
    }
}

/// One input of the loader fuzzer: a provider file and an offer file, with a national identity number the
/// mutator may have put into the offer's body at a known place.
struct LoaderInput {
    var providerID: String
    var provider: [UInt8]
    var slug: String
    var offer: [UInt8]
    /// Line and column of an identity number put into the body; the check must report it there.
    var plantedID: (line: Int, column: Int)? = nil
}

/// Fuzzes the load and validate stages (front matter split, libyaml with marks, depth and size limits, control
/// characters, the record rules) with mutated real offer and provider files.
///
/// Properties for every input: the check never crashes or hangs (each input is timed); every diagnostic has a file,
/// and its line and column lie within that file (line ≤ lines + 1, column ≤ the line's scalars + 1); a
/// `control-character` error points at such a character and a `national-id-number` error at a digit; the offer is
/// in the catalog exactly when its file has no error (with a valid provider); checking twice gives the same
/// diagnostics; an identity number put into the body is reported at its first digit.
@Suite("Fuzz: loader and check", .serialized)
struct LoaderFuzzTests {
    static let target = "loader"

    /// The bundled catalog's offers and providers: the seeds.
    static let seeds: (offers: [(provider: String, slug: String, bytes: [UInt8])], providers: [String: [UInt8]]) = {
        let root = TestPaths.repositoryRoot.appendingPathComponent("content/providers")
        var offers: [(String, String, [UInt8])] = []
        var providers: [String: [UInt8]] = [:]
        let fm = FileManager.default
        for folder in ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).sorted() {
            let dir = root.appendingPathComponent(folder)
            if let data = fm.contents(atPath: dir.appendingPathComponent("provider.yaml").path) { providers[folder] = Array(data) }
            for file in ((try? fm.contentsOfDirectory(atPath: dir.path)) ?? []).sorted() where file.hasSuffix(".md") {
                let stem = String(file.dropLast(3))
                guard !stem.contains("."), let data = fm.contents(atPath: dir.appendingPathComponent(file).path) else { continue }
                offers.append((folder, stem, Array(data)))
            }
        }
        return (offers, providers)
    }()

    /// YAML and Markdown syntax that loaders get wrong: anchors, aliases, tags, flow collections, documents,
    /// block scalars, directives, merge keys, odd scalars, and Markdown with HTML and links.
    static let tokens: [String] = [
        "---", "---\n", "\n---\n", "...", "\n...\n", "--- !!map\n", "%YAML 1.2\n", "%YAML 1.1\n---\n", "%TAG ! tag:example.org,2000:\n",
        "&a ", "*a", "&anchor [x]", "<<: *a\n", "!!str ", "!!binary ", "!local ", "!<tag:yaml.org,2002:str> ", "? ", "? [a, b]\n: c\n",
        "{", "}", "[", "]", "{a: 1, b: [2, 3]}", "[a, {b: c}]", "[,]", "{,}", ": ", ":", "- ", "-", "|", "|-\n  x\n", ">+\n  y\n", "|2\n",
        "#", " # kommentar", "'", "\"", "''", "\"\\u0000\"", "\"\\x1b\"", "\"\\N\"", "\\", "`", "@", "%", "~", "null", "yes", "no", "on",
        ".inf", "-.inf", ".nan", "0x1F", "0o17", "1e999", "-0", "2026-02-30", "2026-13-01", "9999-12-31", "2026-1-1", "12:30:00",
        "title:", "title: ", "summary: x\n", "kind: friskliv\n", "status: draft\n", "status: archived\n", "valid_until: 2020-01-01\n",
        "last_reviewed: 2030-01-01\n", "municipalities: []\n", "topics: [ukjent]\n", "schedule:\n  - start: 2026-01-01\n",
        "locations: {}\n", "price: {kind: gratis}\n", "x: y: z\n", "\t", "  ", "\n", "\n\n", "\n  ", "\n- ", "\n  - ",
        "<script>alert(1)</script>", "<b>fet</b>", "[lenke](javascript:alert(1))", "[x]: data:text/html,hei", "<http://example.org>",
        "http://example.org", "![bilde](https://example.org/a.png)", "| a | b |\n| - | - |\n| 1 | 2 |\n", "> sitat\n", "* punkt\n",
        "```\nkode\n```\n", "&#56;", "&amp;", "&nbsp;", "151086 95088", "15108695088", "974 778 882", "+47 23 00 00 00",
    ]

    static let mutator = Mutator(
        tokens: tokens, seeds: seeds.offers.map(\.bytes) + seeds.providers.values.sorted { $0.count < $1.count }, allowInvalidUTF8: true,
        nesters: [("[", "]"), ("{a: ", "}"), ("- ", ""), ("> ", ""), ("  - ", ""), ("*", "*"), ("<b>", "</b>"), ("[", "](https://example.org)")])

    /// Identity numbers with valid check digits, in spellings the scanner must see through.
    static let plantedIDs = ["15108695088", "151086 95088", "151086-95088", "15.10.86 950 88", "1510**86**95088", "551086 95071",
                             "151086<!-- -->95088", "1510&#56;695088", "１５１０８６９５０８８"]

    /// Builds input `index` of a run with `seed`.
    static func input(seed: UInt64, index: Int) -> LoaderInput {
        var random = FuzzRandom(seed: seed, index: index)
        let base = random.pick(seeds.offers)
        var input = LoaderInput(providerID: base.provider, provider: seeds.providers[base.provider] ?? [], slug: base.slug, offer: base.bytes)
        if random.chance(85) { input.offer = mutator.mutate(input.offer, &random) }
        if random.chance(15) { input.provider = mutator.mutate(input.provider, &random, maxSteps: 2) }
        if random.chance(25) { plantID(&input, &random) }
        return input
    }

    /// Puts an identity number at the start of a body line of a file that still splits, and records where.
    static func plantID(_ input: inout LoaderInput, _ random: inout FuzzRandom) {
        guard !input.offer.contains(0x0D), !input.offer.starts(with: [0xEF, 0xBB, 0xBF]),
              let text = TextDecoding.decode(input.offer), case let .success(split) = FrontMatter.split(text, path: "x") else { return }
        let bodyLines = split.body.split(separator: "\n", omittingEmptySubsequences: false).count
        let line = split.bodyLine + random.below(bodyLines)
        // The byte offset of that line's start.
        var offset = 0, current = 1
        while current < line, let newline = input.offer[offset...].firstIndex(of: 0x0A) { offset = newline + 1; current += 1 }
        guard current == line else { return }
        input.offer.insert(contentsOf: Array((random.pick(plantedIDs) + " ").utf8), at: offset)
        input.plantedID = (line, 1)
    }

    /// Checks `input` twice and returns the problems found (empty when every property holds) and the slower time.
    static func problems(_ input: LoaderInput, catalog: FuzzCatalog) throws -> (problems: [String], seconds: Double, result: CheckResult) {
        let start = Date()
        let result = try catalog.check(providerID: input.providerID, provider: input.provider, slug: input.slug, offer: input.offer)
        let seconds = Date().timeIntervalSince(start)
        let again = try catalog.check(providerID: input.providerID, provider: input.provider, slug: input.slug, offer: input.offer)
        var problems: [String] = []
        if result.diagnostics != again.diagnostics { problems.append("not deterministic: \(result.diagnostics.count) vs \(again.diagnostics.count) diagnostics") }
        if result.catalog.offers.map(\.id) != again.catalog.offers.map(\.id) { problems.append("not deterministic: catalogs differ") }

        let (providerPath, offerPath) = FuzzCatalog.paths(providerID: input.providerID, slug: input.slug)
        let files: [String: [UInt8]] = [providerPath: input.provider, offerPath: input.offer]
        for d in result.diagnostics {
            guard let location = d.location else { problems.append("\(d.id) has no location"); continue }
            problems += Self.locationProblems(d, location, files: files)
        }
        let errorsAt = { (path: String) in result.diagnostics.contains { $0.severity == .error && $0.location?.path == path } }
        let loaded = result.catalog.offers.contains { $0.id == "\(input.providerID)/\(input.slug)" }
        if loaded && errorsAt(offerPath) { problems.append("the offer is in the catalog although its file has errors") }
        if !loaded && !errorsAt(offerPath) && !errorsAt(providerPath) {
            problems.append("the offer is neither in the catalog nor has its file an error")
        }
        // A file that is not read (not UTF-8, too large, a control character) has that one error; others are scanned.
        let unread: Set<String> = ["not-utf8", "file-too-large", "control-character", "unreadable-file"]
        if let planted = input.plantedID, !result.diagnostics.contains(where: { unread.contains($0.id.rawValue) && $0.location?.path == offerPath }) {
            let at = Loc(path: offerPath, line: planted.line, column: planted.column)
            if !result.diagnostics.contains(where: { $0.id == "national-id-number" && $0.location == at }) {
                problems.append("the identity number at \(planted.line):\(planted.column) is not reported")
            }
        }
        return (problems, seconds, result)
    }

    /// Where `d` points must exist in its file; some kinds must point at what they are about.
    static func locationProblems(_ d: Diagnostic, _ location: Loc, files: [String: [UInt8]]) -> [String] {
        let shown = "\(d.id) at \(location.line):\(location.column)"
        guard location.line >= 1, location.column >= 1 else { return ["\(shown): not 1-based"] }
        guard let bytes = files[location.path] else {
            // Governance files and folders: only at their start, as nothing else was changed.
            return location.path.hasPrefix("content/providers/") && !(location.line == 1 && location.column == 1)
                ? ["\(shown) in \(location.path), which is no file"] : []
        }
        guard let text = TextDecoding.decode(bytes) else {
            // Not UTF-8: lines as the raw bytes have them.
            let lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
            return location.line <= lines + 1 ? [] : ["\(shown): the file has \(lines) lines"]
        }
        let lines = TextLines.lines(text)
        guard location.line <= lines.count + 1 else { return ["\(shown): the file has \(lines.count) lines"] }
        guard location.line <= lines.count else { return location.column == 1 ? [] : ["\(shown): past the last line"] }
        let line = lines[location.line - 1]
        guard location.column <= line.count + 1 else { return ["\(shown): line \(location.line) has \(line.count) characters"] }
        let scalar = location.column <= line.count ? line[location.column - 1] : nil
        switch d.id {
        case "control-character":
            if scalar.map({ !ControlCharacters.isForbidden($0.value) }) ?? true {
                return ["\(shown): points at \(scalar.map { String($0).debugDescription } ?? "the line end"), not a control character"]
            }
        case "national-id-number" where !(location.line == 1 && location.column == 1):
            let v = scalar?.value ?? 0
            if !((0x30...0x39).contains(v) || (0xFF10...0xFF19).contains(v) || v == 0x26) {
                return ["\(shown): points at \(scalar.map { String($0).debugDescription } ?? "the line end"), not a digit"]
            }
        default:
            break
        }
        return []
    }

    /// Checks one input and turns broken properties into test issues, keeping the input for the corpus.
    static func verify(_ input: LoaderInput, name: String, catalog: FuzzCatalog, maxSeconds: Double) throws -> Double {
        let (problems, seconds, result) = try problems(input, catalog: catalog)
        var all = problems
        if seconds > maxSeconds { all.append(String(format: "took %.2f s", seconds)) }
        if !all.isEmpty {
            let saved = FuzzSettings.save(input.offer, target: target, name: "\(name).md")
            FuzzSettings.save(input.provider, target: target, name: "\(name).provider.yaml")
            Issue.record("""
                \(name): \(all.joined(separator: "; "))
                offer \(TextLines.excerpt(input.offer)) (saved as \(saved))
                \(result.listing)
                """)
        }
        return seconds
    }

    @Test("mutated offer and provider files: positions in the file, errors or a record, deterministic, bounded time")
    func fuzzLoaderAndCheck() throws {
        let settings = FuzzSettings(defaultIterations: 200, defaultSeed: 0x7115_BD01)
        let catalog = try FuzzCatalog()
        let start = Date()
        var slowest = 0.0
        var ids: [String: Int] = [:]
        for index in 0..<settings.iterations {
            let input = Self.input(seed: settings.seed, index: index)
            slowest = max(slowest, try Self.verify(input, name: "seed\(settings.seed)-\(index)", catalog: catalog, maxSeconds: 5))
            if ProcessInfo.processInfo.environment["TILBUD_FUZZ_STATS"] != nil {
                let result = try catalog.check(providerID: input.providerID, provider: input.provider, slug: input.slug, offer: input.offer)
                for d in Set(result.diagnostics.map(\.id.rawValue)) { ids[d, default: 0] += 1 }
            }
        }
        let total = Date().timeIntervalSince(start)
        print(String(format: "loader fuzz: %d inputs (seed %llu) in %.2f s, slowest %.3f s", settings.iterations, settings.seed, total, slowest))
        if !ids.isEmpty { print("loader fuzz diagnostics: \(ids.sorted { $0.key < $1.key })") }
    }

    /// A kept input: `<name>.md` is checked as an offer beside a valid provider, `<name>.provider.yaml` as a
    /// provider beside a valid offer.
    static func corpusInput(_ name: String, _ bytes: [UInt8]) -> LoaderInput {
        let provider = "lms-salten-sykehus"
        let valid = seeds.offers.first { $0.provider == provider && $0.slug == "slagkurs" }!
        if name.hasSuffix(".provider.yaml") {
            return LoaderInput(providerID: provider, provider: bytes, slug: valid.slug, offer: valid.bytes)
        }
        let stem = String(name.dropLast(3)).lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return LoaderInput(providerID: provider, provider: seeds.providers[provider]!, slug: "fuzz-" + String(stem.prefix(50)), offer: bytes)
    }

    @Test("every kept input holds the same properties")
    func corpus() throws {
        let files = FuzzCorpus.files(Self.target)
        #expect(files.count >= 5)
        let catalog = try FuzzCatalog()
        for (name, bytes) in files {
            _ = try Self.verify(Self.corpusInput(name, bytes), name: name, catalog: catalog, maxSeconds: 5)
        }
    }
}
