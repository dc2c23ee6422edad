import TilbudDiagnostics
import CLibYAML

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

    /// True for a plain (unquoted) scalar: its text stands in the file as written, so a column within it is a
    /// column of the file (on its first line).
    public var isPlain: Bool {
        if case .scalar(_, true) = kind { return true }
        return false
    }

    /// True for an empty plain scalar, `~` or `null`.
    public var isNull: Bool {
        guard case let .scalar(s, plain) = kind, plain else { return false }
        // By length first: this is asked of nearly every value, and few are this short.
        switch s.utf8.count {
        case 0: return true
        case 1: return s == "~"
        case 4: return s == "null" || s == "Null" || s == "NULL"
        default: return false
        }
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

    /// A pair; `keyLine` and `keyColumn` say where the key is written.
    public init(key: String, keyLine: Int, keyColumn: Int, value: YNode) {
        self.key = key
        self.keyLine = keyLine
        self.keyColumn = keyColumn
        self.value = value
    }
}

/// Parses YAML text into `YNode`s with positions, refusing what no record needs.
///
/// Works directly on libyaml's event stream (the C library Yams wraps): anchors, aliases,
/// duplicate keys and the depth limit are caught at the event where they occur, with an
/// explicit stack instead of recursion, so no input can exhaust memory or the stack.
public struct YAMLReader: Sendable {
    /// Deepest nesting allowed.
    public var maxDepth: Int

    /// Creates a reader with the policy's depth limit.
    public init(maxDepth: Int = 16) {
        self.maxDepth = maxDepth
    }

    private enum Frame {
        case sequence(items: [YNode], line: Int, column: Int)
        case mapping(pairs: [YPair], keys: Set<String>, pendingKey: (String, Int, Int)?, line: Int, column: Int)
    }

    /// Parses `text`, found at `path` starting on file line `lineOffset + 1`.
    ///
    /// - Returns: the root node (nil for an empty document or on error) and the diagnostics found.
    public func parse(_ text: String, path: String, lineOffset: Int = 0) -> (YNode?, [Diagnostic]) {
        var copy = text
        return copy.withUTF8 { parse(utf8: $0, path: path, lineOffset: lineOffset) }
    }

    /// Parses the valid UTF-8 in `buffer`, found at `path` starting on file line `lineOffset + 1`.
    ///
    /// Plain records take a fast path (`PlainYAML`); anything else, and every problem, goes through libyaml.
    func parse(utf8 buffer: UnsafeBufferPointer<UInt8>, path: String, lineOffset: Int = 0) -> (YNode?, [Diagnostic]) {
        if let root = PlainYAML.parse(buffer, lineOffset: lineOffset, maxDepth: maxDepth) { return (root, []) }
        return parseWithLibYAML(buffer, path: path, lineOffset: lineOffset)
    }

