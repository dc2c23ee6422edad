import Foundation
import TilbudTestSupport

/// A start tag as a browser's tokenizer would see it: name and attributes (values entity-decoded).
struct Tag {
    let name: String
    let attributes: [(name: String, value: String)]
    /// Character offset of the `<` in the page.
    let offset: Int

    func attribute(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
}

/// A small HTML tokenizer, enough to find every live tag and attribute in generated pages.
///
/// It follows the HTML tokenizer where it matters for safety: a tag starts at `<` followed by an ASCII
/// letter; attribute values may be double-, single- or unquoted; comments and doctype are skipped; the
/// text of `script` and `style` runs to its end tag. Anything escaped (`&lt;script&gt;`) is text.
enum HTMLScan {
    /// Start tags in document order, and the raw text inside each `script` element (same order as its tag).
    static func tags(_ html: String) -> (tags: [Tag], scriptBodies: [String], styleBodies: [String]) {
        let s = Array(html.unicodeScalars)
        var tags: [Tag] = []
        var scripts: [String] = []
        var styles: [String] = []
        var i = 0
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        func isSpace(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\n" || c == "\t" || c == "\r" || c == "\u{0C}" }
        func starts(_ prefix: String, at j: Int) -> Bool {
            let p = Array(prefix.unicodeScalars)
            guard j + p.count <= s.count else { return false }
            for k in 0..<p.count where String(s[j + k]).lowercased() != String(p[k]) { return false }
            return true
        }
        func find(_ needle: String, from j: Int) -> Int {
            var k = j
            while k < s.count { if starts(needle, at: k) { return k }; k += 1 }
            return s.count
        }
        while i < s.count {
            guard s[i] == "<" else { i += 1; continue }
            if starts("<!--", at: i) { i = find("-->", from: i + 4) + 3; continue }
            if i + 1 < s.count, s[i + 1] == "!" || s[i + 1] == "?" { i = find(">", from: i) + 1; continue }
            if i + 1 < s.count, s[i + 1] == "/" { i = find(">", from: i) + 1; continue }
            guard i + 1 < s.count, isLetter(s[i + 1]) else { i += 1; continue }
            let start = i
            var j = i + 1
            var name = ""
            while j < s.count, !isSpace(s[j]), s[j] != ">", s[j] != "/" { name.unicodeScalars.append(s[j]); j += 1 }
            var attributes: [(String, String)] = []
            while j < s.count, s[j] != ">" {
                if isSpace(s[j]) || s[j] == "/" { j += 1; continue }
                var attr = ""
                while j < s.count, !isSpace(s[j]), s[j] != ">", s[j] != "=", !(s[j] == "/" && !attr.isEmpty) {
                    attr.unicodeScalars.append(s[j]); j += 1
                }
                while j < s.count, isSpace(s[j]) { j += 1 }
                var value = ""
                if j < s.count, s[j] == "=" {
                    j += 1
                    while j < s.count, isSpace(s[j]) { j += 1 }
                    if j < s.count, s[j] == "\"" || s[j] == "'" {
                        let quote = s[j]
                        j += 1
                        while j < s.count, s[j] != quote { value.unicodeScalars.append(s[j]); j += 1 }
                        j += 1
                    } else {
                        while j < s.count, !isSpace(s[j]), s[j] != ">" { value.unicodeScalars.append(s[j]); j += 1 }
                    }
                }
                if !attr.isEmpty { attributes.append((attr.lowercased(), decodeEntities(value))) }
            }
            let lower = name.lowercased()
            tags.append(Tag(name: lower, attributes: attributes, offset: start))
            i = j + 1
            if lower == "script" || lower == "style" {
                let end = find("</" + lower, from: i)
                var body = String.UnicodeScalarView()
                body.append(contentsOf: s[min(i, s.count)..<end])
                if lower == "script" { scripts.append(String(body)) } else { styles.append(String(body)) }
                i = end
            }
        }
        return (tags, scripts, styles)
    }

    /// Decodes numeric and the common named character references, as a browser does in attribute values.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            rest = rest[amp...]
            let body = rest.dropFirst()
            let end = body.firstIndex(where: { !($0.isLetter || $0.isNumber || $0 == "#") }) ?? body.endIndex
            let entity = body[..<end]
            var replacement: String?
            if entity.hasPrefix("#x") || entity.hasPrefix("#X"), let n = UInt32(entity.dropFirst(2), radix: 16) {
                replacement = Unicode.Scalar(n).map { String($0) }
            } else if entity.hasPrefix("#"), let n = UInt32(entity.dropFirst()) {
                replacement = Unicode.Scalar(n).map { String($0) }
            } else {
                replacement = ["amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "Tab": "\t",
                               "NewLine": "\n"][String(entity)]
            }
            if let replacement {
                out += replacement
                rest = body[end...]
                if rest.first == ";" { rest = rest.dropFirst() }
            } else {
                out += "&"
                rest = body
            }
        }
        return out + rest
    }

