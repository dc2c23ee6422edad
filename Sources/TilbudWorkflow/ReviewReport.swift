import Foundation
import TilbudDiagnostics
import TilbudModel

/// `tilbud report review`: the offers that need their provider's attention, per provider.
public struct ReviewReport: Sendable {
    /// One offer that needs attention.
    public struct Item: Sendable {
        /// The offer.
        public let offer: Offer
        /// `due`, `stale` or `ended`.
        public let state: OfferState
        /// The last day before it is due for review (review by this day).
        public let reviewDue: Day
        /// The last day before it is stale (hidden from lists, search and the feed the day after).
        public let staleAfter: Day
        /// The day it ended (`valid_until`, or its last run), for ended offers.
        public let endedOn: Day?
    }

    /// A provider and its offers that need attention.
    public struct Group: Sendable {
        /// The provider.
        public let provider: Provider
        /// Its offers, most urgent first (stale, due, ended), then by id.
        public let items: [Item]
    }

    /// The day the states are computed for.
    public let today: Day
    /// Providers with something to do, by id.
    public let groups: [Group]

    /// States in report order: stale offers are hidden from citizens, so they come first.
    static let order: [OfferState] = [.stale, .due, .ended]

    /// Collects the due, stale and ended offers of `catalog`, optionally of one provider.
    public init(catalog: Catalog, provider only: String? = nil) {
        today = catalog.today
        let policy = catalog.governance.policy
        var byProvider: [String: [Item]] = [:]
        for offer in catalog.offers where Self.order.contains(offer.state) {
            if let only, offer.providerID != only { continue }
            var endedOn: Day? = nil
            if offer.state == .ended {
                if let v = offer.validUntil, v < catalog.today { endedOn = v } else { endedOn = offer.schedule.map(\.lastDay).max() }
            }
            byProvider[offer.providerID, default: []].append(Item(
                offer: offer, state: offer.state,
                reviewDue: offer.lastReviewed.addingMonths(policy.reviewIntervalMonths),
                staleAfter: offer.lastReviewed.addingMonths(policy.reviewIntervalMonths + policy.graceMonths),
                endedOn: endedOn))
        }
        groups = catalog.providers.compactMap { p in
            guard let items = byProvider[p.id], !items.isEmpty else { return nil }
            return Group(provider: p, items: items.sorted { a, b in
                let ra = Self.order.firstIndex(of: a.state) ?? 9, rb = Self.order.firstIndex(of: b.state) ?? 9
                return ra != rb ? ra < rb : a.offer.id < b.offer.id
            })
        }
    }

    /// Every item, in report order.
    public var items: [Item] { groups.flatMap(\.items) }

    static func stateWord(_ s: OfferState, _ language: MessageLanguage) -> String {
        switch (s, language) {
        case (.stale, .nb): return "UTDATERT"
        case (.due, .nb): return "SKAL GJENNOMGÅS"
        case (.ended, .nb): return "AVSLUTTET"
        case (.stale, .en): return "STALE"
        case (.due, .en): return "DUE FOR REVIEW"
        case (.ended, .en): return "ENDED"
        default: return s.rawValue.uppercased()
        }
    }

    /// The report for people, in `language`.
    public func text(language: MessageLanguage) -> String {
        let nb = language == .nb
        let count = items.count
        guard count > 0 else {
            return nb ? "Gjennomgang per \(today.iso): ingen tilbud er til gjennomgang, utdaterte eller avsluttet.\n"
                      : "Review as of \(today.iso): no offers are due, stale or ended.\n"
        }
        var out = nb
            ? "Gjennomgang per \(today.iso): \(count) \(count == 1 ? "tilbud" : "tilbud") hos \(groups.count) \(groups.count == 1 ? "tilbyder" : "tilbydere") trenger oppfølging.\n"
            : "Review as of \(today.iso): \(count) \(count == 1 ? "offer" : "offers") at \(groups.count) \(groups.count == 1 ? "provider" : "providers") need attention.\n"
        for g in groups {
            let email = g.provider.email ?? (nb ? "ingen e-post i provider.yaml" : "no e-mail in provider.yaml")
            out += "\n\(g.provider.name) (\(g.provider.id)) – \(email)\n"
            for item in g.items {
                let o = item.offer
                out += "  \(Self.stateWord(item.state, language)): \(o.title)\n"
                var detail: String
                switch item.state {
                case .stale:
                    detail = nb ? "sist kontrollert \(o.lastReviewed.iso); skjult fra lister, søk og feed siden \(item.staleAfter.addingDays(1).iso). Gå gjennom og oppdater last_reviewed."
                                : "last reviewed \(o.lastReviewed.iso); hidden from lists, search and the feed since \(item.staleAfter.addingDays(1).iso). Review it and update last_reviewed."
                case .due:
                    detail = nb ? "sist kontrollert \(o.lastReviewed.iso); skulle vært gjennomgått innen \(item.reviewDue.iso), skjules etter \(item.staleAfter.iso). Gå gjennom og oppdater last_reviewed."
                                : "last reviewed \(o.lastReviewed.iso); was due by \(item.reviewDue.iso), hidden after \(item.staleAfter.iso). Review it and update last_reviewed."
                default:
                    let ended = item.endedOn?.iso ?? "?"
                    detail = nb ? "avsluttet \(ended). Legg inn nye datoer, eller sett status: archived."
                                : "ended \(ended). Add new dates, or set status: archived."
                }
                out += "      \(o.sourcePath) · \(detail)\n"
            }
        }
        return out
    }

    /// The CSV columns, in order: `review_due` is the day to review by, `stale_from` the first day the
    /// offer is hidden, `ended_on` the day it ended; `state` is `stale`, `due` or `ended`.
    public static let csvHeader = ["provider_id", "provider_name", "provider_email", "offer_id", "title", "state",
                                   "last_reviewed", "review_due", "stale_from", "ended_on", "file"]

    /// The report as CSV (RFC 4180: comma separated, CRLF line ends, quotes where needed), one row per offer.
    public func csv() -> String {
        var rows = [Self.csvHeader]
        for g in groups {
            for item in g.items {
                let o = item.offer
                rows.append([g.provider.id, g.provider.name, g.provider.email ?? "", o.id, o.title, item.state.rawValue,
                             o.lastReviewed.iso, item.reviewDue.iso, item.staleAfter.addingDays(1).iso,
                             item.endedOn?.iso ?? "", o.sourcePath])
            }
        }
        return rows.map { $0.map(Self.csvField).joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// One CSV field, safe in spreadsheets that split on commas, semicolons or tabs: a tab becomes a space, and
    /// `=`, `+`, `-` or `@` wherever a cell could start (the field's start, after `,`, `;`, a tab or a line end) gets a `'`
    /// before it, so no part of the field is ever run as a formula. Quoted when it holds a comma, semicolon, quote or
    /// line break.
    static func csvField(_ s: String) -> String {
        var v = ""
        var cellStart = true
        for c in s {
            let ch: Character = c == "\t" ? " " : c
            if cellStart && (ch == "=" || ch == "+" || ch == "-" || ch == "@") { v.append("'") }
            v.append(ch)
            cellStart = c == "\t" || ch == "," || ch == ";" || ch == "\n" || ch == "\r" || ch == "\r\n"
        }
        if v.contains(where: { $0 == "," || $0 == ";" || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return v
    }
}
