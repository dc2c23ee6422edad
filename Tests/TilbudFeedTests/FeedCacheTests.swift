import Foundation
import Testing
import TilbudModel
import TilbudRender
import TilbudSite
import TilbudTestSupport
@testable import TilbudFeed

/// A rebuild takes each unchanged offer's JSON and FHIR `HealthcareService` from the render cache instead of making
/// them again (`PublishedCatalog.write(_:offer:to:_:)`), and the feed is still byte-identical to a clean build's.
@Suite struct FeedCacheTests {
    static func options(_ fixture: FeedFixture, output: URL? = nil) -> BuildOptions {
        BuildOptions(content: fixture.content, contentDisplay: "content", templates: TestPaths.templates, templatesDisplay: "templates",
                     output: output ?? fixture.output, baseURL: FeedFixture.baseURL, today: FeedFixture.today)
    }

    /// Builds the fixture as it is now into a new folder and expects the fixture's output to hold the same bytes.
    static func expectSameAsClean(_ fixture: FeedFixture, sourceLocation: SourceLocation = #_sourceLocation) {
        let clean = fixture.directory.appendingPathComponent("clean-\(UUID().uuidString)")
        let result = SiteBuilder(steps: [FeedStep()]).build(options(fixture, output: clean))
        #expect(result.succeeded, sourceLocation: sourceLocation)
        let rebuilt = Tree.read(fixture.output), fresh = Tree.read(clean)
        #expect(rebuilt.keys.sorted() == fresh.keys.sorted(), sourceLocation: sourceLocation)
        for (path, data) in fresh where rebuilt[path] != data { Issue.record("\(path) differs from a clean build", sourceLocation: sourceLocation) }
    }

    /// The fixture built fresh, then a rebuild that makes the cache; returns the next rebuild's result, which reads it.
    static func warm(_ fixture: FeedFixture) -> BuildResult {
        #expect(fixture.result.succeeded)
        let builder = SiteBuilder(steps: [FeedStep()])
        #expect(builder.build(options(fixture)).cacheReads.isEmpty)
        return builder.build(options(fixture))
    }

    @Test func unchangedOffersJSONAndServicesComeFromTheCache() throws {
        let fixture = try FeedFixture(FeedFixture.records)
        let warm = Self.warm(fixture)
        let offerFiles = fixture.files(under: "api/v1/offers").count
        let services = fixture.fhirLines("HealthcareService").count
        #expect(offerFiles > 1 && services > 1)
        #expect(warm.cacheReads[.offerJSON] == offerFiles)
        #expect(warm.cacheReads[.healthcareService] == services)
        Self.expectSameAsClean(fixture)
        // One offer edited: its JSON and service are made again, the others read.
        let path = fixture.content.appendingPathComponent("providers/frisk/sov-godt.md")
        let text = try String(contentsOf: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\nsummary: ", with: "\nsummary: Endret. ").write(to: path, atomically: true, encoding: .utf8)
        let edited = SiteBuilder(steps: [FeedStep()]).build(Self.options(fixture))
        #expect(edited.succeeded)
        #expect(edited.cacheReads[.offerJSON] == offerFiles - 1)
        #expect(edited.cacheReads[.healthcareService] == services - 1)
        #expect(fixture.read("api/v1/offers/frisk/sov-godt.json").contains("Endret."))
        #expect(fixture.fhirLines("HealthcareService").contains { $0.contains("Endret.") })
        Self.expectSameAsClean(fixture)
    }

    @Test func aDamagedJSONEntryIsMadeAgain() throws {
        let fixture = try FeedFixture(FeedFixture.records)
        let all = try #require(Self.warm(fixture).cacheReads[.offerJSON])
        // One letter of one offer's JSON changed in the cache, its framing and the index as they are.
        let cache = SiteBuilder.cachePath(of: fixture.output)
        var bytes = try [UInt8](Data(contentsOf: cache))
        let key = Array("\"description_text\":\"".utf8)
        let at = try #require((0...(bytes.count - key.count)).first { Array(bytes[$0..<$0 + key.count]) == key })
        bytes[at + key.count] ^= 0x01
        try Data(bytes).write(to: cache)
        let rebuilt = SiteBuilder(steps: [FeedStep()]).build(Self.options(fixture))
        #expect(rebuilt.succeeded)
        #expect(rebuilt.cacheReads[.offerJSON] == all - 1)
        Self.expectSameAsClean(fixture)
    }
}
