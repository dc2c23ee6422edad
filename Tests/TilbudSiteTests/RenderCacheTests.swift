import Foundation
import Testing
import TilbudTestSupport
@testable import TilbudRender
@testable import TilbudSite

/// A rebuild takes the bodies and list cards of the offers that did not change from the render cache beside the output
/// (`.public.cache`) instead of rendering them again, and its output is still byte-identical to a clean build; a cache
/// that is damaged, cut short or held by another build is never trusted, only rendered around.
@Suite struct RenderCacheTests {
    static func cache(_ fixture: SiteFixture) -> URL { SiteBuilder.cachePath(of: fixture.output) }

    static func bytes(_ url: URL) -> [UInt8] { FileManager.default.contents(atPath: url.path).map { [UInt8]($0) } ?? [] }

    /// A fresh build, then a rebuild that makes the cache, then one that reads it: returns how many offers that one took
    /// from it (every published offer).
    static func warm(_ fixture: SiteFixture) -> Int {
        let fresh = fixture.buildOK()
        #expect(fresh.offersFromCache == 0)
        #expect(!FileManager.default.fileExists(atPath: cache(fixture).path), "a fresh build makes no cache")
        let first = fixture.buildOK()
        #expect(first.offersFromCache == 0)
        #expect(FileManager.default.fileExists(atPath: cache(fixture).path), "the first rebuild makes it")
        let second = fixture.buildOK()
        #expect(second.offersFromCache > 1)
        return second.offersFromCache
    }

