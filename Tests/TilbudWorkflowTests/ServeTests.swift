import Foundation
import Testing
import TilbudOutput
@testable import TilbudServe
@testable import TilbudCLI
import TilbudDiagnostics
import TilbudModel
import TilbudSite
@testable import TilbudWorkflow

/// A catalog, a running `ServeEngine` on a free port, and what it printed.
final class ServeFixture: @unchecked Sendable {
    let repo: Repo
    let engine: ServeEngine
    let output: URL
    let templates: URL
    var log: String { logBox.text }
    var port: UInt16 { engine.server.port }
    var base: String { "http://127.0.0.1:\(port)" }

    init(git: Bool = false, setup: (Repo) throws -> Void = ServeFixture.standard) throws {
        repo = try Repo(git: git)
        try setup(repo)
        // Templates are copied so a test may edit them.
        templates = repo.url("templates")
        try FileManager.default.copyItem(at: Repo.templates, to: templates)
        output = repo.url("serve-output/site")
        var config = ServeEngine.Config(content: repo.content, contentShown: "content", templates: templates, templatesShown: "templates",
                                        output: output, today: Records.today, language: .nb, port: 0, colour: false, forcePolling: false)
        // Feed and search in this process, as soon as the lists are done.
        config.quiet = 0
        config.steps = Build.outputSteps
        let box = LogBox()
        logBox = box
        engine = try ServeEngine(config, log: { text in box.append(text) })
        engine.start()
    }

    private let logBox: LogBox

    deinit {
        engine.stop()
    }

    /// Runs `body` (which changes files), waits until the engine has handled a change, then until it is idle.
    func change(_ body: () throws -> Void) throws {
        let before = engine.publishLog.count + engine.fullBuildCount
        try body()
        let deadline = Date().addingTimeInterval(60)
        while engine.publishLog.count + engine.fullBuildCount == before && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        #expect(engine.publishLog.count + engine.fullBuildCount > before, "the change was not seen")
        #expect(engine.waitUntilIdle())
    }

    /// Two providers, offers on two topics, a translation, a national offer.
    static func standard(_ repo: Repo) throws {
        try repo.addProvider("frisk", editors: ["*@example.org"])
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt", topics: "[sovn, psykisk-helse]"))
        try repo.write("content/providers/frisk/sov-godt.nn.md", Records.translation(title: "Sov godt på nynorsk"))
        try repo.write("content/providers/frisk/trening.md", Records.offer(title: "Trening i gruppe", topics: "[fysisk-aktivitet]"))
        try repo.addProvider("nett", editors: ["*@example.org"])
        try repo.write("content/providers/nett/digitalt-kurs.md", Records.offer(title: "Digitalt kurs", topics: "[stress]", national: true))
    }

    /// Writes like an editor does (truncate and write), then returns when the engine has handled it.
    func edit(_ path: String, _ text: String) throws {
        try repo.write(path, text)
    }

    func get(_ path: String) -> HTTPResponse? { HTTPClient.get(base + path) }

    func events() throws -> RawConnection {
        let c = try #require(RawConnection(port: port))
        c.send("GET \(DevServer.eventsPath) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let hello = try #require(c.nextEvent())
        #expect(hello.event == "hello")
        return c
    }

    /// The next reload event whose paths include `path` (or all pages); nil on timeout.
    func waitForReload(_ c: RawConnection, including path: String?) -> String? {
        while let e = c.nextEvent() {
            guard e.event == "reload" else { continue }
            if e.data.contains("\"paths\": \"*\"") { return e.data }
            if path == "*" { continue }
            if let path, e.data.contains("\"\(path)\"") { return e.data }
            if path == nil { return e.data }
        }
        return nil
    }
}

final class LogBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value = ""
    func append(_ s: String) { lock.withLock { value += s } }
    var text: String { lock.withLock { value } }
}

