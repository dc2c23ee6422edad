import Foundation
import TilbudDiagnostics
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
public final class DevServer: @unchecked Sendable {
    /// The folder served.
    public let root: URL
    /// The port it listens on (the one the system chose when 0 was asked for).
    public private(set) var port: UInt16 = 0
    /// Whether HTML responses get the live-reload script.
    public let liveReload: Bool

    private let listener: Int32
    private let lock = NSLock()
    private var eventClients: [Int32] = []
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
    public init(root: URL, port: UInt16, liveReload: Bool = true) throws {
        self.root = root.standardizedFileURL
        self.liveReload = liveReload
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
            let c = eventClients
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

    /// Tells open pages to reload: those showing one of `paths` (URL paths such as `/tilbud/a/b/`), or all when nil.
    public func reload(paths: [String]? = nil) {
        let list = paths.map { "[" + $0.map(JSON.quote).joined(separator: ",") + "]" } ?? "\"*\""
        lock.withLock {
            generation += 1
            broadcast(Array("event: reload\ndata: {\"generation\": \(generation), \"paths\": \(list)}\n\n".utf8))
        }
    }

    /// Sends to every event stream and drops those that are gone; call with `lock` held, so no
    /// descriptor is closed (and its number reused) while it is written to.
    private func broadcast(_ message: [UInt8]) {
        var dead: [Int32] = []
        for fd in eventClients where !Self.sendAll(fd, message) { dead.append(fd) }
        guard !dead.isEmpty else { return }
        eventClients.removeAll { dead.contains($0) }
        for fd in dead { close(fd) }
    }

    private func acceptLoop() {
        // A comment on every stream now and then finds pages that went away.
        let keepAlive = Thread { [weak self] in
            while let self, !self.lock.withLock({ self.stopped }) {
                Thread.sleep(forTimeInterval: 15)
                self.lock.withLock {
                    if !self.stopped { self.broadcast(Array(": keep-alive\n\n".utf8)) }
                }
            }
        }
        keepAlive.start()
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                if lock.withLock({ stopped }) { return }
                if errno == EMFILE || errno == ENFILE { Thread.sleep(forTimeInterval: 0.05); continue }
                return
            }
            #if os(macOS)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
            #endif
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            let thread = Thread { [weak self] in
                guard let self else { close(fd); return }
                self.serve(fd)
            }
            thread.start()
        }
    }

    /// Writes every byte; false when the peer is gone.
    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            #if os(Linux)
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #else
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            #endif
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// A parsed request line and headers.
    struct Request {
        var method: String
        var target: String
        var version: String
        var headers: [String: String]
    }

    /// Reads requests from one connection until it closes or asks to.
    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            // Read until the end of the headers.
            var headerEnd: Int? = Self.findHeaderEnd(buffer)
            while headerEnd == nil {
                if buffer.count > 16 * 1024 {
                    _ = respond(fd, status: 431, reason: "Request Header Fields Too Large", body: Array("Request headers too large\n".utf8),
                                type: "text/plain; charset=utf-8", head: false, keepAlive: false)
                    close(fd)
                    return
                }
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { close(fd); return }
                buffer += chunk[0..<n]
                headerEnd = Self.findHeaderEnd(buffer)
            }
            let head = String(decoding: buffer[0..<headerEnd!], as: UTF8.self)
            buffer.removeFirst(headerEnd! + 4)
            guard let request = Self.parse(head) else {
                _ = respond(fd, status: 400, reason: "Bad Request", body: Array("Bad request\n".utf8), type: "text/plain; charset=utf-8",
                            head: false, keepAlive: false)
                close(fd)
                return
            }
            // A body (not expected on GET/HEAD) is read and dropped, up to 1 MiB.
            if let length = request.headers["content-length"].flatMap({ Int($0) }), length > 0 {
                guard length <= 1_048_576 else { close(fd); return }
                while buffer.count < length {
                    let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { close(fd); return }
                    buffer += chunk[0..<n]
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
        let realRoot = SubsetChecker.realPath(root.path) ?? root.path
        guard let real = SubsetChecker.realPath(path), real == realRoot || real.hasPrefix(realRoot + "/") else { return nil }
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

    private func openEventStream(_ fd: Int32, head: Bool) -> Outcome {
        let gen = lock.withLock { generation }
        var text = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n"
        text += "X-Content-Type-Options: nosniff\r\n\r\n"
        if head { return .done(Self.sendAll(fd, Array(text.utf8))) }
        text += "retry: 500\nevent: hello\ndata: \(gen)\n\n"
        guard Self.sendAll(fd, Array(text.utf8)) else { return .done(false) }
        let added: Bool = lock.withLock {
            if stopped { return false }
            eventClients.append(fd)
            return true
        }
        if !added { close(fd) }
        return .keptOpen
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
        return Self.sendAll(fd, bytes)
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
