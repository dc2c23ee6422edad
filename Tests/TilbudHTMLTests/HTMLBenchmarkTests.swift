import Foundation
import Testing
import TilbudHTML

/// Timing figures for `scripts/bench-markdown.sh`: runs only with `TILBUD_BENCH=1`, prints, never asserts a time.
///
/// Reads the HTML written by `MarkdownBenchmarkTests` (`TILBUD_BENCH_HTML`, default
/// /dev/shm/mdperf-bench.html.bin) and times the sanitize + plain-text step three ways.
@Suite("HTML benchmark", .serialized)
struct HTMLBenchmarkTests {
    static var enabled: Bool { ProcessInfo.processInfo.environment["TILBUD_BENCH"] == "1" }

    @Test("sanitize and extract text for every rendered body", .enabled(if: enabled))
    func sanitizeCorpus() throws {
        let dump = ProcessInfo.processInfo.environment["TILBUD_BENCH_HTML"] ?? "/dev/shm/mdperf-bench.html.bin"
        let data = try Data(contentsOf: URL(fileURLWithPath: dump))
        var documents: [String] = []
        data.withUnsafeBytes { raw in
            var offset = 0
            while offset + 4 <= raw.count {
                let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
                offset += 4
                documents.append(String(decoding: raw[offset..<offset + length], as: UTF8.self))
                offset += length
            }
        }
        print("html bench: \(documents.count) documents, \(documents.reduce(0) { $0 + $1.utf8.count }) bytes of HTML from \(dump)")

        func time(_ label: String, _ work: (String) -> (String, String)) -> [(String, String)] {
            var results: [(String, String)] = []
            for round in 0..<2 { // warm-up, then timed
                results = []
                results.reserveCapacity(documents.count)
                let started = threadCPU()
                for document in documents { results.append(work(document)) }
                let cpu = threadCPU() - started
                if round == 1 {
                    print(String(format: "html bench: %@, one thread: %.3f s CPU (%.1f µs per document)",
                                 label, cpu, cpu / Double(documents.count) * 1e6))
                }
            }
            return results
        }
        if ProcessInfo.processInfo.environment["TILBUD_BENCH_ONLY"] == "after" { // for profiling the new path alone
            for _ in 0..<3 { _ = time("after: sanitizeWithText") { HTMLSanitizer.sanitizeWithText($0) } }
            return
        }
        let before = time("before: old sanitize + old plainText(sanitized)") { html in
            let clean = ReferenceHTML.sanitize(html)
            return (clean, ReferenceHTML.plainText(clean))
        }
        let twoParses = time("sanitize + plainText(sanitized)") { html in
            let clean = HTMLSanitizer.sanitize(html)
            return (clean, HTMLText.plainText(clean))
        }
        let after = time("after: sanitizeWithText") { html in
            let result = HTMLSanitizer.sanitizeWithText(html)
            return (result.html, result.text)
        }
        let differing = zip(before, after).filter { $0.0 != $0.1 }.count + zip(twoParses, after).filter { $0.0 != $0.1 }.count
        print("html bench: \(differing) differing results")
        #expect(differing == 0)
    }

    private func threadCPU() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
