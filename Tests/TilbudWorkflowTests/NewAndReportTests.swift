import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudValidate
@testable import TilbudWorkflow

@Suite("tilbud new")
struct NewTests {
    /// Replaces the first line starting with `key` (after indentation) with `replacement`.
    func fill(_ text: String, _ key: String, _ replacement: String) -> String {
        var lines = text.components(separatedBy: "\n")
        guard let i = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) }) else {
            Issue.record("no line \(key)")
            return text
        }
        let indent = lines[i].prefix { $0 == " " }
        lines[i] = indent + replacement
        return lines.joined(separator: "\n")
    }

    @Test func aNewOfferExplainsEveryFieldAndPassesOnceFilled() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], email: "kurs@frisk.example.org")
        let new = CLI.run(["new", "offer", "frisk", "sov-bedre", "--content", repo.content.path, "--today", "2026-01-15"])
        #expect(new.code == 0, "\(new.err)")
        #expect(new.out.contains("providers/frisk/sov-bedre.md"))
        var text = try repo.read("content/providers/frisk/sov-bedre.md")
        #expect(text.contains("last_reviewed: 2026-01-15"))
        #expect(text.contains("email: \"kurs@frisk.example.org\""))
        #expect(text.contains("municipalities: [\"0301\"]"))
        // Every field of the content model is there, with a Norwegian comment above it.
        for field in ["title", "summary", "kind", "format", "delivery", "topics", "audiences", "municipalities", "national", "locations",
                      "schedule", "ongoing", "price", "referral", "signup", "contact", "languages", "accessibility", "tags",
                      "last_reviewed", "valid_until", "status"] {
            let lines = text.components(separatedBy: "\n")
            let i = try #require(lines.firstIndex { $0.hasPrefix(field + ":") || $0.hasPrefix("# " + field + ":") }, "no \(field)")
            #expect(lines[i - 1].hasPrefix("#"), "no comment above \(field)")
        }
        // Vocabulary ids come from governance, with their labels.
        #expect(text.contains("#   laering-og-mestring"))
        #expect(text.contains("#   sovn"))

        // Unfilled, every placeholder is an error at its own line.
        let unfilled = repo.check()
        let errors = unfilled.diagnostics.filter { $0.severity == .error }
        #expect(errors.count >= 10)
        #expect(errors.allSatisfy { $0.location?.path == "content/providers/frisk/sov-bedre.md" })
        #expect(Set(errors.map { $0.location!.line }).count == errors.count)

        text = fill(text, "title:", "title: Sov bedre – kurs om søvn")
        text = fill(text, "summary:", "summary: Fire kvelder om søvn og hva du selv kan gjøre for å sove bedre.")
        text = fill(text, "kind:", "kind: friskliv")
        text = fill(text, "format:", "format: kurs")
        text = fill(text, "delivery:", "delivery: oppmote")
        text = fill(text, "topics:", "topics: [sovn]")
        text = fill(text, "audiences:", "audiences: [voksne]")
        text = fill(text, "- name:", "- name: Frisklivssentralen")
        text = fill(text, "address:", "address: Helgesens gate 2")
        text = fill(text, "postal_code:", "postal_code: \"0553\"")
        text = fill(text, "city:", "city: Oslo")
        text = fill(text, "- start:", "- start: 2026-02-03T18:00")
        text += "Fire kvelder om søvn.\n"
        try repo.write("content/providers/frisk/sov-bedre.md", text)
        let filled = repo.check()
        #expect(!filled.hasErrors, "\(filled.diagnostics.map { "\($0.location!.line): \($0.message.en)" })")
        let offer = try #require(filled.catalog.offers.first { $0.id == "frisk/sov-bedre" })
        #expect(offer.state == .current)
        #expect(filled.diagnostics.isEmpty, "\(filled.diagnostics.map(\.message.en))")
    }

    @Test func neverOverwrites() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt"])
        let before = try repo.read("content/providers/frisk/sov-godt.md")
        let again = CLI.run(["new", "offer", "frisk", "sov-godt", "--content", repo.content.path])
        #expect(again.code == 2)
        #expect(again.err.contains("overskrevet"))
        #expect(try repo.read("content/providers/frisk/sov-godt.md") == before)
        let provider = try repo.read("content/providers/frisk/provider.yaml")
        #expect(CLI.run(["new", "provider", "frisk", "--content", repo.content.path]).code == 2)
        #expect(try repo.read("content/providers/frisk/provider.yaml") == provider)
        // O_EXCL: even a file that appears between the check and the write is kept.
        try repo.write("content/providers/frisk/kappløp.md", "mine\n")
        #expect(throws: WorkflowError.self) { try Scaffold.create("theirs", at: repo.url("content/providers/frisk/kappløp.md")) }
        #expect(try repo.read("content/providers/frisk/kappløp.md") == "mine\n")
    }

    @Test(arguments: [["offer", "frisk", "Sov_Godt"], ["offer", "frisk", "x"], ["offer", "../frisk", "sov-godt"],
                      ["offer", "frisk", String(repeating: "a", count: 65)], ["provider", "Ny Tilbyder"], ["provider", "../../etc"],
                      ["offer", "finnes-ikke", "sov-godt"]])
    func refusesBadIDs(arguments: [String]) throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"])
        let before = try FileManager.default.subpathsOfDirectory(atPath: repo.root.path).sorted()
        let result = CLI.run(["new"] + arguments + ["--content", repo.content.path])
        #expect(result.code == 2)
        #expect(!result.err.isEmpty)
        #expect(try FileManager.default.subpathsOfDirectory(atPath: repo.root.path).sorted() == before)
    }

    @Test func aNewProviderPassesOnceFilled() throws {
        let repo = try Repo()
        try repo.run(["config", "user.email", "leder@ny.example.org"])
        let result = CLI.run(["new", "provider", "ny-sentral", "--content", repo.content.path])
        #expect(result.code == 0, "\(result.err)")
        var text = try repo.read("content/providers/ny-sentral/provider.yaml")
        #expect(text.contains("editors: [\"leder@ny.example.org\"]"))
        #expect(text.contains("#   helseforetak"))
        #expect(repo.check().diagnostics.filter { $0.severity == .error }.count == 5)
        text = text.replacingOccurrences(of: "name: \"\"", with: "name: Ny frisklivssentral")
            .replacingOccurrences(of: "org_number: \"\"", with: "org_number: \"974778882\"")
            .replacingOccurrences(of: "type: \"\"", with: "type: kommune")
            .replacingOccurrences(of: "municipality: \"\"", with: "municipality: \"0301\"")
            .replacingOccurrences(of: "email: \"\"", with: "email: post@ny.example.org")
        try repo.write("content/providers/ny-sentral/provider.yaml", text)
        let check = repo.check()
        #expect(check.diagnostics.isEmpty, "\(check.diagnostics.map(\.message.en))")
        #expect(check.catalog.provider("ny-sentral")?.editors == ["leder@ny.example.org"])
        // And the new offer command now finds it.
        #expect(CLI.run(["new", "offer", "ny-sentral", "forste-kurs", "--content", repo.content.path]).code == 0)
    }
}

