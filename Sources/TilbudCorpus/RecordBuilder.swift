import Foundation

/// The vocabulary ids the generator draws from: governance's where it lists them, else the spec's.
struct Vocabulary {
    let kinds: [String]
    let formats: [String]
    let deliveries: [String]
    let topics: [String]
    let audiences: [String]
    let prices: [String]
    let referrals: [String]
    let accessibility: [String]
    let providerTypes: [String]
    let file: VocabularyFile

    static let topicNames = ["topics", "topic"]
    static let audienceNames = ["audiences", "audience"]
    static let formatNames = ["format", "formats"]

    init(file: VocabularyFile) {
        self.file = file
        // Open vocabularies: any id governance lists is valid and has no special meaning here.
        func open(_ names: [String], _ defaults: [String]) -> [String] {
            file.ids(named: names) ?? defaults
        }
        // Vocabularies whose ids the generator gives meaning to: keep the spec's ids that governance still has.
        func fixed(_ names: [String], _ defaults: [String]) -> [String] {
            guard let listed = file.ids(named: names) else { return defaults }
            let kept = defaults.filter(listed.contains)
            return kept.isEmpty ? defaults : kept
        }
        kinds = fixed(["kind", "kinds"], Lexicon.kinds)
        formats = open(Vocabulary.formatNames, Lexicon.formats)
        deliveries = fixed(["delivery", "deliveries"], Lexicon.deliveries)
        topics = open(Vocabulary.topicNames, Lexicon.topics)
        audiences = open(Vocabulary.audienceNames, Lexicon.audiences)
        prices = fixed(["price", "prices", "price_kind", "price_kinds"], Lexicon.prices)
        referrals = fixed(["referral", "referrals"], Lexicon.referrals)
        accessibility = open(["accessibility"], Lexicon.accessibility)
        providerTypes = fixed(["provider_type", "provider_types", "provider-type", "providerType", "provider"], Lexicon.providerTypes)
    }

    func topicLabel(_ id: String, _ language: Language) -> String {
        Lexicon.topicWords[id]?.text(language) ?? fallbackLabel(id, Vocabulary.topicNames)
    }

    func audienceLabel(_ id: String, _ language: Language) -> String {
        Lexicon.audienceWords[id]?.text(language) ?? fallbackLabel(id, Vocabulary.audienceNames)
    }

    func formatLabel(_ id: String, _ language: Language) -> String {
        Lexicon.formatWords[id]?.text(language) ?? fallbackLabel(id, Vocabulary.formatNames)
    }

    private func fallbackLabel(_ id: String, _ names: [String]) -> String {
        (file.label(for: id, in: names) ?? id.replacingOccurrences(of: "-", with: " ")).lowercased()
    }
}

/// One generated provider.
struct ProviderRecord {
    let id: String
    let name: String
    let orgNumber: String
    let type: String
    let municipality: Municipality
    let phone: String
    let email: String
    let website: String
}

/// The files of one generated offer.
struct OfferFiles {
    let slug: String
    let title: String
    let base: String
    let translation: String?
}

/// Organisation numbers: weights 3 2 7 6 5 4 3 2 over the first eight digits, MOD11 check digit.
enum OrgNumber {
    static let weights = [3, 2, 7, 6, 5, 4, 3, 2]

    /// The check digit for eight digits, or nil when the remainder gives 10 (no valid number).
    static func checkDigit(_ digits: [Int]) -> Int? {
        guard digits.count == 8 else { return nil }
        let sum = zip(digits, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let remainder = sum % 11
        if remainder == 0 { return 0 }
        if remainder == 1 { return nil }
        return 11 - remainder
    }
}

/// Builds providers and offers as YAML/Markdown text; every draw comes from a seeded stream.
struct RecordBuilder {
    let seed: UInt64
    let municipalities: [Municipality]
    let vocabulary: Vocabulary
    private let byCounty: [String: [Municipality]]

    init(seed: UInt64, municipalities: [Municipality], vocabulary: Vocabulary) {
        self.seed = seed
        self.municipalities = municipalities
        self.vocabulary = vocabulary
        self.byCounty = Dictionary(grouping: municipalities, by: { $0.countyCode })
    }

    // MARK: Providers

