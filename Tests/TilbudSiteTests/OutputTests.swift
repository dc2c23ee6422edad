import Foundation
import Testing
import TilbudTestSupport
import TilbudModel
import TilbudRender
import TilbudOutput
import TilbudSite

/// Output you can trust: reproducible, replaced whole or not at all, and nowhere but the output folder.
@Suite struct OutputTests {
    @Test func twoBuildsOfTheSameInputAreByteIdentical() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let a = fixture.directory.appendingPathComponent("a"), b = fixture.directory.appendingPathComponent("b")
        fixture.buildOK(output: a)
        fixture.buildOK(output: b)
        let ta = Tree.read(a), tb = Tree.read(b)
        #expect(ta.count > 100)
        #expect(ta.keys.sorted() == tb.keys.sorted())
        for (path, data) in ta where tb[path] != data { Issue.record("\(path) differs between two builds") }
        // Rebuilding over an existing output gives the same tree again.
        fixture.buildOK(output: a)
        #expect(Tree.read(a) == ta)
    }

    @Test func aCatalogWithAnErrorLeavesThePreviousOutputUntouched() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let before = Tree.read(fixture.output)
        let siblings = Tree.listing(fixture.directory)
        // An unknown topic id is an error: the record is rejected, so the build stops.
        try fixture.write(Self.offer(slug: "ny", topics: "[sovnn]"), to: "content/providers/frisk-oslo/ny.md")
        let result = fixture.build()
        #expect(!result.succeeded)
        #expect(result.failure == nil, "content errors come back as diagnostics, not as a failure")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(result.listing)")
        #expect(errors.first?.location?.path == "content/providers/frisk-oslo/ny.md")
        #expect(Tree.read(fixture.output) == before)
        #expect(Tree.listing(fixture.directory) == siblings, "no staging folder or other file left beside the output")
    }

    @Test func brokenTemplatesLeaveThePreviousOutputUntouched() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let before = Tree.read(fixture.output)
        // A copy of the real templates with a syntax error in one page.
        let templates = fixture.directory.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: SiteFixture.templates, to: templates)
        try Data("{{<base}}{{$main}}{{#offer}}<h1>{{title}}</h1>{{/main}}{{/base}}".utf8)
            .write(to: templates.appendingPathComponent("pages/offer.mustache"))
        let result = fixture.build(templates: templates)
        #expect(!result.succeeded)
        #expect(result.diagnostics.contains { $0.id == "template-syntax" && $0.location?.path == "templates/pages/offer.mustache" },
                "\(result.listing)")
        #expect(Tree.read(fixture.output) == before)
    }

    /// A step that fails half-way, as a crash in rendering or a full disk would.
    struct FailingStep: OutputStep {
        struct Boom: Error {}
        func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
            try writer.write("half-written.json", "{")
            throw Boom()
        }
    }

    /// A step that tries to write outside the output folder.
    struct EscapingStep: OutputStep {
        let path: String
        func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
            try writer.write(path, "escaped")
        }
    }

    /// A step that writes nothing.
    struct SilentStep: OutputStep {
        func write(_ published: PublishedCatalog, writer: OutputWriter) throws {}
    }

    /// A step that writes one file listing the offers it was given.
    struct ListingStep: OutputStep {
        func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
            try writer.write("offers.txt", published.catalog.offers.map(\.id).sorted().joined(separator: "\n"))
        }
    }

    @Test func stagesOneAtATimeGiveTheSameOutputAsSideBySideAndAreTimedEach() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let together = fixture.directory.appendingPathComponent("together"), apart = fixture.directory.appendingPathComponent("apart")
        let builder = SiteBuilder(steps: [ListingStep(), SilentStep()])
        let a = builder.build(fixture.options(output: together))
        var options = fixture.options(output: apart)
        options.oneStageAtATime = true
        // Called after each stage that runs on its own (the CLI gives freed memory back there).
        let calls = StageCalls()
        options.betweenStages = { calls.add() }
        let b = builder.build(options)
        #expect(calls.count == 3, "the pages and the two steps")
        #expect(a.succeeded && b.succeeded, "\(a.failure ?? "") \(b.failure ?? "")")
        #expect(a.pages == b.pages && a.pages > 20)
        #expect(a.files == b.files && a.bytes == b.bytes)
        #expect(Tree.read(together) == Tree.read(apart))
        #expect(fixture.exists("offers.txt", in: together))
        let stages = b.timings.map(\.stage)
        #expect(Array(stages.suffix(4)) == ["pages", "ListingStep", "SilentStep", "swap"], "\(stages)")
        #expect(a.timings.map(\.stage).contains("pages + ListingStep + SilentStep"), "\(a.timings.map(\.stage))")
    }

    final class StageCalls: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func add() { lock.withLock { n += 1 } }
        var count: Int { lock.withLock { n } }
    }

    @Test func aFailureWhileWritingLeavesThePreviousOutputUntouched() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let before = Tree.read(fixture.output)
        let siblings = Tree.listing(fixture.directory)
        let result = fixture.build(steps: [FailingStep()])
        #expect(!result.succeeded)
        #expect(result.failure != nil)
        #expect(Tree.read(fixture.output) == before)
        #expect(!fixture.exists("half-written.json"))
        #expect(Tree.listing(fixture.directory) == siblings, "the staging folder is removed")
    }

    @Test(arguments: ["../escaped.txt", "/tmp/escaped.txt", "a/../../escaped.txt", "./x", "a//b", "", "a\\..\\b"])
    func nothingIsWrittenOutsideTheOutputFolder(_ path: String) throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let before = Tree.read(fixture.output)
        let outside = Tree.read(fixture.directory).keys.filter { !$0.hasPrefix("public/") }.sorted()
        let result = fixture.build(steps: [EscapingStep(path: path)])
        #expect(!result.succeeded)
        #expect(result.failure?.contains("outside the output folder") == true, "\(result.failure ?? "nil")")
        #expect(Tree.read(fixture.output) == before)
        #expect(Tree.read(fixture.directory).keys.filter { !$0.hasPrefix("public/") }.sorted() == outside)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/escaped.txt"))
    }

    @Test func outputWriterRefusesUnsafePaths() {
        for bad in ["", "/etc/passwd", "../x", "a/../b", "a/./b", "a//b", "a/", "x\0y", "a\\b", "."] {
            #expect(!OutputWriter.isSafe(bad), "\(bad.debugDescription)")
        }
        for good in ["index.html", "tilbud/a-b/c-d/index.html", "assets/style.0123456789.css", "..a/b", "a..b"] {
            #expect(OutputWriter.isSafe(good), "\(good)")
        }
    }

    @Test func aReadOnlyParentFolderLeavesThePreviousOutputUntouched() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let parent = fixture.directory.appendingPathComponent("locked")
        let output = parent.appendingPathComponent("public")
        fixture.buildOK(output: output)
        let before = Tree.read(output)
        guard let unlock = ReadOnly.lock(parent) else {
            Issue.record("could not make \(parent.path) read-only for this test")
            return
        }
        defer { unlock() }
        try fixture.write(Self.offer(slug: "ny", topics: "[sovn]"), to: "content/providers/frisk-oslo/ny.md")
        let result = fixture.build(output: output)
        #expect(!result.succeeded)
        #expect(result.failure != nil)
        #expect(Tree.read(output) == before)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("tilbud/frisk-oslo/ny").path))
    }

    @Test func anOfferRemovedFromContentDisappearsFromTheOutput() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        #expect(fixture.exists("tilbud/frisk-oslo/tobakksfri/index.html"))
        #expect(fixture.page("kommune/3201/index.html").contains("/tilbud/frisk-oslo/tobakksfri/"))
        try fixture.remove("content/providers/frisk-oslo/tobakksfri.md")
        fixture.buildOK()
        for lang in ["", "nn/", "en/"] {
            #expect(!fixture.exists(lang + "tilbud/frisk-oslo/tobakksfri"), "\(lang) page folder")
        }
        for (path, data) in Tree.read(fixture.output) {
            #expect(!String(decoding: data, as: UTF8.self).contains("tobakksfri"), "still mentioned in \(path)")
        }
        // And a translation removed takes its page away; nynorsk lists link to the bokmål page instead.
        #expect(fixture.exists("nn/tilbud/frisk-oslo/sov-godt/index.html"))
        try fixture.remove("content/providers/frisk-oslo/sov-godt.nn.md")
        fixture.buildOK()
        #expect(!fixture.exists("nn/tilbud/frisk-oslo/sov-godt"))
        #expect(fixture.page("nn/tema/sovn/index.html").contains("<a href=\"/tilbud/frisk-oslo/sov-godt/\" lang=\"nb\" hreflang=\"nb\">Sov godt – kurs for deg som sover dårlig</a>"))
    }

    @Test func leftoversOfAKilledBuildAreCleanedUpAndAMissingOutputRestored() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let before = Tree.read(fixture.output)
        // A build killed in the middle of a non-atomic swap: the output is only under its `.old` name,
        // and a staging folder of the dead process is left too. PID 2^22+1 is above Linux's pid_max limit.
        let deadPID = 4_194_305
        let old = fixture.directory.appendingPathComponent(".public.old-\(deadPID)")
        let staging = fixture.directory.appendingPathComponent(".public.tmp-\(deadPID)")
        try FileManager.default.moveItem(at: fixture.output, to: old)
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        try Data("partial".utf8).write(to: staging.appendingPathComponent("index.html"))
        // Even a build that then stops on a content error puts the previous output back.
        try fixture.write(Self.offer(slug: "ny", topics: "[sovnn]"), to: "content/providers/frisk-oslo/ny.md")
        let result = fixture.build()
        #expect(!result.succeeded)
        #expect(Tree.read(fixture.output) == before)
        #expect(!FileManager.default.fileExists(atPath: old.path))
        #expect(!FileManager.default.fileExists(atPath: staging.path))
    }

    @Test func aFolderTilbudDidNotMakeIsNeverReplaced() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let output = fixture.directory.appendingPathComponent("x")
        try fixture.write("a\n", to: "x/docs/thesis.txt")
        let result = fixture.build(output: output)
        #expect(!result.succeeded)
        #expect(result.failure?.contains("not made by tilbud build") == true, "\(result.failure ?? "nil")")
        #expect(result.failure?.contains("Nothing was deleted") == true)
        #expect(Tree.read(output) == ["docs/thesis.txt": Data("a\n".utf8)])
        #expect(!Tree.listing(fixture.directory).contains { $0.hasPrefix(".x.") }, "no staging folder left")
    }

    @Test func anEmptyFolderOrAPreviousOutputIsReplacedAndCarriesTheMarker() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let output = fixture.directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        fixture.buildOK(output: output)
        let marker = try String(contentsOf: output.appendingPathComponent(SiteBuilder.outputMarker), encoding: .utf8)
        #expect(marker.contains("tilbud build"))
        // A file added by hand to a previous output goes with the next build, as that folder is Tilbud's.
        try fixture.write("x", to: "empty/stray.txt")
        fixture.buildOK(output: output)
        #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent("stray.txt").path))
    }

    @Test func anAncestorOfTheWorkingOrHomeFolderIsRefused() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        for output in [cwd, cwd.deletingLastPathComponent(), FileManager.default.homeDirectoryForCurrentUser,
                       FileManager.default.homeDirectoryForCurrentUser.deletingLastPathComponent(), URL(fileURLWithPath: "/")] {
            let result = fixture.build(output: output)
            #expect(!result.succeeded, "\(output.path)")
            #expect(result.failure?.contains("refusing") == true, "\(output.path): \(result.failure ?? "nil")")
        }
    }

    @Test func aSymbolicLinkAsOutputIsRefusedAndLeftAsItIs() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let target = fixture.directory.appendingPathComponent("real")
        fixture.buildOK(output: target)
        let before = Tree.read(target)
        let link = fixture.directory.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: target)
        let result = fixture.build(output: link)
        #expect(!result.succeeded)
        #expect(result.failure?.contains("symbolic link") == true, "\(result.failure ?? "nil")")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == target.path)
        #expect(Tree.read(target) == before)
    }

    @Test func assetNamesCarryAHashOfTheirContent() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let assets = Tree.read(fixture.output).filter { $0.key.hasPrefix("assets/") }
        #expect(!assets.isEmpty)
        for (path, data) in assets {
            let name = (path as NSString).lastPathComponent
            let parts = name.split(separator: ".")
            #expect(parts.count >= 3, "\(name)")
            #expect(parts.count >= 3 && String(parts[parts.count - 2]) == ContentHash.hex(data, length: 10), "\(name)")
        }
        let css = try #require(assets.keys.first { $0.hasPrefix("assets/style.") && $0.hasSuffix(".css") })
        #expect(fixture.page("index.html").contains("<link rel=\"stylesheet\" href=\"/\(css)\">"))
        #expect(ContentHash.hex(Data("a".utf8)) != ContentHash.hex(Data("b".utf8)))
    }

    static func offer(slug: String, topics: String) -> String {
        """
        ---
        title: Nytt kurs
        summary: Et nytt kurs.
        kind: friskliv
        format: kurs
        delivery: digitalt
        topics: \(topics)
        audiences: [voksne]
        national: true
        ongoing: true
        price:
          kind: gratis
        referral: ingen
        signup:
          email: post@frisk-oslo.example.org
        languages: [nb]
        last_reviewed: 2026-10-01
        ---
        Nytt.

        """
    }
}

/// Makes a folder read-only in a way that also holds for root (the immutable attribute), else by mode bits.
enum ReadOnly {
    /// Locks `folder` and returns how to unlock it, or nil when the folder stays writable.
    static func lock(_ folder: URL) -> (() -> Void)? {
        let fm = FileManager.default
        var unlock: () -> Void = {}
        if getuid() == 0 {
            guard run("/usr/bin/chattr", "+i", folder.path) || run("/bin/chattr", "+i", folder.path) else { return nil }
            unlock = { _ = run("/usr/bin/chattr", "-i", folder.path) || run("/bin/chattr", "-i", folder.path) }
        } else {
            try? fm.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
            unlock = { try? fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        }
        // Only a folder that really refuses a new entry makes the test meaningful.
        let probe = folder.appendingPathComponent(".probe-\(UUID().uuidString)")
        if fm.createFile(atPath: probe.path, contents: Data()) {
            try? fm.removeItem(at: probe)
            unlock()
            return nil
        }
        return unlock
    }

    private static func run(_ tool: String, _ arguments: String...) -> Bool {
        guard FileManager.default.isExecutableFile(atPath: tool) else { return false }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return false }
        p.waitUntilExit()
        return p.terminationStatus == 0
    }
}