@Suite("tilbud serve", .serialized)
struct ServeTests {
    @Test func servesTheSiteOverHTTP() throws {
        let f = try ServeFixture()
        let home = try #require(f.get("/"))
        #expect(home.status == 200)
        #expect(home.header("Content-Type") == "text/html; charset=utf-8")
        #expect(home.text.contains("<script src=\"/__tilbud/reload.js\" defer></script>\n</body>"))
        #expect(home.text.contains("Sov godt"))

        // The stylesheet the page links to, with its type.
        let css = try #require(home.text.range(of: "href=\"[^\"]*\\.css\"", options: .regularExpression).map { String(home.text[$0].dropFirst(6).dropLast()) })
        let style = try #require(f.get(css))
        #expect(style.status == 200)
        #expect(style.header("Content-Type") == "text/css; charset=utf-8")
        #expect(!style.text.contains("reload.js"))
        let script = try #require(f.get("/__tilbud/reload.js"))
        #expect(script.header("Content-Type") == "text/javascript; charset=utf-8")
        #expect(script.text.contains("EventSource"))

        // Folders: index.html; without the slash, a redirect (followed by URLSession).
        #expect(f.get("/tilbud/frisk/sov-godt/")?.text.contains("Sov godt") == true)
        let raw = try #require(RawConnection(port: f.port))
        let redirect = try #require(raw.request("GET", "/tilbud/frisk/sov-godt"))
        #expect(redirect.status == 301)
        #expect(redirect.header("Location") == "http://127.0.0.1/tilbud/frisk/sov-godt/")
        #expect(f.get("/tilbud/frisk/sov-godt")?.status == 200)

        // Not found: the site's own 404 page, in the path's language.
        let missing = try #require(f.get("/finnes/ikke/"))
        #expect(missing.status == 404)
        #expect(missing.text.contains("<html lang=\"nb\""))
        let missingNN = try #require(f.get("/nn/finnes-ikkje"))
        #expect(missingNN.status == 404)
        #expect(missingNN.text.contains("<html lang=\"nn\""))

        // The same connection serves several requests (keep-alive); HEAD has no body.
        let head = try #require(raw.request("HEAD", "/"))
        #expect(head.status == 200)
        #expect(Int(head.header("Content-Length") ?? "") == home.body.count)
        #expect(head.body.isEmpty)
        #expect(raw.request("GET", "/")?.body == home.body)
        let post = try #require(raw.request("POST", "/", extra: "Content-Length: 0\r\n"))
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
    }

