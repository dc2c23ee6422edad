import Foundation
import TilbudModel
import TilbudRender

/// iCalendar files (RFC 5545): one per offer with runs still to come, next to its page (`kalender.ics`), with one
/// event per run: weekly sessions as a recurrence rule, times in Europe/Oslo with its VTIMEZONE, stable UIDs, the
/// offer's address. Deterministic: the stamp is the day the offer was last reviewed, never the clock.
public enum OfferCalendar {
    /// The runs a calendar holds: those not over on the catalog's day.
    public static func runs(_ o: Offer, today: Day) -> [ScheduleRun] {
        o.schedule.filter { $0.lastDay >= today }
    }


    /// The calendar of offer `o`, whose page is at `url`, titled in the default language; nil when it has none.
    public static func ics(_ o: Offer, url: String, host: String, today: Day) -> [UInt8]? {
        guard o.hasCalendar else { return nil }
        var c = ICSWriter()
        c.line("BEGIN:VCALENDAR")
        c.line("VERSION:2.0")
        c.line("PRODID:-//Tilbud//Tilbud//NB")
        c.line("CALSCALE:GREGORIAN")
        c.line("METHOD:PUBLISH")
        c.property("X-WR-CALNAME", text: o.title)
        c.line("X-WR-TIMEZONE:Europe/Oslo")
        for line in timezone { c.line(line) }
        let stamp = "DTSTAMP:" + compact(o.lastReviewed) + "T000000Z"
        for run in runs(o, today: today) {
            let place = run.location.flatMap { name in o.locations.first { $0.name == name } } ?? o.locations.first
            let location = place.map { "\($0.name), \($0.address), \($0.postalCode) \($0.city)" }
            let description = [o.summary, run.note].compactMap { $0 }.joined(separator: "\n")
            // Weekly sessions: one event per time of day, repeating on its weekdays.
            let slots = Dictionary(grouping: run.times, by: { $0.from + "-" + $0.to })
            if !slots.isEmpty {
                for key in slots.keys.sorted() {
                    let times = slots[key]!
                    let days = Set(times.map(\.isoWeekday))
                    // The first session: the first day from the start on one of the weekdays.
                    var first = run.start.day
                    while !days.contains(first.weekday) { first = first.addingDays(1) }
                    var rule = "RRULE:FREQ=WEEKLY;BYDAY=" + days.sorted().map { byDay[$0 - 1] }.joined(separator: ",")
                    if let sessions = run.sessions {
                        rule += ";COUNT=\(sessions)"
                    } else if let end = run.end {
                        // UNTIL is in UTC when DTSTART has a time zone: the end of the last day in Oslo.
                        rule += ";UNTIL=" + compact(end.day) + "T215959Z"
                    }
                    event(&c, uid: o.id + "/" + run.start.iso + "/" + key, host: host, stamp: stamp, o: o, url: url, location: location,
                          description: description, start: "DTSTART;TZID=Europe/Oslo:" + compact(first) + "T" + clock(times[0].from),
                          end: "DTEND;TZID=Europe/Oslo:" + compact(first) + "T" + clock(times[0].to), rule: rule)
                }
            } else if let time = run.start.time, run.end.map({ $0.day == run.start.day }) ?? true {
                // One session with a time: from its start to its end the same day (two hours when no end is given).
                let end: String
                if let e = run.end, let t = e.time {
                    end = "DTEND;TZID=Europe/Oslo:" + compact(e.day) + "T" + clock(t)
                } else {
                    end = "DURATION:PT2H"
                }
                event(&c, uid: o.id + "/" + run.start.iso, host: host, stamp: stamp, o: o, url: url, location: location,
                      description: description, start: "DTSTART;TZID=Europe/Oslo:" + compact(run.start.day) + "T" + clock(time), end: end, rule: nil)
            } else {
                // Dates only, or days apart without weekly times (the note says when the sessions are): an event over the
                // whole days (DTEND is the day after, as RFC 5545 has it).
                let last = run.end?.day ?? run.start.day
                event(&c, uid: o.id + "/" + run.start.iso, host: host, stamp: stamp, o: o, url: url, location: location,
                      description: description, start: "DTSTART;VALUE=DATE:" + compact(run.start.day),
                      end: "DTEND;VALUE=DATE:" + compact(last.addingDays(1)), rule: nil)
            }
        }
        c.line("END:VCALENDAR")
        return c.bytes
    }

