import TilbudContent
import TilbudDiagnostics
import TilbudModel

/// `site.yaml`: the title, tagline, address and languages, and who stands behind the site (the publisher, its
/// contact, its logo), the about, privacy and accessibility pages (Markdown files in the content folder) and the
/// favicon and sharing image. Every file named is read here, so a wrong path is an error at its line in `site.yaml`.
enum SiteDecoder {
    /// The keys `site.yaml` may have.
    static let keys = ["title", "tagline", "base_url", "languages", "publisher", "favicon", "social_image", "pages"]
    /// The keys of `publisher`.
    static let publisherKeys = ["name", "url", "email", "phone", "logo"]
    /// The largest image the site publishes as it is.
    static let maxImageBytes = 2 * 1_048_576

    static func decode(_ root: YNode, _ r: inout FieldReader, loader: ContentLoader) -> SiteConfig {
        var s = SiteConfig()
        guard let f = r.fields(root, allowed: keys, name: "site") else { return s }
        if let t = localized(f["title"], "title", &r) { s.title = t }
        if let t = localized(f["tagline"], "tagline", &r) { s.tagline = t }
        if let u = r.url(f["base_url"], "base_url") { s.baseURL = u.hasSuffix("/") ? u : u + "/" }
        if let l = r.textList(f["languages"], "languages"), !l.isEmpty { s.languages = l.map(\.0) }
        if let pair = f["publisher"], !pair.value.isNull, let p = r.fields(pair.value, allowed: publisherKeys, name: "publisher") {
            if let name = p["name"], name.value.scalar != nil {
                // One name for every language, or one per language.
                if let t = r.text(name, "name") { s.publisher.name = Dictionary(uniqueKeysWithValues: s.languages.map { ($0, t) }) }
            } else if let t = localized(p["name"], "name", &r) {
                s.publisher.name = t
            }
            s.publisher.url = r.url(p["url"], "url")
            s.publisher.email = r.email(p["email"], "email")
            s.publisher.phone = r.phone(p["phone"], "phone")
            if let logo = file(p["logo"], "logo", .logo, &r, loader) { s.files.append(logo) }
        }
        // A language the publisher's name is not given in shows the default language's; a site that names no
        // publisher is published under its own title.
        let named = s.publisher.name, base = s.languages.first ?? "nb"
        for lang in s.languages where (named[lang] ?? "").isEmpty {
            s.publisher.name[lang] = named[base] ?? s.title[lang] ?? s.title[base] ?? ""
        }
        if let icon = file(f["favicon"], "favicon", .favicon, &r, loader) { s.files.append(icon) }
        if let image = file(f["social_image"], "social_image", .socialImage, &r, loader) { s.files.append(image) }
        if let pair = f["pages"], !pair.value.isNull,
           let pages = r.fields(pair.value, allowed: SiteDocument.Kind.allCases.map(\.rawValue), name: "pages") {
            for kind in SiteDocument.Kind.allCases {
                if let d = document(pages[kind.rawValue], kind, languages: s.languages, &r, loader) { s.documents.append(d) }
            }
        }
        return s
    }

    /// A text per language (`{nb: …, nn: …, en: …}`).
    static func localized(_ pair: YPair?, _ name: String, _ r: inout FieldReader) -> [String: String]? {
        guard let pair, let lf = r.fields(pair.value, allowed: ["nb", "nn", "en"], name: name) else { return nil }
        var out: [String: String] = [:]
        for pair in lf.pairs { if let t = r.text(pair, pair.key) { out[pair.key] = t } }
        return out
    }

    /// The path `pair` names, when it is a plain path inside the content folder (no `..`, not absolute).
    static func path(_ pair: YPair?, _ name: String, _ r: inout FieldReader) -> String? {
        guard let pair, let value = r.text(pair, name) else { return nil }
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        if value.hasPrefix("/") || value.contains("\\") || value.contains("://") || parts.contains(where: { $0 == ".." || $0 == "." || $0.isEmpty }) {
            r.error(.siteFile, pair.value, Messages.siteFileOutside(name, value))
            return nil
        }
        return value
    }

