import TilbudDiagnostics
import Yams

/// A YAML node with its position in the file: the load stage's output, typed later.
public struct YNode: Sendable {
    /// The shape of a node.
    public enum Kind: Sendable {
        /// A scalar's text; `plain` is false when it was quoted or a block scalar.
        case scalar(String, plain: Bool)
        /// A sequence of nodes.
        case sequence([YNode])
        /// A mapping with text keys, in file order.
        case mapping([YPair])
    }

    /// What the node holds.
    public let kind: Kind
    /// 1-based line in the file.
    public let line: Int
    /// 1-based column in the file.
    public let column: Int

    /// Creates a node.
    public init(kind: Kind, line: Int, column: Int) {
        self.kind = kind
        self.line = line
        self.column = column
    }

    /// The scalar text, or nil for collections.
    public var scalar: String? {
        if case let .scalar(s, _) = kind { return s }
        return nil
    }

    /// True for an empty plain scalar, `~` or `null`.
    public var isNull: Bool {
        if case let .scalar(s, plain) = kind, plain { return s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL" }
        return false
    }

    /// The pairs of a mapping, or nil.
    public var pairs: [YPair]? {
        if case let .mapping(p) = kind { return p }
        return nil
    }

    /// The items of a sequence, or nil.
    public var items: [YNode]? {
        if case let .sequence(i) = kind { return i }
        return nil
    }

    /// The value for `key` in a mapping.
    public subscript(key: String) -> YNode? {
        pairs?.first { $0.key == key }?.value
    }

    /// A short name of the node's shape, for messages.
    public var shape: String {
        switch kind {
        case .scalar: return "scalar"
        case .sequence: return "list"
        case .mapping: return "mapping"
        }
    }
}

/// One key and value of a mapping.
public struct YPair: Sendable {
    /// The key's text.
    public let key: String
    /// 1-based line of the key.
    public let keyLine: Int
    /// 1-based column of the key.
    public let keyColumn: Int
    /// The value.
    public let value: YNode
}

/// Parses YAML text into `YNode`s with positions, refusing what no record needs.
public struct YAMLReader: Sendable {
    /// Deepest nesting allowed.
    public var maxDepth: Int

    /// Creates a reader with the policy's depth limit.
    public init(maxDepth: Int = 16) {
        self.maxDepth = maxDepth
    }

    /// Parses `text`, found at `path` starting on file line `lineOffset + 1`.
    ///
    /// - Returns: the root node (nil for an empty document) and the diagnostics found.
    public func parse(_ text: String, path: String, lineOffset: Int = 0) -> (YNode?, [Diagnostic]) {
        func loc(_ line: Int, _ column: Int) -> SourceLocation {
            SourceLocation(path: path, line: line + lineOffset, column: column)
        }
        // Lexical guards first: they keep hostile input away from the recursive composer.
        if let (line, column, isAnchor) = Self.findAnchorOrAlias(text) {
            return (nil, [.error("yaml-anchor", at: loc(line, column), Messages.anchor(isAnchor))])
        }
        if let (line, depth) = Self.estimateDepth(text), depth > max(maxDepth * 3, 48) {
            return (nil, [.error("yaml-too-deep", at: loc(line, 1), Messages.tooDeep(maxDepth))])
        }
        let root: Node?
        do {
            let parser = try Parser(yaml: text, resolver: .basic, encoding: .utf8)
            root = try parser.singleRoot()
        } catch let error as YamlError {
            return (nil, [Self.diagnostic(for: error, location: loc)])
        } catch {
            return (nil, [.error("yaml-syntax", at: loc(1, 1), Messages.yamlSyntax(String(describing: error)))])
        }
        guard let root else { return (nil, []) }
        var diagnostics: [Diagnostic] = []
        let node = convert(root, depth: 1, lineOffset: lineOffset, path: path, diagnostics: &diagnostics)
        return (diagnostics.isEmpty ? node : nil, diagnostics)
    }

    private func convert(_ node: Node, depth: Int, lineOffset: Int, path: String, diagnostics: inout [Diagnostic]) -> YNode? {
        let line = (node.mark?.line ?? 1) + lineOffset
        let column = node.mark?.column ?? 1
        if node.anchor != nil {
            diagnostics.append(.error("yaml-anchor", at: SourceLocation(path: path, line: line, column: column), Messages.anchor(true)))
            return nil
        }
        if depth > maxDepth, node.isCollection {
            diagnostics.append(.error("yaml-too-deep", at: SourceLocation(path: path, line: line, column: column), Messages.tooDeep(maxDepth)))
            return nil
        }
        switch node {
        case let .scalar(s):
            return YNode(kind: .scalar(s.string, plain: s.style == .plain), line: line, column: column)
        case let .sequence(seq):
            var items: [YNode] = []
            items.reserveCapacity(seq.count)
            for child in seq {
                guard let c = convert(child, depth: depth + 1, lineOffset: lineOffset, path: path, diagnostics: &diagnostics) else { return nil }
                items.append(c)
            }
            return YNode(kind: .sequence(items), line: line, column: column)
        case let .mapping(map):
            var pairs: [YPair] = []
            pairs.reserveCapacity(map.count)
            for (k, v) in map {
                guard case let .scalar(ks) = k else {
                    let kl = (k.mark?.line ?? line) + lineOffset
                    diagnostics.append(.error("yaml-key-not-text", at: SourceLocation(path: path, line: kl, column: k.mark?.column ?? 1), Messages.keyNotText))
                    return nil
                }
                guard let value = convert(v, depth: depth + 1, lineOffset: lineOffset, path: path, diagnostics: &diagnostics) else { return nil }
                pairs.append(YPair(key: ks.string, keyLine: (k.mark?.line ?? line) + lineOffset, keyColumn: k.mark?.column ?? 1, value: value))
            }
            return YNode(kind: .mapping(pairs), line: line, column: column)
        case .alias:
            diagnostics.append(.error("yaml-anchor", at: SourceLocation(path: path, line: line, column: column), Messages.anchor(false)))
            return nil
        }
    }

