import Foundation
import Testing
@testable import TilbudServe
#if canImport(Glibc)
import Glibc
#endif
import TilbudTestSupport
@testable import TilbudWorkflow

/// A folder with one page, served by a `DevServer` with the given limits.
final class TinySite: @unchecked Sendable {
    let root: URL
    let server: DevServer
    var port: UInt16 { server.port }

    init(_ limits: DevServer.Limits, files: [String: Data] = [:]) throws {
        root = FileTree.temporaryFolder("tilbud-serve-")
        try FileTree.write("<!DOCTYPE html><html lang=\"nb\"><title>Forside</title><body><p>Hei</p></body></html>", to: root.appendingPathComponent("index.html"))
        for (path, data) in files { try FileTree.write(data, to: root.appendingPathComponent(path)) }
        server = try DevServer(root: root, port: 0, limits: limits)
        server.start()
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: root)
    }

    static let eventsRequest = "GET \(DevServer.eventsPath) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
}

/// Seconds on a clock the wall clock does not move.
func monotonic() -> TimeInterval {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return TimeInterval(t.tv_sec) + TimeInterval(t.tv_nsec) / 1e9
}

/// Whether `condition` holds within `seconds` (checked every 10 ms).
func eventually(_ seconds: TimeInterval, _ condition: () -> Bool) -> Bool {
    let end = monotonic() + seconds
    while monotonic() < end {
        if condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return condition()
}

/// A raw client socket closed exactly once, when the test says so (RawConnection closes in deinit),
/// with an optional tiny receive buffer set before connecting, so the window it advertises stays small.
final class Client: @unchecked Sendable {
    let fd: Int32
    private let lock = NSLock()
    private var closed = false

    init?(port: UInt16, receiveBuffer: Int32? = nil) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        guard connectToLoopback(fd, port: port) else { Glibc.close(fd); return nil }
    }

    deinit { close() }

    /// Closes the socket (once). With bytes unread, the kernel resets the connection.
    func close() {
        let first: Bool = lock.withLock {
            defer { closed = true }
            return !closed
        }
        if first { Glibc.close(fd) }
    }

    /// Wakes a thread blocked on the socket, without closing it.
    func shutdownBoth() { shutdown(fd, Int32(SHUT_RDWR)) }

    /// Sends everything; false when the connection is gone.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    enum Read: Equatable {
        case bytes([UInt8])
        case closed
        case nothing
    }

    /// What arrives within `seconds`: bytes, the end of the connection (or a reset), or nothing.
    func read(within seconds: TimeInterval) -> Read {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, Int32(seconds * 1000)) > 0 else { return .nothing }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
        if n > 0 { return .bytes(Array(chunk[0..<n])) }
        if n < 0 && errno == EAGAIN { return .nothing }
        return .closed
    }

    /// Reads until the server closes the connection; the bytes, or nil when it is still open after `seconds`.
    func readToEnd(within seconds: TimeInterval) -> [UInt8]? {
        let end = monotonic() + seconds
        var all: [UInt8] = []
        while monotonic() < end {
            switch read(within: max(0.001, end - monotonic())) {
            case let .bytes(b): all += b
            case .closed: return all
            case .nothing: continue
            }
        }
        return nil
    }
}

final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var _slowest: TimeInterval = 0
    private var _sawLast = false
    private var _received = 0
    var slowest: TimeInterval { lock.withLock { _slowest } }
    var sawLast: Bool { lock.withLock { _sawLast } }
    var received: Int { lock.withLock { _received } }
    func took(_ t: TimeInterval) { lock.withLock { _slowest = max(_slowest, t) } }
    func got(_ n: Int) { lock.withLock { _received += n } }
    func last() { lock.withLock { _sawLast = true } }
}

