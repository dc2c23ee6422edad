import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#endif

/// A response as the tests look at it.
struct HTTPResponse {
    let status: Int
    let headers: [String: String]
    let body: Data
    var text: String { String(decoding: body, as: UTF8.self) }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// GET with URLSession: a real HTTP client (libcurl on Linux), redirects followed, nothing cached.
enum HTTPClient {
    static func get(_ url: String, timeout: TimeInterval = 30) -> HTTPResponse? {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalAndRemoteCacheData
        configuration.urlCache = nil
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = timeout
        let done = DispatchSemaphore(value: 0)
        let box = ResponseBox()
        session.dataTask(with: request) { data, response, _ in
            if let http = response as? HTTPURLResponse {
                var headers: [String: String] = [:]
                for (k, v) in http.allHeaderFields { headers[String(describing: k).lowercased()] = String(describing: v) }
                box.value = HTTPResponse(status: http.statusCode, headers: headers, body: data ?? Data())
            }
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + timeout + 1)
        return box.value
    }
}

final class ResponseBox: @unchecked Sendable {
    var value: HTTPResponse?
}

/// Connects the socket `fd` to 127.0.0.1:`port`; false when that fails.
func connectToLoopback(_ fd: Int32, port: UInt16) -> Bool {
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let ok = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    return ok == 0
}

/// A raw TCP connection to 127.0.0.1, for what URLSession would tidy away (dot segments, methods,
/// bad hosts, keep-alive, event streams).
final class RawConnection {
    let fd: Int32
    private var buffer: [UInt8] = []

    init?(port: UInt16, timeout: Int = 10) {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard connectToLoopback(fd, port: port) else { close(fd); return nil }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads more bytes; false at the end or on timeout.
    private func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return false }
        buffer += chunk[0..<n]
        return true
    }

    /// One response (headers and a Content-Length body).
    func readResponse(head: Bool = false) -> HTTPResponse? {
        while true {
            if let end = find([13, 10, 13, 10]) {
                let headText = String(decoding: buffer[0..<end], as: UTF8.self)
                var lines = headText.components(separatedBy: "\r\n")
                let statusLine = lines.removeFirst().split(separator: " ")
                guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
                var headers: [String: String] = [:]
                for line in lines {
                    guard let colon = line.firstIndex(of: ":") else { continue }
                    headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                }
                let length = head ? 0 : Int(headers["content-length"] ?? "0") ?? 0
                while buffer.count < end + 4 + length { if !fill() { return nil } }
                let body = Data(buffer[(end + 4)..<(end + 4 + length)])
                buffer.removeFirst(end + 4 + length)
                return HTTPResponse(status: status, headers: headers, body: body)
            }
            if !fill() { return nil }
        }
    }

    /// Sends one request and reads its response.
    func request(_ method: String, _ target: String, host: String = "127.0.0.1", extra: String = "") -> HTTPResponse? {
        send("\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n\(extra)\r\n")
        return readResponse(head: method == "HEAD")
    }

    /// The next server-sent event (`event` and `data`), or nil on timeout.
    func nextEvent() -> (event: String, data: String)? {
        while true {
            if let end = find([10, 10]) {
                let block = String(decoding: buffer[0..<end], as: UTF8.self)
                buffer.removeFirst(end + 2)
                var event = "message", data = ""
                for line in block.components(separatedBy: "\n") {
                    if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
                    if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
                }
                if block.hasPrefix(":") || block.hasPrefix("HTTP/") && !block.contains("event:") { continue }
                return (event, data)
            }
            if let end = find([13, 10, 13, 10]), String(decoding: buffer[0..<4], as: UTF8.self) == "HTTP" {
                buffer.removeFirst(end + 4)
                continue
            }
            if !fill() { return nil }
        }
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where buffer[i] == needle[0] && Array(buffer[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}
