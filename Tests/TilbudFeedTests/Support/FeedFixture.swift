import Foundation
import Testing
import TilbudModel
import TilbudRender
import TilbudOutput
import TilbudSite
import TilbudTestSupport
import TilbudValidate
@testable import TilbudFeed

/// A small catalog laid out in a fresh temporary folder (txtar sections, as in the validator's tests) and built
/// with `SiteBuilder(steps:)` and the repository's templates into a temporary output folder.
final class FeedFixture: @unchecked Sendable {
    /// The temporary folder; `content/` and `public/` are inside it.
    let directory: URL
    /// The build's outcome.
    let result: BuildResult

    /// The day every fixture is built for.
    static let today = SharedFixture.buildDay
    /// The base URL every fixture is built for.
    static let baseURL = "https://tilbud.example.org/"

    var content: URL { directory.appendingPathComponent("content", isDirectory: true) }
    var output: URL { directory.appendingPathComponent("public", isDirectory: true) }

    /// The shared build of `FeedFixture.records` with the feed step.
    static let shared: FeedFixture = try! FeedFixture(records)

    /// Lays out the fixture governance, `txtar` and builds it with `steps`.
    init(_ txtar: String, replacing: [String: String] = [:], steps: [any OutputStep] = [FeedStep()], holding: Holding? = nil) throws {
        let directory = FileTree.temporaryFolder("tilbud-feed-")
        self.directory = directory
        let content = directory.appendingPathComponent("content", isDirectory: true)
        try FileTree.copyFixtureGovernance(into: content)
        try FileTree.write(txtar: txtar, into: directory)
        for (path, text) in replacing { try FileTree.write(text, to: directory.appendingPathComponent(path)) }
        var options = BuildOptions(content: content, contentDisplay: "content", templates: TestPaths.templates,
                                   templatesDisplay: "templates", output: directory.appendingPathComponent("public", isDirectory: true),
                                   baseURL: Self.baseURL, today: Self.today)
        options.holding = holding
        result = SiteBuilder(steps: steps).build(options)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// The text of an output file (empty when missing, with a recorded issue).
    func read(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard let data = FileManager.default.contents(atPath: output.appendingPathComponent(path).path) else {
            Issue.record("missing output file \(path); build: \(result.failure ?? "ok"), \(result.diagnostics.filter { $0.severity == .error }.map(\.message.en))",
                         sourceLocation: sourceLocation)
            return ""
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// An output file parsed as JSON.
    func json(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> Any {
        let text = read(path, sourceLocation: sourceLocation)
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) ?? [:]
    }

    /// The fixture's catalog and renderer as the feed sees them (checked and loaded again from `content`).
    func context() throws -> FeedContext {
        let catalog = CatalogChecker(root: content, displayRoot: "content", today: Self.today).run().catalog
        let (templates, _) = TemplateSet.load(from: TestPaths.templates, displayRoot: "templates",
                                              languages: catalog.site.languages)
        let renderer = SiteRenderer(catalog: catalog, templates: try #require(templates), baseURL: Self.baseURL)
        return FeedContext(published: renderer.publishedCatalog)
    }

    /// True when the output has `path`.
    func exists(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: output.appendingPathComponent(path).path)
    }

    /// Every file under `folder` of the output, relative to the output.
    func files(under folder: String) -> [String] {
        Tree.paths(output.appendingPathComponent(folder)).map { folder + "/" + $0 }
    }

    /// A one-record file (compact JSON and a newline) shown as the encoder's pretty output; nil when the file is not one line.
    func record(_ path: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let text = read(path, sourceLocation: sourceLocation)
        guard text.hasSuffix("\n"), !text.dropLast().contains("\n") else { return nil }
        return prettyJSON(String(text.dropLast()))
    }

    /// The lines of the FHIR export's NDJSON file of `type` (one resource each).
    func fhirLines(_ type: String, sourceLocation: SourceLocation = #_sourceLocation) -> [String] {
        read("api/fhir/R4/\(type).ndjson", sourceLocation: sourceLocation).split(separator: "\n").map(String.init)
    }

    /// Every resource of the FHIR export, parsed, in manifest order.
    func fhirResources() -> [[String: Any]] {
        ["CodeSystem", "Organization", "Location", "HealthcareService"].flatMap { type in
            fhirLines(type).compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
    }

    /// The line of the FHIR resource `type`/`id`, nil when there is none.
    func fhirLine(_ type: String, _ id: String) -> String? {
        fhirLines(type).first { $0.hasPrefix(#"{"resourceType":"\#(type)","id":"\#(id)","#) }
    }

    /// The FHIR resource `type`/`id`, parsed.
    func fhirResource(_ type: String, _ id: String) -> [String: Any]? {
        fhirLine(type, id).flatMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
    }

    /// Two providers; offers in every state: current (a dated course with a translation, a national digital
    /// programme, a webinar whose FHIR id must be shortened), due, stale, ended and draft.
    static let records = #"""
-- content/providers/frisk/provider.yaml --
name: Frisklivssentralen i Oslo
org_number: "974778882"
type: kommune
municipality: "0301"
website: https://example.org/frisk
email: post@example.org
phone: "+47 23 00 00 00"
-- content/providers/nett/provider.yaml --
name: Nasjonalt senter for digital mestring
org_number: "988077917"
type: statlig
municipality: "4601"
-- content/providers/frisk/sov-godt.md --
---
title: Sov godt – kurs for deg som sover dårlig
summary: Fire kvelder om hva som påvirker søvnen, og hva du selv kan gjøre.
kind: friskliv
format: kurs
delivery: oppmote
topics: [sovn, psykisk-helse]
audiences: [voksne]
municipalities: ["0301"]
locations:
  - name: Frisklivssentralen Grünerløkka
    address: Helgesens gate 2
    postal_code: "0553"
    city: Oslo
    municipality: "0301"
    geo: [59.9226, 10.7590]
schedule:
  - start: 2027-02-02T18:00
    end: 2027-02-23T20:00
    note: Tirsdager kl. 18–20, fire ganger
  - start: 2027-04-06T18:00
    end: 2027-04-27T20:00
price:
  kind: gratis
  note: Kursheftet er gratis.
referral: ingen
signup:
  url: https://example.org/pamelding
  phone: "+47 23 00 00 01"
  deadline: 2027-01-26
contact:
  name: Kari Nordmann
  email: kari@example.org
languages: [nb]
accessibility: [rullestol]
tags: [søvnvansker, "insomni"]
last_reviewed: 2026-10-05
---
## Om kurset

*Sov godt* bygger på kognitiv atferdsterapi <script>alert(1)</script> for søvnvansker.
-- content/providers/frisk/sov-godt.nn.md --
---
title: Sov godt – kurs for deg som søv dårleg
summary: Fire kveldar om kva som påverkar søvnen, og kva du sjølv kan gjere.
---
*Sov godt* byggjer på kognitiv åtferdsterapi.
-- content/providers/nett/stressmestring.md --
---
title: "Mestre stress <3 & mer > mindre på nett"
summary: Et selvhjelpsprogram i åtte moduler som du tar i ditt eget tempo.
kind: selvhjelp
format: digitalt-verktoy
delivery: digitalt
topics: [stress]
audiences: [voksne, ungdom]
national: true
ongoing: true
price:
  kind: egenandel
  amount_nok: 250
referral: frisklivsresept
signup:
  url: https://example.org/stress
  email: hjelp@example.org
languages: [nb, en]
last_reviewed: 2026-11-20
---
Programmet har åtte moduler & øvelser.
-- content/providers/frisk/forfalt.md --
---
title: Turgruppe
summary: Vi går tur sammen hver onsdag, i all slags vær.
kind: friskliv
format: gruppe
delivery: oppmote
topics: [fysisk-aktivitet]
audiences: [eldre]
municipalities: ["0301", "3201"]
locations:
  - name: Sofienbergparken
    address: Sofienberggata 1
    postal_code: "0558"
    city: Oslo
    municipality: "0301"
ongoing: true
price:
  kind: gratis
referral: ingen
signup:
  phone: "+47 23 00 00 02"
last_reviewed: 2025-10-01
---
Møt opp ved inngangen.
-- content/providers/frisk/gammel.md --
---
title: Røykesluttkurs
summary: Et kurs for deg som vil slutte å røyke, med oppfølging i åtte uker.
kind: friskliv
format: kurs
delivery: hybrid
topics: [tobakk]
audiences: [voksne]
municipalities: ["0301"]
locations:
  - name: Frisklivssentralen Grünerløkka
    address: Helgesens gate 2
    postal_code: "0553"
    city: Oslo
    municipality: "0301"
    geo: [59.9226, 10.7590]
ongoing: true
price:
  kind: betaling
  amount_nok: 500
referral: henvisning
signup:
  email: post@example.org
last_reviewed: 2025-01-10
---
Kurset går over åtte uker.
-- content/providers/frisk/ferdig.md --
---
title: Sommertrim
summary: Trening i parken hver tirsdag i sommer, for alle som vil være med.
kind: friskliv
format: gruppe
delivery: oppmote
topics: [fysisk-aktivitet]
audiences: [alle]
municipalities: ["0301"]
locations:
  - name: Sofienbergparken
    address: Sofienberggata 1
    postal_code: "0558"
    city: Oslo
    municipality: "0301"
schedule:
  - start: 2026-06-02
    end: 2026-08-25
price:
  kind: gratis
referral: ingen
signup:
  phone: "+47 23 00 00 02"
last_reviewed: 2026-05-01
---
Ta med vannflaske.
-- content/providers/frisk/utkast.md --
---
title: Utkast
summary: Et tilbud som ikke er publisert ennå, og som ikke skal vises noe sted.
kind: friskliv
format: kurs
delivery: digitalt
topics: [kosthold]
audiences: [voksne]
national: true
ongoing: true
price:
  kind: gratis
referral: ingen
signup:
  url: https://example.org/utkast
last_reviewed: 2026-11-01
status: draft
---
Kommer snart.
-- content/providers/nett/webinar-om-diabetes-type-2-med-et-svaert-langt-navn-for-fhir.md --
---
title: Langt navn
summary: Et tilbud med en lang adresse, for å prøve at FHIR-id-en blir kortet ned.
kind: laering-og-mestring
format: foredrag
delivery: digitalt
topics: [diabetes]
audiences: [pasienter]
national: true
schedule:
  - start: 2027-03-01T19:00
    end: 2027-03-01T20:30
price:
  kind: gratis
referral: ingen
signup:
  url: https://example.org/webinar
last_reviewed: 2026-09-01
---
Et webinar.
"""#
}

/// Indents compact JSON the way `JSONValue.encoded(pretty: true)` does: two spaces, `": "`, `{}` and `[]`
/// for empty containers, a final newline. Whitespace between tokens in the input is dropped.
func prettyJSON(_ compact: String) -> String {
    var out = [UInt8]()
    let bytes = Array(compact.utf8)
    var level = 0
    var inString = false
    var i = 0
    func newline() {
        out.append(0x0A)
        out.append(contentsOf: [UInt8](repeating: 0x20, count: level * 2))
    }
    while i < bytes.count {
        let b = bytes[i]
        if inString {
            out.append(b)
            if b == UInt8(ascii: "\\") { out.append(bytes[i + 1]); i += 1 } else if b == UInt8(ascii: "\"") { inString = false }
            i += 1
            continue
        }
        switch b {
        case UInt8(ascii: "\""): inString = true; out.append(b)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let close = b == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: "]")
            var j = i + 1
            while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x0A { j += 1 }
            if j < bytes.count, bytes[j] == close {
                out.append(b); out.append(close); i = j
            } else {
                out.append(b); level += 1; newline()
            }
        case UInt8(ascii: "}"), UInt8(ascii: "]"): level -= 1; newline(); out.append(b)
        case UInt8(ascii: ","): out.append(b); newline()
        case UInt8(ascii: ":"): out.append(b); out.append(0x20)
        case 0x20, 0x0A, 0x0D, 0x09: break
        default: out.append(b)
        }
        i += 1
    }
    out.append(0x0A)
    return String(decoding: out, as: UTF8.self)
}
