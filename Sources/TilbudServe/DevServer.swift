import Foundation
import TilbudDiagnostics
import TilbudJSON
import TilbudWorkflow
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A small HTTP/1.1 server for `tilbud serve`: static files from one folder on 127.0.0.1, GET and HEAD,
/// keep-alive, an `index.html` for folders, the site's own 404 page, path traversal refused, and
/// live reload through Server-Sent Events at `/__tilbud/events`.
///
/// Not a production server: one thread per connection, whole files read into memory, `no-store`.
/// But one client cannot stall it for the others (see `Limits`): live-reload streams are written
/// without blocking, each with a bounded backlog; a request must arrive within a total deadline;
/// a response must be taken within a total deadline; connections beyond a cap get a quick 503.
public final class DevServer: @unchecked Sendable {
    /// Bounds that keep one misbehaving or flooding client from stalling the preview for everyone else.
    public struct Limits: Sendable {
        /// Connections served at once, each by its own thread (reading a request, writing a response,
        /// or waiting for the next request on a kept-alive connection). Beyond it, a new connection gets
        /// `503 Service Unavailable` with `Retry-After` and is closed at once, without a thread.
        /// Live-reload streams are not counted here (they have no thread): see `eventStreams`.
        public var connections: Int
        /// Live-reload streams at once; a stream request beyond it gets `503` with `Retry-After`.
        public var eventStreams: Int
        /// Bytes that may wait for one live-reload stream beyond what the kernel's socket buffers hold.
        /// A stream whose backlog would grow past it (a page that stopped reading) is dropped and closed;
        /// a browser that was only slow reconnects and, having missed a reload, reloads.
        public var eventBacklog: Int
        /// Seconds a request's headers (and the small body it may carry) may take in all, from its first byte.
        public var requestTimeout: TimeInterval
        /// Seconds a connection may wait in all for the first byte of a request (a new connection, or a
        /// kept-alive one between requests) before it is closed.
        public var idleTimeout: TimeInterval
        /// Seconds writing one response may take in all; a client that does not read is closed after it.
        public var sendTimeout: TimeInterval

        public init(connections: Int = 256, eventStreams: Int = 64, eventBacklog: Int = 64 * 1024, requestTimeout: TimeInterval = 10,
                    idleTimeout: TimeInterval = 30, sendTimeout: TimeInterval = 30) {
            self.connections = max(1, connections)
            self.eventStreams = max(1, eventStreams)
            self.eventBacklog = max(1024, eventBacklog)
            self.requestTimeout = requestTimeout
            self.idleTimeout = idleTimeout
            self.sendTimeout = sendTimeout
        }
    }

    /// The folder served.
    public let root: URL
    /// The port it listens on (the one the system chose when 0 was asked for).
    public private(set) var port: UInt16 = 0
    /// Whether HTML responses get the live-reload script.
    public let liveReload: Bool

    /// The bounds this server keeps.
    public let limits: Limits

    /// One live-reload stream: its socket and the bytes the kernel has not yet taken.
    private struct EventClient {
        let fd: Int32
        var pending: [UInt8]
    }

    private let listener: Int32
    private let lock = NSLock()
    private var eventClients: [EventClient] = []
    /// Connections with a thread of their own (see `Limits.connections`).
    private var openConnections = 0
    private var overlayHTML: String?
    private var generation = 0
    private var stopped = false
    private var acceptThread: Thread?

    /// The path of the event stream.
    public static let eventsPath = "/__tilbud/events"
    /// The path of the reload script (a file, so a Content-Security-Policy with script-src 'self' allows it).
    public static let scriptPath = "/__tilbud/reload.js"
    /// A small JSON status: generation and whether an error page is shown.
    public static let statusPath = "/__tilbud/status"

