import ArgumentParser
import TilbudDiagnostics
import TilbudModel

// The values of the command line's options as types: ArgumentParser parses them, and a bad value is a usage error
// (exit 2) that names the option and, where there is a short list, the values it takes.

/// `--format` of `check`: text, json or github.
extension DiagnosticFormat: ExpressibleByArgument {}

/// `--lang`: nb or en.
extension MessageLanguage: ExpressibleByArgument {}

/// `--today`: a day written `YYYY-MM-DD`.
extension Day: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(iso: argument)
    }

    public var defaultValueDescription: String { iso }
}

/// `--format` of `report review`: text or csv.
enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case text
    case csv
}

/// `--port` of `serve`: 0–65535, 0 for any free port.
struct Port: ExpressibleByArgument, Sendable {
    let value: UInt16

    init(_ value: UInt16) { self.value = value }

    init?(argument: String) {
        guard let value = UInt16(argument) else { return nil }
        self.value = value
    }

    var defaultValueDescription: String { String(value) }
}

/// `--base-url` of `build`: an absolute address, `https://…` (or `http://…`).
struct AbsoluteURL: ExpressibleByArgument, Sendable {
    let text: String

    init?(argument: String) {
        guard argument.hasPrefix("https://") || argument.hasPrefix("http://") else { return nil }
        text = argument
    }
}

/// `--offers` of `dev corpus`: a whole number above 0.
struct PositiveCount: ExpressibleByArgument, Sendable {
    let value: Int

    init(_ value: Int) { self.value = value }

    init?(argument: String) {
        guard let value = Int(argument), value > 0 else { return nil }
        self.value = value
    }

    var defaultValueDescription: String { String(value) }
}
