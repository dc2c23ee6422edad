import Foundation
import TilbudJSON

/// The output formats of `tilbud check`.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// `path:line:col: error: message` with a source excerpt, for people.
    case text
    /// A documented, stable JSON document, for programs.
    case json
    /// GitHub Actions workflow commands, so a pull request shows each error on its line.
    case github
}

/// Renders diagnostics in one of the output formats.
public struct DiagnosticFormatter: Sendable {
    /// The language of messages and the summary.
    public var language: MessageLanguage
    /// Whether to colour the text format (only on a terminal).
    public var colour: Bool
    /// Lines of context shown on each side of the offending line.
    public var contextLines: Int

    /// Creates a formatter.
    public init(language: MessageLanguage = .nb, colour: Bool = false, contextLines: Int = 1) {
        self.language = language
        self.colour = colour
        self.contextLines = contextLines
    }

    /// Formats `diagnostics` (already sorted) in `format`; `source` gives a file's text for excerpts.
    public func format(_ diagnostics: [Diagnostic], as format: DiagnosticFormat, filesChecked: Int,
                       source: (String) -> String?) -> String {
        switch format {
        case .text: return text(diagnostics, filesChecked: filesChecked, source: source)
        case .json: return json(diagnostics, filesChecked: filesChecked)
        case .github: return github(diagnostics, filesChecked: filesChecked)
        }
    }

    // MARK: text

    private func paint(_ s: String, _ code: String) -> String {
        colour ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    private func severityWord(_ severity: Severity) -> String {
        switch (severity, language) {
        case (.error, .nb): return "feil"
        case (.warning, .nb): return "advarsel"
        case (.error, .en): return "error"
        case (.warning, .en): return "warning"
        }
    }

    /// One diagnostic as text, with an excerpt and a caret under the column.
    public func text(_ d: Diagnostic, source: (String) -> String?) -> String {
        text(d) { path in source(path).map { $0.split(separator: "\n", omittingEmptySubsequences: false) } }
    }

    /// Each of `diagnostics` as text, every file read and split into lines once however many diagnostics it has.
    public func texts(_ diagnostics: [Diagnostic], source: (String) -> String?) -> [String] {
        var files: [String: [Substring]?] = [:]
        return diagnostics.map { d in
            text(d) { path in
                if let known = files[path] { return known }
                let lines = source(path).map { $0.split(separator: "\n", omittingEmptySubsequences: false) }
                files[path] = lines
                return lines
            }
        }
    }

    private func text(_ d: Diagnostic, lines: (String) -> [Substring]?) -> String {
        var out = ""
        let sev = paint(severityWord(d.severity) + ":", d.severity == .error ? "1;31" : "1;33")
        if let loc = d.location {
            out += paint("\(Self.visible(loc.path)):\(loc.line):\(loc.column):", "1") + " \(sev) \(Self.visible(Self.clipped(d.message.text(language))))\n"
            if let lines = lines(loc.path) {
                out += excerpt(lines, line: loc.line, column: loc.column)
            }
        } else {
            out += "\(sev) \(Self.visible(Self.clipped(d.message.text(language))))\n"
        }
        if let hint = d.hint {
            out += "  " + paint(language == .nb ? "tips:" : "hint:", "1;36") + " \(Self.visible(Self.clipped(hint.text(language))))\n"
        }
        return out
    }

    /// The most characters of a source line an excerpt shows.
    static let excerptWidth = 160
    /// The most characters of a message shown (a message may quote a value, and values can be long).
    static let messageWidth = 1_000

    /// `s`, cut to `messageWidth` characters with an ellipsis.
    static func clipped(_ s: String) -> String {
        s.unicodeScalars.count <= messageWidth ? s : String(String.UnicodeScalarView(s.unicodeScalars.prefix(messageWidth))) + "…"
    }

    /// The text of the file shown at `path` (relative to the working directory), line ends made `\n`: the
    /// `source` the text format reads excerpts from.
    public static func readSource(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
    }

    private func excerpt(_ lines: [Substring], line: Int, column: Int) -> String {
        guard line >= 1, line <= lines.count else { return "" }
        let first = max(1, line - contextLines)
        let last = min(lines.count, line + contextLines)
        let width = String(last).count
        var out = ""
        for n in first...last {
            var scalars = Substring(lines[n - 1]).unicodeScalars[...]
            if scalars.last == "\r" { scalars.removeLast() }
            // A long line is shown as a window around the column (a 1 MB line of emoji must not flood the terminal).
            let start = scalars.count <= Self.excerptWidth ? 0 : max(0, min(column - 1 - Self.excerptWidth / 2, scalars.count - Self.excerptWidth))
            let shown = scalars.dropFirst(start).prefix(Self.excerptWidth)
            let content = (start > 0 ? "…" : "") + String(String.UnicodeScalarView(shown)) + (start + shown.count < scalars.count ? "…" : "")
            let number = String(repeating: " ", count: width - String(n).count) + String(n)
            out += "  \(number) │ \(Self.visible(content))\n"
            if n == line {
                // Columns count Unicode scalars; tabs are kept so the caret lines up.
                let prefix = content.unicodeScalars.prefix(max(0, column - 1 - start + (start > 0 ? 1 : 0)))
                let pad = String(String.UnicodeScalarView(prefix.map { $0 == "\t" ? "\t" : " " }))
                out += "  \(String(repeating: " ", count: width)) │ \(pad)" + paint("^", "1;32") + "\n"
            }
        }
        return out
    }

    /// The closing line: "3 feil og 1 advarsel i 2 filer".
    public func summary(_ diagnostics: [Diagnostic], filesChecked: Int) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        let warnings = diagnostics.count - errors
        let files = Set(diagnostics.compactMap { $0.location?.path }).count
        switch language {
        case .nb:
            if errors == 0 && warnings == 0 {
                return "Ingen feil eller advarsler i \(filesChecked) \(filesChecked == 1 ? "fil" : "filer")."
            }
            return "\(errors) feil og \(warnings) \(warnings == 1 ? "advarsel" : "advarsler") i \(files) \(files == 1 ? "fil" : "filer") (\(filesChecked) kontrollert)."
        case .en:
            if errors == 0 && warnings == 0 {
                return "No errors or warnings in \(filesChecked) \(filesChecked == 1 ? "file" : "files")."
            }
            return "\(errors) \(errors == 1 ? "error" : "errors") and \(warnings) \(warnings == 1 ? "warning" : "warnings") in \(files) \(files == 1 ? "file" : "files") (\(filesChecked) checked)."
        }
    }

