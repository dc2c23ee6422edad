/// A calendar date with no time zone (dates in records are Europe/Oslo local dates).
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Four-digit year.
    public let year: Int
    /// Month 1–12.
    public let month: Int
    /// Day of month 1–31.
    public let day: Int

    /// Creates a day, or nil when it does not exist in the calendar.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(iso: some StringProtocol) {
        let u = Array(iso.utf8)
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-") else { return nil }
        func num(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r {
                guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                n = n * 10 + Int(u[i] - 0x30)
            }
            return n
        }
        guard let y = num(0..<4), let m = num(5..<7), let d = num(8..<10) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// The day `epochSeconds` falls on in UTC (for `SOURCE_DATE_EPOCH`).
    public init(epochSeconds: Int) {
        self.init(ordinal: epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400)
    }

    /// The day with this number of days since 1970-01-01.
    public init(ordinal: Int) {
        // Howard Hinnant's civil_from_days.
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.year = y
        self.month = m
        self.day = d
    }

    /// Days since 1970-01-01.
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// ISO 1=Monday … 7=Sunday.
    public var weekday: Int {
        let w = (ordinal + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// Appends `YYYY-MM-DD` for a year in 0…9999 (what `iso` gives), without making the string: for writers that
    /// put thousands of dates into bytes (the feed's JSON and XML).
    @inlinable public func appendISODigits(to bytes: inout [UInt8]) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: 10))
        bytes.withUnsafeMutableBufferPointer { b in
            _ = Day.writeDigits(year, month, day, separator: UInt8(ascii: "-"), into: UnsafeMutableBufferPointer(rebasing: b[start...]))
        }
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        String(unsafeUninitializedCapacity: 10) { buffer in
            Day.writeDigits(year, month, day, separator: UInt8(ascii: "-"), into: buffer)
        }
    }

    /// `YYYYMMDD` (iCalendar's DATE).
    public var compact: String {
        String(unsafeUninitializedCapacity: 8) { buffer in
            Day.writeDigits(year, month, day, separator: nil, into: buffer)
        }
    }

    /// Writes the four-digit year, two-digit month and day, with `separator` between them when given; the count written.
    @usableFromInline static func writeDigits(_ year: Int, _ month: Int, _ day: Int, separator: UInt8?, into b: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var i = 0
        func put(_ byte: UInt8) { b[i] = byte; i += 1 }
        put(UInt8(48 + year / 1000)); put(UInt8(48 + year / 100 % 10)); put(UInt8(48 + year / 10 % 10)); put(UInt8(48 + year % 10))
        if let separator { put(separator) }
        put(UInt8(48 + month / 10)); put(UInt8(48 + month % 10))
        if let separator { put(separator) }
        put(UInt8(48 + day / 10)); put(UInt8(48 + day % 10))
        return i
    }

    /// `YYYY-MM-DD`.
    public var description: String { iso }

    /// Norwegian style `4.2.2025`.
    public var norwegian: String { "\(day).\(month).\(year)" }

    /// The same day `months` later, clamped to the month's last day.
    public func addingMonths(_ months: Int) -> Day {
        let total = year * 12 + (month - 1) + months
        let y = total / 12, m = total % 12 + 1
        return Day(year: y, month: m, day: min(day, Day.daysIn(month: m, year: y))) ?? self
    }

    /// The day `days` later.
    public func addingDays(_ days: Int) -> Day { Day(ordinal: ordinal + days) }

    /// Days in `month` of `year`.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Orders by calendar.
    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

/// A date with an optional local time (`2025-02-04` or `2025-02-04T18:00`).
public struct DateTime: Sendable, Hashable, Comparable {
    /// The date.
    public let day: Day
    /// `HH:MM` local time, when given.
    public let time: String?

    /// Creates a value.
    public init(day: Day, time: String?) {
        self.day = day
        self.time = time
    }

    /// Parses `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM[:SS]` or with a space instead of `T`.
    public init?(parsing s: String) {
        let t = s.trimmingCharactersInSet(" ")
        if let d = Day(iso: t) {
            self.init(day: d, time: nil)
            return
        }
        let u = Array(t.utf8)
        guard u.count >= 16, u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "),
              let d = Day(iso: t.prefix(10)) else { return nil }
        let rest = String(t.dropFirst(11))
        let hm = rest.prefix(5)
        let parts = hm.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), parts[0].count == 2, parts[1].count == 2,
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        let tail = rest.dropFirst(5)
        // Allow seconds and a zone (Z, +01:00), which are dropped: times are Europe/Oslo.
        let allowed = Set("0123456789:+-Z.")
        guard tail.allSatisfy({ allowed.contains($0) }) else { return nil }
        self.init(day: d, time: String(hm))
    }

    /// `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`.
    public var iso: String { time.map { day.iso + "T" + $0 } ?? day.iso }

    /// Orders by day then time.
    public static func < (a: DateTime, b: DateTime) -> Bool {
        a.day != b.day ? a.day < b.day : (a.time ?? "") < (b.time ?? "")
    }
}

extension String {
    func trimmingCharactersInSet(_ c: Character) -> String {
        var s = Substring(self)
        while s.first == c { s.removeFirst() }
        while s.last == c { s.removeLast() }
        return String(s)
    }
}
