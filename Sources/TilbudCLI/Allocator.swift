#if canImport(Glibc)
import Glibc
#endif

/// Settings for the C allocator in commands that allocate and free a great deal in a short time (`build`).
///
/// glibc's defaults suit long-lived programs that should give memory back: every free at the top of the
/// heap above 128 KiB trims it (a system call), the heap grows a page run at a time, and blocks from 128 KiB
/// up (a list page's buffer, a batch of feed records) are each mapped and unmapped. A build of 10,000
/// offers does that tens of thousands of times; `tilbud build --timings` shows it as system time and page
/// faults. A build lives for seconds, so it keeps what it frees (peak memory is unchanged: the same blocks
/// are reused) and grows the heap in larger steps.
enum Allocator {
    /// glibc's `mallopt` parameters (`<malloc.h>`, which the Glibc module does not bring in).
    private static let trimThreshold: Int32 = -1, topPad: Int32 = -2, mmapThreshold: Int32 = -3

    /// Keeps freed memory for reuse and grows the heap in 64 MiB steps; no-op where the C library has no `mallopt`.
    static func tuneForBuild() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = cFunction("mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        _ = mallopt(trimThreshold, 256 << 20)
        _ = mallopt(topPad, 64 << 20)
        _ = mallopt(mmapThreshold, 32 << 20)
        #endif
    }

    /// Gives the free memory of every arena back to the system (`malloc_trim(0)`); no-op elsewhere. Between the stages
    /// of a large build: the pages' buffers were freed in the arenas of the threads that rendered them, and the search
    /// index, built next in other arenas, would otherwise add to them. At 100,000 offers over an existing output it
    /// lowered the peak from 1,011–1,043 MiB to 991–1,004 MiB (the memory held after the pages: 903 → 763 MiB).
    static func giveBackFreeMemory() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = cFunction("malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }

    #if canImport(Glibc)
    /// A C library function by name, looked up at run time (`<malloc.h>` is not in the Glibc module).
    private static func cFunction(_ name: String) -> UnsafeMutableRawPointer? {
        guard let program = dlopen(nil, RTLD_NOW) else { return nil }
        return dlsym(program, name)
    }
    #endif
}
