import Foundation
import Testing
import TilbudModel
import TilbudTestSupport
import TilbudValidate

/// `site.yaml`'s publisher, pages and files: read at check, every file it names read too, and every bad setting an
/// error at its line and column with plain words.
@Suite("site.yaml: publisher, pages and files")
struct SiteSettingsTests {
    static let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 8 8\"><rect width=\"8\" height=\"8\"/></svg>\n"
    /// The first 24 bytes of a PNG of 1200 × 630 pixels (signature and IHDR), enough for its size.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52,
                           0, 0, 0x04, 0xB0, 0, 0, 0x02, 0x76, 8, 2, 0, 0, 0])

    /// A catalog whose site.yaml has the usual title, address and languages and then `settings`, with `files` (txtar
    /// sections) beside it.
    static func catalog(_ settings: String, files: String = "") throws -> TestCatalog {
        try TestCatalog("""
        -- content/site.yaml --
        title: {nb: Helsetilbud, nn: Helsetilbod, en: Health offers}
        base_url: https://tilbud.example.org/
        languages: [nb, nn, en]
        \(settings)
        \(files)
        """)
    }

    @Test("a complete publisher: name per language, contact, logo, sharing image and three pages with their translations")
    func complete() throws {
        let catalog = try Self.catalog("""
        publisher:
          name: {nb: Forvaltningen, nn: Forvaltninga, en: The governance body}
          email: post@example.org
          phone: "+47 22 00 00 00"
          url: https://example.org/om
          logo: media/logo.svg
        social_image: media/deling.png
        pages:
          about: sider/om.md
          privacy: sider/personvern.md
          accessibility: sider/uu.md
        """, files: """
        -- content/sider/om.md --
        ---
        title: Om nettstedet
        description: Hvem som står bak.
        ---
        # Hvem står bak
        -- content/sider/om.nn.md --
        ---
        title: Om nettstaden
        ---
        Tekst.
        -- content/sider/personvern.md --
        ---
        title: Personvern
        ---
        Ingen sporing.
        -- content/sider/uu.md --
        ---
        title: Tilgjengelighetserklæring
        ---
        Status.
        -- content/sider/uu.en.md --
        ---
        title: Accessibility statement
        ---
        Status.
        """)
        try catalog.write(Self.svg, to: "content/media/logo.svg")
        try catalog.write(Self.png, to: "content/media/deling.png")
        let result = catalog.check()
        expectNoErrors(result)
        let site = result.catalog.site
        #expect(site.publisher.name == ["nb": "Forvaltningen", "nn": "Forvaltninga", "en": "The governance body"])
        #expect(site.publisher.email == "post@example.org" && site.publisher.phone == "+47 22 00 00 00" && site.publisher.url == "https://example.org/om")
        #expect(site.file(.logo)?.mediaType == "image/svg+xml" && site.file(.logo)?.bytes == Array(Self.svg.utf8))
        #expect(site.file(.socialImage)?.mediaType == "image/png")
        #expect(site.file(.socialImage)?.size.map { [$0.width, $0.height] } == [1200, 630])
        #expect(site.file(.favicon) == nil)
        #expect(site.documents.map(\.kind) == [.about, .privacy, .accessibility])
        let about = try #require(site.document(.about))
        #expect(about.texts["nb"]?.title == "Om nettstedet" && about.texts["nb"]?.description == "Hvem som står bak.")
        #expect(about.texts["nb"]?.markdown == "# Hvem står bak\n")
        #expect(about.texts["nn"]?.title == "Om nettstaden" && about.texts["nn"]?.language == "nn")
        // A language without its file shows the default language's text, marked as such.
        #expect(about.texts["en"]?.title == "Om nettstedet" && about.texts["en"]?.language == "nb")
        #expect(site.document(.accessibility)?.texts["en"]?.title == "Accessibility statement")
    }

    @Test("no publisher: the site is published under its own title, with no pages and no files")
    func defaults() throws {
        let result = try TestCatalog("").check()
        expectNoErrors(result)
        #expect(result.catalog.site.publisher.name == ["nb": "Helsetilbud", "nn": "Helsetilbod", "en": "Health offers"])
        #expect(result.catalog.site.documents.isEmpty && result.catalog.site.files.isEmpty)
    }

    @Test("one name for every language")
    func oneName() throws {
        let result = try Self.catalog("publisher: {name: Helsedirektoratet}").check()
        expectNoErrors(result)
        #expect(result.catalog.site.publisher.name == ["nb": "Helsedirektoratet", "nn": "Helsedirektoratet", "en": "Helsedirektoratet"])
    }

    @Test("a missing file, a path out of the content folder, the wrong kind of file and a page that is not Markdown are errors at their value")
    func badFiles() throws {
        let catalog = try Self.catalog("""
        publisher:
          name: Forvaltningen
          logo: 1️⃣media/finnes-ikke.svg
          email: 2️⃣ikke-en-adresse
        favicon: 3️⃣../utenfor.svg
        social_image: 4️⃣media/logo.svg
        pages:
          about: 5️⃣sider/om.html
          privacy: 6️⃣sider/mangler.md
          accessibility: sider/uu.md
          imprint: x
        """, files: """
        -- content/media/logo.svg --
        not an svg at all
        -- content/sider/uu.md --
        ---
        description: Uten tittel
        ---
        Tekst.
        """)
        let result = catalog.check()
        let keyColumn = catalog.location("5️⃣")
        expectErrors(result, [
            Found("site-file", at: catalog.location("1️⃣")),
            Found("invalid-email", at: catalog.location("2️⃣")),
            Found("site-file", at: catalog.location("3️⃣")),
            Found("site-file", at: catalog.location("4️⃣")),
            Found("site-file", at: catalog.location("5️⃣")),
            Found("site-file", at: catalog.location("6️⃣")),
            Found("unknown-field", at: Loc(path: keyColumn.path, line: keyColumn.line + 3, column: 3)),
            Found("missing-field", at: Loc(path: "content/sider/uu.md", line: 2, column: 1)),
        ])
        let messages = result.diagnostics("site-file").map(\.message.en)
        #expect(messages.contains("Cannot find the file 'media/finnes-ikke.svg' that 'logo' names. Check the path; it is relative to the content folder."))
        #expect(messages.contains { $0.hasPrefix("'favicon' must be a file in the content folder") })
        #expect(messages.contains("'social_image' must be a PNG or JPEG file (.png, .jpg), but 'media/logo.svg' is not."))
        #expect(messages.contains { $0.hasPrefix("'pages.about' must be a Markdown file (.md)") })
        #expect(result.catalog.site.documents.isEmpty && result.catalog.site.files.isEmpty)
    }

    @Test("an SVG or PNG whose bytes are not what its name says is an error")
    func contentChecked() throws {
        let catalog = try Self.catalog("""
        publisher: {name: F, logo: 1️⃣logo.svg}
        social_image: 2️⃣bilde.png
        """, files: """
        -- content/logo.svg --
        <html>not an image</html>
        -- content/bilde.png --
        GIF89a
        """)
        expectErrors(catalog.check(), [Found("site-file", at: catalog.location("1️⃣")), Found("site-file", at: catalog.location("2️⃣"))])
    }

    @Test("a file linked from outside the content folder is refused, as records are")
    func symlinkOutside() throws {
        let catalog = try Self.catalog("publisher: {name: F, logo: logo.svg}")
        try catalog.write(Self.svg, to: "elsewhere/logo.svg")
        try catalog.symlink("content/logo.svg", to: catalog.url("elsewhere/logo.svg").path)
        let result = catalog.check()
        #expect(result.errors.map(\.id) == ["symlink-outside"], "\n\(result.listing)")
        #expect(result.catalog.site.files.isEmpty)
    }
}
