// A small deterministic pseudo-random generator, so that a corpus depends on
// its seed alone (never on the system generator or the clock).

/// SplitMix64: 64-bit state, one multiply-xorshift mix per value. Also the tests' reproducible random source.
public struct SplitMix64: RandomNumberGenerator {
    public private(set) var state: UInt64

    /// A generator whose first value mixes `state` advanced once.
    public init(state: UInt64) {
        self.state = state
    }

    /// An independent stream for one (seed, stream) pair, so offers do not depend on each other's draws.
    init(seed: UInt64, stream: UInt64) {
        self.state = SplitMix64.mix(seed ^ SplitMix64.mix(stream &+ 0x6A09_E667_F3BC_C909))
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A value in 0..<bound (0 when bound <= 0); the modulo bias is negligible for our small bounds.
    public mutating func below(_ bound: Int) -> Int {
        guard bound > 0 else { return 0 }
        return Int(next() % UInt64(bound))
    }

    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A value in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// One element; `fallback` when the array is empty.
    mutating func pick<T>(_ items: [T], or fallback: T) -> T {
        items.isEmpty ? fallback : items[below(items.count)]
    }

    /// Up to `count` distinct elements, in the order drawn.
    mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        var pool = items
        var result: [T] = []
        while result.count < count, !pool.isEmpty {
            result.append(pool.remove(at: below(pool.count)))
        }
        return result
    }
}
