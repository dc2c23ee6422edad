import Foundation
import Testing
import TilbudModel
@testable import TilbudFeed

/// FHIR ids are made on bytes; these are the String-based functions they were made with before, held side by side.
@Suite("FHIR ids on bytes")
struct FHIRIDTests {
    static func referenceHex64(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    static func referenceFit(_ s: String) -> String {
        let ok = !s.utf8.isEmpty && s.utf8.count <= 64 && s.utf8.allSatisfy(FHIRExport.allowed)
        if ok { return s }
        var cleaned = String.UnicodeScalarView()
        for u in s.unicodeScalars.prefix(47) { cleaned.append(u.isASCII && FHIRExport.allowed(UInt8(u.value)) ? u : "-") }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return String(cleaned) + "-" + referenceHex64(h)
    }

    static func referenceSlug(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var dash = false
        func add(_ text: String) {
            out.append(contentsOf: text.unicodeScalars)
            dash = false
        }
        for u in s.unicodeScalars {
            switch u {
            case "a"..."z", "0"..."9": out.append(u); dash = false
            case "A"..."Z": out.append(Unicode.Scalar(u.value + 32)!); dash = false
            case "æ", "Æ": add("ae")
            case "ø", "Ø", "ö", "Ö", "ó", "Ó", "ò", "ô", "õ": add("o")
            case "å", "Å", "ä", "Ä", "á", "Á", "à", "â", "ã": add("a")
            case "é", "É", "è", "ê", "ë": add("e")
            case "í", "ì", "î", "ï", "Ï": add("i")
            case "ú", "ù", "û", "ü", "Ü": add("u")
            case "ý", "ÿ": add("y")
            case "č", "Č", "ç": add("c")
            case "đ", "Đ": add("d")
            case "ŋ", "Ŋ", "ñ": add("n")
            case "š", "Š": add("s")
            case "ŧ", "Ŧ": add("t")
            case "ž", "Ž": add("z")
            default:
                if !dash, !out.isEmpty { out.append("-") }
                dash = true
            }
        }
        while out.last == "-" { out.removeLast() }
        return out.isEmpty ? "sted" : String(out)
    }

    static func referenceLocationID(_ providerID: String, _ l: Location) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [providerID, l.name, l.address, l.postalCode, l.city, l.municipality, l.geo.map { "\($0.lat),\($0.lon)" } ?? ""] {
            for b in part.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h ^= 0x1F
            h = h &* 0x100_0000_01b3
        }
        let hash = String(referenceHex64(h).prefix(8))
        var name = String(referenceSlug(l.name).prefix(max(0, 64 - providerID.count - 2 - 9)))
        while name.hasSuffix("-") { name.removeLast() }
        return referenceFit(providerID + "--" + (name.isEmpty ? "" : name + "-") + hash)
    }

    static let texts = [
        "", "-", "sted", "Frisklivssentralen i Åmli", "ÆØÅ æøå – Kultur­huset (2. etg.)", "Sámi giellaguovddáš Čohkkiras ŋ ŧ đ",
        "a/b æ", "a/b ø", "frisk--sov-godt", "nett--webinar-om-diabetes-type-2-med-et-svaert-langt-navn-for-fhir",
        String(repeating: "x", count: 64), String(repeating: "x", count: 65), String(repeating: "ø", count: 60), "日本語 😀 e\u{301}",
        "---a---b---", "Ærlig talt: Østre Åsen 12-14", "e\u{301}\u{302}x", "A.B-C_D",
    ]

    @Test("fit, asciiSlug and hex give what the String-based versions gave")
    func sameAsBefore() {
        for t in Self.texts {
            #expect(FHIRExport.fit(t) == Self.referenceFit(t), "\(t.debugDescription)")
            #expect(FHIRExport.asciiSlug(t) == Self.referenceSlug(t), "\(t.debugDescription)")
        }
        for v: UInt64 in [0, 1, 0xF, 0xABCDEF, .max, 0x0123_4567_89AB_CDEF] { #expect(FHIRExport.hex64(v) == Self.referenceHex64(v)) }
    }

    @Test("a place's id is what the String-based version gave, with and without a position, for short and long names")
    func locationIDs() {
        let positions: [Geo?] = [nil, Geo(lat: 59.9226, lon: 10.75), Geo(lat: -0.5, lon: 180), Geo(lat: 1e-7, lon: 62)]
        for provider in ["frisk", "frisklivssentral-amli-241", String(repeating: "p", count: 60)] {
            for name in Self.texts {
                for geo in positions {
                    let l = Location(name: name, address: "Storgata 1", postalCode: "0155", city: "Oslo", municipality: "0301", geo: geo)
                    #expect(FHIRExport.locationID(provider, l) == Self.referenceLocationID(provider, l), "\(provider) \(name.debugDescription)")
                }
            }
        }
    }
}
