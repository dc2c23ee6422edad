import Foundation
import Testing
import TilbudTestSupport
import TilbudModel
@testable import TilbudOutput
@testable import TilbudSite

/// A rebuild keeps an offer's own files (its pages, its calendar) without making them again when everything they are
/// made from is what the previous build made them from (the fingerprints beside the manifest), and is still
/// byte-identical to a clean build, whatever changed.
@Suite struct CarriedPagesTests {
    /// How many files the output's fingerprints file lists.
    static func fingerprinted(_ output: URL) -> Int {
        guard let text = try? String(contentsOf: output.appendingPathComponent(OutputManifest.fingerprintsFileName), encoding: .utf8) else { return 0 }
        return text.split(separator: "\n").count - 1
    }

    /// Builds the fixture as it is now into a folder of its own and expects the output to have the same files and bytes.
    static func expectSameAsClean(_ fixture: SiteFixture, templates: URL = SiteFixture.templates, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let clean = fixture.directory.appendingPathComponent("clean-\(UUID().uuidString)")
        let result = fixture.build(output: clean, templates: templates)
        #expect(result.succeeded, sourceLocation: sourceLocation)
        #expect(result.filesCarried == 0, "nothing to carry from in a new folder", sourceLocation: sourceLocation)
        let incremental = Tree.read(fixture.output), fresh = Tree.read(clean)
        #expect(incremental.keys.sorted() == fresh.keys.sorted(), sourceLocation: sourceLocation)
        for (path, data) in fresh where incremental[path] != data {
            Issue.record("\(path) differs from a clean build", sourceLocation: sourceLocation)
        }
    }