    func providers(count: Int) -> [ProviderRecord] {
        var order = Array(municipalities.indices)
        var shuffle = SplitMix64(seed: seed, stream: 1)
        if order.count > 1 {
            for i in stride(from: order.count - 1, to: 0, by: -1) {
                order.swapAt(i, shuffle.below(i + 1))
            }
        }
        var usedOrgNumbers = Set<String>()
        var result: [ProviderRecord] = []
        for index in 0..<count {
            var rng = SplitMix64(seed: seed, stream: 0x100_0000 + UInt64(index))
            let municipality = municipalities[order[index % order.count]]
            let type = vocabulary.providerTypes[index % vocabulary.providerTypes.count]
            let style = Lexicon.providerStyles[type] ?? (slugify(type), "{K} helsetilbud")
            let number = String(index + 1)
            var place = slugify(municipality.shortName)
            if place.count < 2 { place = "kommune-" + municipality.code }
            let id = style.prefix + "-" + truncateSlug(place, to: 64 - style.prefix.count - number.count - 2) + "-" + number
            var orgNumber = makeOrgNumber(&rng)
            while usedOrgNumbers.contains(orgNumber) { orgNumber = makeOrgNumber(&rng) }
            usedOrgNumbers.insert(orgNumber)
            result.append(ProviderRecord(
                id: id,
                name: style.name.replacingOccurrences(of: "{K}", with: municipality.cityName),
                orgNumber: orgNumber,
                type: type,
                municipality: municipality,
                phone: makePhone(&rng),
                email: id + "@example.org",
                website: "https://example.org/" + id))
        }
        return result
    }

    func providerYAML(_ provider: ProviderRecord) -> String {
        var y = ""
        y += "name: " + YAMLText.scalar(provider.name) + "\n"
        y += "org_number: " + YAMLText.quoted(provider.orgNumber) + "\n"
        y += "type: " + provider.type + "\n"
        y += "municipality: " + YAMLText.quoted(provider.municipality.code) + "\n"
        y += "website: " + provider.website + "\n"
        y += "email: " + provider.email + "\n"
        y += "phone: " + YAMLText.quoted(provider.phone) + "\n"
        y += "editors: [\"*@example.org\"]\n"
        return y
    }

    private func makeOrgNumber(_ rng: inout SplitMix64) -> String {
        while true {
            var digits = [8 + rng.below(2)]
            for _ in 0..<7 { digits.append(rng.below(10)) }
            if let check = OrgNumber.checkDigit(digits) {
                return (digits + [check]).map(String.init).joined()
            }
        }
    }

    /// A fixed-line number in the 2x series, as `+47 2x xx xx xx`.
    private func makePhone(_ rng: inout SplitMix64) -> String {
        "+47 2" + String(rng.below(10)) + " " + pad(rng.below(100), 2) + " " + pad(rng.below(100), 2) + " " + pad(rng.below(100), 2)
    }

    // MARK: Offers

