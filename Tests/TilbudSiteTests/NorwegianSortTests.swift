import Foundation
import Testing
@testable import TilbudRender

/// Lists are sorted by title the Norwegian way.
struct NorwegianSortTests {
    @Test func æøåComeAfterZAndCaseIsIgnored() {
        let titles = ["Åpen gruppe", "zumba", "Ørsta-kurs", "Æble", "Astma", "Bølgen"]
        #expect(titles.sorted { NorwegianSort.key($0) < NorwegianSort.key($1) } == ["Astma", "Bølgen", "zumba", "Æble", "Ørsta-kurs", "Åpen gruppe"])
    }

    @Test func decomposedLettersSortLikeComposedOnes() {
        #expect(NorwegianSort.key("A\u{30A}pen") == NorwegianSort.key("Åpen"))
        #expect(NorwegianSort.key("Cafe\u{301}") == NorwegianSort.key("café"))
        #expect(NorwegianSort.key("café") == "cafe")
    }

    @Test func keysMatchTheScalarByScalarMapping() {
        func reference(_ s: String) -> String {
            var out = String.UnicodeScalarView()
            var lower = s.lowercased()
            if lower.unicodeScalars.contains(where: { $0.value >= 0x300 && $0.value <= 0x36F }) {
                lower = lower.precomposedStringWithCanonicalMapping
            }
            for c in lower.unicodeScalars {
                switch c {
                case "æ", "ä": out.append("{")
                case "ø", "ö": out.append("|")
                case "å": out.append("}")
                case "é", "è", "ê": out.append("e")
                default: out.append(c)
                }
            }
            return String(out)
        }
        for title in ["Æøå ÆØÅ äöé èêë", "Søvn – kurs «for alle»", "Ã© Ãx Ã", "ÇÉÈÊËÀÁÂ çàáâ", "日本語 ü ß ẞ", "", "A\u{30A}pen e\u{301}", "\u{212B}ngstrøm"] {
            #expect(NorwegianSort.key(title) == reference(title), "\(title)")
        }
    }
}