    private static func event(_ c: inout ICSWriter, uid: String, host: String, stamp: String, o: Offer, url: String, location: String?,
                              description: String, start: String, end: String, rule: String?) {
        c.line("BEGIN:VEVENT")
        c.property("UID", text: uid + "@" + host)
        c.line(stamp)
        c.line(start)
        c.line(end)
        if let rule { c.line(rule) }
        c.property("SUMMARY", text: o.title)
        if let location { c.property("LOCATION", text: location) }
        c.property("DESCRIPTION", text: description + "\n" + url)
        c.line("URL:" + url)
        c.line("END:VEVENT")
    }

    static let byDay = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

    /// Europe/Oslo as a VTIMEZONE: CET, and CEST from the last Sunday of March to the last Sunday of October.
    static let timezone = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Oslo",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    /// `YYYYMMDD`.
    static func compact(_ d: Day) -> String { d.compact }

    /// `HHMMSS` from `HH:MM` (the first four characters that are not colons, then `00`). A plain loop: the lazy
    /// filter it replaces went through unspecialized generic code, half of the calendars' CPU.
    static func clock(_ t: String) -> String {
        var digits = String.UnicodeScalarView(), count = 0
        for u in t.unicodeScalars where u != ":" {
            digits.append(u)
            count += 1
            if count == 4 { break }
        }
        return String(digits) + "00"
    }
}

/// Content lines of an iCalendar file: CRLF line ends, lines folded at 75 octets (never inside a UTF-8 sequence),
/// TEXT values escaped.
struct ICSWriter {
    private(set) var bytes: [UInt8] = []

    mutating func line(_ text: String) {
        var text = text
        text.withUTF8 { line($0) }
    }

    /// One content line of UTF-8 `utf8`, folded at 75 octets (RFC 5545 §3.1), with CRLF.
    mutating func line(_ utf8: UnsafeBufferPointer<UInt8>) {
        var count = 0
        for b in utf8 {
            // Fold before a character that would not fit whole: a line never ends inside a UTF-8 sequence.
            if b & 0xC0 != 0x80 {
                let length = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2
                if count + length > 75 {
                    bytes += [0x0D, 0x0A, 0x20]
                    count = 1
                }
            }
            bytes.append(b)
            count += 1
        }
        bytes += [0x0D, 0x0A]
    }

    /// `name:text` with the text escaped as a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma and newline;
    /// carriage returns dropped. On UTF-8 bytes: each escaped character is ASCII.
    mutating func property(_ name: String, text: String) {
        var value = Array(name.utf8)
        value.append(UInt8(ascii: ":"))
        value.reserveCapacity(value.count + text.utf8.count + 8)
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\\"), UInt8(ascii: ";"), UInt8(ascii: ","): value += [UInt8(ascii: "\\"), b]
            case UInt8(ascii: "\n"): value += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case UInt8(ascii: "\r"): break
            default: value.append(b)
            }
        }
        value.withUnsafeBufferPointer { line($0) }
    }
}

extension OfferCalendar {
    /// The calendar files of every published offer that has runs to come, as feed tasks.
    static func tasks(_ c: FeedContext) -> [FeedTask] {
        let host = URL(string: c.baseURL)?.host ?? "tilbud"
        let today = c.catalog.today
        return c.published.offers.indices.compactMap { k in
            let o = c.offer(k)
            guard o.hasCalendar else { return nil }
            let url = c.pageURL(o, c.defaultLanguage)
            let path = SitePaths.calendar(o)
            return FeedTask(path, fingerprint: c.published.fingerprint(offer: k, path: path)) { ics(o, url: url, host: host, today: today) ?? [] }
        }
    }
}