    private func text(_ diagnostics: [Diagnostic], filesChecked: Int, source: (String) -> String?) -> String {
        var out = ""
        for t in texts(diagnostics, source: source) { out += t + "\n" }
        return out + summary(diagnostics, filesChecked: filesChecked) + "\n"
    }

    // MARK: json

    private func json(_ diagnostics: [Diagnostic], filesChecked: Int) -> String {
        let errors = diagnostics.filter { $0.severity == .error }.count
        var out = "{\n  \"version\": 1,\n  \"language\": \(JSON.quote(language.rawValue)),\n"
        out += "  \"summary\": {\"errors\": \(errors), \"warnings\": \(diagnostics.count - errors), "
        out += "\"files_with_problems\": \(Set(diagnostics.compactMap { $0.location?.path }).count), \"files_checked\": \(filesChecked)},\n"
        out += "  \"diagnostics\": ["
        for (i, d) in diagnostics.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            var fields: [String] = []
            fields.append("\"code\": \(JSON.quote(d.id.rawValue))")
            fields.append("\"severity\": \(JSON.quote(d.severity.rawValue))")
            if let loc = d.location {
                fields.append("\"file\": \(JSON.quote(loc.path))")
                fields.append("\"line\": \(loc.line)")
                fields.append("\"column\": \(loc.column)")
            } else {
                fields.append("\"file\": null, \"line\": null, \"column\": null")
            }
            fields.append("\"message\": \(JSON.quote(Self.clipped(d.message.text(language))))")
            fields.append("\"hint\": \(d.hint.map { JSON.quote(Self.clipped($0.text(language))) } ?? "null")")
            out += "    {" + fields.joined(separator: ", ") + "}"
        }
        out += diagnostics.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    // MARK: github

    private static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25")
            .replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    private static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }

    private func github(_ diagnostics: [Diagnostic], filesChecked: Int) -> String {
        var out = ""
        for d in diagnostics {
            var props: [String] = []
            if let loc = d.location {
                props.append("file=\(Self.escapeProperty(Self.visible(loc.path)))")
                props.append("line=\(loc.line)")
                props.append("col=\(loc.column)")
            }
            props.append("title=\(Self.escapeProperty("tilbud " + d.id.rawValue))")
            var message = Self.visible(Self.clipped(d.message.text(language)))
            if let hint = d.hint { message += "\n" + Self.visible(Self.clipped(hint.text(language))) }
            out += "::\(d.severity == .error ? "error" : "warning") \(props.joined(separator: ","))::\(Self.escapeData(message))\n"
        }
        return out + summary(diagnostics, filesChecked: filesChecked) + "\n"
    }
}

/// The characters no record may hold and nothing prints raw: one definition for the loader and the formatters.
public enum ControlCharacters {
    /// True for a control character other than tab, line feed and carriage return (C0, DEL, C1), a Unicode line or
    /// paragraph separator (it shifts every later line number) and a bidirectional override or isolate (it makes text
    /// read differently from what it is).
    @inlinable public static func isForbidden(_ v: UInt32) -> Bool {
        (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || (v >= 0x7F && v <= 0x9F) || v == 0x2028 || v == 0x2029
            || (v >= 0x202A && v <= 0x202E) || (v >= 0x2066 && v <= 0x2069)
    }
}

extension DiagnosticFormatter {
    /// `s` safe to print on a terminal: control characters other than tab and line feed (ESC, CR, BEL, DEL, C1),
    /// Unicode line and paragraph separators and bidirectional controls are shown as `\u{1B}` and so on, so text from
    /// a record can neither clear the screen nor print a fake result. Columns of what is shown may then shift; the
    /// reported column is that of the file.
    public static func visible(_ s: String) -> String {
        // CR too: on a terminal it sends the rest of the line over its start.
        func risky(_ v: UInt32) -> Bool { v == 0x0D || ControlCharacters.isForbidden(v) }
        // Most text has none: no byte below 0x20 but tab and line feed, no DEL, no C2 (C1) or E2 (U+2000–U+2FFF) lead.
        if !s.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09 && $0 != 0x0A) || $0 == 0x7F || $0 == 0xC2 || $0 == 0xE2 }) { return s }
        var out = ""
        for u in s.unicodeScalars {
            if risky(u.value) { out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}" } else { out.unicodeScalars.append(u) }
        }
        return out
    }
}
