import Foundation
import Testing
import TilbudTestSupport
import TilbudValidate

/// Fuzzes `Checks.nationalIDPositions(in:)`, the fødselsnummer / D-nummer / H-nummer scanner, against reference
/// implementations written here from the rules in the domain guide:
///
/// - a generated valid number, spelled with a random separator style (spaces of every kind, `-`, `.`, `/`,
///   emphasis and code marks, comments, tags, entities, table pipes, line ends, full-width digits and numeric
///   references) and put into random text, is found at its first digit;
/// - the same number with a wrong check digit is not;
/// - on text made of digits, separators and letters the scanner reports exactly what a straightforward
///   reference scanner reports, and `isValidNationalID` agrees with a reference check-digit rule;
/// - random text never crashes it.
@Suite("Fuzz: national identity number scanner")
struct NationalIDFuzzTests {
    static let target = "pii"

    // MARK: reference rules

    /// The rules of the domain guide, written independently of `Checks`: day 01–31 (D-nummer: +40), month 01–12
    /// (H-nummer: +40); with weights 3 7 6 1 8 9 4 5 2 1 the first ten digits sum to 0–3 mod 11 (0 before 2032),
    /// and with weights 5 4 3 2 7 6 5 4 3 2 1 all eleven sum to 0 mod 11.
    static func referenceIsValid(_ d: [Int]) -> Bool {
        guard d.count == 11, d.allSatisfy({ (0...9).contains($0) }) else { return false }
        let day = d[0] * 10 + d[1], month = d[2] * 10 + d[3]
        guard (1...31).contains(day) || (41...71).contains(day), (1...12).contains(month) || (41...52).contains(month) else { return false }
        let first = zip(d, [3, 7, 6, 1, 8, 9, 4, 5, 2, 1]).reduce(0) { $0 + $1.0 * $1.1 } % 11
        let second = zip(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1]).reduce(0) { $0 + $1.0 * $1.1 } % 11
        return first <= 3 && second == 0
    }

    /// A valid number: fødselsnummer, D-nummer, H-nummer, or one valid only by the 2032 rule.
    static func validNumber(_ random: inout FuzzRandom) -> [Int] {
        while true {
            var day = random.int(1...31), month = random.int(1...12)
            switch random.below(4) {
            case 1: day += 40
            case 2: month += 40
            default: break
            }
            var d = [day / 10, day % 10, month / 10, month % 10] + (0..<5).map { _ in random.below(10) }
            let s1 = zip(d, [3, 7, 6, 1, 8, 9, 4, 5, 2]).reduce(0) { $0 + $1.0 * $1.1 }
            // The first control digit: remainder 0 (all rules), or 1–3 (2032 rule) a quarter of the time.
            let remainder = random.chance(25) ? random.int(1...3) : 0
            let k1 = ((remainder - s1) % 11 + 11) % 11
            guard k1 <= 9 else { continue }
            d.append(k1)
            let s2 = zip(d, [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]).reduce(0) { $0 + $1.0 * $1.1 }
            let k2 = (11 - s2 % 11) % 11
            guard k2 <= 9 else { continue }
            d.append(k2)
            return d
        }
    }

    // MARK: spelling a number

    /// Separators the scanner must see through between two runs of digits.
    static let separators = [" ", "-", ".", "/", " - ", "\u{A0}", "\u{2009}", "\u{202F}", "\u{200B}", "\u{200D}", "\u{2060}", "\u{2013}",
                             "\n", "\n> ", " | ", "|", "**", "** **", "_", "`", "` `", "~~", "\\", "<!-- -->", "<!--x-->", "<b>", "</b>",
                             "</b> <i>", "<br>", "&nbsp;", "&shy;", "\t", "\u{3000}"]
    /// Ways to write the whole number: the number is `N`.
    static let wrappers = ["N", "N", "N", "**N**", "`N`", "_N_", "<b>N</b>", "(N)", "[N](https://example.org)", "| N |", "fnr: N",
                           "<!-- N -->", "<!--N-->", "<span title=\"N\">x</span>", "<span>N</span>", "\"N\"", "> N", "- N"]

    /// One digit as ASCII, full-width or a numeric character reference.
    static func spell(_ digit: Int, style: Int, _ random: inout FuzzRandom) -> String {
        switch style {
        case 1: return String(UnicodeScalar(0xFF10 + UInt32(digit))!)
        case 2: return random.chance(50) ? "&#\(48 + digit);" : "&#x3\(digit);"
        case 3: return spell(digit, style: random.pick([0, 0, 1, 2]), &random)
        default: return String(digit)
        }
    }

    /// The number split into runs with a separator style. Inside a comment or tag (`markup`) the separators are
    /// ones that cannot end it early: a number cut in two by a comment's end is not the number written in it.
    static func spell(_ digits: [Int], markup: Bool = false, _ random: inout FuzzRandom) -> String {
        let style = random.pick([0, 0, 0, 0, 1, 2, 3])
        var cuts = Set<Int>()
        for _ in 0..<random.pick([0, 1, 1, 2, 3, 4]) { cuts.insert(random.int(1...10)) }
        let usable = markup ? separators.filter { !$0.contains("<") && !$0.contains(">") && !$0.contains("\"") } : separators
        let separator = random.chance(70) ? random.pick(usable) : nil
        var out = ""
        for (i, d) in digits.enumerated() {
            if cuts.contains(i) { out += separator ?? random.pick(usable) }
            out += spell(d, style: style, &random)
        }
        return out
    }

    /// Text around a number: words, harmless numbers, markup, nothing that could glue onto a digit.
    static let context = ["Ring", "kurset", "på", "Grünerløkka", "kl. 18.00–20.00", "tlf. +47 23 00 00 00", "org.nr. 974 778 882",
                          "0553 Oslo", "15.03.2025", "rom 7", "uke 12", "12345 67890", "**viktig**", "`kode`", "<b>", "</b>",
                          "<!--", "-->", "<span title=\"", "\">", "&amp;", "&#56;", "|", "> ", "- ", "1.", "# Tittel", "😀", "é",
                          "\n", "\n\n", "\t", "  ", "\u{A0}", "[lenke](https://example.org)", "&", "#", "*", "~~", "\\"]

    static func text(_ random: inout FuzzRandom, words: ClosedRange<Int>) -> String {
        (0..<random.int(words)).map { _ in random.pick(context) }.joined(separator: random.chance(80) ? " " : "")
    }

    /// Line and column (in scalars, lines at `\n`) where `prefix` ends.
    static func end(of prefix: String) -> (line: Int, column: Int) {
        let lines = TextLines.lines(prefix)
        return (lines.count, lines.last!.count + 1)
    }

    /// A number (valid, or with a wrong check digit) written into random text, and where its first digit is.
    static func embedded(_ digits: [Int], _ random: inout FuzzRandom) -> (text: String, at: (line: Int, column: Int)) {
        let wrapper = random.pick(wrappers)
        let parts = wrapper.components(separatedBy: "N")
        let prefix = text(&random, words: 0...8) + (random.chance(80) ? " " : "\n") + parts[0]
        // Inside markup: a comment or tag around the number, or one the text before it left open.
        func last(_ s: String) -> Int { prefix.range(of: s, options: .backwards).map { prefix.distance(from: prefix.startIndex, to: $0.lowerBound) } ?? -1 }
        let markup = wrapper.contains("<") || last("<!--") > last("-->") || last("<") > last(">")
        let text = prefix + spell(digits, markup: markup, &random) + parts[1] + " " + Self.text(&random, words: 0...8)
        return (text, end(of: prefix))
    }

    static func record(_ text: String, _ message: String, index: Int) {
        let saved = FuzzSettings.save(Array(text.utf8), target: target, name: "input-\(index).txt")
        Issue.record("\(message)\n\(text.debugDescription) (saved as \(saved))")
    }

    @Test("a valid number however written is found at its first digit; one with a wrong check digit is not")
    func embeddedNumbers() {
        let settings = FuzzSettings(defaultIterations: 20_000, defaultSeed: 0x0F0D_5E15)
        let start = Date()
        var failures = 0
        for index in 0..<settings.iterations where failures < 10 {
            var random = FuzzRandom(seed: settings.seed, index: index)
            let valid = Self.validNumber(&random)
            #expect(Self.referenceIsValid(valid) && Checks.isValidNationalID(valid), "\(valid)")
            let (text, at) = Self.embedded(valid, &random)
            let found = Checks.nationalIDPositions(in: text)
            if !found.contains(where: { $0 == at }) {
                failures += 1
                Self.record(text, "\(valid.map(String.init).joined()) at \(at.line):\(at.column) not found; found \(found)", index: index)
            }
            // A wrong check digit: the last digit, or the one before it when that stays wrong by every rule.
            var wrong = valid
            let position = random.chance(70) ? 10 : 9
            repeat { wrong[position] = random.below(10) } while Self.referenceIsValid(wrong) || wrong == valid
            let (wrongText, wrongAt) = Self.embedded(wrong, &random)
            let wrongFound = Checks.nationalIDPositions(in: wrongText)
            if wrongFound.contains(where: { $0 == wrongAt }) {
                failures += 1
                Self.record(wrongText, "\(wrong.map(String.init).joined()) (wrong check digit) reported at \(wrongAt.line):\(wrongAt.column)", index: index)
            }
        }
        print(String(format: "pii fuzz (embedded): %d inputs (seed %llu) in %.2f s", settings.iterations * 2, settings.seed, Date().timeIntervalSince(start)))
    }

    // MARK: differential scan

    enum Token { case digit(Int), separator, other }

    /// Text built from tokens that cannot run into one another, with what each token is.
    static func tokenText(_ random: inout FuzzRandom) -> (text: String, tokens: [(Token, Int)]) {
        var text = ""
        var tokens: [(Token, Int)] = []
        // Valid numbers among the tokens (a digit now and then split off by a separator), so there are hits.
        var planted: [Int] = []
        for _ in 0..<random.int(1...80) {
            if planted.isEmpty, random.chance(4) { planted = validNumber(&random) }
            let (token, spelled): (Token, String)
            switch planted.isEmpty ? random.below(20) : (random.chance(80) ? 0 : 11) {
            case 0..<11:
                let d = planted.isEmpty ? random.below(10) : planted.removeFirst()
                token = .digit(d)
                spelled = spell(d, style: random.chance(90) ? 0 : random.int(1...2), &random)
            case 11..<17:
                token = .separator
                spelled = random.pick([" ", "-", ".", "/", "\n", "*", "_", "`", "|", "~", "\\", "\u{A0}", "\u{200B}", "\u{2013}", "\t",
                                       "<!-- -->", "<b>", "</b>", "&nbsp;", "<br>", "> "])
            default:
                token = .other
                spelled = random.pick(["a", "kr", ",", "(", ")", ":", "+", "å", "😀", "x y"])
            }
            // Each token's first scalar index, for positions.
            tokens.append((token, text.unicodeScalars.count))
            text += spelled
            if case .separator = token, spelled == "> " { tokens.append((.separator, text.unicodeScalars.count - 1)) }
            if case .other = token, spelled == "x y" { tokens.append((.separator, text.unicodeScalars.count - 2)); tokens.append((.other, text.unicodeScalars.count - 1)) }
        }
        return (text, tokens)
    }

    /// The documented scan on a token list: runs of digits joined across at most 12 separators form a group; from
    /// each run's start, whole runs are taken until there are 11 digits or more, and exactly 11 valid ones are a hit.
    static func referenceScan(_ text: String, _ tokens: [(Token, Int)]) -> [(line: Int, column: Int)] {
        var groups: [[(digits: [Int], start: Int)]] = []
        var current: [(digits: [Int], start: Int)] = []
        var gap = 0
        var inRun = false
        var broken = false
        for (token, start) in tokens {
            switch token {
            case let .digit(d):
                if inRun {
                    current[current.count - 1].digits.append(d)
                } else {
                    if broken || gap > 12 { if !current.isEmpty { groups.append(current) }; current = [] }
                    current.append(([d], start))
                }
                inRun = true; gap = 0; broken = false
            case .separator:
                inRun = false; gap += 1
            case .other:
                inRun = false; broken = true
            }
        }
        if !current.isEmpty { groups.append(current) }
        var hits: [Int] = []
        for group in groups where group.reduce(0, { $0 + $1.digits.count }) >= 11 {
            for s in group.indices {
                var digits: [Int] = []
                var k = s
                while k < group.count, digits.count < 11 { digits += group[k].digits; k += 1 }
                if digits.count == 11, referenceIsValid(digits) { hits.append(group[s].start) }
            }
        }
        let scalars = Array(text.unicodeScalars)
        return hits.map { index in end(of: String(String.UnicodeScalarView(scalars[..<index]))) }
    }

    @Test("on digits, separators and letters the scanner reports exactly what the reference scan does")
    func differentialScan() {
        let settings = FuzzSettings(defaultIterations: 30_000, defaultSeed: 0xD1FF_5CA7)
        let start = Date()
        var failures = 0, hits = 0
        for index in 0..<settings.iterations where failures < 10 {
            var random = FuzzRandom(seed: settings.seed, index: index)
            let (text, tokens) = Self.tokenText(&random)
            let expected = Self.referenceScan(text, tokens)
            let found = Checks.nationalIDPositions(in: text)
            hits += expected.count
            if found.map({ [$0.line, $0.column] }) != expected.map({ [$0.line, $0.column] }) {
                failures += 1
                Self.record(text, "scanner \(found) vs reference \(expected)", index: index)
            }
        }
        // Enough hits that the comparison means something.
        #expect(hits > settings.iterations / 200, "only \(hits) hits")
        print(String(format: "pii fuzz (differential): %d inputs, %d hits (seed %llu) in %.2f s", settings.iterations, hits, settings.seed, Date().timeIntervalSince(start)))
    }

    @Test("the check-digit rule agrees with the reference rule on random and near-valid digits")
    func checkDigits() {
        let settings = FuzzSettings(defaultIterations: 50_000, defaultSeed: 0xC4EC_D161)
        var random = FuzzRandom(seed: settings.seed)
        var valid = 0
        for _ in 0..<settings.iterations {
            var d = random.chance(50) ? Self.validNumber(&random) : (0..<11).map { _ in random.below(10) }
            if random.chance(50) { d[random.below(11)] = random.below(10) }
            let expected = Self.referenceIsValid(d)
            if expected { valid += 1 }
            if Checks.isValidNationalID(d) != expected {
                Issue.record("\(d): isValidNationalID \(!expected), reference \(expected)")
                return
            }
        }
        #expect(valid > settings.iterations / 10)
    }

    @Test("random and mutated text never crashes the scanner, and it stays fast")
    func randomText() {
        let settings = FuzzSettings(defaultIterations: 1_000, defaultSeed: 0x5CA7_7E57)
        let mutator = Mutator(tokens: Self.separators + Self.context + ["&#", "&#x", "&#5", "&#xFF1", ";", "<!--", "<", "&", "１", "9"], seeds: [],
                              allowInvalidUTF8: false, nesters: [("<!--", "-->"), ("<b>", "</b>"), ("&#", ";"), ("1", "1")],
                              longLines: [200, 5_000, 20_000])
        let start = Date()
        var slowest = 0.0
        for index in 0..<settings.iterations {
            var random = FuzzRandom(seed: settings.seed, index: index)
            let (text, _) = Self.embedded(Self.validNumber(&random), &random)
            let bytes = mutator.mutate(Array(text.utf8), &random, maxSteps: 6)
            let mutated = String(decoding: bytes, as: UTF8.self)
            let t = Date()
            let found = Checks.nationalIDPositions(in: mutated)
            slowest = max(slowest, Date().timeIntervalSince(t))
            // Every hit is at a digit (ASCII, full-width) or at the `&` of a numeric reference.
            let lines = TextLines.lines(mutated)
            for (line, column) in found {
                let scalar = line <= lines.count && column <= lines[line - 1].count ? lines[line - 1][column - 1].value : 0
                if !((0x30...0x39).contains(scalar) || (0xFF10...0xFF19).contains(scalar) || scalar == 0x26) {
                    Self.record(mutated, "hit at \(line):\(column) is not at a digit", index: index)
                }
            }
        }
        #expect(slowest < 2, "slowest scan took \(slowest) s")
        print(String(format: "pii fuzz (random text): %d inputs (seed %llu) in %.2f s, slowest %.4f s", settings.iterations, settings.seed, Date().timeIntervalSince(start), slowest))
    }

    /// Kept inputs: `expect:` lines give where numbers must be found (`line:column`, or `none`), then `--`, then the text.
    @Test("every kept input is found where it says, and the scan agrees with the rules")
    func corpus() {
        let files = FuzzCorpus.files(Self.target)
        #expect(files.count >= 3)
        for (name, bytes) in files {
            let whole = String(decoding: bytes, as: UTF8.self)
            guard let split = whole.range(of: "\n--\n") else { Issue.record("\(name): no `--` line"); continue }
            let header = whole[..<split.lowerBound], text = String(whole[split.upperBound...])
            let expected = header.split(separator: "\n").filter { $0.hasPrefix("expect:") }
                .flatMap { $0.dropFirst(7).split(separator: " ") }.filter { $0 != "none" }.map(String.init)
            let found = Checks.nationalIDPositions(in: text).map { "\($0.line):\($0.column)" }
            #expect(found == expected, "\(name)")
        }
    }
}