/// Issue 11, item 5: one client that misbehaves (stops reading, trickles, floods) must not stall
/// `serve` for the editor's other pages.
@Suite("tilbud serve: robustness", .serialized)
struct ServeRobustnessTests {
    @Test func aStalledLiveReloadClientBlocksNeitherReloadsNorPages() throws {
        let site = try TinySite(.init(eventBacklog: 64 * 1024))
        // A page that stopped reading: a tiny receive window, never read.
        let stalled = try #require(Client(port: site.port, receiveBuffer: 1024))
        defer { stalled.close() }
        #expect(stalled.send(TinySite.eventsRequest))
        // A page that reads its stream, on a thread of its own as a browser does.
        let reader = try #require(Client(port: site.port))
        #expect(reader.send(TinySite.eventsRequest))
        #expect(eventually(2) { site.server.listeners == 2 })

        // About 3.7 MB of reload events, well past what the kernel buffers for a socket.
        let rounds = 100
        let paths = (0..<500).map { "/tilbud/tilbyder-\($0)/et-ganske-langt-kurs-om-sovn-og-helse-nummer-\($0)/" }
        let eventBytes = paths.reduce(0) { $0 + $1.utf8.count + 3 } * rounds
        #expect(eventBytes > 3_000_000)
        let marker = Data("\"generation\": \(rounds),".utf8)
        let recorder = Recorder()
        let readerDone = DispatchSemaphore(value: 0)
        Thread {
            var tail = Data()
            while case let .bytes(b) = reader.read(within: 10) {
                recorder.got(b.count)
                tail.append(contentsOf: b)
                if tail.range(of: marker) != nil { recorder.last(); break }
                tail = tail.suffix(marker.count)
            }
            readerDone.signal()
        }.start()
        let server = site.server
        let floodDone = DispatchSemaphore(value: 0)
        let floodStart = monotonic()
        Thread {
            for _ in 0..<rounds {
                let t = monotonic()
                server.reload(paths: paths)
                recorder.took(monotonic() - t)
            }
            floodDone.signal()
        }.start()
        let finished = floodDone.wait(timeout: .now() + 5) == .success
        let floodTime = monotonic() - floodStart
        #expect(finished, "reload blocked on the stalled stream")

        // A page is answered promptly (a reload blocked under the lock would hold it up).
        let pageStart = monotonic()
        let page = try #require(RawConnection(port: site.port, timeout: 2))
        #expect(page.request("GET", "/")?.status == 200)
        let pageTime = monotonic() - pageStart
        #expect(pageTime < 2)

        if !finished {
            // Reset the stalled connection, so the blocked write fails and the test can end.
            stalled.close()
            _ = floodDone.wait(timeout: .now() + 30)
        }
        #expect(recorder.slowest < 1, "slowest reload: \(recorder.slowest) s")
        #expect(site.server.listeners == 1, "the stalled stream is dropped, the reading one kept")
        #expect(readerDone.wait(timeout: .now() + 5) == .success)
        #expect(recorder.sawLast, "the reading page got every reload (\(recorder.received) bytes)")
        reader.shutdownBoth()
        print("serve: \(eventBytes) bytes of reload events in \(Int(floodTime * 1000)) ms, slowest reload \(Int(recorder.slowest * 1000)) ms, page in \(Int(pageTime * 1000)) ms")

        // A page that opens its stream now gets the current generation, then the next reload.
        let fresh = try #require(RawConnection(port: site.port, timeout: 2))
        fresh.send(TinySite.eventsRequest)
        let hello = try #require(fresh.nextEvent())
        #expect(hello.event == "hello" && hello.data == String(rounds))
        site.server.reload(paths: ["/"])
        let next = try #require(fresh.nextEvent())
        #expect(next.event == "reload" && next.data.contains("\"generation\": \(rounds + 1),"))
    }