    func offer(index: Int, provider: ProviderRecord, takenSlugs: Set<String>, takenTitles: Set<String>, translated: Bool) -> OfferFiles {
        var rng = SplitMix64(seed: seed, stream: 0x1000_0000 + UInt64(index))
        let v = vocabulary

        let kind = chooseKind(provider.type, &rng)
        let deliveryRoll = rng.unit()
        let wantedDelivery = deliveryRoll < 0.10 ? "digitalt" : (deliveryRoll < 0.25 ? "hybrid" : "oppmote")
        let delivery = v.deliveries.contains(wantedDelivery) ? wantedDelivery : rng.pick(v.deliveries, or: "oppmote")
        let national = delivery == "digitalt"
        let inPerson = delivery == "oppmote" || delivery == "hybrid"

        let format: String
        if national {
            let digitalFormats = ["digitalt-verktoy", "kurs", "foredrag", "likeperson"].filter(v.formats.contains)
            format = rng.pick(digitalFormats, or: rng.pick(v.formats, or: "kurs"))
        } else {
            let formats = v.formats.filter { $0 != "digitalt-verktoy" }
            format = rng.pick(formats, or: rng.pick(v.formats, or: "kurs"))
        }
        let topics = rng.sample(v.topics, count: rng.int(in: 1...3))
        var audiences = rng.sample(v.audiences, count: rng.int(in: 1...2))
        if audiences.count > 1, audiences.contains("alle") { audiences = ["alle"] }

        // Municipalities: the provider's own, sometimes with neighbours in the same county.
        var served = [provider.municipality]
        if !national {
            let neighbours = (byCounty[provider.municipality.countyCode] ?? []).filter { $0.code != provider.municipality.code }
            let extra = rng.chance(0.3) ? rng.int(in: 1...2) : 0
            served += rng.sample(neighbours, count: extra)
        }

        let ongoing = (format == "digitalt-verktoy" || format == "individuell") ? rng.chance(0.8) : rng.chance(0.25)
        let runs = ongoing ? [] : scheduleRuns(&rng)

        let priceRoll = rng.unit()
        var priceKind = priceRoll < 0.6 ? "gratis" : (priceRoll < 0.9 ? "egenandel" : "betaling")
        if !v.prices.contains(priceKind) { priceKind = rng.pick(v.prices, or: "gratis") }
        let amount = priceKind == "egenandel" ? rng.int(in: 2...18) * 50 : rng.int(in: 5...30) * 100

        var referral = "ingen"
        if kind == "friskliv", rng.chance(0.4) { referral = "frisklivsresept" }
        if kind == "laering-og-mestring", rng.chance(0.3) { referral = "henvisning" }
        if !v.referrals.contains(referral) { referral = rng.pick(v.referrals, or: "ingen") }

        let first = rng.pick(Lexicon.firstNames, or: "Kari")
        let last = rng.pick(Lexicon.lastNames, or: "Nordmann")
        let contactPhone = makePhone(&rng)
        let accessibility = rng.chance(0.7) ? rng.sample(national ? v.accessibility.filter { $0 != "rullestol" } : v.accessibility, count: rng.int(in: 1...3)) : []
        var tags: [String] = []
        for topic in topics { tags += Lexicon.topicTags[topic] ?? [slugify(topic)] }
        tags = rng.sample(tags, count: rng.int(in: 2...3))
        let reviewed = CalendarDay(year: 2026, month: 3, day: 1).adding(days: rng.int(in: 0...264))
        var validUntil: CalendarDay? = nil
        if let lastEnd = runs.last?.end, rng.chance(0.4) {
            validUntil = min(lastEnd.adding(days: rng.int(in: 14...60)), CalendarDay(year: 2027, month: 12, day: 31))
        } else if ongoing, rng.chance(0.3) {
            validUntil = rng.chance(0.5) ? CalendarDay(year: 2027, month: 6, day: 30) : CalendarDay(year: 2027, month: 12, day: 31)
        }

        // Words for the texts, in both languages.
        let place = national ? "på nett" : "i " + provider.municipality.cityName
        func context(_ language: Language) -> [String: String] {
            let topic = v.topicLabel(topics[0], language)
            let second = topics.count > 1 ? v.topicLabel(topics[1], language) : topic
            let formatLabel = v.formatLabel(format, language)
            let audience = audiences.map { v.audienceLabel($0, language) }.joined(separator: " og ")
            return [
                "T": topic, "Tcap": capitalised(topic), "T2": second,
                "F": formatLabel, "Fcap": capitalised(formatLabel),
                "A": audience, "P": provider.name, "C": provider.municipality.cityName,
                "place": place,
                "N": String(amount),
            ]
        }
        let nb = context(.nb)
        let nn = context(.nn)
        // A title (and slug) no other offer of this provider has: try each template in turn, then number it.
        let drawn = rng.below(Lexicon.titles.count)
        var titleIndex = topics.count < 2 && drawn == 8 ? 1 : drawn
        var titleSuffix = ""
        func slugFor(_ title: String) -> String {
            let base = truncateSlug(slugify(title), to: 56)
            return base.count < 2 ? "tilbud-" + String(index + 1) : base
        }
        func isFree(_ title: String) -> Bool {
            !takenTitles.contains(title.lowercased()) && !takenSlugs.contains(slugFor(title))
        }
        if !isFree(truncateText(fill(Lexicon.titles[titleIndex].nb, nb), to: 90)) {
            var found = false
            for step in 1..<Lexicon.titles.count {
                let candidate = (drawn + step) % Lexicon.titles.count
                if candidate == 8, topics.count < 2 { continue }
                if isFree(truncateText(fill(Lexicon.titles[candidate].nb, nb), to: 90)) {
                    titleIndex = candidate
                    found = true
                    break
                }
            }
            var number = 2
            while !found {
                titleSuffix = " (" + String(number) + ")"
                found = isFree(truncateText(fill(Lexicon.titles[titleIndex].nb, nb), to: 90 - titleSuffix.count) + titleSuffix)
                number += 1
            }
        }
        let titleTemplate = Lexicon.titles[titleIndex]
        let summaryTemplate = Lexicon.summaries[rng.below(Lexicon.summaries.count)]
        let titleNB = truncateText(fill(titleTemplate.nb, nb), to: 90 - titleSuffix.count) + titleSuffix
        let summaryNB = truncateText(fill(summaryTemplate.nb, nb), to: 160)
        let body = bodyBlocks(&rng, inPerson: inPerson, referral: referral, priceKind: priceKind, ongoing: ongoing, nb: nb)

        var slug = slugFor(titleNB)
        var counter = 2
        while takenSlugs.contains(slug) {
            slug = truncateSlug(slugFor(titleNB), to: 60) + "-" + String(counter)
            counter += 1
        }

        // The base record, in the field order of spec/content-model.md.
        var y = "---\n"
        y += "title: " + YAMLText.scalar(titleNB) + "\n"
        y += "summary: " + YAMLText.scalar(summaryNB) + "\n"
        y += "kind: " + kind + "\n"
        y += "format: " + format + "\n"
        y += "delivery: " + delivery + "\n"
        y += "topics: " + YAMLText.flowList(topics) + "\n"
        y += "audiences: " + YAMLText.flowList(audiences) + "\n"
        if !national { y += "municipalities: " + YAMLText.quotedList(served.map(\.code)) + "\n" }
        y += "national: " + (national ? "true" : "false") + "\n"
        if inPerson {
            y += "locations:\n"
            let count = rng.chance(0.2) ? 2 : 1
            for number in 0..<count {
                let municipality = number < served.count ? served[number] : provider.municipality
                y += location(municipality, &rng)
            }
        }
        if !runs.isEmpty {
            y += "schedule:\n"
            for run in runs {
                y += "  - start: " + run.start.iso + "\n"
                y += "    end: " + run.end.iso + "\n"
                y += "    note: " + YAMLText.scalar(run.note) + "\n"
                // Weekly times as data, as providers are asked to give them (check warns about a run without).
                y += "    times: [{weekday: \(run.weekday), from: \"\(run.from)\", to: \"\(run.to)\"}]\n"
                y += "    sessions: \(run.sessions)\n"
            }
        }
        y += "ongoing: " + (ongoing ? "true" : "false") + "\n"
        y += "price:\n"
        y += "  kind: " + priceKind + "\n"
        if priceKind != "gratis" {
            y += "  amount_nok: " + String(amount) + "\n"
            let note = rng.pick(Lexicon.priceNotes[priceKind] ?? [], or: "")
            if !note.isEmpty { y += "  note: " + YAMLText.scalar(note) + "\n" }
        }
        y += "referral: " + referral + "\n"
        y += "signup:\n"
        y += "  url: https://example.org/" + provider.id + "/" + slug + "/pamelding\n"
        y += "  phone: " + YAMLText.quoted(provider.phone) + "\n"
        y += "  email: " + provider.email + "\n"
        if let firstStart = runs.first?.start {
            y += "  deadline: " + firstStart.adding(days: -7).iso + "\n"
        }
        y += "contact:\n"
        y += "  name: " + YAMLText.scalar(first + " " + last) + "\n"
        y += "  phone: " + YAMLText.quoted(contactPhone) + "\n"
        y += "  email: " + slugify(first, separator: "-") + "." + slugify(last, separator: "-") + "@example.org\n"
        y += "languages: [nb]\n"
        if !accessibility.isEmpty { y += "accessibility: " + YAMLText.flowList(accessibility) + "\n" }
        y += "tags: " + YAMLText.flowList(tags) + "\n"
        y += "last_reviewed: " + reviewed.iso + "\n"
        if let validUntil { y += "valid_until: " + validUntil.iso + "\n" }
        y += "status: published\n"
        y += "---\n"
        y += render(body, .nb, nb)

        var translation: String? = nil
        if translated {
            let titleNN = truncateText(fill(titleTemplate.nn, nn), to: 90 - titleSuffix.count) + titleSuffix
            let summaryNN = truncateText(fill(summaryTemplate.nn, nn), to: 160)
            var t = "---\n"
            t += "title: " + YAMLText.scalar(titleNN) + "\n"
            t += "summary: " + YAMLText.scalar(summaryNN) + "\n"
            t += "---\n"
            t += render(body, .nn, nn)
            translation = t
        }
        return OfferFiles(slug: slug, title: titleNB, base: y, translation: translation)
    }

