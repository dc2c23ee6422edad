import Testing
import TilbudDiagnostics
import TilbudModel
@testable import TilbudValidate

/// Course runs as data (`schedule` items): weekly times, sessions, the place, capacity and a deadline per run.
@Suite struct CourseRunTests {
    @Test("a run's weekly times, sessions, place, capacity and deadline are read, the weekday from its trait")
    func structuredRun() throws {
        let result = try TestCatalog(offerCatalog(["schedule": """
            schedule:
              - start: 2026-02-03
                end: 2026-02-24
                times:
                  - {weekday: tirsdag, from: "18:00", to: "20:00"}
                  - {weekday: torsdag, from: "9.30", to: "11:00"}
                sessions: 8
                location: Frisklivssentralen Grünerløkka
                capacity: venteliste
                deadline: 2026-01-27
            """])).check()
        expectNoErrors(result)
        #expect(result.warnings.isEmpty)
        let run = try #require(result.offer("frisk/sov-godt")?.schedule.first)
        #expect(run.times == [WeeklyTime(weekday: "tirsdag", isoWeekday: 2, from: "18:00", to: "20:00"),
                              WeeklyTime(weekday: "torsdag", isoWeekday: 4, from: "09:30", to: "11:00")])
        #expect(run.sessions == 8)
        #expect(run.location == "Frisklivssentralen Grünerløkka")
        #expect(run.capacity == "venteliste")
        #expect(run.deadline == Day(iso: "2026-01-27"))
        #expect(run.hasStructuredTime)
    }

    @Test("a clock time is H:MM, HH:MM or with a dot, and comes out as HH:MM")
    func clockTimes() {
        for (given, expected) in [("9:30", "09:30"), ("9.30", "09:30"), ("18:00", "18:00"), ("00.05", "00:05"), ("23:59", "23:59")] {
            #expect(RecordDecoder.clock(given) == expected, "\(given)")
        }
        for bad in ["24:00", "12:60", "1230", "12:3", "123:00", ":30", "12:30:00", "12.30.00", "1a:30", "12:3x", "", "٩:٣٠", "+1:30"] {
            #expect(RecordDecoder.clock(bad) == nil, "\(bad)")
        }
    }

    @Test("an offer with continuous intake is not warned about runs without a time")
    func ongoingIsNotWarned() throws {
        let result = try TestCatalog(offerCatalog(["schedule": "schedule:\n  - start: 2026-02-03", "ongoing": "ongoing: true"])).check()
        expectNoErrors(result)
        #expect(!result.warnings.contains { $0.id == "run-without-time" })
    }

    @Test("a start with a time is structured time enough")
    func startWithTime() throws {
        let result = try TestCatalog(offerCatalog(["schedule": "schedule:\n  - start: 2026-02-03T18:00\n    end: 2026-02-03T20:00"])).check()
        expectNoErrors(result)
        #expect(result.warnings.isEmpty)
    }
}
