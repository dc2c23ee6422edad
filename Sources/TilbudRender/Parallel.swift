import Foundation

/// Work spread over the cores: each worker takes the next item when it is done with one, so a core that other
/// work slows down takes fewer.
public enum Parallel {
    /// Workers to use.
    public static let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 16))

    /// Calls `body(worker, item)` for every item in `0 ..< count`, on up to `workers` threads at once; a worker's
    /// calls come one after another, so per-worker state indexed by `worker` needs no lock.
    public static func run(_ count: Int, _ body: (_ worker: Int, _ item: Int) -> Void) {
        let n = min(workers, count)
        if n <= 1 {
            for i in 0..<count { body(0, i) }
            return
        }
        let next = Counter()
        DispatchQueue.concurrentPerform(iterations: n) { w in
            while true {
                let i = next.take()
                if i >= count { return }
                body(w, i)
            }
        }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0

        func take() -> Int {
            lock.withLock {
                defer { value += 1 }
                return value
            }
        }
    }
}
