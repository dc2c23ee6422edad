import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudTestSupport
import TilbudValidate

/// The checker's location type (Swift Testing has its own `SourceLocation`).
typealias Loc = TilbudDiagnostics.SourceLocation

/// A whole catalog laid out from a txtar-like string into a fresh temporary folder, as Hugo's
/// integration tests do:
///
///     -- content/providers/frisk/provider.yaml --
///     name: Frisk
///     -- content/providers/frisk/sov-godt.md --
///     ---
///     topics: [1️⃣søvn]
///
/// Paths are relative to the temporary folder, so records live under `content/`. A minimal valid
/// governance (`Tests/Fixtures/governance/` and `site.yaml`) is copied in first; a section for one
/// of those paths replaces it. Keycap markers (`1️⃣` … `9️⃣`, `0️⃣`) are stripped before a file is
/// written, and `location("1️⃣")` gives the file, line and column where the marker stood, so no
/// test counts lines by hand.
final class TestCatalog {
    /// The temporary folder; `content/` is inside it.
    let directory: URL
    /// Where each marker stood, as the checker shows it (`content/…`, 1-based, columns in scalars).
    private(set) var markers: [String: Loc] = [:]

    /// The default day states are computed for in these tests.
    static let today = Day(iso: "2026-01-15")!

    /// The content folder.
    var content: URL { directory.appendingPathComponent("content", isDirectory: true) }

    /// Lays out `txtar` (and the default governance unless `governance` is false).
    init(_ txtar: String, governance: Bool = true, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        directory = FileTree.temporaryFolder("tilbud-validate-")
        try FileManager.default.createDirectory(at: content, withIntermediateDirectories: true)
        if governance { try FileTree.copyFixtureGovernance(into: content) }
        for (path, text) in Txtar.parse(txtar) {
            let (stripped, found) = Markers.strip(text)
            for (marker, line, column) in found {
                #expect(markers[marker] == nil, "marker \(marker) used twice", sourceLocation: sourceLocation)
                markers[marker] = Loc(path: path, line: line, column: column)
            }
            try write(stripped, to: path)
        }
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The URL of `path` (relative to the temporary folder).
    func url(_ path: String) -> URL {
        directory.appendingPathComponent(path)
    }

    /// Writes text to `path`, creating folders; replaces what is there.
    func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    /// Writes raw bytes to `path`, creating folders; replaces what is there.
    func write(_ data: Data, to path: String) throws {
        try FileTree.write(data, to: url(path))
    }

    /// Creates a symbolic link at `path` pointing to `target` (absolute, or relative to the link).
    func symlink(_ path: String, to target: String) throws {
        let u = url(path)
        try FileManager.default.createDirectory(at: u.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: u.path, withDestinationPath: target)
    }

    /// Removes `path`.
    func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: url(path))
    }

    /// Runs the whole load → validate stage, showing paths as `content/…`.
    func check(today: Day = TestCatalog.today) -> CheckResult {
        CatalogChecker(root: content, displayRoot: "content", today: today).run()
    }

    /// Where `marker` stood; records a failure (and returns a location that matches nothing) if it is unknown.
    func location(_ marker: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Loc {
        guard let loc = markers[marker] else {
            Issue.record("no marker \(marker) in the fixture", sourceLocation: sourceLocation)
            return Loc(path: "<no marker \(marker)>", line: 1, column: 1)
        }
        return loc
    }
}

/// A diagnostic reduced to what tests compare: id, severity and place.
struct Found: Hashable, CustomStringConvertible {
    let id: String
    let severity: Severity
    let location: Loc?

    init(_ d: Diagnostic) {
        id = d.id.rawValue
        severity = d.severity
        location = d.location
    }

    init(_ id: String, _ severity: Severity = .error, at location: Loc?) {
        self.id = id
        self.severity = severity
        self.location = location
    }

    var description: String {
        let place = location.map { "\($0.path):\($0.line):\($0.column)" } ?? "-"
        return "\(place) \(severity.rawValue) \(id)"
    }
}