    @Test func anUnchangedRebuildCarriesEveryOfferPageAndCalendarAndMakesTheRest() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let first = fixture.buildOK()
        #expect(first.filesCarried == 0)
        let fingerprinted = Self.fingerprinted(fixture.output)
        #expect(fingerprinted > 0)
        // Every offer page in every language it has, and every calendar, has a fingerprint; list pages have none.
        let manifest = try #require(PreviousOutput.load(fixture.output))
        #expect(manifest.made("tilbud/frisk-oslo/sov-godt/index.html")?.fingerprint != nil)
        #expect(manifest.made("index.html")?.fingerprint == nil)
        #expect(manifest.made("tema/sovn/index.html")?.fingerprint == nil)
        let second = fixture.buildOK()
        #expect(second.filesCarried == fingerprinted)
        Self.expectSameAsClean(fixture)
    }

    @Test func theContentFolderGivenAnotherWayStillCarries() throws {
        // `--content content` in one run, `--content ./content/` or an absolute path in the next: the same files, the
        // same pages. The path a file is shown by is not what it makes.
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let all = Self.fingerprinted(fixture.output)
        var options = fixture.options()
        options.content = URL(fileURLWithPath: fixture.content.path + "/./")
        options.contentDisplay = fixture.content.path
        let second = SiteBuilder().build(options)
        #expect(second.succeeded)
        #expect(second.filesCarried == all)
        Self.expectSameAsClean(fixture)
    }

    @Test func anEditedOfferIsMadeAgainAndTheOthersAreCarried() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let all = Self.fingerprinted(fixture.output)
        try IncrementalOutputTests.editOneRecord(fixture)
        let second = fixture.buildOK()
        let own = Tree.read(fixture.output).keys.filter { $0.contains("tilbud/frisk-oslo/sov-godt/") }.count
        #expect(own > 0, "the edited offer's page and calendar")
        #expect(second.filesCarried == all - own)
        #expect(fixture.page("tilbud/frisk-oslo/sov-godt/index.html").contains("Endret."))
        Self.expectSameAsClean(fixture)
    }

    @Test func aProviderChangeRemakesThatProvidersOffersOnly() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let all = Self.fingerprinted(fixture.output)
        let yaml = fixture.url("content/providers/frisk-oslo/provider.yaml")
        let text = try String(contentsOf: yaml, encoding: .utf8)
        try fixture.write(text.replacingOccurrences(of: "name: Frisklivssentralen i Oslo", with: "name: Frisklivssentralen i Oslo sentrum"),
                          to: "content/providers/frisk-oslo/provider.yaml")
        let second = fixture.buildOK()
        let manifest = try #require(PreviousOutput.load(fixture.output))
        let oslo = Tree.read(fixture.output).keys.filter { manifest.made($0) != nil && $0.contains("tilbud/frisk-oslo/") }
        #expect(!oslo.isEmpty)
        #expect(second.filesCarried == all - oslo.count)
        #expect(fixture.page("tilbud/frisk-oslo/sov-godt/index.html").contains("Frisklivssentralen i Oslo sentrum"))
        Self.expectSameAsClean(fixture)
    }

    @Test func aChangeToWhatEveryPageSharesRemakesEveryOfferPage() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let templates = fixture.directory.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: SiteFixture.templates, to: templates)
        #expect(fixture.build(templates: templates).succeeded)
        /// Appends `note` to a shared input; the next build carries nothing and equals a clean one.
        func change(_ file: URL, appending note: String) throws {
            // Two builds with nothing changed: the second reuses a folder made with the inputs as they are now.
            fixture.build(templates: templates)
            #expect(fixture.build(templates: templates).filesCarried > 0)
            let text = try String(contentsOf: file, encoding: .utf8)
            try (text + note).write(to: file, atomically: true, encoding: .utf8)
            let after = fixture.build(templates: templates)
            #expect(after.succeeded)
            #expect(after.filesCarried == 0, "\(file.lastPathComponent)")
            Self.expectSameAsClean(fixture, templates: templates)
        }
        // A template.
        try change(templates.appendingPathComponent("pages/offer.mustache"), appending: "\n<!-- endret mal -->\n")
        #expect(fixture.page("tilbud/frisk-oslo/sov-godt/index.html").contains("endret mal"))
        // The governance: a vocabulary label every offer page may show.
        try change(fixture.url("content/governance/vocabularies.yaml"), appending: "\n# endret\n")
        // The build day: states and the runs still to come are computed from it.
        var options = fixture.options(templates: templates)
        options.today = SiteFixture.today.addingDays(1)
        let nextDay = SiteBuilder().build(options)
        #expect(nextDay.succeeded)
        #expect(nextDay.filesCarried == 0)
    }

    /// After a change to what every page shares, the kept spare is from before it; the build after the change still
    /// carries every page it can, from the output the change made.
    @Test func theBuildAfterASharedChangeCarriesFromTheOutputWhenTheSpareIsOlder() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let templates = fixture.directory.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: SiteFixture.templates, to: templates)
        fixture.build(templates: templates)
        fixture.build(templates: templates)  // an output and a spare, both as the templates are now
        let template = templates.appendingPathComponent("pages/offer.mustache")
        try (try String(contentsOf: template, encoding: .utf8) + "\n<!-- endret mal -->\n").write(to: template, atomically: true, encoding: .utf8)
        #expect(fixture.build(templates: templates).filesCarried == 0)
        let all = Self.fingerprinted(fixture.output)
        try IncrementalOutputTests.editOneRecord(fixture)
        let next = fixture.build(templates: templates)
        #expect(next.succeeded)
        let own = Tree.read(fixture.output).keys.filter { $0.contains("tilbud/frisk-oslo/sov-godt/") }.count
        #expect(own > 0)
        #expect(next.filesCarried == all - own)
        #expect(fixture.page("tilbud/frisk-oslo/sov-godt/index.html").contains("endret mal"))
        Self.expectSameAsClean(fixture, templates: templates)
        // And the build after that carries from its spare, which is now the output of the change.
        #expect(fixture.build(templates: templates).filesCarried == all)
    }

    @Test func aCarriedFileChangedByHandInTheOutputIsMadeAgain() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let page = fixture.output.appendingPathComponent("tilbud/frisk-oslo/sov-godt/index.html")
        let good = try Tree.changeByHand(page)
        let all = Self.fingerprinted(fixture.output)
        let second = fixture.buildOK()
        #expect(second.filesCarried == all - 1)
        #expect(try Data(contentsOf: page) == good)
    }

    @Test func aFingerprintsFileChangedByHandIsNotTrusted() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let file = fixture.output.appendingPathComponent(OutputManifest.fingerprintsFileName)
        let text = try String(contentsOf: file, encoding: .utf8)
        Thread.sleep(forTimeInterval: 0.02)
        try (text + "0000000000000000 1 x\n").write(to: file, atomically: false, encoding: .utf8)
        let second = fixture.buildOK()
        #expect(second.filesCarried == 0)
        Self.expectSameAsClean(fixture)
    }

    @Test func buildsWithoutTheSharedInputsDigestCarryNothing() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let (writer, staging, previous) = try IncrementalOutputTests.writerOverPrevious(fixture)
        let path = "tilbud/frisk-oslo/sov-godt/index.html"
        let fingerprint = try #require(previous.made(path)?.fingerprint)
        // Another fingerprint: made again. The same: linked, and recorded again for the next build.
        #expect(try writer.carry(path, fingerprint: fingerprint &+ 1) == false)
        #expect(try writer.carry(path, fingerprint: fingerprint))
        #expect(writer.filesCarried == 1 && writer.filesLinked == 1)
        #expect(try Data(contentsOf: staging.appendingPathComponent(path)) == Data(contentsOf: fixture.output.appendingPathComponent(path)))
        // A path the previous build has no fingerprint for is never carried.
        #expect(try writer.carry("index.html", fingerprint: fingerprint) == false)
    }

    @Test func theSharedInputsAreWhatEveryPageReadsAndNothingElse() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let inside = fixture.content.appendingPathComponent("public")
        let base = try #require(SiteBuilder.inputsDigest(fixture.options(output: inside)))
        func digest() -> UInt64? { SiteBuilder.inputsDigest(fixture.options(output: inside)) }
        #expect(digest() == base, "the same inputs, the same digest")
        // The output, even inside the content folder (where the build refuses to write, but a digest must not read
        // it either), hidden files and folders, and the records' own files are not shared inputs.
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        try Data("<p>side</p>".utf8).write(to: inside.appendingPathComponent("index.html"))
        #expect(digest() == base)
        try FileManager.default.createDirectory(at: fixture.content.appendingPathComponent(".git"), withIntermediateDirectories: true)
        try Data("x".utf8).write(to: fixture.content.appendingPathComponent(".git/HEAD"))
        #expect(digest() == base)
        try IncrementalOutputTests.editOneRecord(fixture)
        #expect(digest() == base)
        // A document, the day and the base URL are.
        try Data("# Om\n\nTekst.\n".utf8).write(to: fixture.content.appendingPathComponent("ny-side.md"))
        let withDocument = try #require(digest())
        #expect(withDocument != base)
        var options = fixture.options(output: inside)
        options.today = SiteFixture.today.addingDays(1)
        #expect(SiteBuilder.inputsDigest(options) != withDocument)
        options = fixture.options(output: inside)
        options.baseURL = "https://tilbud.example.org/"
        #expect(SiteBuilder.inputsDigest(options) != withDocument)
    }
}
