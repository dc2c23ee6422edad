import Foundation
import Testing
import TilbudMarkdown

/// Timing figures for `scripts/bench-markdown.sh`: runs only with `TILBUD_BENCH=1`, prints, never asserts a time.
///
/// Renders every offer body (`*.md`, translations included) below `TILBUD_BENCH_CONTENT` (default
/// /tmp/lead-c10k) and writes the rendered HTML to `TILBUD_BENCH_HTML` (default /dev/shm/mdperf-bench.html.bin)
/// for the HTML half of the benchmark (`HTMLBenchmarkTests`).
@Suite("Markdown benchmark", .serialized)
struct MarkdownBenchmarkTests {
    static var enabled: Bool { ProcessInfo.processInfo.environment["TILBUD_BENCH"] == "1" }

    @Test("render every body of the benchmark corpus", .enabled(if: enabled))
    func renderCorpus() throws {
        let environment = ProcessInfo.processInfo.environment
        let content = environment["TILBUD_BENCH_CONTENT"] ?? "/tmp/lead-c10k"
        let dump = environment["TILBUD_BENCH_HTML"] ?? "/dev/shm/mdperf-bench.html.bin"
        let bodies = try BenchCorpus.bodies(below: content)
        print("markdown bench: \(bodies.count) bodies, \(bodies.reduce(0) { $0 + $1.utf8.count }) bytes of Markdown from \(content)")
        let renderer = MarkdownRenderer()
        var rendered: [String] = []
        for _ in 0..<2 { // warm-up, then timed
            rendered = []
            rendered.reserveCapacity(bodies.count)
            let started = BenchClock.threadCPU()
            for body in bodies { rendered.append(renderer.render(body)) }
            let cpu = BenchClock.threadCPU() - started
            print(String(format: "markdown bench: MarkdownRenderer.render, one thread: %.3f s CPU (%.1f µs per document)",
                         cpu, cpu / Double(bodies.count) * 1e6))
        }
        let wallStart = BenchClock.wall(), cpuStart = BenchClock.processCPU()
        DispatchQueue.concurrentPerform(iterations: bodies.count) { index in _ = renderer.render(bodies[index]) }
        print(String(format: "markdown bench: MarkdownRenderer.render, concurrentPerform: %.3f s wall, %.3f s CPU",
                     BenchClock.wall() - wallStart, BenchClock.processCPU() - cpuStart))
        var data = Data()
        for html in rendered {
            var length = UInt32(html.utf8.count).littleEndian
            withUnsafeBytes(of: &length) { data.append(contentsOf: $0) }
            data.append(contentsOf: Array(html.utf8))
        }
        try data.write(to: URL(fileURLWithPath: dump))
        print("markdown bench: wrote the rendered HTML to \(dump)")
    }
}

/// The offer bodies of a content folder (front matter cut off), in a stable order.
enum BenchCorpus {
    static func bodies(below content: String) throws -> [String] {
        let root = URL(fileURLWithPath: content).appendingPathComponent("providers")
        var paths: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let relative = enumerator?.nextObject() as? String {
            if relative.hasSuffix(".md") { paths.append(root.appendingPathComponent(relative).path) }
        }
        paths.sort()
        return try paths.map { path in
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard text.hasPrefix("---\n"), let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 3)..<text.endIndex) else {
                return text
            }
            return String(text[end.upperBound...])
        }
    }
}

enum BenchClock {
    static func threadCPU() -> Double { seconds(CLOCK_THREAD_CPUTIME_ID) }
    static func processCPU() -> Double { seconds(CLOCK_PROCESS_CPUTIME_ID) }
    static func wall() -> Double { seconds(CLOCK_MONOTONIC) }
    private static func seconds(_ clock: clockid_t) -> Double {
        var time = timespec()
        clock_gettime(clock, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
