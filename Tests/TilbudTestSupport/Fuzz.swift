import Foundation
import TilbudCorpus

/// Settings of a fuzz run: a fixed seed and number of iterations, so CI runs the same inputs every time.
///
/// `TILBUD_FUZZ_ITERATIONS=N` runs N iterations per fuzz test instead of the default (a longer local run),
/// `TILBUD_FUZZ_SEED=S` (decimal or 0x… hex) starts from another seed. An input that breaks a property is
/// written to `TILBUD_FUZZ_OUT` (default: the temporary folder, `tilbud-fuzz/<target>/`) to be kept as a
/// fixture in `Tests/Fixtures/fuzz/<target>/`.
public struct FuzzSettings: Sendable {
    public let iterations: Int
    public let seed: UInt64

    public init(defaultIterations: Int, defaultSeed: UInt64) {
        let env = ProcessInfo.processInfo.environment
        iterations = env["TILBUD_FUZZ_ITERATIONS"].flatMap { Int($0) }.map { max(0, $0) } ?? defaultIterations
        seed = env["TILBUD_FUZZ_SEED"].flatMap(Self.parseSeed) ?? defaultSeed
    }

    static func parseSeed(_ s: String) -> UInt64? {
        s.lowercased().hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s)
    }

    /// Where a failing input of `target` is written.
    public static func outputFolder(_ target: String) -> URL {
        let base = ProcessInfo.processInfo.environment["TILBUD_FUZZ_OUT"].map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-fuzz")
        return base.appendingPathComponent(target, isDirectory: true)
    }

    /// Saves a failing input of `target` and returns its path, for the failure message.
    @discardableResult
    public static func save(_ bytes: [UInt8], target: String, name: String) -> String {
        let url = outputFolder(target).appendingPathComponent(name)
        try? FileTree.write(Data(bytes), to: url)
        return url.path
    }
}

/// The corpus kept in `Tests/Fixtures/fuzz/<target>/`: inputs that found a bug, and inputs at the edges (limits,
/// deepest nesting), replayed through the same properties as the fuzzer's inputs.
public enum FuzzCorpus {
    public static func folder(_ target: String) -> URL {
        TestPaths.fixtures.appendingPathComponent("fuzz/\(target)", isDirectory: true)
    }

    /// Every file of `target`'s corpus with its bytes, by name, sorted.
    public static func files(_ target: String) -> [(name: String, bytes: [UInt8])] {
        let folder = folder(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().filter { !$0.hasPrefix(".") }.compactMap { name in
            (try? Data(contentsOf: folder.appendingPathComponent(name))).map { (name, Array($0)) }
        }
    }
}

/// The fuzzers' random source: SplitMix64 (as the corpus generator uses) with the draws mutators need.
public struct FuzzRandom {
    private var generator: SplitMix64

    public init(seed: UInt64) { generator = SplitMix64(state: seed) }

    /// An independent stream for iteration `index` of a run: an input can be rebuilt from (seed, index) alone.
    public init(seed: UInt64, index: Int) {
        var g = SplitMix64(state: seed ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
        _ = g.next()
        generator = g
    }

    public mutating func next() -> UInt64 { generator.next() }
    /// 0..<bound (0 when bound <= 0).
    public mutating func below(_ bound: Int) -> Int { generator.below(bound) }
    public mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + below(range.count) }
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

/// Structure-aware mutations of text given as UTF-8 bytes: tokens of the input's language inserted at line
/// starts, after `: ` or anywhere; ranges deleted, duplicated, swapped or spliced from another seed; truncation;
/// deep nesting; long lines; line-end changes; invalid UTF-8 and control characters.
public struct Mutator {
    /// Tokens of the input's language (YAML, Markdown, HTML, …).
    public let tokens: [String]
    /// Other inputs, for splicing.
    public let seeds: [[UInt8]]
    /// Whether byte-level mutations that make the text invalid UTF-8 are allowed.
    public let allowInvalidUTF8: Bool
    /// Openers that nest: each is repeated `depth` times to make deep nesting.
    public let nesters: [(open: String, close: String)]

