import Foundation
import Testing
import TilbudTestSupport
import TilbudDiagnostics
import TilbudModel
import TilbudValidate

/// The states of the content model, computed from a given `today` and the policy's review interval.
@Suite("Offer states")
struct StateTests {
    struct StateCase: CustomTestStringConvertible, Sendable {
        let name: String
        let changes: KeyValuePairs<String, String?>
        let today: String
        let state: OfferState
        /// The warning the state comes with, if any.
        let warning: String?

        init(_ name: String, _ changes: KeyValuePairs<String, String?>, today: String = "2026-01-15", _ state: OfferState, warning: String? = nil) {
            self.name = name
            self.changes = changes
            self.today = today
            self.state = state
            self.warning = warning
        }

        var testDescription: String { name }
    }

    static let cases: [StateCase] = [
        StateCase("current: reviewed two months ago", [:], .current),
        StateCase("current: reviewed exactly twelve months ago", ["last_reviewed": "last_reviewed: 2025-01-15"], .current),
        StateCase("due: reviewed twelve months and a day ago", ["last_reviewed": "last_reviewed: 2025-01-14"], .due, warning: "due-for-review"),
        StateCase("due: the last day before stale", ["last_reviewed": "last_reviewed: 2024-10-15"], .due, warning: "due-for-review"),
        StateCase("stale: fifteen months and a day", ["last_reviewed": "last_reviewed: 2024-10-14"], .stale, warning: "stale"),
        StateCase("stale: years ago", ["last_reviewed": "last_reviewed: 2019-03-01"], .stale, warning: "stale"),
        StateCase("ended: valid_until passed", ["valid_until": "valid_until: 2026-01-14"], .ended),
        StateCase("current: valid_until is today", ["valid_until": "valid_until: 2026-01-15"], .current),
        StateCase("ended: every run ended", ["schedule": "schedule:\n  - start: 2025-09-02\n    end: 2025-09-23\n  - start: 2025-11-04\n    end: 2026-01-14"],
                  .ended),
        StateCase("ended: a run without end that started yesterday", ["schedule": "schedule:\n  - start: 2026-01-14T18:00"], .ended),
        StateCase("current: the last run ends today", ["schedule": "schedule:\n  - start: 2025-11-04\n    end: 2026-01-15"], .current),
        StateCase("current: one run ended, one to come", ["schedule": "schedule:\n  - start: 2025-09-02\n    end: 2025-09-23\n  - start: 2026-03-03"],
                  .current),
        StateCase("current: runs ended but ongoing", ["schedule": "schedule:\n  - start: 2025-09-02\n    end: 2025-09-23", "ongoing": "ongoing: true"],
                  .current),
        StateCase("ended wins over stale", ["valid_until": "valid_until: 2025-06-30", "last_reviewed": "last_reviewed: 2019-03-01"], .ended),
        StateCase("draft", ["status": "status: draft"], .draft),
        StateCase("draft: no review warning even when old", ["status": "status: draft", "last_reviewed": "last_reviewed: 2019-03-01"], .draft),
        StateCase("archived", ["status": "status: archived", "valid_until": "valid_until: 2025-06-30"], .archived),
        StateCase("published is the default and the same as saying so", ["status": "status: published"], .current),
        StateCase("a different today: the same record is due a year later", ["schedule": nil, "ongoing": "ongoing: true"], today: "2026-11-16", .due, warning: "due-for-review"),
        StateCase("a different today: the course has ended", [:], today: "2026-02-25", .ended),
    ]

    @Test(arguments: cases)
    func state(_ c: StateCase) throws {
        let result = try TestCatalog(offerCatalog(c.changes)).check(today: try #require(Day(iso: c.today)))
        // Time-based states are never build errors.
        expectNoErrors(result)
        let offer = try #require(result.offer("frisk/sov-godt"), "\n\(result.listing)")
        #expect(offer.state == c.state)
        let reviewWarnings = result.warnings.filter { $0.id == "due-for-review" || $0.id == "stale" }.map(\.id)
        #expect(reviewWarnings == (c.warning.map { [$0] } ?? []), "\n\(result.listing)")
    }

    @Test("the review interval and grace period come from policy.yaml")
    func reviewIntervalFromPolicy() throws {
        // Reviewed 2025-06-01; today 2026-01-15 is seven and a half months later.
        let catalog = try TestCatalog(offerCatalog(["last_reviewed": "last_reviewed: 2025-06-01"]))
        #expect(catalog.check().offer("frisk/sov-godt")?.state == .current)

        try catalog.write(try policy(replacing: "interval_months: 12", with: "interval_months: 6"), to: "content/governance/policy.yaml")
        let due = catalog.check()
        #expect(due.offer("frisk/sov-godt")?.state == .due, "\n\(due.listing)")
        #expect(due.diagnostics("due-for-review").first?.message.en.contains("2025-12-01") == true, "\n\(due.listing)")

        try catalog.write(try policy(replacing: "interval_months: 12\n  grace_months: 3", with: "interval_months: 6\n  grace_months: 1"),
                          to: "content/governance/policy.yaml")
        let stale = catalog.check()
        #expect(stale.offer("frisk/sov-godt")?.state == .stale, "\n\(stale.listing)")
        expectNoErrors(stale)
    }

    @Test("without a review section the content model's defaults apply: 12 and 3 months")
    func defaultInterval() throws {
        let catalog = try TestCatalog(offerCatalog(["last_reviewed": "last_reviewed: 2024-10-15"]))
        try catalog.write(try policy(replacing: "review:\n  interval_months: 12\n  grace_months: 3\n", with: ""), to: "content/governance/policy.yaml")
        let result = catalog.check()
        expectNoErrors(result)
        #expect(result.offer("frisk/sov-godt")?.state == .due)
        #expect(catalog.check(today: Day(iso: "2026-01-16")!).offer("frisk/sov-godt")?.state == .stale)
    }

    @Test("the next start is the first run that has not ended")
    func nextStart() throws {
        let result = try TestCatalog(offerCatalog(["schedule": """
            schedule:
              - start: 2026-04-07
              - start: 2025-12-02
                end: 2026-01-20
              - start: 2025-09-02
                end: 2025-09-23
            """])).check()
        let offer = try #require(result.offer("frisk/sov-godt"))
        #expect(offer.schedule.map(\.start.iso) == ["2025-09-02", "2025-12-02", "2026-04-07"])
        #expect(offer.nextStart?.iso == "2025-12-02")
    }
}

/// The fixture policy with one piece of text replaced; fails if the text is not there.
func policy(replacing old: String, with new: String) throws -> String {
    let text = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/policy.yaml"), encoding: .utf8)
    try #require(text.contains(old), "the fixture policy has no «\(old)»")
    return text.replacingOccurrences(of: old, with: new)
}

/// The fixture fields.yaml with one piece of text replaced; fails if the text is not there.
func fields(replacing old: String, with new: String) throws -> String {
    let text = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/fields.yaml"), encoding: .utf8)
    try #require(text.contains(old), "the fixture fields.yaml has no «\(old)»")
    return text.replacingOccurrences(of: old, with: new)
}

/// The fixture vocabularies with one piece of text replaced; fails if the text is not there.
func vocabularies(replacing old: String, with new: String) throws -> String {
    let text = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/vocabularies.yaml"), encoding: .utf8)
    try #require(text.contains(old), "the fixture vocabularies have no «\(old)»")
    return text.replacingOccurrences(of: old, with: new)
}
