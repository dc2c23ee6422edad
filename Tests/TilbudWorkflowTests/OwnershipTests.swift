import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudWorkflow

@Suite("E-mail globs")
struct EmailGlobTests {
    @Test(arguments: [
        ("kari@example.org", "*@example.org", true),
        ("KARI@Example.ORG", "*@example.org", true),
        ("kari@example.org", "kari@example.org", true),
        ("kari@evil.example.org", "*@example.org", false),
        ("kari@example.org.evil.com", "*@example.org", false),
        ("a@b@example.org", "*@example.org", false),
        ("kari@sub.example.org", "*@*.example.org", true),
        ("kari@example.org", "k?ri@example.org", true),
        ("kari@example.org", "", false),
        ("kari@example.org", "*", false),
        ("kari@example.org", "*@*", true),
    ])
    func matches(email: String, pattern: String, expected: Bool) {
        #expect(EmailGlob.matches(email, pattern) == expected)
    }
}

@Suite("Ownership: tilbud check --since")
struct OwnershipTests {
    /// A repository with provider `frisk` (editors *@frisk.example.org), one offer, committed by an editor.
    func base() throws -> (Repo, String) {
        let repo = try Repo()
        try repo.addProvider("frisk", editors: ["*@frisk.example.org"], offers: ["sov-godt"])
        let base = try repo.commit("Første versjon", as: Repo.governanceEditor)
        return (repo, base)
    }