    /// How many times a token is repeated to make a long line.
    public let longLines: [Int]

    public init(tokens: [String], seeds: [[UInt8]], allowInvalidUTF8: Bool, nesters: [(open: String, close: String)],
                longLines: [Int] = [200, 5_000, 60_000]) {
        self.tokens = tokens
        self.seeds = seeds
        self.allowInvalidUTF8 = allowInvalidUTF8
        self.nesters = nesters
        self.longLines = longLines
    }

    /// Broken UTF-8: a lone continuation byte, an overlong NUL, a surrogate, a cut sequence, bytes never valid.
    public static let invalidUTF8: [[UInt8]] = [[0x80], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xFF], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC3]]
    /// Characters no record may hold, and some that are allowed but unusual.
    public static let oddCharacters: [String] = ["\u{0}", "\u{7}", "\u{1B}", "\u{7F}", "\u{85}", "\u{9B}", "\u{2028}", "\u{2029}", "\u{202E}", "\u{2066}",
                                                 "\u{200B}", "\u{FEFF}", "\u{A0}", "\r", "\r\n", "\t", "\u{C}", "\u{B}", "\u{FFFD}", "😀", "𝕏", "é", "e\u{301}", "Å"]

    /// Applies 1 to `maxSteps` mutations to `input`.
    public func mutate(_ input: [UInt8], _ random: inout FuzzRandom, maxSteps: Int = 4) -> [UInt8] {
        var bytes = input
        for _ in 0..<random.int(1...maxSteps) { step(&bytes, &random) }
        return bytes
    }

    /// A position that starts a UTF-8 character (or the end).
    func boundary(_ bytes: [UInt8], _ random: inout FuzzRandom) -> Int {
        var at = random.below(bytes.count + 1)
        while at < bytes.count, bytes[at] & 0xC0 == 0x80 { at += 1 }
        return at
    }

    /// Starts of lines, and places right after `: ` (where a YAML value begins).
    func interestingPositions(_ bytes: [UInt8]) -> [Int] {
        var out = [0]
        for i in bytes.indices {
            if bytes[i] == 0x0A { out.append(i + 1) }
            if bytes[i] == 0x3A, i + 1 < bytes.count, bytes[i + 1] == 0x20 { out.append(i + 2) }
        }
        return out
    }

    func range(_ bytes: [UInt8], _ random: inout FuzzRandom, maxLength: Int = 64) -> Range<Int> {
        let start = boundary(bytes, &random)
        var end = min(bytes.count, start + random.int(1...maxLength))
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return start..<end
    }

    /// A whole line (without its line end).
    func lineRange(_ bytes: [UInt8], _ random: inout FuzzRandom) -> Range<Int> {
        let starts = interestingPositions(bytes).filter { $0 == 0 || bytes[$0 - 1] == 0x0A }
        let start = random.pick(starts)
        let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        return start..<end
    }

