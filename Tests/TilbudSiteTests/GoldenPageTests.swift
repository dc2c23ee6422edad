import Foundation
import Testing
import TilbudSite

/// Whole pages of the fixture site compared with the expected files in `Golden/`.
///
/// After an intended change to templates, strings or the renderer, re-record with
/// `RECORD_SNAPSHOTS=1 swift test --filter TilbudSiteTests`; recording still fails the test, so a
/// recorded run is never mistaken for a passing one. Review the diff of `Golden/` before committing.
/// Asset names are normalised (`style.HASH.css`) so a stylesheet edit alone does not touch every file;
/// `AssetTests` checks the hashes themselves.
@Suite struct GoldenPageTests {
    /// Output path → golden file name.
    static let pages: [(String, String)] = [
        ("index.html", "home.nb.html"),
        ("en/index.html", "home.en.html"),
        ("tilbud/frisk-oslo/sov-godt/index.html", "offer.current.nb.html"),
        ("nn/tilbud/frisk-oslo/sov-godt/index.html", "offer.translated.nn.html"),
        ("en/tema/sovn/index.html", "tema.sovn.en.html"),
        ("tilbud/frisk-oslo/tobakksfri/index.html", "offer.time.nb.html"),
        ("tilbud/pust-norge/kols-kafe/index.html", "offer.due.nb.html"),
        ("tilbud/frisk-oslo/gammel-gruppe/index.html", "offer.stale.nb.html"),
        ("tilbud/frisk-oslo/trim-sommer/index.html", "offer.ended.nb.html"),
        ("kommune/0301/index.html", "kommune.0301.nb.html"),
        ("tema/sovn/index.html", "tema.sovn.nb.html"),
        ("tilbyder/pust-norge/index.html", "tilbyder.pust-norge.nb.html"),
        ("landsdekkende/index.html", "landsdekkende.nb.html"),
        ("nn/404.html", "404.nn.html"),
    ]

    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// `assets/style.1a2b3c4d5e.css` → `assets/style.HASH.css`.
    static func normalised(_ html: String) -> String {
        let regex = try! NSRegularExpression(pattern: "(assets/[A-Za-z0-9_-]+)\\.[0-9a-f]{10}\\.")
        return regex.stringByReplacingMatches(in: html, range: NSRange(html.startIndex..., in: html), withTemplate: "$1.HASH.")
    }

    @Test(arguments: pages)
    func pageMatchesGolden(_ page: (String, String)) throws {
        let (path, golden) = page
        let fixture = try SiteFixture(SiteFixture.catalog)
        fixture.buildOK()
        let actual = Self.normalised(fixture.page(path))
        let file = SiteFixture.goldenFolder.appendingPathComponent(golden)
        if Self.recording {
            try FileManager.default.createDirectory(at: SiteFixture.goldenFolder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: file)
            Issue.record("recorded \(golden); run again without RECORD_SNAPSHOTS to compare")
            return
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            Issue.record("no golden file \(golden): record it with RECORD_SNAPSHOTS=1")
            return
        }
        let expected = String(decoding: data, as: UTF8.self)
        if actual != expected {
            Issue.record("\(path) differs from Golden/\(golden):\n\(Self.firstDifference(expected, actual))\nRe-record with RECORD_SNAPSHOTS=1 if the change is intended.")
        }
    }

    /// The first differing line, with its neighbours, for a readable failure.
    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.components(separatedBy: "\n"), a = actual.components(separatedBy: "\n")
        for i in 0..<max(e.count, a.count) where (i < e.count ? e[i] : nil) != (i < a.count ? a[i] : nil) {
            let from = max(0, i - 2)
            let show = { (lines: [String]) in lines[min(from, lines.count)..<min(i + 3, lines.count)].joined(separator: "\n") }
            return "line \(i + 1)\n--- expected\n\(show(e))\n--- actual\n\(show(a))"
        }
        return "(no line differs)"
    }
}
