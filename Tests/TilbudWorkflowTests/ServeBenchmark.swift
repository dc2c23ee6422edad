import Foundation
import Testing
@testable import TilbudServe

/// Edit-to-republish latency of a real `tilbud serve` on a large catalog. Opt-in, since it needs a
/// release build and a scratch corpus whose files it edits:
///
///     swift build -c release --product tilbud
///     .build/release/tilbud dev corpus --offers 10000 --output /tmp/c10k/content
///     TILBUD_SERVE_BENCH_BINARY=.build/release/tilbud TILBUD_SERVE_BENCH_CONTENT=/tmp/c10k/content \
///       swift test --filter ServeBenchmark
///
/// For each of `TILBUD_SERVE_BENCH_EDITS` (20) edits of a random offer's title it measures the time
/// from writing the file to the reload event for the offer's page and to a GET that shows the new
/// title, then waits for the list pages before the next edit (as an editor between saves would).
@Suite("serve benchmark", .enabled(if: ProcessInfo.processInfo.environment["TILBUD_SERVE_BENCH_BINARY"] != nil))
struct ServeBenchmark {
    @Test func republishLatency() throws {
        let env = ProcessInfo.processInfo.environment
        let binary = try #require(env["TILBUD_SERVE_BENCH_BINARY"])
        let content = URL(fileURLWithPath: try #require(env["TILBUD_SERVE_BENCH_CONTENT"]))
        let edits = Int(env["TILBUD_SERVE_BENCH_EDITS"] ?? "") ?? 20
        let templates = env["TILBUD_SERVE_BENCH_TEMPLATES"] ?? Repo.templates.path

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve", "--content", content.path, "--templates", templates, "--port", "0"]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { process.terminate(); process.waitUntilExit() }

        // Wait for "Serverer http://127.0.0.1:<port>/" (the initial build takes a while at 10 000 offers).
        var port: UInt16? = nil
        var seen = ""
        let started = Date()
        while port == nil {
            let data = err.fileHandleForReading.availableData
            guard !data.isEmpty else { break }
            seen += String(decoding: data, as: UTF8.self)
            if let r = seen.range(of: "http://127.0.0.1:[0-9]+/", options: .regularExpression) {
                port = UInt16(seen[r].dropFirst("http://127.0.0.1:".count).dropLast())
            }
        }
        let p = try #require(port, "serve did not start:\n\(seen.suffix(2000))")
        print("serve started in \(Int(Date().timeIntervalSince(started))) s")
        // Keep draining its output so it never blocks on a full pipe.
        DispatchQueue.global().async { while !err.fileHandleForReading.availableData.isEmpty {} }

        let stream = try #require(RawConnection(port: p, timeout: 120))
        stream.send("GET /__tilbud/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(stream.nextEvent()?.event == "hello")

        let providers = content.appendingPathComponent("providers")
        var files: [URL] = []
        for folder in try FileManager.default.contentsOfDirectory(atPath: providers.path).sorted() {
            for name in try FileManager.default.contentsOfDirectory(atPath: providers.appendingPathComponent(folder).path).sorted()
                where name.hasSuffix(".md") && name.split(separator: ".").count == 2 {
                files.append(providers.appendingPathComponent(folder).appendingPathComponent(name))
            }
        }
        var generator = SystemRandomNumberGenerator()
        var toEvent: [Double] = [], toPage: [Double] = [], toLists: [Double] = []
        for i in 0..<edits {
            let file = files.randomElement(using: &generator)!
            let page = "/tilbud/\(file.deletingLastPathComponent().lastPathComponent)/\(file.deletingPathExtension().lastPathComponent)/"
            let title = "Målt endring \(i) \(Int.random(in: 0..<1_000_000))"
            var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
            let t = try #require(lines.firstIndex { $0.hasPrefix("title:") })
            lines[t] = "title: " + title
            let start = Date()
            try Data(lines.joined(separator: "\n").utf8).write(to: file)
            while let e = stream.nextEvent() {
                if e.event == "reload" && (e.data.contains("\"\(page)\"") || e.data.contains("\"*\"")) { break }
            }
            toEvent.append(Date().timeIntervalSince(start) * 1000)
            let body = HTTPClient.get("http://127.0.0.1:\(p)\(page)")?.text ?? ""
            toPage.append(Date().timeIntervalSince(start) * 1000)
            #expect(body.contains(title))
            while let e = stream.nextEvent() {
                if e.event == "reload" && e.data.contains("/tema/") { break }
            }
            toLists.append(Date().timeIntervalSince(start) * 1000)
            Thread.sleep(forTimeInterval: 0.5)
        }
        func line(_ name: String, _ xs: [Double]) -> String {
            let s = xs.sorted()
            return "\(name): median \(Int(s[s.count / 2])) ms, p90 \(Int(s[min(s.count - 1, s.count * 9 / 10)])) ms, max \(Int(s.last!)) ms (n=\(s.count))"
        }
        print(line("write → reload event for the page", toEvent))
        print(line("write → GET shows the new title", toPage))
        print(line("write → list pages reloaded", toLists))
    }
}
