import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Watches folders for changed, added and removed files and reports them in batches.
///
/// On Linux it uses inotify (a change is seen within milliseconds, at no cost while idle); elsewhere, or
/// when inotify is unavailable, it polls: a stat walk every `pollInterval`.
public final class FileWatcher: @unchecked Sendable {
    /// The folders watched, recursively.
    public let roots: [URL]
    /// How long to wait for more events before reporting a batch.
    public let settle: TimeInterval
    /// How often the polling fallback walks the folders.
    public let pollInterval: TimeInterval
    private let onChange: @Sendable ([String]) -> Void
    private let lock = NSLock()
    private var running = false
    private var thread: Thread?
    /// True when inotify is in use.
    public private(set) var usesInotify = false

    /// Creates a watcher; `onChange` gets absolute paths, on the watcher's thread.
    public init(roots: [URL], settle: TimeInterval = 0.005, pollInterval: TimeInterval = 0.25, forcePolling: Bool = false,
                onChange: @escaping @Sendable ([String]) -> Void) {
        self.roots = roots.map { $0.standardizedFileURL }
        self.settle = settle
        self.pollInterval = pollInterval
        self.onChange = onChange
        self.forcePolling = forcePolling
    }

    private let forcePolling: Bool

    /// Starts watching on a background thread.
    public func start() {
        lock.withLock { running = true }
        #if os(Linux)
        if !forcePolling, let inotify = Inotify(roots: roots) {
            usesInotify = true
            let t = Thread { [weak self] in self?.runInotify(inotify) }
            t.name = "tilbud-watch"
            thread = t
            t.start()
            return
        }
        #endif
        let first = Self.snapshot(roots)
        let t = Thread { [weak self] in
            var snapshot = first
            while let self, self.lock.withLock({ self.running }) {
                Thread.sleep(forTimeInterval: self.pollInterval)
                let now = Self.snapshot(self.roots)
                var changed: [String] = []
                for (path, sig) in now where snapshot[path] != sig { changed.append(path) }
                for path in snapshot.keys where now[path] == nil { changed.append(path) }
                snapshot = now
                if !changed.isEmpty { self.onChange(changed.sorted()) }
            }
        }
        t.name = "tilbud-watch"
        thread = t
        t.start()
    }

    /// Stops watching (the thread ends within one poll or settle interval).
    public func stop() {
        lock.withLock { running = false }
    }

    /// (mtime in ns, size, inode) per file under `roots`.
    static func snapshot(_ roots: [URL]) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        func walk(_ dir: String, depth: Int) {
            guard depth < 8, let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return }
            for name in names {
                let path = dir + "/" + name
                var st = stat()
                guard lstat(path, &st) == 0 else { continue }
                #if os(Linux)
                let mtime = Int(st.st_mtim.tv_sec) * 1_000_000_000 + Int(st.st_mtim.tv_nsec)
                #else
                let mtime = Int(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int(st.st_mtimespec.tv_nsec)
                #endif
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    walk(path, depth: depth + 1)
                } else {
                    out[path] = [mtime, Int(st.st_size), Int(st.st_ino)]
                }
            }
        }
        for root in roots { walk(root.path, depth: 0) }
        return out
    }

    #if os(Linux)
    private func runInotify(_ inotify: Inotify) {
        defer { inotify.close() }
        var pending = Set<String>()
        while lock.withLock({ running }) {
            // Wait for events (or time out to notice stop()); then gather until quiet for `settle`.
            let timeout: Int32 = pending.isEmpty ? 200 : Int32(max(1, settle * 1000))
            if inotify.wait(milliseconds: timeout) {
                pending.formUnion(inotify.read())
                continue
            }
            if !pending.isEmpty {
                let batch = pending.sorted()
                pending.removeAll()
                onChange(batch)
            }
        }
    }
    #endif
}

#if os(Linux)
/// inotify watches on every folder under the roots, added as folders appear.
final class Inotify {
    let fd: Int32
    private var folders: [Int32: String] = [:]
    private let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE | IN_ATTRIB | IN_DELETE_SELF | IN_MOVE_SELF)

    init?(roots: [URL]) {
        fd = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard fd >= 0 else { return nil }
        for root in roots {
            guard addTree(root.path, depth: 0) != nil else {
                Glibc.close(fd)
                return nil
            }
        }
    }

    func close() {
        Glibc.close(fd)
    }

    /// Watches `dir` and its sub-folders; returns the files found (they may be new), or nil when a watch failed.
    @discardableResult
    func addTree(_ dir: String, depth: Int) -> [String]? {
        guard depth < 8 else { return [] }
        let wd = inotify_add_watch(fd, dir, mask)
        if wd < 0 { return errno == ENOENT ? [] : nil }
        folders[wd] = dir
        var files: [String] = []
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            let path = dir + "/" + name
            var st = stat()
            guard lstat(path, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                files += addTree(path, depth: depth + 1) ?? []
            } else {
                files.append(path)
            }
        }
        return files
    }

    /// True when events are ready within `milliseconds`.
    func wait(milliseconds: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, milliseconds) > 0
    }

    /// Reads the events waiting; returns the paths they name.
    func read() -> [String] {
        var out: [String] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= n {
                let (wd, eventMask, length) = buffer.withUnsafeBytes { raw -> (Int32, UInt32, Int) in
                    let e = raw.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                    return (e.wd, e.mask, Int(e.len))
                }
                let nameStart = offset + MemoryLayout<inotify_event>.size
                let nameBytes = buffer[nameStart..<min(n, nameStart + length)].prefix { $0 != 0 }
                let name = String(decoding: nameBytes, as: UTF8.self)
                offset = nameStart + length
                guard let dir = folders[wd] else { continue }
                if eventMask & UInt32(IN_IGNORED) != 0 {
                    folders[wd] = nil
                    continue
                }
                let path = name.isEmpty ? dir : dir + "/" + name
                out.append(path)
                if eventMask & UInt32(IN_ISDIR) != 0, eventMask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    out += addTree(path, depth: 1) ?? []
                }
            }
        }
        return out
    }
}
#endif