    func step(_ bytes: inout [UInt8], _ random: inout FuzzRandom) {
        switch random.below(17) {
        case 0, 1, 2: // a token anywhere
            bytes.insert(contentsOf: Array(random.pick(tokens).utf8), at: boundary(bytes, &random))
        case 3, 4: // a token where YAML and Markdown constructs start
            bytes.insert(contentsOf: Array(random.pick(tokens).utf8), at: random.pick(interestingPositions(bytes)))
        case 5: // delete a range
            bytes.removeSubrange(range(bytes, &random))
        case 6: // duplicate a range or a whole line
            let r = random.chance(50) ? range(bytes, &random) : lineRange(bytes, &random)
            let copy = Array(bytes[r]) + (random.chance(50) ? [0x0A] : [])
            bytes.insert(contentsOf: copy, at: random.chance(50) ? r.upperBound : boundary(bytes, &random))
        case 7: // splice part of another seed in
            guard !seeds.isEmpty else { return }
            let other = random.pick(seeds)
            let r = range(other, &random, maxLength: 400)
            bytes.insert(contentsOf: other[r], at: random.chance(50) ? random.pick(interestingPositions(bytes)) : boundary(bytes, &random))
        case 8: // truncate
            bytes.removeSubrange(boundary(bytes, &random)...)
        case 9: // deep nesting
            let (open, close) = random.pick(nesters)
            let depth = random.pick([3, 15, 16, 17, 40, 200, 2_000])
            let at = random.pick(interestingPositions(bytes))
            let nest = Array(String(repeating: open, count: depth).utf8) + Array("x".utf8) + Array(String(repeating: close, count: depth).utf8)
            bytes.insert(contentsOf: nest, at: at)
        case 10: // a long line
            let token = random.pick(tokens + ["a", "å", "x ", "-", "|"])
            let count = random.pick(longLines)
            bytes.insert(contentsOf: Array(String(repeating: token, count: count).utf8), at: boundary(bytes, &random))
        case 11: // line ends: CRLF or CR everywhere, or none at the end
            switch random.below(3) {
            case 0: bytes = bytes.flatMap { $0 == 0x0A ? [0x0D, 0x0A] : [$0] }
            case 1: bytes = bytes.map { $0 == 0x0A ? 0x0D : $0 }
            default: while bytes.last == 0x0A { bytes.removeLast() }
            }
        case 12: // an odd or forbidden character
            bytes.insert(contentsOf: Array(random.pick(Self.oddCharacters).utf8), at: boundary(bytes, &random))
        case 13: // broken UTF-8, or a byte changed
            if allowInvalidUTF8 {
                bytes.insert(contentsOf: random.pick(Self.invalidUTF8), at: random.below(bytes.count + 1))
            } else if !bytes.isEmpty {
                let at = random.below(bytes.count)
                if bytes[at] < 0x80 { bytes[at] = UInt8(random.int(0x20...0x7E)) }
            }
        case 14: // swap two lines
            let a = lineRange(bytes, &random), b = lineRange(bytes, &random)
            guard a.upperBound <= b.lowerBound else { return }
            let first = Array(bytes[a]), second = Array(bytes[b])
            bytes.replaceSubrange(b, with: first)
            bytes.replaceSubrange(a, with: second)
        case 15: // a line's rest replaced by a token (a value swapped for special syntax)
            let line = lineRange(bytes, &random)
            let colon = bytes[line].firstIndex(of: 0x3A).map { $0 + 1 } ?? line.lowerBound
            bytes.replaceSubrange(colon..<line.upperBound, with: Array((" " + random.pick(tokens)).utf8))
        default: // indentation changed
            let line = lineRange(bytes, &random)
            if random.chance(50) {
                bytes.insert(contentsOf: Array(String(repeating: " ", count: random.int(1...6)).utf8), at: line.lowerBound)
            } else if line.count > 0, bytes[line.lowerBound] == 0x20 {
                bytes.remove(at: line.lowerBound)
            }
        }
    }
}

/// Scalars as text, and lines and columns as the checker counts them (lines split at `\n`, columns in scalars).
public enum TextLines {
    /// Lines of `text` split at `\n`, each as its scalars.
    public static func lines(_ text: String) -> [[Unicode.Scalar]] {
        var out: [[Unicode.Scalar]] = [[]]
        for s in text.unicodeScalars {
            if s == "\n" { out.append([]) } else { out[out.count - 1].append(s) }
        }
        return out
    }

    /// A short, printable excerpt of an input for a failure message.
    public static func excerpt(_ bytes: [UInt8], limit: Int = 300) -> String {
        let text = String(decoding: bytes.prefix(limit), as: UTF8.self)
        return text.debugDescription + (bytes.count > limit ? "… (\(bytes.count) bytes)" : "")
    }
}