    @Test func aTrickledRequestIsCutOffAtTheWholeRequestDeadline() throws {
        let site = try TinySite(.init(requestTimeout: 1, idleTimeout: 1))
        // A request sent at once is answered; the kept-alive connection is closed after the idle bound.
        let prompt = try #require(Client(port: site.port))
        #expect(prompt.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
        guard case let .bytes(answer) = prompt.read(within: 2) else { Issue.record("no answer"); return }
        #expect(String(decoding: answer, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
        let idleStart = monotonic()
        #expect(prompt.readToEnd(within: 3) != nil, "an idle kept-alive connection stays open")
        let idle = monotonic() - idleStart
        // Upper bounds with room for a machine busy with the rest of the suite.
        #expect(idle > 0.8 && idle < 4, "closed after \(idle) s idle")

        // One header byte every 200 ms: each byte comes long before a per-recv timeout, but the whole
        // request is not done by the deadline, 1 s after its first byte.
        let trickle = try #require(Client(port: site.port))
        let bytes = Array("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8) + [UInt8](repeating: UInt8(ascii: "a"), count: 100)
        let start = monotonic()
        var sent = 0
        var reply: [UInt8]?
        var cutAfter = 0.0
        while sent < bytes.count && monotonic() - start < 8 {
            #expect(trickle.send(String(decoding: [bytes[sent]], as: UTF8.self)))
            sent += 1
            switch trickle.read(within: 0.2) {
            case .nothing: continue
            case let .bytes(b):
                cutAfter = monotonic() - start
                reply = b + (trickle.readToEnd(within: 1) ?? [])
            case .closed:
                cutAfter = monotonic() - start
                reply = []
            }
            break
        }
        if reply == nil { cutAfter = monotonic() - start }
        let text = String(decoding: reply ?? [], as: UTF8.self)
        #expect(reply != nil, "a trickled request still open after \(cutAfter) s and \(sent) bytes")
        #expect(cutAfter > 0.8 && cutAfter < 4, "cut off after \(cutAfter) s")
        #expect(sent >= 4)
        #expect(text.hasPrefix("HTTP/1.1 408 Request Timeout"), "\(text)")
        #expect(text.contains("Connection: close"))
        #expect(eventually(1) { site.server.connections == 0 })
        print("serve: trickle cut off after \(Int(cutAfter * 1000)) ms and \(sent) bytes; idle connection closed after \(Int(idle * 1000)) ms")
    }

    @Test func connectionsBeyondTheCapGetA503AndOthersAreStillServed() throws {
        let site = try TinySite(.init(connections: 4, eventStreams: 2))

        // Live-reload streams have their own cap, and use no connection slot.
        let streams = try (0..<2).map { _ in
            let c = try #require(RawConnection(port: site.port, timeout: 2))
            c.send(TinySite.eventsRequest)
            #expect(c.nextEvent()?.event == "hello")
            return c
        }
        #expect(site.server.listeners == 2)
        #expect(eventually(1) { site.server.connections == 0 })
        let third = try #require(RawConnection(port: site.port, timeout: 2))
        third.send(TinySite.eventsRequest)
        let refused = try #require(third.readResponse())
        #expect(refused.status == 503)
        #expect(refused.header("Retry-After") != nil)
        #expect(eventually(1) { site.server.connections == 0 })

        // Four kept-alive connections fill the cap.
        var held = try (0..<4).map { _ in
            let c = try #require(RawConnection(port: site.port, timeout: 2))
            #expect(c.request("GET", "/")?.status == 200)
            return c
        }
        #expect(site.server.connections == 4)

        // More get a quick 503 and are closed, without a thread of their own.
        var slowest: TimeInterval = 0
        var refusedCount = 0
        for _ in 0..<20 {
            let start = monotonic()
            let extra = try #require(Client(port: site.port))
            extra.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            let answer = String(decoding: extra.readToEnd(within: 2) ?? [], as: UTF8.self)
            slowest = max(slowest, monotonic() - start)
            #expect(answer.hasPrefix("HTTP/1.1 503 Service Unavailable"), "\(answer)")
            #expect(answer.contains("Retry-After: 1\r\n"))
            if !answer.hasPrefix("HTTP/1.1 503") { break }
            refusedCount += 1
        }
        #expect(slowest < 0.5, "slowest 503: \(slowest) s")
        #expect(site.server.connections == 4)

        // The connections inside the cap are still served.
        for c in held { #expect(c.request("GET", "/")?.status == 200) }

        // When one closes, a new connection is served again.
        held.removeLast()
        #expect(eventually(2) { site.server.connections == 3 })
        let again = try #require(RawConnection(port: site.port, timeout: 2))
        #expect(again.request("GET", "/")?.status == 200)

        // When a page closes its stream, another may open one.
        held.removeLast()
        #expect(eventually(2) { site.server.connections == 3 })
        shutdown(streams[0].fd, Int32(SHUT_RDWR))
        #expect(eventually(2) { site.server.listeners == 1 })
        let another = try #require(RawConnection(port: site.port, timeout: 2))
        another.send(TinySite.eventsRequest)
        #expect(another.nextEvent()?.event == "hello")
        #expect(site.server.listeners == 2)
        print("serve: \(refusedCount) connections over the cap refused, slowest in \(Int(slowest * 1000)) ms")
    }

    @Test func aClientThatDoesNotReadItsResponseIsClosedAtTheSendDeadline() throws {
        let big = Data(repeating: UInt8(ascii: "x"), count: 16 * 1024 * 1024)
        let site = try TinySite(.init(sendTimeout: 1), files: ["stor.bin": big])
        let slow = try #require(Client(port: site.port, receiveBuffer: 1024))
        defer { slow.close() }
        #expect(slow.send("GET /stor.bin HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"))
        #expect(eventually(1) { site.server.connections == 1 })
        let start = monotonic()
        #expect(eventually(4) { site.server.connections == 0 }, "the thread is still writing to a client that does not read")
        let took = monotonic() - start
        #expect(took < 2.5)
        print("serve: a response not read closed after \(Int(took * 1000)) ms")
    }
}
