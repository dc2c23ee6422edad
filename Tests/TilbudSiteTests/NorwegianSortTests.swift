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
}
