import Foundation

/// Asks the kernel to start reading files that a parallel pass is about to read, so that pass does not wait for
/// the disk one file at a time.
///
/// A content folder that is not in the page cache (a fresh clone, a CI runner, or one that a big build pushed out)
/// is read at the disk's latency: each of the pass's workers, one per core, waits for its file's folder entry,
/// inode and data before it can parse. At 100,000 offers on ext4 that made `check` take 25.9 s cold against
/// 7.7 s warm. A few threads that only open each file, call `posix_fadvise(POSIX_FADV_WILLNEED)` and close it
/// keep many reads in flight; they wait on the disk, not on a core, and parse nothing. They are started only when
/// a sample of the files is not in the page cache (`ifNeeded`), so a warm folder pays nothing.
///
/// The files are only opened: nothing is read into this process, a link is not followed (`O_NOFOLLOW`), and a
/// FIFO or device does not block (`O_NONBLOCK`). The pass itself still reads and checks every file as before,
/// so read-ahead changes only when the bytes reach the page cache, never what is read.
///
/// The same threads can instead `lstat` each path (`Work.inode`): a rebuild checks every file of the previous output
/// it reuses by its size and age before keeping it, and after a reboot each of those looks waits for the disk too.
public final class ReadAhead: @unchecked Sendable {
    /// What each thread does with a path.
    public enum Work: Sendable {
        /// Opens the file and asks for its data (`posix_fadvise(POSIX_FADV_WILLNEED)`).
        case data
        /// Looks the file up (`lstat`), which brings its folder entry and inode into memory.
        case inode
    }

    private let count: Int
    private let lock = NSLock()
    private var next = 0
    private var stopped = false
    private let done = DispatchGroup()

    /// Starts `work` on `path(0) ..< path(count)` when a sample of those files is not in the page cache
    /// (`needed(count:path:)`); nil when they all seem to be, so a warm folder costs a few dozen system calls.
    public static func ifNeeded(count: Int, path: @escaping @Sendable (Int) -> String, work: Work) -> ReadAhead? {
        needed(count: count, path: path) ? ReadAhead(count: count, path: path, work: work) : nil
    }

    /// Starts `threads` threads that go through `paths` in order.
    convenience init(_ paths: [String], work: Work = .data, threads: Int = 8) {
        self.init(count: paths.count, path: { paths[$0] }, work: work, threads: threads)
    }

    /// Starts `threads` threads that go through `path(0) ..< path(count)` in order (the paths made as they are taken,
    /// so a list of 344,000 is not held as strings).
    public init(count: Int, path: @escaping @Sendable (Int) -> String, work: Work = .data, threads: Int = 8) {
        self.count = count
        guard count > 0 else { return }
        for _ in 0..<max(1, min(threads, count)) {
            done.enter()
            let thread = Thread { [self] in
                defer { done.leave() }
                while let k = take() {
                    switch work {
                    case .data: Self.advise(path(k))
                    case .inode: Self.lookUp(path(k))
                    }
                }
            }
            thread.stackSize = 256 * 1024
            thread.start()
        }
    }

    /// Stops the threads (each finishes the file it has open) and waits for them.
    public func stop() {
        lock.withLock { stopped = true }
        done.wait()
    }

    private func take() -> Int? {
        lock.withLock {
            guard !stopped, next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    /// How many paths have been handed to a thread so far (for tests).
    var handedOut: Int { lock.withLock { next } }

    /// True when some of `paths` are not in the page cache: up to `samples` of them, spread evenly over the list,
    /// are looked at with `mincore`, which reads nothing. A warm folder then costs a few dozen system calls instead
    /// of three per file for read-ahead that would find everything already there.
    static func needed(for paths: [String], samples: Int = 32) -> Bool {
        needed(count: paths.count, path: { paths[$0] }, samples: samples)
    }

    /// `needed(for:)` for the paths `path(0) ..< path(count)`.
    public static func needed(count: Int, path: (Int) -> String, samples: Int = 32) -> Bool {
        #if !os(Linux)
        // `posix_fadvise` is Linux's (and `mincore` takes another type elsewhere): elsewhere files are read as they come.
        return false
        #endif
        guard count > 0 else { return false }
        let n = min(samples, count)
        for k in 0..<n where isCached(path(k * count / n)) == false { return true }
        return false
    }

    /// Whether the first page of the regular file at `path` is in the page cache; nil when that cannot be told
    /// (not a regular file, empty, or not mappable).
    static func isCached(_ path: String) -> Bool? {
        #if os(Linux)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 else { return nil }
        let length = min(Int(st.st_size), Int(sysconf(Int32(_SC_PAGESIZE))))
        guard let map = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), map != MAP_FAILED else { return nil }
        defer { munmap(map, length) }
        var resident: UInt8 = 0
        guard mincore(map, length, &resident) == 0 else { return nil }
        return resident & 1 == 1
        #else
        return nil
        #endif
    }

    static func lookUp(_ path: String) {
        var info = stat()
        _ = lstat(path, &info)
    }

    static func advise(_ path: String) {
        #if os(Linux)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = posix_fadvise(fd, 0, 0, Int32(POSIX_FADV_WILLNEED))
        close(fd)
        #endif
    }
}