    private func chooseKind(_ providerType: String, _ rng: inout SplitMix64) -> String {
        let wanted: String
        switch providerType {
        case "kommune": wanted = rng.chance(0.85) ? "friskliv" : "selvhjelp"
        case "helseforetak": wanted = "laering-og-mestring"
        case "frivillig": wanted = rng.chance(0.6) ? "selvhjelp" : "friskliv"
        case "privat-avtale": wanted = "friskliv"
        default: wanted = rng.chance(0.5) ? "selvhjelp" : "laering-og-mestring"
        }
        return vocabulary.kinds.contains(wanted) ? wanted : rng.pick(vocabulary.kinds, or: "friskliv")
    }

    private struct Run {
        let start: CalendarDay
        let end: CalendarDay
        let note: String
        let weekday: String
        let from: String
        let to: String
        let sessions: Int
    }

    /// The `weekdays` vocabulary's ids, Monday first.
    static let weekdayIDs = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lordag", "sondag"]

    /// `HH:MM` from and to of a slot such as "kl. 18.30–20.30".
    static func clock(_ slot: String) -> (String, String) {
        let parts = slot.replacingOccurrences(of: "kl. ", with: "").split(separator: "–").map(String.init)
        func hhmm(_ s: String) -> String {
            let p = s.split(separator: ".").map(String.init)
            let h = p.first ?? "18"
            return (h.count == 1 ? "0" + h : h) + ":" + (p.count > 1 ? p[1] : "00")
        }
        return parts.count == 2 ? (hhmm(parts[0]), hhmm(parts[1])) : ("18:00", "20:00")
    }

