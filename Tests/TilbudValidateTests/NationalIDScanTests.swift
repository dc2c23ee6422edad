import Testing
import TilbudContent
import TilbudDiagnostics
@testable import TilbudValidate

/// Fødselsnummer and D-nummer however they are written: with separators, invisible characters, full-width digits,
/// split by Markdown, comments, entities, lines or table cells, in YAML comments and in file and folder names.
@Suite("National identity numbers however written")
struct NationalIDScanTests {
    // 15108695088 (fødselsnummer) and 55108695071 (D-nummer), both with valid check digits.
    static let hidden: [String] = [
        "Ring 15108695088.", "Ring 151086 95088.", "Ring 151086-95088.", "Ring 151086.95088.", "Ring 15.10.86 950 88.",
        "Ring 15 10 86 950 88.", "Ring 151086\u{00A0}95088.", "Ring 151086\u{2009}95088.", "Ring 151086\u{202F}95088.",
        "Ring 151086\u{200B}95088.", "Ring 1510\u{200D}8695088.", "Ring １５１０８６９５０８８.", "Ring 1510**86**95088.",
        "Ring 151086<!-- -->95088.", "Ring 1510&#56;695088.", "Ring 1510&#x38;695088.", "Ring 151086\n95088.",
        "| nr | 151086 | 95088 |", "Ring `151086` _95088_.", "Ring 151086<b>95088</b>.", "Ring 151086&nbsp;95088.",
        "D-nummer 551086 95071.", "> 151086\n> 95088",
        // `<!-->` is a whole comment to a browser (and none to cmark-gfm): it does not run on to the next `-->`.
        "Rom 12<!--> tekst 151086<!-- -->95088.", "Rom 12<!---> tekst 151086<!-- -->95088.",
    ]

    @Test(arguments: hidden)
    func aNumberIsFoundHoweverItIsWritten(_ text: String) {
        #expect(Checks.nationalIDPositions(in: text).count == 1, "\(text.debugDescription)")
    }

    @Test(arguments: hidden)
    func theQuickPassLeavesEveryWrittenNumberToTheScan(_ text: String) {
        #expect(Checks.mayHoldNationalID(text), "\(text.debugDescription)")
    }

    @Test func theQuickPassSkipsTextWhoseDigitGroupsAreShort() {
        // Dates, times, phone numbers and postcodes (far more than 11 digits in all), each group ended by a letter
        // or a comma: no scan needed. A group of 11 digits, or markup, goes to the full scan.
        let body = "Mandager kl. 12–14, fire ganger fra 3. mai 2027. Ring +47 25 90 15 13 eller 28 68 72 04, " +
            "Kongens gate 8, 4886 Åmli. Påmeldingsfrist 26.04.2027, pris 200 kr. Ｖi møtes ２ ganger i uka."
        #expect(!Checks.mayHoldNationalID(body))
        #expect(Checks.nationalIDPositions(in: body).isEmpty)
        #expect(Checks.mayHoldNationalID("Ring 12345 678901."))
        #expect(Checks.mayHoldNationalID("Kurs 15.03.2025\u{2013}22.03.2025."))
        #expect(!Checks.mayHoldNationalID("Kurs 15.03.2025 til 22.03.2025."))
        #expect(Checks.mayHoldNationalID("Se <b>side</b> 2."), "markup may hide digits")
        #expect(Checks.mayHoldNationalID("Se &#49; side."), "so may a reference")
        #expect(Checks.mayHoldNationalID("１２３４５\u{00A0}６７８９０１"), "full-width digits joined by a no-break space")
        #expect(!Checks.mayHoldNationalID("12345æ678901"))
    }

    @Test func theSeparatorShortcutForLatinLettersAgreesWithTheUnicodeTables() {
        // `isOneScalarSeparator` answers U+0080–U+017F without the Unicode tables: it must give the tables' answer.
        for v in UInt32(0x80)..<0x180 {
            let c = Unicode.Scalar(v)!
            let category = c.properties.generalCategory
            let tables = [.spaceSeparator, .format, .lineSeparator, .paragraphSeparator].contains(category)
            #expect(Checks.isOneScalarSeparator(c) == tables, "U+\(String(v, radix: 16, uppercase: true)) \(category)")
        }
        // Between two runs of digits, the quick pass must join them exactly when `isOneScalarSeparator` says so.
        for v in UInt32(0x80)..<0x180 {
            let c = Unicode.Scalar(v)!
            #expect(Checks.mayHoldNationalID("15108\(c)695088") == Checks.isOneScalarSeparator(c), "U+\(String(v, radix: 16, uppercase: true))")
        }
        // So a soft hyphen joins two runs, and a Norwegian letter ends one, in the quick pass and in the scan alike.
        #expect(Checks.mayHoldNationalID("15108\u{AD}695088"))
        #expect(Checks.nationalIDPositions(in: "15108\u{AD}695088").count == 1)
        #expect(!Checks.mayHoldNationalID("15108ø695088"))
        #expect(Checks.nationalIDPositions(in: "15108ø695088").isEmpty)
    }