    @Test func anEditedOfferIsRenderedAgainAndTheRestComeFromTheCache() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let all = Self.warm(fixture)
        try IncrementalOutputTests.editOneRecord(fixture)
        let edited = fixture.buildOK()
        #expect(edited.offersFromCache == all - 1)
        #expect(fixture.page("tilbud/frisk-oslo/sov-godt/index.html").contains("Endret."))
        CarriedPagesTests.expectSameAsClean(fixture)
        // The edited offer is in the cache now, as it is.
        #expect(fixture.buildOK().offersFromCache == all)
    }

    @Test func aFreshBuildRemovesTheCache() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        _ = Self.warm(fixture)
        try FileManager.default.removeItem(at: fixture.output)
        let fresh = fixture.buildOK()
        #expect(fresh.offersFromCache == 0)
        #expect(!FileManager.default.fileExists(atPath: Self.cache(fixture).path))
    }

    @Test func aNewCacheFileAKilledBuildLeftIsRemovedByTheNextBuild() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        _ = Self.warm(fixture)
        // A build killed while it wrote a new cache file (`RenderCache.begin`) leaves it under its process id. A dead
        // process's goes; a running one's (pid 1's, which is always running) may still be being written and stays.
        var dead: Int32 = 999_999
        while SiteBuilder.processIsAlive(dead) { dead -= 1 }
        let left = URL(fileURLWithPath: Self.cache(fixture).path + ".new-\(dead)")
        #expect(SiteBuilder.processIsAlive(1))
        let running = URL(fileURLWithPath: Self.cache(fixture).path + ".new-1")
        try Data(repeating: 7, count: 4096).write(to: left)
        try Data(repeating: 7, count: 4096).write(to: running)
        fixture.buildOK()
        #expect(!FileManager.default.fileExists(atPath: left.path))
        #expect(FileManager.default.fileExists(atPath: running.path))
        try FileManager.default.removeItem(at: running)
    }

    @Test func aLinkWhereTheCacheGoesIsNotFollowed() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        _ = Self.warm(fixture)
        // A whole cache that is someone else's, and a link to it where this output's cache goes.
        let elsewhere = fixture.directory.appendingPathComponent("elsewhere.cache")
        try FileManager.default.moveItem(at: Self.cache(fixture), to: elsewhere)
        try FileManager.default.createSymbolicLink(at: Self.cache(fixture), withDestinationURL: elsewhere)
        let before = Self.bytes(elsewhere)
        try IncrementalOutputTests.editOneRecord(fixture)
        let rebuild = fixture.buildOK()
        #expect(rebuild.offersFromCache == 0, "not read through the link")
        #expect(Self.bytes(elsewhere) == before, "not written through the link")
        CarriedPagesTests.expectSameAsClean(fixture)
    }

    @Test func aDamagedEntryIsRenderedAgain() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let all = Self.warm(fixture)
        // One letter of one body changed in the cache, its framing and the index as they are: only the entry's hash
        // tells it from what was rendered.
        var bytes = Self.bytes(Self.cache(fixture))
        let sentence = Array("Hvordan søvnen fungerer".utf8)
        let at = try #require((0...(bytes.count - sentence.count)).first { Array(bytes[$0..<$0 + sentence.count]) == sentence })
        bytes[at] = UInt8(ascii: "J")
        try Data(bytes).write(to: Self.cache(fixture))
        let rebuilt = fixture.buildOK()
        #expect(rebuilt.offersFromCache == all - 1)
        #expect(fixture.page("tilbud/frisk-oslo/sov-godt/index.html").contains("Hvordan søvnen fungerer"))
        CarriedPagesTests.expectSameAsClean(fixture)
        #expect(fixture.buildOK().offersFromCache == all, "what was rendered again is cached again")
    }

    @Test func aCacheCutShortOrNotACacheIsStartedOver() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let all = Self.warm(fixture)
        let bytes = Self.bytes(Self.cache(fixture))
        try Data(bytes[0..<bytes.count / 2]).write(to: Self.cache(fixture))
        #expect(fixture.buildOK().offersFromCache == 0)
        CarriedPagesTests.expectSameAsClean(fixture)
        #expect(fixture.buildOK().offersFromCache == all)
        try Data("not a cache\n".utf8).write(to: Self.cache(fixture))
        #expect(fixture.buildOK().offersFromCache == 0)
        #expect(fixture.buildOK().offersFromCache == all)
    }

    @Test func aFailedBuildLeavesTheCacheAsItWas() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        _ = Self.warm(fixture)
        let before = Self.bytes(Self.cache(fixture))
        try IncrementalOutputTests.editOneRecord(fixture)
        let failed = SiteBuilder(steps: [OutputTests.FailingStep()]).build(fixture.options())
        #expect(!failed.succeeded)
        #expect(failed.offersFromCache > 0)
        #expect(Self.bytes(Self.cache(fixture)) == before)
    }

    @Test func aSharedChangeStartsANewFileOfTheLiveEntriesOnly() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        let templates = fixture.directory.appendingPathComponent("templates")
        try FileManager.default.copyItem(at: SiteFixture.templates, to: templates)
        fixture.build(templates: templates)
        fixture.build(templates: templates)
        let all = fixture.build(templates: templates).offersFromCache
        #expect(all > 1)
        let before = Self.bytes(Self.cache(fixture)).count
        // A change to the card template: every card is made again, and every entry of the old file is dead.
        let card = templates.appendingPathComponent("partials/card.mustache")
        try (try String(contentsOf: card, encoding: .utf8) + "<!-- endret kort -->").write(to: card, atomically: true, encoding: .utf8)
        let changed = fixture.build(templates: templates)
        #expect(changed.succeeded)
        #expect(changed.offersFromCache == 0)
        let after = Self.bytes(Self.cache(fixture)).count
        // The new file holds only what the changed build rendered: about the old file's size, not twice it.
        #expect(after < before + before / 2, "\(before) then \(after)")
        CarriedPagesTests.expectSameAsClean(fixture, templates: templates)
        #expect(fixture.build(templates: templates).offersFromCache == all)
        #expect(fixture.page("tema/sovn/index.html").contains("endret kort"))
    }

    @Test func aCacheAnotherBuildHoldsIsNotUsed() throws {
        let fixture = try SiteFixture(SiteFixture.catalog)
        _ = Self.warm(fixture)
        let held = try #require(RenderCache(path: Self.cache(fixture).path))
        #expect(RenderCache(path: Self.cache(fixture).path) == nil, "one build at a time")
        let beside = fixture.buildOK()
        #expect(beside.offersFromCache == 0)
        CarriedPagesTests.expectSameAsClean(fixture)
        held.abandon()
    }

    @Test func entriesRoundTripAndMalformedOnesAreRefused() {
        let bodies: [(raw: [UInt8], htmlCount: Int)] = [(Array("<p>Hei</p>Hei".utf8), 10), ([], 0), (Array("<p>Hallo</p>".utf8), 12)]
        let texts = SiteRenderer.encodeTexts(bodies)
        let back = SiteRenderer.decodeTexts(texts, count: 3)
        #expect(back?.map(\.raw) == bodies.map(\.raw))
        #expect(back?.map(\.htmlCount) == bodies.map(\.htmlCount))
        #expect(SiteRenderer.decodeTexts(texts, count: 2) == nil, "another number of texts")
        #expect(SiteRenderer.decodeTexts(Array(texts.dropLast()), count: 3) == nil, "cut short")
        #expect(SiteRenderer.decodeTexts(texts + [0], count: 3) == nil, "a byte too many")
        let cards: [[UInt8]] = [Array("<li>a</li>".utf8), Array("<li>b</li>".utf8)]
        let encoded = SiteRenderer.encodeCards(cards)
        #expect(SiteRenderer.decodeCards(encoded, count: 2) == cards)
        #expect(SiteRenderer.decodeCards(encoded, count: 3) == nil)
        #expect(SiteRenderer.decodeCards(Array(encoded.prefix(3)), count: 2) == nil)
    }
}