    /// The image file `pair` names, read and checked for its kind.
    static func file(_ pair: YPair?, _ name: String, _ role: SiteFile.Role, _ r: inout FieldReader, _ loader: ContentLoader) -> SiteFile? {
        guard let pair, let value = path(pair, name, &r) else { return nil }
        let lower = value.lowercased()
        let svg = lower.hasSuffix(".svg")
        let type: String? = role == .socialImage
            ? (lower.hasSuffix(".png") ? "image/png" : lower.hasSuffix(".jpg") || lower.hasSuffix(".jpeg") ? "image/jpeg" : nil)
            : (svg ? "image/svg+xml" : nil)
        let (kindsNb, kindsEn) = role == .socialImage ? ("en PNG- eller JPEG-fil (.png, .jpg)", "a PNG or JPEG file (.png, .jpg)")
                                                      : ("en SVG-fil (.svg)", "an SVG file (.svg)")
        guard let type else {
            r.error(.siteFile, pair.value, Messages.siteFileKind(name, value, nb: kindsNb, en: kindsEn))
            return nil
        }
        switch loader.loadBytes(value, maxBytes: maxImageBytes) {
        case nil:
            r.error(.siteFile, pair.value, Messages.siteFileMissing(name, value))
            return nil
        case let .failure(d)?:
            r.diagnostics.append(d)
            return nil
        case let .success(bytes)?:
            let size = ImageSize.of(bytes, type)
            // What the name promises, the bytes must be: a PNG's signature, a JPEG's marker, an SVG's root element.
            let fits = type == "image/svg+xml" ? ImageSize.isSVG(bytes) : size != nil
            guard fits else {
                r.error(.siteFile, pair.value, Messages.siteFileKind(name, value, nb: kindsNb, en: kindsEn))
                return nil
            }
            return SiteFile(role: role, source: value, bytes: bytes, mediaType: type, size: size)
        }
    }

    /// The page `pair` names: its Markdown file, and `<stem>.<lang>.md` beside it for each other language.
    static func document(_ pair: YPair?, _ kind: SiteDocument.Kind, languages: [String], _ r: inout FieldReader,
                         _ loader: ContentLoader) -> SiteDocument? {
        let name = "pages." + kind.rawValue
        guard let pair, let value = path(pair, name, &r) else { return nil }
        guard value.hasSuffix(".md") else {
            r.error(.siteFile, pair.value, Messages.siteDocumentName(name, value))
            return nil
        }
        let stem = String(value.dropLast(3))
        let base = languages.first ?? "nb"
        var texts: [String: SiteDocument.Text] = [:]
        for lang in languages {
            let file = lang == base ? value : "\(stem).\(lang).md"
            guard let (loaded, diagnostics) = loader.loadDocument(file) else {
                if lang == base { r.error(.siteFile, pair.value, Messages.siteFileMissing(name, value)) }
                continue
            }
            r.diagnostics += diagnostics
            guard let front = loaded.frontMatter else { continue }
            var fr = FieldReader(path: loaded.path, plainText: true)
            if let fields = fr.fields(front, allowed: ["title", "description"], name: "front matter") {
                fr.require(["title"], in: fields, at: front, what: name)
                if let title = fr.text(fields["title"], "title") {
                    texts[lang] = SiteDocument.Text(title: title, description: fr.text(fields["description"], "description"),
                                                    markdown: loaded.body, language: lang)
                }
            }
            r.diagnostics += fr.diagnostics
        }
        // A language without a translation shows the default language's text (marked with its language).
        guard let fallback = texts[base] else { return nil }
        for lang in languages where texts[lang] == nil { texts[lang] = fallback }
        return SiteDocument(kind: kind, texts: texts)
    }
}

/// The pixel size of a PNG or JPEG from its header, and whether bytes are an SVG document.
enum ImageSize {
    static func of(_ b: [UInt8], _ type: String) -> (width: Int, height: Int)? {
        func be(_ i: Int, _ n: Int) -> Int { (i..<(i + n)).reduce(0) { $0 << 8 | Int(b[$1]) } }
        if type == "image/png" {
            guard b.count >= 24, b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
            return (be(16, 4), be(20, 4))
        }
        if type == "image/jpeg" {
            guard b.count > 4, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
            // Walk the segments to the first start-of-frame marker (C0–CF but C4, C8 and CC).
            var i = 2
            while i + 9 < b.count, b[i] == 0xFF {
                let marker = b[i + 1]
                if (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker) { return (be(i + 7, 2), be(i + 5, 2)) }
                i += 2 + be(i + 2, 2)
            }
            return nil
        }
        return nil
    }

    /// True when the text has an `<svg` root element.
    static func isSVG(_ b: [UInt8]) -> Bool {
        String(decoding: b.prefix(4096), as: UTF8.self).contains("<svg")
    }
}