    func ownership(_ repo: Repo, since: String) throws -> OwnershipResult {
        let result = repo.check()
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message.en))")
        return try OwnershipChecker(contentRoot: repo.content, displayRoot: "content", catalog: result.catalog).check(since: since)
    }

    @Test func editorsMayChangeTheirFolder() throws {
        let (repo, base) = try base()
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – ny tittel"))
        try repo.commit("Ny tittel", as: "kari@frisk.example.org")
        try repo.write("content/providers/frisk/nytt-kurs.md", Records.offer(title: "Nytt kurs"))
        try repo.commit("Nytt kurs", as: "Ola@FRISK.example.org")
        let result = try ownership(repo, since: base)
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message.en))")
        #expect(result.commits.count == 2)
    }

    @Test func someoneElseIsNamedWithCommitAuthorAndFile() throws {
        let (repo, base) = try base()
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – kapret"))
        let hash = try repo.commit("Endrer andres tilbud", as: "mallory@evil.example.org", name: "Mallory")
        let result = try ownership(repo, since: base)
        #expect(result.diagnostics.count == 1)
        let d = try #require(result.diagnostics.first)
        #expect(d.id == "not-an-editor")
        #expect(d.severity == .error)
        #expect(d.location?.path == "content/providers/frisk/sov-godt.md")
        for text in [d.message.nb, d.message.en] {
            #expect(text.contains(String(hash.prefix(10))))
            #expect(text.contains("Mallory <mallory@evil.example.org>"))
            #expect(text.contains("content/providers/frisk/sov-godt.md"))
            #expect(text.contains("*@frisk.example.org"))
        }
    }

    @Test func everyBadCommitAndFileIsReported() throws {
        let (repo, base) = try base()
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – én"))
        try repo.write("content/providers/frisk/annet.md", Records.offer(title: "Annet"))
        try repo.commit("To filer", as: "x@evil.example.org")
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – to"))
        try repo.commit("Godkjent", as: "kari@frisk.example.org")
        try repo.remove("content/providers/frisk/annet.md")
        try repo.commit("Sletter", as: "y@evil.example.org")
        let result = try ownership(repo, since: base)
        let found = Set(result.diagnostics.map { "\($0.location!.path) \($0.message.en.contains("x@evil") ? "x" : "y")" })
        #expect(found == ["content/providers/frisk/sov-godt.md x", "content/providers/frisk/annet.md x", "content/providers/frisk/annet.md y"])
    }

    @Test func governanceNeedsAGovernanceEditor() throws {
        let (repo, base) = try base()
        let policy = try repo.read("content/governance/policy.yaml")
        try repo.write("content/governance/policy.yaml", policy.replacingOccurrences(of: "grace_months: 3", with: "grace_months: 4"))
        try repo.commit("Lengre frist", as: "kari@frisk.example.org")
        let bad = try ownership(repo, since: base)
        #expect(bad.diagnostics.map(\.id) == ["not-a-governance-editor"])
        #expect(bad.diagnostics.first?.location?.path == "content/governance/policy.yaml")

        let (repo2, base2) = try self.base()
        let policy2 = try repo2.read("content/governance/policy.yaml")
        try repo2.write("content/governance/policy.yaml", policy2.replacingOccurrences(of: "grace_months: 3", with: "grace_months: 4"))
        try repo2.write("content/site.yaml", try repo2.read("content/site.yaml") + "# kommentar\n")
        try repo2.commit("Lengre frist", as: Repo.governanceEditor)
        #expect(try ownership(repo2, since: base2).diagnostics.isEmpty)
    }

    @Test func siteYAMLBelongsToTheGovernanceBody() throws {
        let (repo, base) = try base()
        try repo.write("content/site.yaml", try repo.read("content/site.yaml") + "# kommentar\n")
        try repo.commit("Endrer site.yaml", as: "kari@frisk.example.org")
        #expect(try ownership(repo, since: base).diagnostics.map(\.id) == ["not-a-governance-editor"])
    }

    @Test func aNewProviderFolderIsFineWhenItsFirstAuthorIsAnEditor() throws {
        let (repo, base) = try base()
        try repo.addProvider("ny-sentral", editors: ["*@ny.example.org"], offers: ["kurs-en"])
        try repo.commit("Ny tilbyder", as: "leder@ny.example.org")
        #expect(try ownership(repo, since: base).diagnostics.isEmpty)

        let (repo2, base2) = try self.base()
        try repo2.addProvider("ny-sentral", editors: ["*@ny.example.org"], offers: ["kurs-en"])
        try repo2.commit("Ny tilbyder", as: "noen@annet.example.org")
        let result = try ownership(repo2, since: base2)
        #expect(result.diagnostics.count == 2)
        #expect(Set(result.diagnostics.map(\.location!.path)) == ["content/providers/ny-sentral/provider.yaml", "content/providers/ny-sentral/kurs-en.md"])
    }

    @Test func nobodyCanAddThemselvesAsEditor() throws {
        let (repo, base) = try base()
        try repo.write("content/providers/frisk/provider.yaml", Records.provider(editors: ["*@frisk.example.org", "mallory@evil.example.org"]))
        try repo.commit("Legger meg selv til", as: "mallory@evil.example.org")
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – kapret"))
        try repo.commit("Og endrer", as: "mallory@evil.example.org")
        let result = try ownership(repo, since: base)
        // The offer change matches the new editors; the provider.yaml change needed an editor from before.
        #expect(result.diagnostics.map(\.id) == ["not-an-editor"])
        #expect(result.diagnostics.first?.location?.path == "content/providers/frisk/provider.yaml")
        #expect(result.diagnostics.first?.message.en.contains("before the change") == true)

        // An existing editor may add someone.
        let (repo2, base2) = try self.base()
        try repo2.write("content/providers/frisk/provider.yaml", Records.provider(editors: ["*@frisk.example.org", "vikar@annet.example.org"]))
        try repo2.commit("Legger til vikar", as: "kari@frisk.example.org")
        try repo2.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – vikar"))
        try repo2.commit("Vikaren endrer", as: "vikar@annet.example.org")
        #expect(try ownership(repo2, since: base2).diagnostics.isEmpty)
    }

    @Test func aRemovedProviderUsesItsEditorsFromBefore() throws {
        let (repo, base) = try base()
        try repo.remove("content/providers/frisk")
        try repo.commit("Legger ned", as: "kari@frisk.example.org")
        #expect(try ownership(repo, since: base).diagnostics.isEmpty)

        let (repo2, base2) = try self.base()
        try repo2.remove("content/providers/frisk")
        try repo2.commit("Legger ned andres", as: "x@evil.example.org")
        let result = try ownership(repo2, since: base2)
        #expect(result.diagnostics.count == 2)
        #expect(result.diagnostics.allSatisfy { $0.id == "not-an-editor" })
    }

    @Test func anInvalidProviderStillHasItsEditors() throws {
        let (repo, base) = try base()
        let broken = Records.provider(editors: ["*@frisk.example.org"]).replacingOccurrences(of: "974778882", with: "123")
        try repo.write("content/providers/frisk/provider.yaml", broken)
        try repo.commit("Skrivefeil", as: "kari@frisk.example.org")
        let result = repo.check()
        #expect(result.hasErrors)
        let ownership = try OwnershipChecker(contentRoot: repo.content, displayRoot: "content", catalog: result.catalog).check(since: base)
        #expect(ownership.diagnostics.isEmpty)
    }

    @Test func aChangeHiddenInAMergeIsFound() throws {
        let (repo, base) = try base()
        try repo.run(["checkout", "-q", "-b", "side"])
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – fra sidegrenen"))
        try repo.commit("Side", as: "kari@frisk.example.org")
        try repo.run(["checkout", "-q", "main"])
        try repo.write("content/providers/frisk/annet.md", Records.offer(title: "Annet kurs"))
        try repo.commit("Main", as: "ola@frisk.example.org")
        try repo.run(["-c", "user.email=mallory@evil.example.org", "-c", "user.name=Mallory", "merge", "-q", "--no-commit", "--no-ff", "side"])
        try repo.write("content/providers/frisk/tredje.md", Records.offer(title: "Tredje kurs"))
        try repo.run(["add", "-A"])
        try repo.run(["-c", "user.email=mallory@evil.example.org", "-c", "user.name=Mallory", "commit", "-q", "-m", "Merge"])
        let result = try ownership(repo, since: base)
        #expect(result.diagnostics.map(\.location!.path) == ["content/providers/frisk/tredje.md"])
    }

    @Test func noRepositoryOrUnknownRevisionIsAUsageError() throws {
        let plain = try Repo(git: false)
        try plain.addProvider("frisk", editors: ["*@frisk.example.org"], offers: ["sov-godt"])
        #expect(throws: WorkflowError.self) {
            try OwnershipChecker(contentRoot: plain.content, displayRoot: "content", catalog: plain.check().catalog).check(since: "main")
        }
        let (repo, _) = try base()
        for rev in ["origin/main", "--output=/tmp/x", "main..HEAD", ""] {
            #expect(throws: WorkflowError.self) {
                try OwnershipChecker(contentRoot: repo.content, displayRoot: "content", catalog: repo.check().catalog).check(since: rev)
            }
        }
    }

    @Test func theCheckCommandReportsViolationsInEveryFormat() throws {
        let (repo, base) = try base()
        try repo.write("content/providers/frisk/sov-godt.md", Records.offer(title: "Sov godt – kapret"))
        let hash = try repo.commit("Endrer andres tilbud", as: "mallory@evil.example.org", name: "Mallory")
        let content = repo.content.path
        let github = CLI.run(["check", "--content", content, "--today", "2026-01-15", "--format", "github", "--since", base])
        #expect(github.code == 1, "\(github.err)")
        #expect(github.out.contains("::error file=\(content)/providers/frisk/sov-godt.md,line=1,col=1,title=tilbud not-an-editor::"))
        #expect(github.out.contains(String(hash.prefix(10))))
        let json = CLI.run(["check", "--content", content, "--today", "2026-01-15", "--format", "json", "--since", base, "--lang", "en"])
        #expect(json.code == 1)
        #expect(json.out.contains("\"code\": \"not-an-editor\""))
        #expect(json.out.contains("Mallory <mallory@evil.example.org>"))
        // Without --since, the same tree is valid.
        #expect(CLI.run(["check", "--content", content, "--today", "2026-01-15"]).code == 0)
        // A revision that does not exist: exit 2 and advice on fetch-depth.
        let missing = CLI.run(["check", "--content", content, "--today", "2026-01-15", "--since", "origin/main"])
        #expect(missing.code == 2)
        #expect(missing.err.contains("fetch-depth: 0"))
    }
}