    /// The scheme a browser would take from `url` (see `BrowserURL`).
    static func scheme(_ url: String) -> String? { BrowserURL.scheme(url) }

    /// Problems that would make a page run script or load foreign active content.
    static func liveProblems(in html: String) -> [String] {
        var problems: [String] = []
        let (tags, scripts, styles) = tags(html)
        // Elements the templates never use; `template` (inert) and `style` (checked below) they may.
        let forbidden: Set<String> = ["iframe", "frame", "frameset", "object", "embed", "math", "img", "image", "video",
                                      "audio", "source", "base", "applet", "xml", "link-import", "portal", "fencedframe",
                                      "foreignobject", "use", "animate", "set", "feimage"]
        // SVG only as the handout's QR code draws it: a labelled image of one rectangle and one path, nothing else.
        let svgAttributes: [String: Set<String>] = [
            "svg": ["xmlns", "viewbox", "role", "aria-label", "shape-rendering"], "rect": ["width", "height", "fill"], "path": ["d", "stroke", "fill"],
        ]
        for css in styles {
            for needle in ["javascript:", "expression(", "@import", "</"] where css.lowercased().contains(needle) {
                problems.append("\(needle) inside a <style> element")
            }
        }
        var scriptIndex = 0
        for tag in tags {
            if forbidden.contains(tag.name) { problems.append("<\(tag.name)> element") }
            if let allowed = svgAttributes[tag.name], let other = tag.attributes.first(where: { !allowed.contains($0.name) }) {
                problems.append("<\(tag.name)> with \(other.name)=\"\(other.value)\"")
            }
            if tag.name == "svg", tag.attribute("role") != "img" { problems.append("<svg> that is not a labelled image") }

            for (name, value) in tag.attributes {
                if name.hasPrefix("on") { problems.append("event handler \(name)=\"\(value)\" on <\(tag.name)>") }
                if name == "style" { problems.append("style attribute on <\(tag.name)>") }
                if ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"].contains(name) {
                    if let scheme = scheme(value), !["https", "mailto", "tel"].contains(scheme) {
                        problems.append("\(name)=\"\(value)\" on <\(tag.name)> uses \(scheme):")
                    }
                }
                if tag.name == "meta", name == "http-equiv", value.lowercased() == "refresh" { problems.append("meta refresh") }
            }
            if tag.name == "script" {
                let body = scriptIndex < scripts.count ? scripts[scriptIndex] : ""
                scriptIndex += 1
                if tag.attribute("type") == "application/ld+json" {
                    // Data, not code; but nothing in it may close the element early.
                    if body.contains("<") { problems.append("'<' inside a JSON-LD block") }
                } else if let src = tag.attribute("src"), src.hasPrefix("/assets/"), body.allSatisfy(\.isWhitespace) {
                    // The site's own hashed script.
                } else {
                    problems.append("<script> element: \(tag.attributes.map { "\($0.name)=\($0.value)" }) \(body.prefix(60))")
                }
            }
        }
        return problems
    }
}

extension String {
    /// The `href` of every `<a>` and `<link>` in the page, entity-decoded.
    var hrefs: [String] {
        HTMLScan.tags(self).tags.filter { $0.name == "a" || $0.name == "link" }.compactMap { $0.attribute("href") }
    }
}