    /// One to three weekly runs, all within 2027, each starting on or before its end.
    private func scheduleRuns(_ rng: inout SplitMix64) -> [Run] {
        let yearEnd = CalendarDay(year: 2027, month: 12, day: 31)
        var start = CalendarDay(year: 2027, month: 1, day: 11).adding(days: rng.int(in: 0...120))
        var runs: [Run] = []
        for _ in 0..<rng.int(in: 1...3) {
            let sessions = rng.int(in: 1...10)
            let end = start.adding(days: 7 * (sessions - 1))
            guard end <= yearEnd else { break }
            let day = Lexicon.weekdaysPlural[start.weekday].nb
            let slot = rng.pick(Lexicon.timeSlots, or: "kl. 18–20")
            let times = sessions < Lexicon.countWords.count ? Lexicon.countWords[sessions] : String(sessions)
            let note = sessions == 1
                ? "Én samling " + slot
                : day + " " + slot + ", " + times + " ganger"
            let (from, to) = Self.clock(slot)
            runs.append(Run(start: start, end: end, note: note, weekday: Self.weekdayIDs[start.weekday], from: from, to: to, sessions: sessions))
            start = end.adding(days: rng.int(in: 14...70))
        }
        if runs.isEmpty {
            let only = CalendarDay(year: 2027, month: 3, day: 1)
            runs.append(Run(start: only, end: only, note: "Én samling kl. 18–20", weekday: Self.weekdayIDs[only.weekday], from: "18:00", to: "20:00",
                            sessions: 1))
        }
        return runs
    }

    private func location(_ municipality: Municipality, _ rng: inout SplitMix64) -> String {
        let county = Lexicon.counties[municipality.countyCode] ?? (60.5, 9.5, 1000...9990)
        let lat = min(71.2, max(58.0, county.lat + (rng.unit() - 0.5) * 0.5))
        let lon = min(31.0, max(4.6, county.lon + (rng.unit() - 0.5) * 0.8))
        let venue = rng.pick(Lexicon.venues, or: "Helsehuset")
        var y = ""
        y += "  - name: " + YAMLText.scalar(venue + " " + municipality.cityName) + "\n"
        y += "    address: " + YAMLText.scalar(rng.pick(Lexicon.streets, or: "Storgata") + " " + String(rng.int(in: 1...60))) + "\n"
        y += "    postal_code: " + YAMLText.quoted(pad(rng.int(in: county.postal), 4)) + "\n"
        y += "    city: " + YAMLText.scalar(municipality.cityName) + "\n"
        y += "    municipality: " + YAMLText.quoted(municipality.code) + "\n"
        y += "    geo: [" + YAMLText.fixed(lat, decimals: 4) + ", " + YAMLText.fixed(lon, decimals: 4) + "]\n"
        return y
    }

