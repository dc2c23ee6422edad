import TilbudDiagnostics

/// Tests name diagnostics by their code, as editors see it: `$0.id == "too-long"`, `["unreadable-file"]`. A code that
/// is not a `DiagnosticID` stops the test at once rather than silently matching nothing.
extension DiagnosticID: @retroactive ExpressibleByStringLiteral {
    public init(stringLiteral code: String) {
        guard let id = DiagnosticID(rawValue: code) else { preconditionFailure("no diagnostic has the code '\(code)'") }
        self = id
    }
}
