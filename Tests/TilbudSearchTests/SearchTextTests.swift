import Testing
@testable import TilbudSearch

@Suite struct SearchTextTests {
    @Test(arguments: [
        ("søvn", "sovn"), ("SØVN", "sovn"), ("kjærlighet", "kjaerlighet"), ("Ålesund", "alesund"), ("Aalesund", "alesund"),
        ("Grünerløkka", "grunerlokka"), ("café", "cafe"), ("Tråante", "trante"),
        ("Hábmer", "habmer"), ("Fuolldá", "fuollda"), ("Guovdageaidnu", "guovdageaidnu"), ("Œuvre", "oeuvre"),
    ])
    func folding(_ input: String, _ folded: String) {
        #expect(SearchText.fold(input) == folded)
    }

    @Test func asciiSpellingsMatchTheirLetters() {
        #expect(SearchText.terms("søvn") == SearchText.terms("sovn"))
        #expect(SearchText.terms("kjærlighet") == SearchText.terms("kjaerlighet"))
        #expect(SearchText.terms("pårørende") == SearchText.terms("parorende"))
    }

    @Test(arguments: [
        ("kurset", "kurs"), ("kursene", "kurs"), ("kurs", "kurs"), ("tilbodet", "tilbod"), ("tilboda", "tilbod"), ("tilbudet", "tilbud"),
        ("søvnvansker", "sovnvansk"), ("søvnvanskar", "sovnvansk"), ("kjærlighet", "kjaerlig"), ("stress", "stress"),
        ("pårørende", "paror"), ("pårørande", "paror"), ("gruppene", "grupp"), ("gruppa", "grupp"), ("0301", "0301"),
        ("demens", "demen"), ("demensen", "demens"), ("angst", "angst"), ("angsten", "angst"), ("kols", "kols"), ("sover", "sover"),
        ("sovne", "sovn"), ("ganger", "gang"), ("eldre", "eldr"), ("diabetes", "diabe"),
    ])
    func stemming(_ word: String, _ stem: String) {
        #expect(SearchText.stem(SearchText.fold(word)) == stem)
    }

    @Test func stemIsAPrefixOfTheWord() {
        for w in ["sommertrim", "deltakerne", "helsetjenesten", "foreldrene", "meistringskurs", "barna", "vaksne", "heimeoppgåver"] {
            let f = SearchText.fold(w)
            #expect(f.hasPrefix(SearchText.stem(f)))
        }
    }

    /// Words of different meaning that a stemmer must keep apart: no stem of one is a stem of, or a prefix of a stem of,
    /// another (a query word matches the terms its stem is a prefix of).
    static let distinctWords = [
        "demens", "dempe", "demokrati", "dem", "den", "angst", "ange", "angre", "anger", "angi", "kols", "kolesterol", "kolonne",
        "kost", "kosthold", "kort", "sove", "sovne", "sovn", "sorg", "mat", "mate", "mater", "rygg", "ryggen", "rus", "ruse",
        "slag", "slagord", "stress", "strek", "tur", "turne", "vekt", "vekst", "hjerte", "hjem", "kreft", "krefter", "smerte",
        "smart", "barn", "bare", "eldre", "eldste", "unge", "ungdom", "arbeid", "arbeider", "lunge", "lunger", "lang",
    ].map(SearchText.fold)

    @Test func noStemIsShorterThanFourLetters() {
        for w in Self.distinctWords + ["kurset", "tilboda", "gruppa", "sover", "delta", "deler", "angsten", "demensen"].map(SearchText.fold) {
            let s = SearchText.stem(w)
            #expect(s.count >= min(w.count, SearchText.minStemLength), "\(w) → \(s)")
        }
    }

    @Test("demens, angst and kols are stemmed apart from the words they used to swallow")
    func overStemmedWordsStayApart() {
        let pairs: [(String, [String])] = [
            ("demens", ["dem", "dempe", "demokrati", "den"]), ("angst", ["ange", "angre", "anger", "angi"]),
            ("kols", ["kolesterol", "kolonne"]), ("sovne", ["sorg"]),
        ]
        for (word, others) in pairs {
            let s = SearchText.stem(SearchText.fold(word))
            for o in others {
                let t = SearchText.stem(SearchText.fold(o))
                #expect(!t.hasPrefix(s), "\(word) (\(s)) would match \(o) (\(t)) as a prefix")
            }
        }
    }