@Suite("tilbud report review")
struct ReviewReportTests {
    func catalog() throws -> (Repo, Catalog) {
        let repo = try Repo()
        try repo.addProvider("alfa", editors: ["*@example.org"], email: "post@alfa.example.org")
        try repo.write("content/providers/alfa/utdatert.md", Records.offer(title: "Utdatert kurs", lastReviewed: "2024-06-01"))
        try repo.write("content/providers/alfa/til-gjennomgang.md", Records.offer(title: "Skal gjennomgås, \"snart\"", lastReviewed: "2024-12-01"))
        try repo.write("content/providers/alfa/gyldig.md", Records.offer(title: "Gyldig kurs", lastReviewed: "2025-12-01"))
        try repo.write("content/providers/alfa/utkast.md", Records.offer(title: "Utkast", lastReviewed: "2020-01-01", extra: "status: draft"))
        try repo.addProvider("beta", editors: ["*@example.org"], email: "post@beta.example.org")
        try repo.write("content/providers/beta/avsluttet.md", Records.offer(title: "=HYPERLINK(\"x\")", extra: "valid_until: 2025-12-31"))
        try repo.addProvider("gamma", editors: ["*@example.org"], offers: ["alt-i-orden"])
        let result = repo.check()
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message.en))")
        return (repo, result.catalog)
    }

    @Test func groupsDueStaleAndEndedPerProvider() throws {
        let (_, catalog) = try catalog()
        let report = ReviewReport(catalog: catalog)
        #expect(report.groups.map(\.provider.id) == ["alfa", "beta"])
        #expect(report.groups[0].items.map(\.state) == [.stale, .due])
        #expect(report.groups[0].items.map(\.offer.slug) == ["utdatert", "til-gjennomgang"])
        #expect(report.groups[1].items.map(\.state) == [.ended])
        #expect(report.groups[1].items[0].endedOn?.iso == "2025-12-31")
        let text = report.text(language: .nb)
        #expect(text.contains("alfa) – post@alfa.example.org"))
        #expect(text.contains("UTDATERT: Utdatert kurs"))
        #expect(text.contains("SKAL GJENNOMGÅS"))
        #expect(text.contains("AVSLUTTET"))
        #expect(!text.contains("Gyldig kurs"))
        #expect(!text.contains("Utkast"))
        #expect(report.text(language: .en).contains("STALE: Utdatert kurs"))
    }

    @Test func csvIsOneQuotedRowPerOfferAndSafeInSpreadsheets() throws {
        let (_, catalog) = try catalog()
        let csv = ReviewReport(catalog: catalog).csv()
        let rows = csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(rows.count == 4)
        #expect(rows[0] == "provider_id,provider_name,provider_email,offer_id,title,state,last_reviewed,review_due,stale_from,ended_on,file")
        #expect(rows[1].hasPrefix("alfa,Frisklivssentralen i Oslo,post@alfa.example.org,alfa/utdatert,Utdatert kurs,stale,2024-06-01,2025-06-01,2025-09-02,,"))
        #expect(rows[2].contains(",\"Skal gjennomgås, \"\"snart\"\"\",due,2024-12-01,2025-12-01,2026-03-02,,"))
        #expect(rows[3].contains(",\"'=HYPERLINK(\"\"x\"\")\",ended,"))
        #expect(rows[3].contains(",2025-12-31,"))
    }

    @Test(arguments: [
        ("Kurs;=1+1;slutt", "\"Kurs;'=1+1;slutt\""),
        ("Kurs\t=1+1", "Kurs '=1+1"), ("=SUM(A1)", "'=SUM(A1)"), ("a,@b", "\"a,'@b\""), ("a;-2;+3", "\"a;'-2;'+3\""),
        ("2026-01-15", "2026-01-15"), ("Søvn - kurs", "Søvn - kurs"),
    ])
    func noCellOfAFieldCanStartAFormula(_ input: String, _ expected: String) {
        #expect(ReviewReport.csvField(input) == expected)
    }

    @Test func theCommandPrintsTextOrCSV() throws {
        let (repo, _) = try catalog()
        let text = CLI.run(["report", "review", "--content", repo.content.path, "--today", "2026-01-15"])
        #expect(text.code == 0, "\(text.err)")
        #expect(text.out.contains("Gjennomgang per 2026-01-15: 3 tilbud hos 2 tilbydere"))
        let csv = CLI.run(["report", "review", "--content", repo.content.path, "--today", "2026-01-15", "--format", "csv", "--provider", "beta"])
        #expect(csv.code == 0)
        // A header and provider beta's one offer. (Lines are counted by what they hold: CLI.run captures the process's
        // standard output, which another test running at the same time may print a figure to.)
        let rows = csv.out.components(separatedBy: "\r\n")
        #expect(rows.filter { $0.contains("beta/") }.count == 1, "\(csv.out)")
        #expect(!rows.contains { $0.contains("alfa/") }, "\(csv.out)")
        #expect(CLI.run(["report", "review", "--content", repo.content.path, "--format", "xml"]).code == 2)
        #expect(CLI.run(["report", "review", "--content", repo.content.path, "--provider", "finnes-ikke"]).code == 2)
    }
}