    /// Binds 127.0.0.1:`port` (0: any free port). Throws when the port is taken.
    public init(root: URL, port: UInt16, liveReload: Bool = true, limits: Limits = Limits()) throws {
        self.root = root.standardizedFileURL
        self.liveReload = liveReload
        self.limits = limits
        #if os(Linux)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw Self.error("socket") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = port.bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else {
            let e = errno
            close(fd)
            if e == EADDRINUSE {
                throw WorkflowError("port-in-use", nb: "Porten \(port) er opptatt. Velg en annen med --port.", en: "Port \(port) is in use. Choose another with --port.")
            }
            throw Self.error("bind", e)
        }
        guard listen(fd, 64) == 0 else {
            close(fd)
            throw Self.error("listen")
        }
        var actual = sockaddr_in()
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        self.port = UInt16(bigEndian: actual.sin_port)
        self.listener = fd
    }

    deinit {
        stop()
    }

    static func error(_ what: String, _ code: Int32 = errno) -> WorkflowError {
        let reason = String(cString: strerror(code))
        return WorkflowError("server-failed", nb: "Kunne ikke starte serveren (\(what)): \(reason).", en: "Could not start the server (\(what)): \(reason).")
    }

    /// The address to open in a browser.
    public var url: String { "http://127.0.0.1:\(port)/" }

    /// Starts accepting connections on a background thread.
    public func start() {
        let thread = Thread { [weak self] in self?.acceptLoop() }
        thread.name = "tilbud-serve-accept"
        acceptThread = thread
        thread.start()
    }

    /// Stops accepting, closes the event streams.
    public func stop() {
        // Closes each descriptor exactly once: a number closed twice may by then belong to someone else.
        let clients: [Int32]? = lock.withLock {
            if stopped { return nil }
            stopped = true
            let c = eventClients.map(\.fd)
            eventClients = []
            return c
        }
        guard let clients else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for fd in clients {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// Shows `html` instead of every page (an error overlay), or the site again when nil.
    public func setOverlay(_ html: String?) {
        lock.withLock { overlayHTML = html }
    }

    /// The overlay now shown, if any.
    public var overlay: String? { lock.withLock { overlayHTML } }

    /// How many reloads have been sent.
    public var currentGeneration: Int { lock.withLock { generation } }

    /// How many pages listen for reloads.
    public var listeners: Int { lock.withLock { eventClients.count } }

    /// How many connections have a thread now (live-reload streams not counted).
    public var connections: Int { lock.withLock { openConnections } }

    /// Tells open pages to reload: those showing one of `paths` (URL paths such as `/tilbud/a/b/`), or all when nil.
    public func reload(paths: [String]? = nil) {
        let list = paths.map { "[" + $0.map(JSON.quote).joined(separator: ",") + "]" } ?? "\"*\""
        lock.withLock {
            generation += 1
            broadcast(Array("event: reload\ndata: {\"generation\": \(generation), \"paths\": \(list)}\n\n".utf8))
        }
    }

    /// Queues `message` for every event stream and sends what each will take without waiting; drops
    /// the streams that are gone or whose backlog is over `limits.eventBacklog`. Call with `lock` held,
    /// so no descriptor is closed (and its number reused) while it is written to.
    private func broadcast(_ message: [UInt8]) {
        var dead: [Int32] = []
        for i in eventClients.indices {
            eventClients[i].pending += message
            if !flushEvents(at: i) { dead.append(eventClients[i].fd) }
        }
        drop(dead)
    }

    /// Sends a stream's pending bytes without blocking; false when the peer is gone or the backlog is over
    /// its bound. Call with `lock` held.
    private func flushEvents(at i: Int) -> Bool {
        let fd = eventClients[i].fd
        var sent = 0
        var gone = false
        eventClients[i].pending.withUnsafeBytes { all in
            while sent < all.count {
                let n = Self.sendNow(fd, UnsafeRawBufferPointer(rebasing: all[sent...]))
                if n > 0 { sent += n; continue }
                if n < 0 && errno == EINTR { continue }
                if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
                gone = true
                break
            }
        }
        if sent > 0 { eventClients[i].pending.removeFirst(sent) }
        return !gone && eventClients[i].pending.count <= limits.eventBacklog
    }

    /// Removes the streams `fds` from the list and closes each once, discarding what the kernel still
    /// holds for them (a stalled page would never take it). Call with `lock` held.
    private func drop(_ fds: [Int32]) {
        guard !fds.isEmpty else { return }
        eventClients.removeAll { fds.contains($0.fd) }
        for fd in fds {
            var abort = linger(l_onoff: 1, l_linger: 0)
            setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort, socklen_t(MemoryLayout<linger>.size))
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
        }
    }

    /// Drops the streams whose page went away. A page never writes to its stream, so a stream that
    /// turns readable has ended (or is not a browser's); without this a closed page would stay
    /// counted until a write to it failed. Call with `lock` held; does not wait.
    private func pruneEventStreams() {
        guard !eventClients.isEmpty else { return }
        var fds = eventClients.map { pollfd(fd: $0.fd, events: Int16(POLLIN), revents: 0) }
        guard poll(&fds, nfds_t(fds.count), 0) > 0 else { return }
        drop(fds.filter { $0.revents != 0 }.map(\.fd))
    }

    /// How often pending stream bytes are retried and closed pages are noticed.
    static let housekeepingInterval: TimeInterval = 0.25
    /// How often each stream gets a comment, so a page that went away without closing is found.
    static let keepAliveInterval: TimeInterval = 15

    /// One round of stream housekeeping; false once stopped.
    private func housekeeping(keepAlive: Bool) -> Bool {
        lock.withLock {
            if stopped { return false }
            if keepAlive {
                broadcast(Array(": keep-alive\n\n".utf8))
            } else {
                var dead: [Int32] = []
                for i in eventClients.indices where !eventClients[i].pending.isEmpty && !flushEvents(at: i) { dead.append(eventClients[i].fd) }
                drop(dead)
            }
            pruneEventStreams()
            return true
        }
    }

    private func acceptLoop() {
        let housekeeper = Thread { [weak self] in
            var last = Deadline.now
            while true {
                Thread.sleep(forTimeInterval: DevServer.housekeepingInterval)
                let keepAlive = Deadline.now - last >= DevServer.keepAliveInterval
                if keepAlive { last = Deadline.now }
                guard let self, self.housekeeping(keepAlive: keepAlive) else { return }
            }
        }
        housekeeper.name = "tilbud-serve-streams"
        housekeeper.start()
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                if lock.withLock({ stopped }) { return }
                if errno == EMFILE || errno == ENFILE { Thread.sleep(forTimeInterval: 0.05); continue }
                return
            }
            #if os(macOS)
            var noSigPipe: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &noSigPipe, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let admitted: Bool = lock.withLock {
                guard openConnections < limits.connections else { return false }
                openConnections += 1
                return true
            }
            guard admitted else {
                Self.refuse(fd)
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [weak self] in
                guard let self else { close(fd); return }
                defer { self.lock.withLock { self.openConnections -= 1 } }
                self.serve(fd)
            }
            thread.start()
        }
    }

    /// Answers a connection over the cap on the accepting thread, without waiting: reads what the client
    /// already sent (so the close does not reset the connection before it reads the answer), writes a
    /// `503` that a new socket's buffer always holds, and closes.
    static func refuse(_ fd: Int32) {
        var chunk = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<4 {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n <= 0 { break }
        }
        let body = "Too many connections; try again shortly\n"
        let text = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
            + "Retry-After: 1\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n" + body
        _ = Array(text.utf8).withUnsafeBytes { sendNow(fd, $0) }
        shutdown(fd, Int32(SHUT_WR))
        close(fd)
    }

    /// One send that does not wait: the bytes taken, or -1 with `errno` (EAGAIN when the buffer is full).
    static func sendNow(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
        #if os(Linux)
        return send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
        #else
        return send(fd, bytes.baseAddress, bytes.count, Int32(MSG_DONTWAIT))
        #endif
    }

    /// Waits until `fd` is ready for `events` (or has an error or hung up, which the next call reports);
    /// false when `deadline` passes first.
    static func wait(_ fd: Int32, for events: Int32, until deadline: Deadline) -> Bool {
        while true {
            let left = deadline.millisecondsLeft
            if left == 0 { return false }
            var p = pollfd(fd: fd, events: Int16(events), revents: 0)
            let r = poll(&p, 1, left)
            if r > 0 { return true }
            if r < 0 && errno != EINTR { return true }
        }
    }

    /// Writes every byte by `deadline`; false when the peer is gone or does not take them in time.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8], until deadline: Deadline) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { sendNow(fd, UnsafeRawBufferPointer(rebasing: $0[offset...])) }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            guard n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) else { return false }
            guard wait(fd, for: Int32(POLLOUT), until: deadline) else { return false }
        }
        return true
    }

    enum Received {
        case bytes(Int)
        case closed
        case timedOut
    }

    /// Reads what has arrived into `chunk`, waiting at most until `deadline`.
    static func receive(_ fd: Int32, into chunk: inout [UInt8], until deadline: Deadline) -> Received {
        while true {
            guard wait(fd, for: Int32(POLLIN), until: deadline) else { return .timedOut }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 { return .bytes(n) }
            if n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK) { continue }
            return .closed
        }
    }

    /// A parsed request line and headers.
    struct Request {
        var method: String
        var target: String
        var version: String
        var headers: [String: String]
    }

    /// Reads requests from one connection until it closes or asks to. Waiting for a request's first
    /// byte may take `limits.idleTimeout` in all; from that byte, its headers and body must arrive
    /// within `limits.requestTimeout` in all (one deadline, however the bytes are spread), else `408`.
    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        func fail(_ status: Int, _ reason: String, _ text: String) {
            _ = respond(fd, status: status, reason: reason, body: Array(text.utf8), type: "text/plain; charset=utf-8", head: false, keepAlive: false)
            close(fd)
        }
        while true {
            if buffer.isEmpty {
                switch Self.receive(fd, into: &chunk, until: Deadline(after: limits.idleTimeout)) {
                case let .bytes(n): buffer += chunk[0..<n]
                case .closed, .timedOut: close(fd); return
                }
            }
            let deadline = Deadline(after: limits.requestTimeout)
            // Read until the end of the headers.
            var headerEnd: Int? = Self.findHeaderEnd(buffer)
            while headerEnd == nil {
                if buffer.count > 16 * 1024 { return fail(431, "Request Header Fields Too Large", "Request headers too large\n") }
                switch Self.receive(fd, into: &chunk, until: deadline) {
                case let .bytes(n): buffer += chunk[0..<n]
                case .closed: close(fd); return
                case .timedOut: return fail(408, "Request Timeout", "Request not received in time\n")
                }
                headerEnd = Self.findHeaderEnd(buffer)
            }
            let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
            buffer.removeFirst(headerEnd! + 4)
            guard let request = Self.parse(head) else { return fail(400, "Bad Request", "Bad request\n") }
            // A body (not expected on GET/HEAD) is read and dropped, up to 1 MiB.
            if let length = request.headers["content-length"].flatMap({ Int($0) }), length > 0 {
                guard length <= 1_048_576 else { close(fd); return }
                while buffer.count < length {
                    switch Self.receive(fd, into: &chunk, until: deadline) {
                    case let .bytes(n): buffer += chunk[0..<n]
                    case .closed: close(fd); return
                    case .timedOut: return fail(408, "Request Timeout", "Request not received in time\n")
                    }
                }
                buffer.removeFirst(length)
            }
            let connection = request.headers["connection"]?.lowercased() ?? ""
            var keepAlive = request.version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
            if request.headers["transfer-encoding"] != nil { keepAlive = false }
            switch handle(request, fd: fd, keepAlive: keepAlive) {
            case .keptOpen:
                return  // an event stream: the fd now belongs to the client list
            case let .done(ok):
                if !ok || !keepAlive {
                    close(fd)
                    return
                }
            }
        }
    }

    static func findHeaderEnd(_ b: [UInt8]) -> Int? {
        guard b.count >= 4 else { return nil }
        for i in 0...(b.count - 4) where b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { return i }
        return nil
    }

    static func parse(_ head: String) -> Request? {
        let lines = head.components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { if line.isEmpty { continue } else { return nil } }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            guard !name.isEmpty, !name.contains(" ") else { return nil }
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return Request(method: parts[0], target: parts[1], version: parts[2], headers: headers)
    }

    enum Outcome {
        case done(Bool)
        case keptOpen
    }

    /// Answers one request.
    private func handle(_ request: Request, fd: Int32, keepAlive: Bool) -> Outcome {
        let head = request.method == "HEAD"
        func reply(_ status: Int, _ reason: String, _ text: String, extra: [(String, String)] = []) -> Outcome {
            .done(respond(fd, status: status, reason: reason, body: Array(text.utf8), type: "text/plain; charset=utf-8", head: head,
                          keepAlive: keepAlive, extra: extra))
        }
        guard request.method == "GET" || head else {
            return reply(405, "Method Not Allowed", "Only GET and HEAD\n", extra: [("Allow", "GET, HEAD")])
        }
        // Only local names: a page elsewhere that points its own host name at 127.0.0.1 gets nothing.
        if let host = request.headers["host"], !Self.isLocalHost(host) {
            return reply(403, "Forbidden", "Forbidden host\n")
        }
        var target = request.target
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            let rest = target.drop { $0 != "/" }.dropFirst(2)
            target = String(rest.drop { $0 != "/" })
        }
        let rawPath = String(target.prefix { $0 != "?" && $0 != "#" })
        guard rawPath.hasPrefix("/") else { return reply(400, "Bad Request", "Bad request target\n") }

        switch rawPath {
        case Self.eventsPath:
            return openEventStream(fd, head: head)
        case Self.scriptPath:
            return .done(respond(fd, status: 200, reason: "OK", body: Array(Self.reloadScript.utf8), type: "text/javascript; charset=utf-8",
                                 head: head, keepAlive: keepAlive))
        case Self.statusPath:
            let (gen, overlay) = lock.withLock { (generation, overlayHTML != nil) }
            return .done(respond(fd, status: 200, reason: "OK", body: Array("{\"generation\": \(gen), \"errors\": \(overlay)}\n".utf8),
                                 type: "application/json", head: head, keepAlive: keepAlive))
        default:
            break
        }

        guard let segments = Self.safeSegments(rawPath) else { return reply(403, "Forbidden", "Forbidden path\n") }
        var relative = segments.joined(separator: "/")
        var file = root.appendingPathComponent(relative)
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: file.path, isDirectory: &isDir)
        if exists, isDir.boolValue {
            if !rawPath.hasSuffix("/") {
                // An absolute address: some clients mishandle a relative Location.
                let host = request.headers["host"] ?? "127.0.0.1:\(port)"
                let query = target.dropFirst(rawPath.count)
                return .done(respond(fd, status: 301, reason: "Moved Permanently", body: [], type: "text/plain; charset=utf-8", head: head,
                                     keepAlive: keepAlive, extra: [("Location", "http://\(host)\(rawPath)/\(query)")]))
            }
            relative += relative.isEmpty ? "index.html" : "/index.html"
            file = root.appendingPathComponent(relative)
        }
        let type = Self.contentType(for: relative)
        let isHTML = type.hasPrefix("text/html")
        // While content has errors, every page is the error overlay.
        if isHTML || !exists, let overlay = lock.withLock({ overlayHTML }), isHTML || rawPath.hasSuffix("/") || !rawPath.contains(".") {
            return .done(respond(fd, status: 500, reason: "Content Errors", body: Array(inject(overlay).utf8), type: "text/html; charset=utf-8",
                                 head: head, keepAlive: keepAlive))
        }
        if let data = readInside(file.path), !isDirectory(file.path) {
            var body = [UInt8](data)
            if isHTML && liveReload { body = Array(inject(String(decoding: body, as: UTF8.self)).utf8) }
            return .done(respond(fd, status: 200, reason: "OK", body: body, type: type, head: head, keepAlive: keepAlive))
        }
        // Not found: the site's 404 page in the language of the path, else a plain one.
        let language = segments.first.flatMap { $0.count == 2 && FileManager.default.fileExists(atPath: root.appendingPathComponent("\($0)/404.html").path) ? $0 : nil }
        let page = readInside(root.appendingPathComponent(language.map { "\($0)/404.html" } ?? "404.html").path)
        let html = page.map { String(decoding: $0, as: UTF8.self) }
            ?? "<!DOCTYPE html><html lang=\"nb\"><meta charset=\"utf-8\"><title>Fant ikke siden</title><h1>Fant ikke siden</h1><p>\(ErrorOverlay.escape(rawPath))</p></html>"
        return .done(respond(fd, status: 404, reason: "Not Found", body: Array((liveReload ? inject(html) : html).utf8),
                             type: "text/html; charset=utf-8", head: head, keepAlive: keepAlive))
    }

    private func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// The file's bytes when it resolves (symbolic links followed) to somewhere inside the served folder.
    private func readInside(_ path: String) -> Data? {
        // The folder may be replaced by a new build at any time: resolve it per request.
        let realRoot = Self.realPath(root.path) ?? root.path
        guard let real = Self.realPath(path), real == realRoot || real.hasPrefix(realRoot + "/") else { return nil }
        return FileManager.default.contents(atPath: real)
    }

    /// The decoded path segments, or nil for anything that could leave the folder
    /// (`..`, `.`, encoded slashes or backslashes, NUL, bad percent-encoding).
    static func safeSegments(_ path: String) -> [String]? {
        var out: [String] = []
        for raw in path.split(separator: "/", omittingEmptySubsequences: true) {
            guard let decoded = String(raw).removingPercentEncoding else { return nil }
            if decoded == ".." || decoded == "." || decoded.contains("/") || decoded.contains("\\") || decoded.contains("\0") { return nil }
            out.append(decoded)
        }
        return out
    }

    static func isLocalHost(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("[") {
            name = String(name.prefix { $0 != "]" }) + "]"
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return name == "127.0.0.1" || name == "localhost" || name == "[::1]"
    }

    /// Adds the reload script before `</body>` (or at the end).
    func inject(_ html: String) -> String {
        guard liveReload else { return html }
        let tag = "<script src=\"\(Self.scriptPath)\" defer></script>"
        if let range = html.range(of: "</body>", options: [.caseInsensitive, .backwards]) {
            return html.replacingCharacters(in: range, with: tag + "\n</body>")
        }
        return html + tag
    }

    /// Reloads the page on a `reload` event; after a lost connection, reloads if a reload was missed.
    static let reloadScript = """
    (function () {
      if (!window.EventSource) return;
      var seen = null;
      var source = new EventSource("\(eventsPath)");
      source.addEventListener("hello", function (e) {
        if (seen !== null && e.data !== seen) location.reload();
        seen = e.data;
      });
      source.addEventListener("reload", function (e) {
        var d = JSON.parse(e.data);
        seen = String(d.generation);
        var here = location.pathname.replace(/index\\.html$/, "");
        if (d.paths === "*" || d.paths.indexOf(here) >= 0) location.reload();
      });
    })();

    """

    /// Joins `fd` to the live-reload streams. From here on it is written only without waiting: its
    /// header and first event are its first pending bytes, sent now or by the housekeeper.
    private func openEventStream(_ fd: Int32, head: Bool) -> Outcome {
        var text = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n"
        text += "X-Content-Type-Options: nosniff\r\n\r\n"
        if head { return .done(Self.sendAll(fd, Array(text.utf8), until: Deadline(after: limits.sendTimeout))) }
        enum Joined { case joined, full, stopped }
        let joined: Joined = lock.withLock {
            if stopped { return .stopped }
            if eventClients.count >= limits.eventStreams { pruneEventStreams() }
            guard eventClients.count < limits.eventStreams else { return .full }
            // Under the lock: no reload can come between the generation in `hello` and joining the list.
            eventClients.append(EventClient(fd: fd, pending: Array((text + "retry: 500\nevent: hello\ndata: \(generation)\n\n").utf8)))
            if !flushEvents(at: eventClients.count - 1) { drop([fd]) }
            return .joined
        }
        switch joined {
        case .joined:
            return .keptOpen
        case .stopped:
            close(fd)
            return .keptOpen
        case .full:
            _ = respond(fd, status: 503, reason: "Service Unavailable", body: Array("Too many live-reload streams\n".utf8),
                        type: "text/plain; charset=utf-8", head: false, keepAlive: false, extra: [("Retry-After", "5")])
            return .done(false)
        }
    }

    /// Writes a whole response; false when the peer is gone.
    private func respond(_ fd: Int32, status: Int, reason: String, body: [UInt8], type: String, head: Bool, keepAlive: Bool,
                         extra: [(String, String)] = []) -> Bool {
        var text = "HTTP/1.1 \(status) \(reason)\r\n"
        text += "Content-Type: \(type)\r\nContent-Length: \(body.count)\r\n"
        text += "Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n"
        text += "Date: \(Self.httpDate())\r\nServer: tilbud-serve\r\n"
        text += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n"
        for (k, v) in extra { text += "\(k): \(v)\r\n" }
        text += "\r\n"
        var bytes = Array(text.utf8)
        if !head { bytes += body }
        return Self.sendAll(fd, bytes, until: Deadline(after: limits.sendTimeout))
    }

    static func httpDate() -> String {
        var t = time(nil)
        var tm = tm()
        gmtime_r(&t, &tm)
        var buf = [Int8](repeating: 0, count: 64)
        let n = strftime(&buf, buf.count, "%a, %d %b %Y %H:%M:%S GMT", &tm)
        return String(decoding: buf[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The Content-Type for a file name.
    public static func contentType(for path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last ?? "").lowercased() : ""
        switch ext {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "json": return "application/json"
        case "geojson": return "application/geo+json"
        case "jsonld": return "application/ld+json"
        case "webmanifest": return "application/manifest+json"
        case "xml": return "application/xml"
        case "atom": return "application/atom+xml"
        case "rss": return "application/rss+xml"
        case "txt": return "text/plain; charset=utf-8"
        case "csv": return "text/csv; charset=utf-8"
        case "md": return "text/markdown; charset=utf-8"
        case "yaml", "yml": return "application/yaml"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/x-icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        case "otf": return "font/otf"
        case "wasm": return "application/wasm"
        case "pdf": return "application/pdf"
        case "gz": return "application/gzip"
        case "zip": return "application/zip"
        case "bin": return "application/octet-stream"
        default: return "application/octet-stream"
        }
    }
}

/// A point on the monotonic clock (not moved by changes of the wall clock).
struct Deadline {
    let nanoseconds: UInt64

    static var nowNanoseconds: UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_MONOTONIC, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }

    /// Now, as seconds on the monotonic clock.
    static var now: TimeInterval { TimeInterval(nowNanoseconds) / 1e9 }

    init(after seconds: TimeInterval) {
        nanoseconds = Deadline.nowNanoseconds + UInt64(max(0, min(seconds, 1e9)) * 1e9)
    }

    /// Milliseconds until the deadline, rounded up (so a wait does not end just short of it); 0 once passed.
    var millisecondsLeft: Int32 {
        let now = Deadline.nowNanoseconds
        guard nanoseconds > now else { return 0 }
        return Int32(min((nanoseconds - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }
}

extension DevServer {
    /// The path with every link resolved, nil when it does not exist.
    static func realPath(_ path: String) -> String? {
        path.withCString { p in
            guard let r = realpath(p, nil) else { return nil }
            defer { free(r) }
            return String(cString: r)
        }
    }
}
