import Foundation
import Testing
@testable import TilbudCLI
import TilbudModel
import TilbudSite
import TilbudValidate
@testable import TilbudWorkflow

@Suite("Dates from history")
struct HistoryTests {
    func dates(_ repo: Repo) -> [String: (Day?, Day?)] {
        let result = repo.check()
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message.en))")
        let filled = OfferDates.fill(result.catalog, contentRoot: repo.content)
        return Dictionary(uniqueKeysWithValues: filled.offers.map { ($0.id, ($0.published, $0.updated)) })
    }

    func setModificationTime(_ url: URL, _ iso: String) throws {
        let date = ISO8601DateFormatter().date(from: iso)!
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
    }

    @Test func firstAndLastCommitIncludingTranslations() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt", "annet"])
        try repo.commit("Første", as: "a@example.org", date: "2024-01-10T12:00:00+01:00")
        try repo.write("content/providers/frisk/annet.md", Records.offer(title: "Annet – endret"))
        try repo.commit("Endrer annet", as: "a@example.org", date: "2024-06-01T12:00:00+02:00")
        try repo.write("content/providers/frisk/sov-godt.nn.md", Records.translation(title: "Sov godt – nynorsk"))
        try repo.commit("Nynorsk", as: "a@example.org", date: "2025-03-05T23:30:00+01:00")
        // A commit elsewhere does not count.
        try repo.write("content/site.yaml", try repo.read("content/site.yaml") + "# x\n")
        try repo.commit("Annet", as: "a@example.org", date: "2025-12-01T12:00:00+01:00")
        let d = dates(repo)
        #expect(d["frisk/sov-godt"]?.0?.iso == "2024-01-10")
        #expect(d["frisk/sov-godt"]?.1?.iso == "2025-03-05")  // the nynorsk translation, 23:30 in Oslo
        #expect(d["frisk/annet"]?.0?.iso == "2024-01-10")
        #expect(d["frisk/annet"]?.1?.iso == "2024-06-01")
    }

    @Test func theDayIsTheDayInOslo() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt"])
        // 23:30 UTC on 31 December is already 1 January in Oslo.
        try repo.commit("Nyttår", as: "a@example.org", date: "2024-12-31T23:30:00+00:00")
        #expect(dates(repo)["frisk/sov-godt"]?.1?.iso == "2025-01-01")
    }

    @Test func filesGitDoesNotKnowUseTheirModificationTime() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt"])
        try repo.commit("Første", as: "a@example.org", date: "2024-01-10T12:00:00+01:00")
        try repo.write("content/providers/frisk/nytt.md", Records.offer(title: "Nytt, ikke lagt inn"))
        try setModificationTime(repo.url("content/providers/frisk/nytt.md"), "2025-09-09T10:00:00Z")
        try repo.write("content/providers/frisk/sov-godt.en.md", Records.translation(title: "Sleep well"))
        try setModificationTime(repo.url("content/providers/frisk/sov-godt.en.md"), "2025-10-10T10:00:00Z")
        // A tracked file's own date never counts: a checkout sets it to the day of the checkout.
        try setModificationTime(repo.url("content/providers/frisk/sov-godt.md"), "2026-01-01T10:00:00Z")
        let d = dates(repo)
        #expect(d["frisk/nytt"]?.0?.iso == "2025-09-09")
        #expect(d["frisk/nytt"]?.1?.iso == "2025-09-09")
        #expect(d["frisk/sov-godt"]?.0?.iso == "2024-01-10")
        #expect(d["frisk/sov-godt"]?.1?.iso == "2025-10-10")
    }

    @Test func withoutGitTheFilesDatesAreUsed() throws {
        let repo = try Repo(git: false)
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt"])
        try repo.write("content/providers/frisk/sov-godt.nn.md", Records.translation(title: "Sov godt på nynorsk"))
        try setModificationTime(repo.url("content/providers/frisk/sov-godt.md"), "2023-05-05T10:00:00Z")
        try setModificationTime(repo.url("content/providers/frisk/sov-godt.nn.md"), "2024-04-04T10:00:00Z")
        let d = dates(repo)
        #expect(d["frisk/sov-godt"]?.0?.iso == "2023-05-05")
        #expect(d["frisk/sov-godt"]?.1?.iso == "2024-04-04")
        #expect(ContentHistory.load(contentRoot: repo.content).source == .fileDates)
    }

    @Test func oneGitCallForTheWholeTree() throws {
        let repo = try Repo()
        for p in 0..<5 {
            try repo.addProvider("tilbyder-\(p)", editors: ["*@example.org"], offers: (0..<20).map { "kurs-\($0)" })
            try repo.commit("Tilbyder \(p)", as: "a@example.org")
        }
        // A git that writes down every call, then runs the real one.
        let log = repo.url("git-calls.log")
        let wrapper = repo.url("git-wrapper.sh")
        try repo.write("git-wrapper.sh", "#!/bin/sh\necho \"$*\" >> '\(log.path)'\nexec git \"$@\"\n")
        chmod(wrapper.path, 0o755)
        let history = ContentHistory.load(contentRoot: repo.content, git: Git(directory: repo.content, executable: wrapper.path))
        let calls = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(calls.count == 1)
        #expect(history.source == .git)
        #expect(history.commits == 5)
        #expect(history.commitTimes.count == 100)
    }

    @Test func sameCommitSameDatesInAnyClone() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt", "annet"])
        try repo.commit("Første", as: "a@example.org", date: "2024-01-10T12:00:00+01:00")
        try repo.write("content/providers/frisk/annet.md", Records.offer(title: "Annet – endret"))
        try repo.commit("Andre", as: "a@example.org", date: "2024-02-20T12:00:00+01:00")
        let clone = try Repo(git: false)
        try FileManager.default.removeItem(at: clone.root)
        try repo.run(["clone", "-q", repo.root.path, clone.root.path])
        // Fresh files: every modification time is now; the dates still come from the history.
        let a = dates(repo), b = dates(clone)
        #expect(a.mapValues { "\($0.0!.iso) \($0.1!.iso)" } == b.mapValues { "\($0.0!.iso) \($0.1!.iso)" })
        #expect(b["frisk/annet"]?.1?.iso == "2024-02-20")
    }

    @Test func parsesPathsIntoOfferIDs() {
        #expect(ContentHistory.offerKey("providers/frisk/sov-godt.md") == "frisk/sov-godt")
        #expect(ContentHistory.offerKey("providers/frisk/sov-godt.nn.md") == "frisk/sov-godt")
        #expect(ContentHistory.offerKey("providers/frisk/provider.yaml") == nil)
        #expect(ContentHistory.offerKey("providers/frisk/sub/x.md") == nil)
        #expect(ContentHistory.offerKey("governance/policy.yaml") == nil)
        let log = Data("\u{1E}1700000000\n\nproviders/a/x.md\nproviders/a/x.en.md\n\u{1E}1600000000\n\nproviders/a/x.md\nproviders/b/y.md\n".utf8)
        let (times, known, commits) = ContentHistory.parse(log)
        #expect(commits == 2)
        #expect(known.count == 3)
        #expect(times["a/x"]?.first == 1_600_000_000)
        #expect(times["a/x"]?.last == 1_700_000_000)
        #expect(times["b/y"]?.first == 1_600_000_000)
    }

    @Test func theBuildPublishesTheDatesInTheFeed() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt"])
        try repo.commit("Første", as: "a@example.org", date: "2024-01-10T12:00:00+01:00")
        try repo.write("content/providers/frisk/sov-godt.nn.md", Records.translation(title: "Sov godt – nynorsk"))
        try repo.commit("Nynorsk", as: "a@example.org", date: "2025-03-05T12:00:00+01:00")
        let output = repo.url("public")
        let result = CLI.run(["build", "--content", repo.content.path, "--templates", Repo.templates.path, "--output", output.path,
                              "--today", "2026-01-15", "--quiet"])
        #expect(result.code == 0, "\(result.err)")
        let data = try Data(contentsOf: output.appendingPathComponent("api/v1/offers/frisk/sov-godt.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["published"] as? String == "2024-01-10")
        #expect(json["updated"] as? String == "2025-03-05")
    }

    @Test func theHistoryReadOnItsOwnThreadIsTheHistoryGitGives() throws {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt", "annet"])
        try repo.commit("Første", as: "a@example.org", date: "2024-01-10T12:00:00+01:00")
        try repo.write("content/providers/frisk/annet.md", Records.offer(title: "Annet – endret"))
        try repo.commit("Endrer annet", as: "a@example.org", date: "2024-06-01T12:00:00+02:00")
        let direct = ContentHistory.load(contentRoot: repo.content)
        let pending = PendingHistory(contentRoot: repo.content)
        // Read twice: a second reader gets the same history without waiting for a second git.
        for history in [pending.history, pending.history] {
            #expect(history.source == .git && history.commits == 2)
            #expect(history.knownFiles == direct.knownFiles)
            #expect(history.commitTimes.mapValues { "\($0.first) \($0.last)" } == direct.commitTimes.mapValues { "\($0.first) \($0.last)" })
        }
        let result = repo.check()
        let filled = OfferDates.startFilling(contentRoot: repo.content)(result.catalog)
        #expect(filled.offers.map { "\($0.id) \($0.published?.iso ?? "-") \($0.updated?.iso ?? "-")" }
                == ["frisk/annet 2024-01-10 2024-06-01", "frisk/sov-godt 2024-01-10 2024-01-10"])
    }

    /// The build prepares its transform (the CLI starts `git log` there) before it loads the catalog, so even a build
    /// that stops on an error has prepared it; only a checked catalog is transformed.
    @Test func theBuildPreparesTheTransformFirstAndAppliesItOnlyToACheckedCatalog() throws {
        final class Calls: @unchecked Sendable {
            let lock = NSLock()
            var log: [String] = []
            func add(_ s: String) { lock.withLock { log.append(s) } }
        }
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: ["sov-godt"])
        try repo.write("content/providers/frisk/feil.md", "---\ntitle: Uten resten\n---\n")
        let calls = Calls()
        let transform = CatalogTransform(prepare: { content in
            calls.add("prepare \(content.lastPathComponent)")
            return { catalog in
                calls.add("apply \(catalog.offers.count)")
                return catalog
            }
        })
        let options = BuildOptions(content: repo.content, contentDisplay: "content", templates: Repo.templates, templatesDisplay: "templates",
                                   output: repo.url("public"), baseURL: nil, today: Records.today)
        let failed = SiteBuilder(catalogTransform: transform).build(options)
        #expect(!failed.succeeded)
        #expect(calls.log == ["prepare content"])
        try repo.remove("content/providers/frisk/feil.md")
        let built = SiteBuilder(catalogTransform: transform).build(options)
        #expect(built.succeeded, "\(built.diagnostics.map(\.message.en)) \(built.failure ?? "")")
        #expect(calls.log == ["prepare content", "prepare content", "apply 1"])
    }
}
