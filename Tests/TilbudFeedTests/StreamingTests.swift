import Foundation
import Testing
import TilbudModel
import TilbudRender
import TilbudOutput
import TilbudSite
@testable import TilbudFeed

@Suite("Streaming the feed")
struct StreamingTests {
    let fixture = FeedFixture.shared

    @Test("cutting the work up differently gives the same bytes (one offer and one resource a chunk, two chunks a window)")
    func batchingDoesNotChangeOutput() throws {
        let small = try FeedFixture(FeedFixture.records, steps: [FeedStep(offers: Batching(chunk: 1, window: 2),
                                                                            resources: Batching(chunk: 1, window: 2))])
        let odd = try FeedFixture(FeedFixture.records, steps: [FeedStep(offers: Batching(chunk: 3, window: 1),
                                                                          resources: Batching(chunk: 7, window: 3))])
        let files = fixture.files(under: "api") + ["feed.xml", "sitemap.xml", "robots.txt"]
        #expect(files.count > 45)
        for other in [small, odd] {
            #expect(other.files(under: "api") == fixture.files(under: "api"))
            for path in files {
                #expect(other.read(path) == fixture.read(path), "\(path) differs")
            }
        }
    }

    @Test("each NDJSON file holds its type's resources, one a line, as many as the manifest says")
    func ndjsonFilesMatchTheManifest() throws {
        let manifest = try #require(fixture.json("api/fhir/R4/$bulk-publish") as? [String: Any])
        let output = try #require(manifest["output"] as? [[String: Any]])
        #expect(output.count == 4)
        for entry in output {
            let type = try #require(entry["type"] as? String)
            let text = fixture.read("api/fhir/R4/\(type).ndjson")
            #expect(text.hasSuffix("\n") && !text.contains("\n\n"))
            let lines = text.split(separator: "\n")
            #expect(lines.count == entry["count"] as? Int)
            for line in lines {
                let r = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                #expect(r["resourceType"] as? String == type)
            }
        }
    }

    @Test("FeedStream hands on every chunk once, in order, holding at most a window of them")
    func streamOrderAndWindow() throws {
        for (count, chunk, window) in [(0, 4, 2), (1, 4, 2), (100, 7, 3), (64, 8, 8), (65, 8, 8), (1000, 1, 5)] {
            let made = Counter()
            var emitted: [Range<Int>] = []
            var most = 0
            try FeedStream.run(count: count, Batching(chunk: chunk, window: window), make: { range -> Range<Int> in
                made.add(1)
                return range
            }, emit: { range in
                emitted.append(range)
                most = max(most, made.value - emitted.count + 1)
            })
            #expect(emitted.flatMap { Array($0) } == Array(0..<count), "\(count) \(chunk) \(window)")
            #expect(emitted.allSatisfy { $0.count <= chunk && !$0.isEmpty })
            // Made but not yet handed on: this window's chunks and the one being handed on from the last.
            #expect(most <= 2 * window, "\(count) \(chunk) \(window): \(most)")
        }
    }

    @Test("an error while making stops the stream and is rethrown")
    func streamError() {
        struct Boom: Error {}
        var emitted = 0
        #expect(throws: Boom.self) {
            try FeedStream.run(count: 100, Batching(chunk: 5, window: 2), make: { range -> Int in
                if range.contains(42) { throw Boom() }
                return range.count
            }, emit: { _ in emitted += 1 })
        }
        #expect(emitted < 20)
    }
}

@Suite("Output streams")
struct OutputStreamTests {
    @Test("a stream writes its pieces in order, counts them, and refuses unsafe paths")
    func streamWrites() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-stream-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let writer = OutputWriter(root: root)
        let stream = try writer.stream("a/b/big.json")
        try stream.append(Array("{\"x\":[".utf8))
        for n in 0..<1000 { try stream.append(Array("\(n),".utf8)) }
        try stream.append(Array("0]}".utf8))
        try stream.close()
        try stream.close()  // closing twice is harmless
        #expect(throws: OutputWriter.WriteError.self) { try stream.append([1]) }
        let expected = "{\"x\":[" + (0..<1000).map { "\($0)," }.joined() + "0]}"
        #expect(try String(contentsOf: root.appendingPathComponent("a/b/big.json"), encoding: .utf8) == expected)
        #expect(writer.filesWritten == 1)
        #expect(writer.bytesWritten == expected.utf8.count)
        for bad in ["../x.json", "/etc/x", "a//b", "a/./b", "a/"] {
            #expect(throws: OutputWriter.WriteError.self) { _ = try writer.stream(bad) }
        }
        try [UInt8]("one".utf8).withUnsafeBytes { try writer.write("c.txt", bytes: $0) }
        #expect(try String(contentsOf: root.appendingPathComponent("c.txt"), encoding: .utf8) == "one")
        #expect(writer.filesWritten == 2)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var n = 0
    var value: Int { lock.withLock { n } }
    func add(_ k: Int) { lock.withLock { n += k } }
}
