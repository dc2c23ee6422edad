import Foundation
@testable import TilbudCorpus

/// A tiny governance folder and site.yaml in a fresh temporary directory.
struct Fixture {
    let root: URL
    let governance: URL
    let siteYAML: URL

    static let topics = ["sovn", "kosthold", "fysisk-aktivitet", "psykisk-helse"]
    static let audiences = ["voksne", "eldre", "alle"]
    static let municipalityCodes = ["0301", "1804", "5636", "5501", "1515", "4601"]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-corpus-test-" + UUID().uuidString, isDirectory: true)
        governance = root.appendingPathComponent("source/governance", isDirectory: true)
        siteYAML = root.appendingPathComponent("source/site.yaml")
        try FileManager.default.createDirectory(at: governance, withIntermediateDirectories: true)
        try Fixture.site.write(to: siteYAML, atomically: true, encoding: .utf8)
        try Fixture.policy.write(to: governance.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        try Fixture.vocabularies.write(to: governance.appendingPathComponent("vocabularies.yaml"), atomically: true, encoding: .utf8)
        try Fixture.municipalities.write(to: governance.appendingPathComponent("municipalities.csv"), atomically: true, encoding: .utf8)
    }

    /// A fresh, not yet existing output folder inside the fixture.
    func output(_ name: String) -> URL {
        root.appendingPathComponent(name, isDirectory: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: root)
    }

    static let site = """
    title:
      nb: Helsetilbud
      nn: Helsetilbod
    base_url: https://tilbud.example.org/
    languages: [nb, nn]

    """

    static let policy = """
    review_interval_months: 12
    grace_months: 3
    limits:
      title: 90
      summary: 160

    """

    // Block style for most vocabularies, flow style for two, to exercise the reader.
    static let vocabularies = """
    # Test vocabularies: a subset of the spec's ids.
    kind:
      - id: friskliv
        label: {nb: Friskliv, nn: Friskliv, en: Healthy living}
      - id: laering-og-mestring
        label: {nb: Læring og mestring, nn: Læring og meistring, en: Learning and coping}
      - id: selvhjelp
        label: {nb: Selvhjelp, nn: Sjølvhjelp, en: Self-help}
    format:
      - id: kurs
        label:
          nb: Kurs
          nn: Kurs
          en: Course
      - id: gruppe
        label:
          nb: Gruppe
          nn: Gruppe
          en: Group
      - id: digitalt-verktoy
        label:
          nb: Digitalt verktøy
          nn: Digitalt verktøy
          en: Digital tool
    delivery:
      - {id: oppmote, label: {nb: Oppmøte, nn: Oppmøte, en: In person}}
      - {id: digitalt, label: {nb: Digitalt, nn: Digitalt, en: Online}}
      - {id: hybrid, label: {nb: Hybrid, nn: Hybrid, en: Hybrid}}
    topics:
      - id: sovn
        label: {nb: Søvn, nn: Søvn, en: Sleep}
        synonyms: [insomni, søvnløshet]
      - id: kosthold
        label: {nb: Kosthold, nn: Kosthald, en: Diet}
        synonyms:
          - mat
          - ernæring
      - id: fysisk-aktivitet
        label: {nb: Fysisk aktivitet, nn: Fysisk aktivitet, en: Physical activity}
      - id: psykisk-helse
        label: {nb: Psykisk helse, nn: Psykisk helse, en: Mental health}
    audiences: [{id: voksne, label: {nb: Voksne}}, {id: eldre, label: {nb: Eldre}}, {id: alle, label: {nb: Alle}}]
    price:
      - id: gratis
        label: {nb: Gratis, nn: Gratis, en: Free}
      - id: egenandel
        label: {nb: Egenandel, nn: Eigendel, en: Co-payment}
      - id: betaling
        label: {nb: Betaling, nn: Betaling, en: Payment}
    referral:
      - id: ingen
        label: {nb: Ingen, nn: Ingen, en: None}
      - id: frisklivsresept
        label: {nb: Frisklivsresept, nn: Frisklivsresept, en: Healthy-living prescription}
      - id: henvisning
        label: {nb: Henvisning, nn: Tilvising, en: Referral}
    accessibility:
      - id: rullestol
        label: {nb: Rullestol, nn: Rullestol, en: Wheelchair}
      - id: teleslynge
        label: {nb: Teleslynge, nn: Teleslynge, en: Hearing loop}
    provider_type:
      - id: kommune
        label: {nb: Kommune, nn: Kommune, en: Municipality}
      - id: helseforetak
        label: {nb: Helseforetak, nn: Helseføretak, en: Health trust}
      - id: frivillig
        label: {nb: Frivillig, nn: Frivillig, en: Voluntary}
      - id: privat-avtale
        label: {nb: Privat med avtale, nn: Privat med avtale, en: Private}
      - id: statlig
        label: {nb: Statlig, nn: Statleg, en: State}

    """

