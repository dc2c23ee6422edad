import Foundation
import Testing
@testable import TilbudCLI
import TilbudModel
import TilbudSite
import TilbudTestSupport
import TilbudValidate
@testable import TilbudWorkflow

@Suite("Dates from history")
struct HistoryTests {
    func dates(_ repo: Repo) -> [String: (Day?, Day?)] {
        let result = repo.check()
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message.en))")
        let filled = OfferDates.startFilling(contentRoot: repo.content)(result.catalog)
        return Dictionary(uniqueKeysWithValues: filled.offers.map { ($0.id, ($0.published, $0.updated)) })
    }

    /// A repository with provider `frisk` and `offers`, committed on 2024-01-10 at noon in Oslo; and that commit's id.
    static func committed(_ offers: [String]) throws -> (Repo, String) {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@example.org"], offers: offers)
        return (repo, try repo.commit("Første", as: "a@example.org", date: "2024-01-10T12:00:00+01:00"))
    }

    /// A git for `repo` that writes each call's arguments to `calls`, runs `before` (shell), then the real git. It lives
    /// in a folder of its own outside the repository (which tests reset); remove `folder` when done.
    static func wrappedGit(_ repo: Repo, before: String = "") throws -> (git: Git, calls: URL, folder: URL) {
        let folder = FileTree.temporaryFolder("tilbud-git-wrapper-")
        let calls = folder.appendingPathComponent("git-calls.log"), wrapper = folder.appendingPathComponent("git-wrapper.sh")
        try FileTree.write("#!/bin/sh\necho \"$*\" >> '\(calls.path)'\n\(before)exec git \"$@\"\n", to: wrapper)
        chmod(wrapper.path, 0o755)
        return (Git(directory: repo.content, executable: wrapper.path), calls, folder)
    }

    func setModificationTime(_ url: URL, _ iso: String) throws {
        let date = ISO8601DateFormatter().date(from: iso)!
        try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
    }

    @Test func firstAndLastCommitIncludingTranslations() throws {
        let (repo, _) = try Self.committed(["sov-godt", "annet"])
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
        let (repo, _) = try Self.committed(["sov-godt"])
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
        let (git, log, folder) = try Self.wrappedGit(repo)
        defer { try? FileManager.default.removeItem(at: folder) }
        let history = ContentHistory.load(contentRoot: repo.content, git: git)
        let calls = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        // Where the repository is (rev-parse), then one log.
        #expect(calls.count == 2)
        #expect(calls.filter { $0.contains(" log ") }.count == 1)
        #expect(history.source == .git)
        #expect(history.commits == 5)
        #expect(history.commitTimes.count == 100)
    }

    @Test func sameCommitSameDatesInAnyClone() throws {
        let (repo, _) = try Self.committed(["sov-godt", "annet"])
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
        let (paths, commits) = ContentHistory.parsePaths(log)
        let times = ContentHistory.byOffer(paths), known = Set(paths.keys)
        #expect(commits == 2)
        #expect(known.count == 3)
        #expect(times["a/x"]?.first == 1_600_000_000)
        #expect(times["a/x"]?.last == 1_700_000_000)
        #expect(times["b/y"]?.first == 1_600_000_000)
    }

    @Test func theBuildPublishesTheDatesInTheFeed() throws {
        let (repo, _) = try Self.committed(["sov-godt"])
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
        let (repo, _) = try Self.committed(["sov-godt", "annet"])
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

    /// Every offer's first and last time and every path named, as text, to compare two histories.
    func summary(_ h: ContentHistory) -> [String] {
        h.commitTimes.map { "\($0.key) \($0.value.first) \($0.value.last)" }.sorted() + (h.knownFiles ?? []).sorted() + ["\(h.commits) commits"]
    }

    @Test func theHistoryIsKeptSoARebuildReadsOnlyTheCommitsSince() throws {
        let (repo, first) = try Self.committed(["sov-godt", "annet"])
        let (git, log, folder) = try Self.wrappedGit(repo)
        defer { try? FileManager.default.removeItem(at: folder) }
        func logs(_ load: () -> ContentHistory) throws -> (ContentHistory, [String]) {
            try? FileManager.default.removeItem(at: log)
            let h = load()
            let calls = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            return (h, calls.split(separator: "\n").filter { $0.contains(" log ") }.map(String.init))
        }
        let kept = repo.url(".git/tilbud/history")

        // The first build reads the whole log and keeps it.
        var (h, calls) = try logs { ContentHistory.load(contentRoot: repo.content, git: git) }
        #expect(calls.count == 1 && !calls[0].contains(".."))
        #expect(FileManager.default.fileExists(atPath: kept.path))
        #expect(h.commitTimes["frisk/annet"]?.first == 1_704_884_400)
        // Nothing committed since: no log at all, the same history.
        let before = summary(h)
        (h, calls) = try logs { ContentHistory.load(contentRoot: repo.content, git: git) }
        #expect(calls.isEmpty)
        #expect(summary(h) == before)

        // An edit on main, read: only the commit since the kept head.
        try repo.write("content/providers/frisk/annet.md", Records.offer(title: "Annet – endret"))
        let edit = try repo.commit("Endrer annet", as: "a@example.org", date: "2024-06-01T12:00:00+02:00")
        (h, calls) = try logs { ContentHistory.load(contentRoot: repo.content, git: git) }
        #expect(calls.count == 1 && calls[0].contains(first + ".." + edit))
        #expect(h.commitTimes["frisk/annet"]?.last == 1_717_236_000)
        // A branch from the first commit with a translation, dated before the kept head, merged: the side branch's
        // commit is read too, and the history is the one the whole log gives.
        try repo.run(["checkout", "-q", "-b", "side", first])
        try repo.write("content/providers/frisk/sov-godt.nn.md", Records.translation(title: "Sov godt – nynorsk"))
        try repo.commit("Nynorsk", as: "a@example.org", date: "2024-03-01T12:00:00+01:00")
        try repo.run(["checkout", "-q", "main"])
        try repo.run(["-c", "user.name=R", "-c", "user.email=a@example.org", "merge", "-q", "--no-edit", "side"],
                     env: ["GIT_AUTHOR_DATE": "2024-07-01T12:00:00+02:00", "GIT_COMMITTER_DATE": "2024-07-01T12:00:00+02:00"])
        (h, calls) = try logs { ContentHistory.load(contentRoot: repo.content, git: git) }
        #expect(calls.count == 1 && calls[0].contains(edit + ".."))
        let whole = ContentHistory.load(contentRoot: repo.content, cache: false)
        #expect(summary(h) == summary(whole))
        #expect(h.commitTimes["frisk/sov-godt"]?.last == 1_709_290_800)  // the translation, 2024-03-01
        #expect(h.commits == 4)

        // HEAD moved off the kept history (a reset and a new commit): the whole log is read again.
        try repo.run(["reset", "-q", "--hard", first])
        try repo.write("content/providers/frisk/annet.md", Records.offer(title: "Annet – på nytt"))
        try repo.commit("På nytt", as: "a@example.org", date: "2025-01-05T12:00:00+01:00")
        (h, calls) = try logs { ContentHistory.load(contentRoot: repo.content, git: git) }
        #expect(calls.count == 1 && !calls[0].contains(".."))
        #expect(summary(h) == summary(ContentHistory.load(contentRoot: repo.content, cache: false)))
        #expect(h.commitTimes["frisk/sov-godt"]?.last == 1_704_884_400)  // the translation is gone with its branch

        // A kept file that does not read back whole is not used.
        for damaged in [try String(contentsOf: kept, encoding: .utf8).replacingOccurrences(of: "\nend\n", with: "\n"), "tilbud-history 1\nhead x\n"] {
            try damaged.write(to: kept, atomically: true, encoding: .utf8)
            (h, calls) = try logs { ContentHistory.load(contentRoot: repo.content, git: git) }
            #expect(calls.count == 1 && !calls[0].contains(".."))
            #expect(summary(h) == summary(ContentHistory.load(contentRoot: repo.content, cache: false)))
        }
    }

    @Test func aShallowCloneKeepsNoHistory() throws {
        let (repo, _) = try Self.committed(["sov-godt"])
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – endret"))
        try repo.commit("Andre", as: "a@example.org", date: "2024-02-20T12:00:00+01:00")
        let clone = try Repo(git: false)
        try FileManager.default.removeItem(at: clone.root)
        try repo.run(["clone", "-q", "--depth", "1", "file://" + repo.root.path, clone.root.path])
        let h = ContentHistory.load(contentRoot: clone.content)
        #expect(h.source == .git && h.commits == 1 && h.shallow)
        #expect(!FileManager.default.fileExists(atPath: clone.url(".git/tilbud/history").path))
        // The build says the dates are off, and how to fetch the history; a build in the whole repository does not.
        for (folder, shallow) in [(clone, true), (repo, false)] {
            let result = CLI.run(["build", "--content", folder.content.path, "--templates", Repo.templates.path,
                                  "--output", folder.url("public").path, "--today", "2026-01-15", "--quiet", "--lang", "en"])
            #expect(result.code == 0, "\(result.err)")
            #expect(result.err.contains("shallow clone") == shallow, "\(result.err)")
            #expect(result.err.contains("fetch-depth: 0") == shallow)
        }
    }

    @Test func theKeptHistoryReadsBackAsWritten() {
        let kept = HistoryCache(head: String(repeating: "0123456789abcdef", count: 3).prefix(40).description, prefix: "content dir/", commits: 3,
                                paths: ["providers/a/x.md": (1, 5), "providers/a/med mellomrom.md": (2, 2), "providers/b/y.nn.md": (0, 9)])
        let back = HistoryCache.decode(kept.encoded())
        #expect(back?.head == kept.head && back?.prefix == "content dir/" && back?.commits == 3)
        #expect(back?.paths.mapValues { "\($0.first) \($0.last)" } == kept.paths.mapValues { "\($0.first) \($0.last)" })
        // Cut short anywhere, it is not used.
        let bytes = kept.encoded()
        for cut in [1, 20, bytes.count / 2, bytes.count - 5, bytes.count - 1] {
            #expect(HistoryCache.decode(bytes.prefix(cut)) == nil, "cut at \(cut)")
        }
        // Its head goes to git as a revision: anything but a commit id (an option, say) is refused.
        for head in ["--output=/tmp/x", "abc", String(repeating: "A", count: 40)] {
            var other = kept
            other.head = head
            #expect(HistoryCache.decode(other.encoded()) == nil, "\(head)")
        }
    }

    @Test func aGitThatCannotSayWhereTheRepositoryIsStillGivesTheWholeLog() throws {
        let (repo, _) = try Self.committed(["sov-godt"])
        // An old git: no --is-shallow-repository.
        let (git, _, folder) = try Self.wrappedGit(repo, before: "case \"$*\" in *rev-parse*) echo 'unknown option' >&2; exit 129;; esac\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let h = ContentHistory.load(contentRoot: repo.content, git: git)
        #expect(h.source == .git && h.commits == 1)
        #expect(h.commitTimes["frisk/sov-godt"]?.first == 1_704_884_400)
        #expect(!FileManager.default.fileExists(atPath: repo.url(".git/tilbud/history").path))
    }
}