    /// Parses with libyaml's events only: what `parse` falls back to, and what the fast path must agree with.
    func parseWithLibYAML(_ buffer: UnsafeBufferPointer<UInt8>, path: String, lineOffset: Int = 0) -> (YNode?, [Diagnostic]) {
        func loc(_ line: Int, _ column: Int) -> SourceLocation {
            SourceLocation(path: path, line: line + lineOffset, column: column)
        }
        // No bytes: libyaml's stream has no document.
        guard buffer.count > 0 else { return (nil, []) }
        do {
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return (nil, [.error(.yamlSyntax, at: loc(1, 1), Messages.yamlSyntax("out of memory"))])
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)

            var stack: [Frame] = []
            var root: YNode? = nil
            var documents = 0
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(&parser, &event) == 1 else {
                    return (nil, [Self.syntaxError(parser, loc, buffer)])
                }
                defer { yaml_event_delete(&event) }
                let line = Int(event.start_mark.line) + 1
                let column = Int(event.start_mark.column) + 1
                var node: YNode? = nil
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return (root, [])
                case YAML_DOCUMENT_START_EVENT:
                    documents += 1
                    if documents > 1 {
                        return (nil, [.error(.yamlSyntax, at: loc(line, column), Messages.yamlSyntax("only one document is allowed"))])
                    }
                    continue
                case YAML_ALIAS_EVENT:
                    return (nil, [.error(.yamlAnchor, at: loc(line, column), Messages.anchor(false))])
                case YAML_SCALAR_EVENT:
                    if event.data.scalar.anchor != nil {
                        return (nil, [.error(.yamlAnchor, at: loc(line, column), Messages.anchor(true))])
                    }
                    let value = String(decoding: UnsafeBufferPointer(start: event.data.scalar.value, count: event.data.scalar.length), as: UTF8.self)
                    let plain = event.data.scalar.style == YAML_PLAIN_SCALAR_STYLE
                    node = YNode(kind: .scalar(value, plain: plain), line: line + lineOffset, column: column)
                case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                    let isMap = event.type == YAML_MAPPING_START_EVENT
                    if (isMap ? event.data.mapping_start.anchor : event.data.sequence_start.anchor) != nil {
                        return (nil, [.error(.yamlAnchor, at: loc(line, column), Messages.anchor(true))])
                    }
                    if case let .mapping(_, _, pending, _, _)? = stack.last, pending == nil {
                        return (nil, [.error(.yamlKeyNotText, at: loc(line, column), Messages.keyNotText)])
                    }
                    if stack.count + 1 > maxDepth {
                        return (nil, [.error(.yamlTooDeep, at: loc(line, column), Messages.tooDeep(maxDepth))])
                    }
                    stack.append(isMap ? .mapping(pairs: [], keys: [], pendingKey: nil, line: line, column: column)
                                       : .sequence(items: [], line: line, column: column))
                    continue
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    switch stack.removeLast() {
                    case let .sequence(items, l, c): node = YNode(kind: .sequence(items), line: l + lineOffset, column: c)
                    case let .mapping(pairs, _, _, l, c): node = YNode(kind: .mapping(pairs), line: l + lineOffset, column: c)
                    }
                default:
                    continue
                }
                guard let finished = node else { continue }
                // Attach the finished node to its parent, or make it the root.
                switch stack.popLast() {
                case nil:
                    root = finished
                case .sequence(var items, let l, let c)?:
                    items.append(finished)
                    stack.append(.sequence(items: items, line: l, column: c))
                case .mapping(var pairs, var keys, let pending, let l, let c)?:
                    if let (key, kl, kc) = pending {
                        pairs.append(YPair(key: key, keyLine: kl + lineOffset, keyColumn: kc, value: finished))
                        stack.append(.mapping(pairs: pairs, keys: keys, pendingKey: nil, line: l, column: c))
                    } else {
                        guard case let .scalar(key, _) = finished.kind else {
                            return (nil, [.error(.yamlKeyNotText, at: loc(line, column), Messages.keyNotText)])
                        }
                        if !keys.insert(key).inserted {
                            return (nil, [.error(.yamlDuplicateKey, at: loc(line, column), Messages.duplicateKey(key))])
                        }
                        stack.append(.mapping(pairs: pairs, keys: keys, pendingKey: (key, line, column), line: l, column: c))
                    }
                }
            }
        }
    }

    private static func syntaxError(_ parser: yaml_parser_t, _ loc: (Int, Int) -> SourceLocation, _ buffer: UnsafeBufferPointer<UInt8>) -> Diagnostic {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = parser.context.map { String(cString: $0) }
        var mark = parser.problem_mark
        // When the text merely ran out (an unclosed quote or bracket), point at where the construct began.
        if problem.contains("end of stream") || (mark.line == 0 && mark.column == 0 && mark.index == 0), parser.context != nil {
            mark = parser.context_mark
        }
        if parser.error == YAML_READER_ERROR {
            // A reader error (a control character, say) has no mark, only a byte offset: point at that byte.
            let (line, column) = lineAndColumn(ofByteOffset: parser.problem_offset, in: buffer)
            return .error(.yamlSyntax, at: loc(line, column), Messages.yamlSyntax(problem))
        }
        let detail = context.map { "\(problem) (\($0))" } ?? problem
        return .error(.yamlSyntax, at: loc(Int(mark.line) + 1, Int(mark.column) + 1), Messages.yamlSyntax(detail))
    }

    /// The 1-based line and column (columns count Unicode scalars) of the byte at `offset` in UTF-8 `buffer`.
    static func lineAndColumn(ofByteOffset offset: Int, in buffer: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = 1, column = 1
        for b in buffer.prefix(max(0, offset)) {
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }
}