    static let municipalities = """
    kommunenummer,navn,fylkesnummer,fylkesnavn
    0301,Oslo,03,Oslo
    1804,Bodø,18,Nordland - Nordlánnda
    5636,Unjárga - Nesseby,56,Finnmark - Finnmárku - Finmarkku
    5501,Tromsø,55,Troms - Romsa - Tromssa
    1515,Herøy (Møre og Romsdal),15,Møre og Romsdal
    4601,Bergen,46,Vestland

    """
}

/// Every regular file below `root`, as sorted relative paths.
func relativeFiles(_ root: URL) -> [String] {
    let base = root.standardizedFileURL.path
    var files: [String] = []
    if let walker = FileManager.default.enumerator(atPath: base) {
        while let next = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: base + "/" + next, isDirectory: &isDirectory), !isDirectory.boolValue {
                files.append(next)
            }
        }
    }
    return files.sorted()
}

func read(_ root: URL, _ path: String) -> String {
    (try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)) ?? ""
}

/// Front matter lines and body of a record.
func split(_ text: String) -> (front: [String], body: String) {
    let lines = text.components(separatedBy: "\n")
    guard lines.first == "---", let end = lines.dropFirst().firstIndex(of: "---") else { return ([], text) }
    return (Array(lines[1..<end]), lines[(end + 1)...].joined(separator: "\n"))
}

/// The value of a top-level `key:` line, without surrounding quotes.
func value(_ key: String, in lines: [String]) -> String? {
    for line in lines where line.hasPrefix(key + ": ") {
        return unquote(String(line.dropFirst(key.count + 2)))
    }
    return nil
}

/// The value of an indented `key:` line, wherever it is.
func values(_ key: String, in lines: [String]) -> [String] {
    lines.compactMap { line in
        let trimmed = line.drop(while: { $0 == " " || $0 == "-" })
        guard trimmed.hasPrefix(key + ": ") else { return nil }
        return unquote(String(trimmed.dropFirst(key.count + 2)))
    }
}

func unquote(_ text: String) -> String {
    if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
        return String(text.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
    }
    return text
}

/// Items of a flow list `[a, "b"]`.
func flowItems(_ text: String) -> [String] {
    guard text.hasPrefix("["), text.hasSuffix("]") else { return [] }
    return text.dropFirst().dropLast().split(separator: ",").map { unquote($0.trimmingCharacters(in: .whitespaces)) }
}

func matches(_ text: String, _ pattern: String) -> Bool {
    text.range(of: pattern, options: .regularExpression) != nil
}

/// The orgnr rule from guides/domain.md, written independently of the generator.
func isValidOrgNumber(_ number: String) -> Bool {
    let digits = number.compactMap { $0.wholeNumberValue }
    guard number.count == 9, digits.count == 9 else { return false }
    let weights = [3, 2, 7, 6, 5, 4, 3, 2, 1]
    return zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 } % 11 == 0
}