    @Test(arguments: ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/tilbud/..%2f..%2f..%2fetc/passwd",
                      "/..\\..\\etc\\passwd", "/%00/index.html", "/./index.html"])
    func refusesPathTraversal(path: String) throws {
        let f = try ServeFixture()
        // A file next to the output folder that no path may reach.
        try f.repo.write("serve-output/secret.txt", "hemmelig")
        let raw = try #require(RawConnection(port: f.port))
        let response = try #require(raw.request("GET", path))
        #expect(response.status == 403)
        #expect(!response.text.contains("root:"))
        #expect(raw.request("GET", "/../secret.txt")?.status == 403)
        #expect(raw.request("GET", "/%2e%2e/secret.txt")?.status == 403)
    }

    @Test func refusesOtherHostNames() throws {
        let f = try ServeFixture()
        let raw = try #require(RawConnection(port: f.port))
        #expect(raw.request("GET", "/", host: "evil.example.com")?.status == 403)
        #expect(raw.request("GET", "/", host: "localhost:\(f.port)")?.status == 200)
    }

    @Test func anEditedRecordIsRepublishedAndOpenPagesReload() throws {
        let f = try ServeFixture()
        let stream = try f.events()
        let start = Date()
        try f.edit("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov bedre – ny tittel", topics: "[sovn, psykisk-helse]"))
        let event = try #require(f.waitForReload(stream, including: "/tilbud/frisk/sov-godt/"))
        let latency = Date().timeIntervalSince(start)
        #expect(event.contains("/nn/tilbud/frisk/sov-godt/"))
        let page = try #require(f.get("/tilbud/frisk/sov-godt/"))
        #expect(page.text.contains("Sov bedre – ny tittel"))
        #expect(!page.text.contains("<title>Sov godt"))
        // The nynorsk page keeps its own title; there is no English page (English lists link to the bokmål one).
        #expect(f.get("/nn/tilbud/frisk/sov-godt/")?.text.contains("Sov godt på nynorsk") == true)
        #expect(f.get("/en/tilbud/frisk/sov-godt/")?.status == 404)
        print("serve: edit → reload event in \(Int(latency * 1000)) ms (debug build, small catalog)")
        #expect(f.engine.publishLog.last?.pages == 2)

        // Then the lists that show it.
        let lists = try #require(f.waitForReload(stream, including: "/tema/sovn/"))
        #expect(lists.contains("/tilbyder/frisk/"))
        #expect(lists.contains("\"/\""))
        #expect(f.get("/tema/sovn/")?.text.contains("Sov bedre – ny tittel") == true)
        #expect(f.get("/tilbyder/frisk/")?.text.contains("Sov bedre – ny tittel") == true)
        #expect(f.log.contains("✓ content/providers/frisk/sov-godt.md: publisert 2 sider"))
        #expect(f.engine.fullBuildCount == 1)
    }

    @Test func aTranslationRemovedTakesItsPageAway() throws {
        let f = try ServeFixture()
        #expect(f.get("/nn/tilbud/frisk/sov-godt/")?.text.contains("Sov godt på nynorsk") == true)
        try f.change { try f.repo.remove("content/providers/frisk/sov-godt.nn.md") }
        #expect(f.get("/nn/tilbud/frisk/sov-godt/")?.status == 404)
        #expect(f.get("/tilbud/frisk/sov-godt/")?.status == 200, "the bokmål page stays")
    }

    @Test func incrementalOutputIsWhatAFullBuildWrites() throws {
        let f = try ServeFixture()
        // A title, a topic moved, a record added, one removed, one made national, a provider renamed.
        try f.change { try f.edit("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt igjen", topics: "[sovn, stress]")) }
        try f.change { try f.edit("content/providers/frisk/nytt-kurs.md", Records.offer(title: "Nytt kurs", topics: "[kosthold]")) }
        try f.change { try f.repo.remove("content/providers/frisk/trening.md") }
        try f.change { try f.edit("content/providers/nett/digitalt-kurs.md", Records.offer(title: "Digitalt kurs", topics: "[stress]", national: false)) }
        try f.change { try f.edit("content/providers/nett/provider.yaml", Records.provider(editors: ["*@example.org"], name: "Nettkurs AS")) }
        #expect(f.engine.fullBuildCount == 1)
        // At least one incremental publish per change (under load a save can arrive as two events, so two publishes).
        #expect(f.engine.publishLog.count >= 5)

        let fresh = f.repo.url("fresh")
        let options = BuildOptions(content: f.repo.content, contentDisplay: "content", templates: f.templates, templatesDisplay: "templates",
                                   output: fresh, baseURL: f.engine.baseURL, today: Records.today)
        let built = SiteBuilder(steps: Build.outputSteps, catalogTransform: Build.catalogTransform()).build(options)
        #expect(built.succeeded, "\(built.diagnostics.map(\.message.en)) \(built.failure ?? "")")
        let fm = FileManager.default
        let freshFiles = Set(try fm.subpathsOfDirectory(atPath: fresh.path).filter { !$0.hasSuffix("/") && !isDir(fresh.appendingPathComponent($0)) })
        let servedFiles = Set(try fm.subpathsOfDirectory(atPath: f.output.path).filter { !isDir(f.output.appendingPathComponent($0)) })
        #expect(freshFiles.filter { $0.hasSuffix(".html") } == servedFiles.filter { $0.hasSuffix(".html") })
        var different: [String] = []
        // `.tilbud-manifest` describes the last full build: serve publishes in place without it, and the next build
        // writes again every file changed after it (IncrementalOutputTests), so it may differ. `.tilbud-fingerprints`
        // belongs to the manifest: only a full build writes it.
        #expect(freshFiles.contains(OutputManifest.fingerprintsFileName))
        for file in freshFiles.sorted() where file != OutputManifest.fileName && file != OutputManifest.fingerprintsFileName {
            let a = fm.contents(atPath: fresh.appendingPathComponent(file).path)
            let b = fm.contents(atPath: f.output.appendingPathComponent(file).path)
            if a != b { different.append(file) }
        }
        #expect(different.isEmpty, "differ from a full build: \(different.prefix(20))")
    }

    func isDir(_ url: URL) -> Bool {
        var d: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
    }

    @Test func aBrokenRecordShowsItsErrorsInTheBrowserUntilFixed() throws {
        let f = try ServeFixture()
        let stream = try f.events()
        try f.edit("content/providers/frisk/sov-godt.md", Records.offer(topics: "[sovn, psykisk-helsa]"))
        #expect(f.waitForReload(stream, including: "*") != nil)
        let overlay = try #require(f.get("/tilbud/frisk/trening/"))
        #expect(overlay.status == 500)
        #expect(overlay.text.contains("1 feil må rettes"))
        #expect(overlay.text.contains("/__tilbud/reload.js"))
        // The same text as the terminal: the message, the place and the excerpt with its caret.
        let unescaped = overlay.text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&amp;", with: "&")
        let log = f.log
        let from = try #require(log.range(of: "content/providers/frisk/sov-godt.md:7:"))
        let to = try #require(log.range(of: "\n✗", range: from.upperBound..<log.endIndex))
        let block = String(log[from.lowerBound..<to.lowerBound])
        #expect(unescaped.contains(block.trimmingCharacters(in: .newlines)), "terminal:\n\(block)\n\noverlay:\n\(unescaped)")
        #expect(block.contains("content/providers/frisk/sov-godt.md:7:"))
        #expect(f.get("/__tilbud/status")?.text.contains("\"errors\": true") == true)
        // Assets still load under the overlay.
        #expect(f.get("/__tilbud/reload.js")?.status == 200)

        try f.edit("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – rettet"))
        #expect(f.waitForReload(stream, including: "*") != nil)
        #expect(f.get("/tilbud/frisk/trening/")?.status == 200)
        #expect(f.get("/tilbud/frisk/sov-godt/")?.text.contains("Sov godt – rettet") == true)
        #expect(f.engine.fullBuildCount == 1)
    }

    @Test func aCatalogWithErrorsAtStartIsServedOnceFixed() throws {
        let f = try ServeFixture { repo in
            try ServeFixture.standard(repo)
            try repo.write("content/providers/frisk/odelagt.md", Records.offer(title: "Ødelagt").replacingOccurrences(of: "kind: friskliv", with: "kind: ukjent"))
        }
        #expect(f.get("/")?.status == 500)
        try f.change { try f.repo.remove("content/providers/frisk/odelagt.md") }
        let home = try #require(f.get("/"))
        #expect(home.status == 200)
        #expect(home.text.contains("Sov godt"))
        #expect(f.engine.fullBuildCount == 1)
    }

    @Test func addedAndRemovedRecords() throws {
        let f = try ServeFixture()
        try f.change { try f.edit("content/providers/nett/nytt.md", Records.offer(title: "Helt nytt kurs")) }
        #expect(f.get("/tilbud/nett/nytt/")?.text.contains("Helt nytt kurs") == true)
        #expect(f.get("/tilbyder/nett/")?.text.contains("Helt nytt kurs") == true)
        try f.change { try f.repo.remove("content/providers/nett/nytt.md") }
        #expect(f.get("/tilbud/nett/nytt/")?.status == 404)
        #expect(f.get("/tilbyder/nett/")?.text.contains("Helt nytt kurs") == false)
        // A draft is not published.
        try f.change { try f.edit("content/providers/frisk/trening.md", Records.offer(title: "Trening i gruppe", extra: "status: draft")) }
        #expect(f.get("/tilbud/frisk/trening/")?.status == 404)
    }

    @Test func templatesAndGovernanceRebuildEverything() throws {
        let f = try ServeFixture()
        let layout = f.templates.appendingPathComponent("layouts/base.mustache")
        let text = try String(contentsOf: layout, encoding: .utf8)
        try f.change {
            try text.replacingOccurrences(of: "</main>", with: "</main><p>Forhåndsvisning-merke</p>").write(to: layout, atomically: true, encoding: .utf8)
        }
        #expect(f.get("/tilbud/frisk/trening/")?.text.contains("Forhåndsvisning-merke") == true)
        #expect(f.engine.fullBuildCount == 2)
        let site = try f.repo.read("content/site.yaml")
        try f.change { try f.edit("content/site.yaml", site.replacingOccurrences(of: "nb: Helsetilbud", with: "nb: Tilbudsportalen")) }
        #expect(f.get("/")?.text.contains("Tilbudsportalen") == true)
        #expect(f.engine.fullBuildCount == 3)
    }

    @Test func theCommandRefusesAPortInUse() throws {
        let f = try ServeFixture()
        let repo = f.repo
        let result = CLI.run(["serve", "--content", repo.content.path, "--templates", f.templates.path, "--port", String(f.port)])
        #expect(result.code == 2)
        #expect(result.err.contains("opptatt"))
    }

    @Test func findsAProvidersOffersBySearch() throws {
        let repo = try Repo(git: false)
        for id in ["aa", "aa-b", "aab", "bb"] { try repo.addProvider(id, editors: [], offers: ["x1", "x2"]) }
        let offers = repo.check().catalog.offers
        #expect(offers.count == 8)
        for id in ["aa", "aa-b", "aab", "bb"] {
            let range = ServeEngine.offerRange(of: id, in: offers)
            #expect(range.count == 2)
            #expect(offers[range].allSatisfy { $0.providerID == id })
        }
        #expect(ServeEngine.offerRange(of: "cc", in: offers).isEmpty)
    }

    @Test func urlPathsAndTypes() {
        #expect(ServeEngine.urlPath("tilbud/a/b/index.html") == "/tilbud/a/b/")
        #expect(ServeEngine.urlPath("index.html") == "/")
        #expect(ServeEngine.urlPath("feed.xml") == "/feed.xml")
        #expect(DevServer.contentType(for: "a/b.json") == "application/json")
        #expect(DevServer.contentType(for: "feed.atom") == "application/atom+xml")
        #expect(DevServer.contentType(for: "x.svg") == "image/svg+xml")
        #expect(DevServer.contentType(for: "noext") == "application/octet-stream")
        #expect(DevServer.safeSegments("/a/%2e%2e/b") == nil)
        #expect(DevServer.safeSegments("/a/b%2Fc") == nil)
        #expect(DevServer.safeSegments("/s%C3%B8k/") == ["søk"])
        #expect(DevServer.isLocalHost("127.0.0.1:8000"))
        #expect(DevServer.isLocalHost("[::1]:8000"))
        #expect(!DevServer.isLocalHost("127.0.0.1.evil.com"))
    }
}
