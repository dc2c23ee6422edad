import Foundation
import Testing
@testable import TilbudFeed
import TilbudModel

/// Calendar files (RFC 5545): one per offer with runs to come, times in Europe/Oslo, weekly sessions as a rule.
@Suite("Calendar")
struct CalendarTests {
    let fixture = FeedFixture.shared

    func lines(_ path: String) throws -> [String] {
        let bytes = try #require(fixture.exists(path) ? Array(fixture.read(path).utf8) : nil, "\(path) is not written")
        // Every line ends in CRLF, and no line is longer than 75 octets.
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        let raw = text.components(separatedBy: "\r\n").dropLast()
        #expect(raw.allSatisfy { !$0.contains("\n") && $0.utf8.count <= 75 }, "\(raw.filter { $0.utf8.count > 75 })")
        // Unfolded.
        var out: [String] = []
        for line in raw {
            if line.hasPrefix(" "), !out.isEmpty { out[out.count - 1] += line.dropFirst() } else { out.append(line) }
        }
        return out
    }

    @Test("a dated course: a VTIMEZONE for Europe/Oslo and one event per run to come, with the offer's address")
    func datedCourse() throws {
        let l = try lines("tilbud/frisk/sov-godt/kalender.ics")
        #expect(l.first == "BEGIN:VCALENDAR" && l.last == "END:VCALENDAR")
        #expect(l.contains("TZID:Europe/Oslo") && l.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"))
        #expect(l.filter { $0 == "BEGIN:VEVENT" }.count == 2)
        #expect(l.contains("URL:https://tilbud.example.org/tilbud/frisk/sov-godt/"))
        #expect(l.contains("LOCATION:Frisklivssentralen Grünerløkka\\, Helgesens gate 2\\, 0553 Oslo"))
        #expect(l.contains { $0.hasPrefix("UID:frisk/sov-godt/2027-02-02T18:00@tilbud.example.org") })
        // The same bytes in a second build (the stamp is the review day, not the clock): FeedBuildTests' determinism test
        // compares every file; here the stamp itself.
        #expect(l.contains { $0.hasPrefix("DTSTAMP:") && $0.hasSuffix("T000000Z") })
        let page = fixture.read("tilbud/frisk/sov-godt/index.html")
        #expect(page.contains(#"<a class="calendar" href="/tilbud/frisk/sov-godt/kalender.ics" download>Legg i kalenderen</a>"#))
    }

    @Test("weekly times become a recurrence rule with the first session's local time; a single session keeps its time")
    func weeklyRule() {
        var offer = Offer(providerID: "p", slug: "s", title: "Kurs, med komma; og semikolon", summary: "Sammendrag", kind: "k", format: "f",
                          delivery: "oppmote", topics: [], audiences: [], municipalities: [], national: false,
                          locations: [Location(name: "Sal", address: "Gata 1", postalCode: "0553", city: "Oslo", municipality: "0301")],
                          schedule: [ScheduleRun(start: DateTime(day: Day(iso: "2027-02-01")!, time: nil), end: DateTime(day: Day(iso: "2027-03-31")!, time: nil),
                                                 note: nil, times: [WeeklyTime(weekday: "tirsdag", isoWeekday: 2, from: "18:00", to: "20:00"),
                                                                    WeeklyTime(weekday: "torsdag", isoWeekday: 4, from: "18:00", to: "20:00")],
                                                 sessions: 8, location: "Sal", capacity: nil, deadline: nil),
                                     ScheduleRun(start: DateTime(day: Day(iso: "2027-05-04")!, time: "17:30"), end: nil, note: nil, times: [],
                                                 sessions: nil, location: nil, capacity: nil, deadline: nil)],
                          ongoing: false, price: Price(kind: "gratis", amountNOK: nil, note: nil), referral: "ingen", signup: Signup(),
                          contact: Contact(), languages: ["nb"], accessibility: [], tags: [], lastReviewed: Day(iso: "2026-11-01")!,
                          validUntil: nil, status: .published, body: "", sourcePath: "x")
        offer.nextStart = offer.schedule.first?.start
        let ics = String(decoding: OfferCalendar.ics(offer, url: "https://x.example/tilbud/p/s/", host: "x.example", today: Day(iso: "2026-12-01")!) ?? [],
                         as: UTF8.self)
        // The first Tuesday or Thursday from Monday 1 February.
        #expect(ics.contains("DTSTART;TZID=Europe/Oslo:20270202T180000\r\nDTEND;TZID=Europe/Oslo:20270202T200000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU,TH;COUNT=8\r\n"))
        #expect(ics.contains("DTSTART;TZID=Europe/Oslo:20270504T173000\r\nDURATION:PT2H\r\n"))
        #expect(ics.contains("SUMMARY:Kurs\\, med komma\\; og semikolon\r\n"))
        #expect(ics.contains("DTSTAMP:20261101T000000Z\r\n"))
        // An offer whose runs are over has no calendar.
        offer.nextStart = nil
        #expect(OfferCalendar.ics(offer, url: "", host: "", today: Day(iso: "2027-06-01")!) == nil)
    }

    @Test("long lines are folded at 75 octets, never inside a character")
    func folding() {
        var w = ICSWriter()
        w.property("DESCRIPTION", text: String(repeating: "ø", count: 100))
        let lines = String(decoding: w.bytes, as: UTF8.self).components(separatedBy: "\r\n").dropLast()
        #expect(lines.count > 1)
        #expect(lines.allSatisfy { $0.utf8.count <= 75 })
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix(" ") })
        #expect(lines.map { $0.hasPrefix(" ") ? String($0.dropFirst()) : $0 }.joined() == "DESCRIPTION:" + String(repeating: "ø", count: 100))
    }

    @Test("dates and times are written with every digit: YYYY-MM-DD, YYYYMMDD, HHMMSS")
    func digits() {
        let days = [(Day(year: 2026, month: 11, day: 27)!, "2026-11-27", "20261127"), (Day(year: 999, month: 1, day: 2)!, "0999-01-02", "09990102"),
                    (Day(year: 1, month: 12, day: 31)!, "0001-12-31", "00011231")]
        for (day, iso, compact) in days {
            #expect(day.iso == iso)
            #expect(day.compact == compact && OfferCalendar.compact(day) == compact)
        }
        #expect(OfferCalendar.clock("09:30") == "093000")
        #expect(OfferCalendar.clock("18:05") == "180500")
    }
}