    @Test func inflectionsStillShareAStem() {
        let groups = [
            ["kurs", "kurset", "kursene", "kursa"], ["tilbod", "tilbodet", "tilboda"], ["gruppe", "gruppa", "gruppene", "grupper"],
            ["angst", "angsten"], ["demens", "demensen"], ["trening", "treningen"], ["samtale", "samtalen", "samtaler"],
        ]
        for g in groups {
            let stems = g.map { SearchText.stem(SearchText.fold($0)) }
            let shortest = stems.min { $0.count < $1.count }!
            #expect(stems.allSatisfy { $0.hasPrefix(shortest) }, "\(g) → \(stems)")
        }
    }

    @Test func termsDropStopWordsAndSingleLetters() {
        #expect(SearchText.terms("Kurs for deg som sover dårlig – 2 ganger i uka") == ["kurs", "sover", "darlig", "gang", "uka"])
    }

    @Test func wordsKeepOtherScripts() {
        #expect(SearchText.words("Курс для всех, العربية") == ["курс", "для", "всех", "العربية"])
    }

    @Test(arguments: [
        ("diabetes", "diabtes", 1), ("diabetes", "diabetes", 0), ("kolesterol", "kolesterl", 1), ("søvn", "sønv", 1),
        ("abc", "xyz", 2), ("artrose", "artorse", 1), ("a", "abc", 2),
    ])
    func distance(_ a: String, _ b: String, _ d: Int) {
        #expect(SearchText.distance(Array(a.unicodeScalars), Array(b.unicodeScalars)) == d)
    }

    @Test func utf16OrderIsJavaScriptsOrder() {
        #expect(String.utf16Less("a", "b"))
        #expect(String.utf16Less("", "a"))
        #expect(!String.utf16Less("b", "b"))
        #expect(String.utf16Less("z", "ø"))
        #expect(String.utf16Less("\u{FFFF}", "\u{1F600}") == false)  // a surrogate pair sorts below U+FFFF in UTF-16
    }

    @Test("the UTF-8 comparison orders every pair as their UTF-16 code units do")
    func utf16OrderOfMixedScripts() {
        let pieces = ["", "a", "ab", "b", "z", "é", "ø", "ǿ", "ȁ", "中", "\u{D7FF}", "\u{E000}", "\u{EFFF}", "\u{F900}", "\u{FFFD}",
                      "\u{10000}", "\u{1F600}", "\u{10FFFF}"]
        let strings = pieces.flatMap { p in pieces.map { p + $0 } } + pieces.map { $0 + "x" }
        for a in strings {
            for b in strings {
                #expect(String.utf16Less(a, b) == Array(a.utf16).lexicographicallyPrecedes(Array(b.utf16)), "\(a.debugDescription) < \(b.debugDescription)")
            }
        }
    }
}

@Suite struct TokenizerTests {
    static let tricky = [
        "Sov godt – kurs for deg som sover dårlig", "Aaaa baaad AA aa", "e\u{301}tude cafe\u{301} \u{301}start", "İstanbul IĞDIR",
        "Ελληνικά ΟΔΟΣ σοφός", "العربية والصومالية", "ﬁnne ﬂyt", "Ωhm Å Å", "x\u{1DC0}y", "Fuolldá Guovdageaidnu čđŋšŧž ČĐŊŠŦŽ",
        "5–10 år, 12\u{A0}uker … «sitat» ‘x’ “y”", "Straße Œuvre Ærlig ØRE", "KOLS-skole e-sigarett type-2-diabetes",
        "\u{1F600} smil 😀 emoji", "tab\there\nnewline", "ǅemal ǈ ǋ", "Ḁḁ Ạạ", "",
    ]

    @Test func fastTokenizerGivesTheReferenceTerms() {
        let tokenizer = TermTokenizer()
        var texts = Self.tricky
        let site = BundledSite.shared
        for texts2 in site.renderer.texts {
            for (_, t) in texts2 { texts += [t.title, t.summary, t.bodyText] }
        }
        for o in site.renderer.published { texts += o.tags + o.locations.map(\.name) }
        for text in texts {
            #expect(tokenizer.terms(text) == SearchText.terms(text), "\(text.prefix(80))")
        }
    }
}