    private static func diagnostic(for error: YamlError, location: (Int, Int) -> SourceLocation) -> Diagnostic {
        switch error {
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("yaml-duplicate-key", at: location(context.mark.line, context.mark.column),
                          Messages.duplicateKey(duplicates.joined(separator: ", ")))
        case let .scanner(context, problem, mark, _):
            return .error("yaml-syntax", at: location(mark.line, mark.column), Messages.yamlSyntax(Self.describe(problem, context?.text)))
        case let .parser(context, problem, mark, _):
            return .error("yaml-syntax", at: location(mark.line, mark.column), Messages.yamlSyntax(Self.describe(problem, context?.text)))
        case let .composer(context, problem, mark, _):
            return .error("yaml-syntax", at: location(mark.line, mark.column), Messages.yamlSyntax(Self.describe(problem, context?.text)))
        case let .reader(problem, offset, _, _):
            let _ = offset
            return .error("yaml-syntax", at: location(1, 1), Messages.yamlSyntax(problem))
        default:
            return .error("yaml-syntax", at: location(1, 1), Messages.yamlSyntax(String(describing: error)))
        }
    }

    private static func describe(_ problem: String, _ context: String?) -> String {
        if let context, !context.isEmpty { return "\(problem) (\(context))" }
        return problem
    }

    /// Finds the first YAML anchor (`&a`) or alias (`*a`) token, skipping comments and quoted text.
    static func findAnchorOrAlias(_ text: String) -> (line: Int, column: Int, isAnchor: Bool)? {
        var line = 1
        var blockIndent: Int? = nil  // inside a block scalar started on a line with this indent
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            defer { line += 1 }
            let scalars = Array(rawLine.unicodeScalars)
            var indent = 0
            while indent < scalars.count && scalars[indent] == " " { indent += 1 }
            if let b = blockIndent {
                if indent == scalars.count || indent > b { continue }
                blockIndent = nil
            }
            var i = 0
            var inSingle = false, inDouble = false
            var nodeStart = true  // at a place where a node may begin
            while i < scalars.count {
                let c = scalars[i]
                if inDouble {
                    if c == "\\" { i += 2; continue }
                    if c == "\"" { inDouble = false }
                } else if inSingle {
                    if c == "'" { inSingle = false }
                } else {
                    if c == "#" && (i == 0 || scalars[i - 1] == " " || scalars[i - 1] == "\t") { break }
                    if nodeStart && (c == "&" || c == "*"), i + 1 < scalars.count, !" \t,[]{}".unicodeScalars.contains(scalars[i + 1]) {
                        return (line, i + 1, c == "&")
                    }
                    if nodeStart && c == "\"" { inDouble = true; nodeStart = false; i += 1; continue }
                    if nodeStart && c == "'" { inSingle = true; nodeStart = false; i += 1; continue }
                    if c == " " || c == "\t" {
                        // whitespace keeps nodeStart as it was after an indicator
                    } else if c == "[" || c == "{" || c == "," {
                        nodeStart = true
                    } else if (c == "-" || c == ":" || c == "?") && (i + 1 == scalars.count || scalars[i + 1] == " " || scalars[i + 1] == "\t") {
                        nodeStart = true
                    } else if c == "|" || c == ">" {
                        if nodeStart { blockIndent = indent; break }  // block scalar: what follows is text
                        nodeStart = false
                    } else {
                        nodeStart = false
                    }
                }
                i += 1
            }
        }
        return nil
    }

    /// A cheap upper bound of the nesting depth, and the line where it is reached.
    static func estimateDepth(_ text: String) -> (Int, Int)? {
        var worst: (Int, Int)? = nil
        var indents: [Int] = []
        var flow = 0
        var line = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let scalars = Array(rawLine.unicodeScalars)
            var indent = 0
            while indent < scalars.count && scalars[indent] == " " { indent += 1 }
            if indent == scalars.count || scalars[indent] == "#" { continue }
            if flow == 0 {
                while let last = indents.last, last >= indent { indents.removeLast() }
                indents.append(indent)
            }
            var dashes = 0
            var i = indent
            var inSingle = false, inDouble = false
            var maxFlow = flow
            while i < scalars.count {
                let c = scalars[i]
                if inDouble { if c == "\\" { i += 2; continue }; if c == "\"" { inDouble = false } }
                else if inSingle { if c == "'" { inSingle = false } }
                else if c == "\"" { inDouble = true }
                else if c == "'" { inSingle = true }
                else if c == "#" && i > 0 && scalars[i - 1] == " " { break }
                else if c == "[" || c == "{" { flow += 1; maxFlow = max(maxFlow, flow) }
                else if c == "]" || c == "}" { flow = max(0, flow - 1) }
                else if c == "-" && i + 1 < scalars.count && scalars[i + 1] == " " && flow == 0 && (i == indent || scalars[i - 1] == " ") { dashes += 1 }
                i += 1
            }
            let depth = indents.count + dashes + maxFlow
            if depth > (worst?.1 ?? 0) { worst = (line, depth) }
        }
        return worst
    }
}

private extension Node {
    var isCollection: Bool {
        switch self {
        case .mapping, .sequence: return true
        default: return false
        }
    }
}