    // MARK: Body

    private enum Block {
        case paragraph([Words])
        case heading(Words)
        case list([Words])
    }

    /// ~150–250 words (bokmål): intro, a `##` section with a list, practical notes, and how to sign up.
    private func bodyBlocks(_ rng: inout SplitMix64, inPerson: Bool, referral: String, priceKind: String, ongoing: Bool, nb: [String: String]) -> [Block] {
        var introPool = Lexicon.intro
        var practicalPool = Lexicon.practical
        func take(_ pool: inout [Words]) -> Words? {
            pool.isEmpty ? nil : pool.remove(at: rng.below(pool.count))
        }
        var intro: [Words] = []
        for _ in 0..<3 { if let s = take(&introPool) { intro.append(s) } }
        let bullets = rng.sample(Lexicon.bullets, count: rng.int(in: 3...5))
        var practical: [Words] = []
        for _ in 0..<rng.int(in: 2...3) { if let s = take(&practicalPool) { practical.append(s) } }
        practical.append(rng.pick(inPerson ? Lexicon.practicalInPerson : Lexicon.practicalDigital, or: Lexicon.intro[0]))
        var signup = [rng.pick(Lexicon.signupGeneral, or: Lexicon.intro[0])]
        if let sentence = Lexicon.referralSentence[referral] { signup.append(sentence) }
        if let sentence = Lexicon.priceSentence[priceKind] { signup.append(sentence) }
        signup.append(ongoing ? Lexicon.ongoingSentence : Lexicon.datedSentence)
        let heading = rng.pick(Lexicon.headings, or: Lexicon.headings[0])
        let signupHeading = rng.pick(Lexicon.signupHeadings, or: Lexicon.signupHeadings[0])

        func words(_ sentences: [Words]) -> Int {
            sentences.reduce(0) { $0 + wordCount(fill($1.nb, nb)) }
        }
        var total = words(intro) + words([heading]) + words(bullets) + words(practical) + words([signupHeading]) + words(signup)
        let target = rng.int(in: 165...220)
        while total < target {
            if let s = take(&practicalPool) {
                practical.append(s)
                total += words([s])
            } else if let s = take(&introPool) {
                intro.append(s)
                total += words([s])
            } else {
                break
            }
        }
        return [.paragraph(intro), .heading(heading), .list(bullets), .paragraph(practical), .heading(signupHeading), .paragraph(signup)]
    }

    private func render(_ blocks: [Block], _ language: Language, _ context: [String: String]) -> String {
        var parts: [String] = []
        for block in blocks {
            switch block {
            case .paragraph(let sentences):
                parts.append(sentences.map { fill($0.text(language), context) }.joined(separator: " "))
            case .heading(let words):
                parts.append("## " + fill(words.text(language), context))
            case .list(let items):
                parts.append(items.map { "- " + fill($0.text(language), context) }.joined(separator: "\n"))
            }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }
}

/// Words with at least one letter or digit (Markdown markers do not count).
func wordCount(_ text: String) -> Int {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.contains(where: { $0.isLetter || $0.isNumber }) }.count
}

/// Replaces `{key}` placeholders (one pass, unknown keys kept); sentence starts are capitalised.
private func fill(_ template: String, _ context: [String: String]) -> String {
    guard template.contains("{") else { return capitalised(template) }
    var out = ""
    var rest = template[...]
    while let open = rest.firstIndex(of: "{") {
        out += rest[rest.startIndex..<open]
        guard let close = rest[open...].firstIndex(of: "}") else { break }
        let key = String(rest[rest.index(after: open)..<close])
        out += context[key] ?? String(rest[open...close])
        rest = rest[rest.index(after: close)...]
    }
    out += rest
    return capitalised(out)
}

private func capitalised(_ text: String) -> String {
    guard let first = text.first else { return text }
    return first.uppercased() + text.dropFirst()
}