    @Test func theQuickPassSortsASCIIAsTheScanDoes() {
        let kinds = Dictionary(uniqueKeysWithValues: "07 \t\n\r-./*_~`|>\\<&aZ,:;+()#'\"".unicodeScalars.map { ($0, Checks.asciiKind[Int($0.value)]) })
        for c in "07".unicodeScalars { #expect(kinds[c] == .digit) }
        for c in " \t\n\r-./*_~`|>\\".unicodeScalars { #expect(kinds[c] == .separator, "\(c.debugDescription)") }
        for c in "<&".unicodeScalars { #expect(kinds[c] == .opensMarkup) }
        for c in "aZ,:;+()#'\"".unicodeScalars { #expect(kinds[c] == .other, "\(c.debugDescription)") }
    }

    /// Numbers an offer really has, side by side: the identity-number rules (date, both check digits) decide.
    static let harmless: [String] = [
        "Ring 15108695089.", "Ring +47 23 00 00 00 eller 92 34 56 78.", "Org.nr. 974 778 882, telefon 23 45 67 89.",
        "Kurs 15.03.2025–22.03.2025 kl. 18.00–20.00, 8 ganger.", "Postnummer 0557 Oslo, 5020 Bergen, 7030 Trondheim.",
        "Sider 10-20, 30-40, 50-60 og 70-80.", "12345 67890 12345 67890", "Tlf. 55 97 50 00 / 55 97 51 00",
    ]

    @Test(arguments: harmless)
    func harmlessNumbersAreNotTakenForOne(_ text: String) {
        #expect(Checks.nationalIDPositions(in: text).isEmpty, "\(text.debugDescription)")
    }

    @Test func theHitIsAtTheFirstDigitOnItsLine() {
        let positions = Checks.nationalIDPositions(in: "Første linje.\nSend inn 1510**86**95088 i dag.")
        #expect(positions.count == 1)
        #expect(positions.first?.line == 2 && positions.first?.column == 10)
    }

    private func errors(_ txtar: String) throws -> [Diagnostic] {
        try TestCatalog(txtar).check().diagnostics.filter { $0.id == "national-id-number" }
    }

    @Test func aNumberInAYAMLCommentOfAnOfferIsAnErrorAtItsLine() throws {
        let found = try errors(offerCatalog(["kind": "kind: friskliv  # spør Kari, 151086-95088"]))
        #expect(found.count == 1)
        #expect(found.first?.location?.path == offerPath)
        #expect(found.first.map { $0.location?.line ?? 0 } ?? 0 > 1)
    }

    @Test func aNumberInAYAMLCommentOfProviderYAMLIsAnError() throws {
        let txtar = "-- content/providers/frisk/provider.yaml --\n# Kontakt: 15.10.86 950 88\n" + Records.provider
            + "-- content/providers/frisk/sov-godt.md --\n" + Records.offer()
        let found = try errors(txtar)
        #expect(found.count == 1)
        #expect(found.first?.location?.path == "content/providers/frisk/provider.yaml")
        #expect(found.first?.location?.line == 1 && found.first?.location?.column == 12)
    }

    @Test func aNumericSlugIsAnError() throws {
        let txtar = providerSection + "-- content/providers/frisk/15108695088.md --\n" + Records.offer()
        let found = try errors(txtar)
        #expect(found.contains { $0.location?.path == "content/providers/frisk/15108695088.md" }, "\(found)")
    }

    @Test func aNumberInTheBodyWrittenWithSeparatorsIsAnErrorAtItsLine() throws {
        let found = try errors(offerCatalog(body: "Kurset går over fire kvelder.\n\nSend 151086 - 95088 på SMS.\n"))
        #expect(found.count == 1)
        #expect(found.first?.location?.column == 6)
    }
}