extension CheckResult {
    /// Errors as comparable values.
    var errors: [Found] { diagnostics.filter { $0.severity == .error }.map(Found.init) }
    /// Warnings as comparable values.
    var warnings: [Found] { diagnostics.filter { $0.severity == .warning }.map(Found.init) }

    /// Every diagnostic, one a line, for failure messages.
    var listing: String {
        diagnostics.isEmpty ? "(no diagnostics)" : diagnostics.map { "\(Found($0)): \($0.message.en)" }.joined(separator: "\n")
    }

    /// The diagnostics with `id`.
    func diagnostics(_ id: String) -> [Diagnostic] { diagnostics.filter { $0.id.rawValue == id } }

    /// The offer with `id` (`provider/slug`), if it validated.
    func offer(_ id: String) -> Offer? { catalog.offers.first { $0.id == id } }
}

/// Expects the errors of `result` to be exactly `expected` (order ignored); warnings are not compared.
func expectErrors(_ result: CheckResult, _ expected: [Found], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(Set(result.errors) == Set(expected), "\n\(result.listing)", sourceLocation: sourceLocation)
    #expect(result.errors.count == expected.count, "\n\(result.listing)", sourceLocation: sourceLocation)
}

/// Expects no errors at all.
func expectNoErrors(_ result: CheckResult, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(result.errors.isEmpty, "\n\(result.listing)", sourceLocation: sourceLocation)
}

/// Standard records, so a test shows only what it changes.
enum Records {
    /// A valid provider with id `frisk` in Oslo.
    static let provider = """
    name: Frisklivssentralen i Oslo
    org_number: "974778882"
    type: kommune
    municipality: "0301"
    website: https://example.org
    email: post@example.org
    phone: "+47 23 00 00 00"

    """

    /// The lines of a valid offer's front matter, in order, by top-level field.
    static let offerFields: KeyValuePairs<String, String> = [
        "title": "title: Sov godt – kurs for deg som sover dårlig",
        "summary": "summary: Fire kvelder om hva som påvirker søvnen, og hva du selv kan gjøre.",
        "kind": "kind: friskliv",
        "format": "format: kurs",
        "delivery": "delivery: oppmote",
        "topics": "topics: [sovn, psykisk-helse]",
        "audiences": "audiences: [voksne]",
        "municipalities": "municipalities: [\"0301\"]",
        "locations": """
        locations:
          - name: Frisklivssentralen Grünerløkka
            address: Helgesens gate 2
            postal_code: "0553"
            city: Oslo
            municipality: "0301"
            geo: [59.9226, 10.7590]
        """,
        "schedule": """
        schedule:
          - start: 2026-02-03T18:00
            end: 2026-02-24
            note: Tirsdager kl. 18–20, fire ganger
        """,
        "price": """
        price:
          kind: gratis
        """,
        "referral": "referral: ingen",
        "signup": """
        signup:
          url: https://example.org/pamelding
          phone: "+47 23 00 00 00"
          email: post@example.org
          deadline: 2026-01-27
        """,
        "contact": """
        contact:
          name: Kari Nordmann
          email: frisklivssentralen@example.org
        """,
        "last_reviewed": "last_reviewed: 2025-11-15",
    ]

    /// A valid offer, with the named top-level fields replaced (the whole `key: …` block, so the
    /// replacement may be several lines), removed (`nil`), or added at the end when not there.
    static func offer(_ changes: KeyValuePairs<String, String?> = [:], body: String = "Kurset går over fire kvelder.\n") -> String {
        var lines: [String] = []
        var used = Set<String>()
        for (key, block) in offerFields {
            if let change = changes.first(where: { $0.key == key }) {
                used.insert(key)
                if let replacement = change.value { lines.append(replacement) }
            } else {
                lines.append(block)
            }
        }
        for (key, value) in changes where !used.contains(key) {
            if let value { lines.append(value) }
        }
        return "---\n" + lines.joined(separator: "\n") + "\n---\n" + body
    }
}
