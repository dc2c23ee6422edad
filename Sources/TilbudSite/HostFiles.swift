import TilbudModel

/// The files static hosts read beside the site (Netlify and Cloudflare Pages): `_headers` gives the API its CORS and
/// media types and the content-hashed files a long cache life; `_redirects` sends a missing page in nynorsk or English
/// to that language's 404 page. Paths come from `SitePaths` and the site's base path, so a site under a sub-path
/// gets rules for that path. `docs/hosting.md` has the same rules for nginx, tested against a real nginx.
enum HostFiles {
    static func headers(_ paths: SitePaths) -> String {
        let base = paths.url("", paths.languages.first ?? "nb")
        var out = """
        # Written by tilbud build for Netlify and Cloudflare Pages (see docs/hosting.md for nginx and Apache).
        \(base)*
          X-Content-Type-Options: nosniff
          Referrer-Policy: strict-origin-when-cross-origin
        \(base)\(SitePaths.api)*
          Access-Control-Allow-Origin: *
          Access-Control-Allow-Methods: GET, HEAD, OPTIONS
          Access-Control-Allow-Headers: Accept, If-None-Match, If-Modified-Since
          Cache-Control: public, max-age=300
        \(base)\(SitePaths.fhir)*
          Access-Control-Allow-Origin: *
        \(base)assets/*
          Cache-Control: public, max-age=31536000, immutable

        """
        // The FHIR Bulk Data files: the manifest is JSON, each type's file NDJSON of FHIR resources.
        out += "\(base)\(SitePaths.fhir)\(SitePaths.fhirManifest)\n  Content-Type: application/json; charset=utf-8\n"
        for type in SitePaths.fhirTypes {
            out += "\(base)\(SitePaths.fhir)\(SitePaths.fhirFile(type))\n  Content-Type: application/fhir+ndjson; charset=utf-8\n"
        }
        for lang in paths.languages {
            let index = paths.url(SitePaths.searchIndex, lang)
            out += "\(index)manifest.json\n  Cache-Control: no-cache\n"
            out += "\(index):hash/*\n  Cache-Control: public, max-age=31536000, immutable\n"
        }
        return out
    }

    static func redirects(_ paths: SitePaths) -> String {
        var out = "# Written by tilbud build: a missing page answers with its language's 404 page (the default's is 404.html).\n"
        for lang in paths.languages.dropFirst() {
            out += "\(paths.url("", lang))*  \(paths.url(SitePaths.notFound, lang))  404\n"
        }
        return out
    }
}
