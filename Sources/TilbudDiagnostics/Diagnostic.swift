/// How serious a diagnostic is: errors reject a record, warnings do not.
public enum Severity: String, Sendable, Hashable, Comparable {
    case error
    case warning

    /// Errors sort before warnings.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        lhs == .error && rhs == .warning
    }
}

/// A 1-based position in a file; `path` is as the user should see it.
public struct SourceLocation: Sendable, Hashable, Comparable {
    /// The file, relative to the working directory where possible.
    public var path: String
    /// 1-based line.
    public var line: Int
    /// 1-based column, counted in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = max(1, line)
        self.column = max(1, column)
    }

    /// Orders by path, then line, then column.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.path, lhs.line, lhs.column) < (rhs.path, rhs.line, rhs.column)
    }
}

/// The language diagnostics are written in.
public enum MessageLanguage: String, Sendable, CaseIterable {
    case nb
    case en
}

/// A message in both languages the tool speaks to editors in.
public struct Message: Sendable, Hashable {
    /// Norwegian bokmål text.
    public let nb: String
    /// English text.
    public let en: String

    /// Creates a message from its two translations.
    public init(nb: String, en: String) {
        self.nb = nb
        self.en = en
    }

    /// The text in `language`.
    public func text(_ language: MessageLanguage) -> String {
        language == .nb ? nb : en
    }
}

/// One finding about the input: a value, never printed where it is made.
public struct Diagnostic: Sendable, Hashable {
    /// A stable identifier (`unknown-field`), independent of the wording.
    public let id: DiagnosticID
    /// Error or warning.
    public let severity: Severity
    /// Where it is; nil only for problems with no file (an unreadable root).
    public let location: SourceLocation?
    /// What is wrong, in plain words.
    public let message: Message
    /// What to do about it, where there is something to say.
    public let hint: Message?

    /// Creates a diagnostic.
    public init(id: DiagnosticID, severity: Severity, location: SourceLocation?, message: Message, hint: Message? = nil) {
        self.id = id
        self.severity = severity
        self.location = location
        self.message = message
        self.hint = hint
    }

    /// An error at `location`.
    public static func error(_ id: DiagnosticID, at location: SourceLocation?, _ message: Message, hint: Message? = nil) -> Diagnostic {
        Diagnostic(id: id, severity: .error, location: location, message: message, hint: hint)
    }

    /// A warning at `location`.
    public static func warning(_ id: DiagnosticID, at location: SourceLocation?, _ message: Message, hint: Message? = nil) -> Diagnostic {
        Diagnostic(id: id, severity: .warning, location: location, message: message, hint: hint)
    }
}

extension Array where Element == Diagnostic {
    /// True when any diagnostic is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Sorted by file, line, column, then severity and id: the order every output uses.
    public func sortedForOutput() -> [Diagnostic] {
        sorted { a, b in
            switch (a.location, b.location) {
            case (nil, nil): break
            case (nil, _): return true
            case (_, nil): return false
            case let (la?, lb?): if la != lb { return la < lb }
            }
            if a.severity != b.severity { return a.severity < b.severity }
            if a.id != b.id { return a.id.rawValue < b.id.rawValue }
            return a.message.en < b.message.en
        }
    }
}

/// A diagnostic can be carried through `Result` and `throw`.
extension Diagnostic: Error {}
