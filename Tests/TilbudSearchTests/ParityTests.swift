import Foundation
import Testing
@testable import TilbudSearch

/// search.js and SearchEngine.swift give the same results and counts for the same index: the engine part of
/// `templates/assets/search.js` runs under Node (it exports it when there is no `document`). Skipped without `node`.
@Suite struct ParityTests {
    static let node: String? = {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/usr/local/bin").split(separator: ":") {
            let p = "\(dir)/node"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return nil
    }()

    /// The table's queries, every prefix of each as it is typed, and some with facets.
    static func queries() -> [(q: String, lang: String, filters: [String: [String]])] {
        var out: [(String, String, [String: [String]])] = []
        for c in RelevanceCase.all {
            let lang = c.lang ?? "nb"
            var typed = ""
            for ch in c.q {
                typed.append(ch)
                out.append((typed, lang, c.filters ?? [:]))
            }
        }
        for q in ["", "kurs", "søvn", "trening", "digitalt", "hele landet"] {
            out.append((q, "nb", ["kommune": ["0301"]]))
            out.append((q, "nb", ["tema": ["sovn", "stress"], "pris": ["gratis"]]))
            out.append((q, "nn", ["malgruppe": ["eldre"], "gjennomforing": ["oppmote"]]))
            out.append((q, "en", ["type": ["selvhjelp"], "henvisning": ["ingen"], "format": ["kurs", "gruppe"]]))
        }
        for q in ["Søvn!", "KOLS-skole", "12 uker", "e-sigarett", "tilbodet", "sjukehus", "Grünerløkka", "øl", "davvisámegiella", "ÆØÅ æøå", "constructor", "__proto__ toString"] {
            out.append((q, "nb", [:]))
        }
        return out
    }

    static let harness = """
    const { Engine, href } = require(process.argv[2]);
    const fs = require("fs"), zlib = require("zlib"), path = require("path");
    const queries = JSON.parse(fs.readFileSync(process.argv[3], "utf8"));
    const engines = {};
    function engine(lang) {
      if (!engines[lang]) {
        const dir = path.join(process.argv[4], lang);
        const M = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8"));
        const load = (name) => Promise.resolve().then(() => {
          const raw = fs.readFileSync(path.join(dir, M.dir, name));
          return new Uint8Array(M.z ? zlib.inflateSync(raw) : raw);
        });
        const e = new Engine(M, load);
        engines[lang] = e.ready.then(() => e);
      }
      return engines[lang];
    }
    (async () => {
      const out = [];
      for (const q of queries) {
        const e = await engine(q.lang);
        const r = await e.search(q.q, q.filters);
        out.push({ docs: r.docs, counts: r.counts.map((c) => Array.from(c)), partial: r.partial });
      }
      // Every result's link, as the page builds it.
      const urls = {};
      for (const lang of ["nb", "nn", "en"]) {
        const e = await engine(lang);
        const rows = await Promise.all(Array.from({ length: e.count() }, (_, d) => e.doc(d)));
        urls[lang] = rows.map((row) => href(e.manifest.base, row[0]));
      }
      process.stdout.write(JSON.stringify({ results: out, urls }));
    })().catch((e) => { console.error(e); process.exit(1); });
    """

    struct JSResult: Decodable {
        let docs: [Int]
        let counts: [[Int]]
        let partial: Bool
    }

    @Test(.enabled(if: ParityTests.node != nil, "needs node"))
    func javaScriptAndSwiftAgree() throws {
        let site = BundledSite.shared
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-parity-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        for (lang, files) in site.files {
            for (path, data) in files {
                let url = tmp.appendingPathComponent(lang).appendingPathComponent(path)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url)
            }
        }
        let queries = Self.queries()
        let json = try JSONSerialization.data(withJSONObject: queries.map { ["q": $0.q, "lang": $0.lang, "filters": $0.filters] as [String: Any] })
        try json.write(to: tmp.appendingPathComponent("queries.json"))
        try Self.harness.write(to: tmp.appendingPathComponent("harness.js"), atomically: true, encoding: .utf8)

        let script = BundledSite.repository.appendingPathComponent("templates/assets/search.js").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: ParityTests.node!)
        p.arguments = [tmp.appendingPathComponent("harness.js").path, script, tmp.appendingPathComponent("queries.json").path, tmp.path]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "node failed: \(errors)")
        struct Output: Decodable {
            let results: [JSResult]
            let urls: [String: [String]]
        }
        let output = try JSONDecoder().decode(Output.self, from: data)
        let js = output.results
        try #require(js.count == queries.count)

        // Result links: the same in both, and a page of the site.
        for lang in ["nb", "nn", "en"] {
            let e = try site.engine(lang)
            let swift = try (0..<e.manifest.count).map { e.url(try e.document($0)) }
            #expect(output.urls[lang] == swift, "\(lang): result links differ")
            let pages = Set(site.renderer.published.indices.map { site.renderer.offerURL($0, lang) })
            #expect(swift.allSatisfy { pages.contains($0) }, "\(lang): a link that is no offer page")
        }

        var engines: [String: SearchEngine] = [:]
        var mismatches = 0
        for (i, q) in queries.enumerated() {
            if engines[q.lang] == nil { engines[q.lang] = try site.engine(q.lang) }
            let r = try engines[q.lang]!.search(q.q, filters: q.filters)
            let same = r.documents == js[i].docs && r.counts == js[i].counts && r.partial == js[i].partial
            if !same, mismatches < 10 {
                Issue.record("«\(q.q)» (\(q.lang), \(q.filters)): Swift \(r.documents.prefix(10)) \(r.partial), JS \(js[i].docs.prefix(10)) \(js[i].partial)")
            }
            if !same { mismatches += 1 }
        }
        #expect(mismatches == 0, "\(mismatches) of \(queries.count) queries differ")
    }
}
