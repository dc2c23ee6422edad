import TilbudDiagnostics

/// A value a template can show: built once per page, read without dynamic casts.
public indirect enum TemplateValue: Sendable {
    case string(String)
    case bool(Bool)
    case list([TemplateValue])
    case dict([String: TemplateValue])
    case null

    /// Converts the `[String: Any]`-style contexts the renderer builds (String, Bool, Int, arrays, dictionaries).
    public init(_ any: Any?) {
        switch any {
        case nil: self = .null
        case let v as TemplateValue: self = v
        case let s as String: self = .string(s)
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .string(String(i))
        case let d as [String: Any]:
            var out: [String: TemplateValue] = [:]
            out.reserveCapacity(d.count)
            for (k, v) in d { out[k] = TemplateValue(v) }
            self = .dict(out)
        case let a as [Any]: self = .list(a.map { TemplateValue($0) })
        case let s as Substring: self = .string(String(s))
        case let d as Double: self = .string(String(d))
        default: self = .string(String(describing: any!))
        }
    }

    /// Mustache truthiness: false, null, empty lists and empty strings are falsy.
    var isTruthy: Bool {
        switch self {
        case .null: return false
        case let .bool(b): return b
        case let .list(l): return !l.isEmpty
        case let .string(s): return !s.isEmpty
        case .dict: return true
        }
    }

    func child(_ key: String) -> TemplateValue? {
        if case let .dict(d) = self { return d[key] }
        return nil
    }
}

/// A Mustache template compiled once: variables, `{{{raw}}}`, sections, inverted sections,
/// partials (`{{>name}}`), comments, and inheritance (`{{<parent}}` with `{{$block}}`).
///
/// Written for the build's speed: swift-mustache looks every name up through `Any` and
/// protocol casts, which took 60 % of a 10k-offer build; this renders from `TemplateValue`.
public struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text(String)
        case variable([String], escaped: Bool)
        case section([String], [Node], inverted: Bool)
        case partial(String, indent: String)
        case block(String, [Node])
        case parent(String, [String: [Node]])
    }

    /// A syntax error with its 1-based line and column.
    public struct ParseError: Error, Sendable {
        /// What is wrong.
        public let message: String
        /// 1-based line.
        public let line: Int
        /// 1-based column.
        public let column: Int
    }

    let nodes: [Node]

    /// Compiles `source`.
    public init(_ source: String) throws {
        var parser = Parser(Array(source.utf8))
        nodes = try parser.parse(until: nil)
    }

    // MARK: rendering

    /// Renders with `context` as the root; `partials` resolves `{{>name}}` and `{{<name}}`.
    func render(_ context: TemplateValue, partials: [String: CompiledTemplate], into out: inout String) {
        var stack = [context]
        var loops: [(index: Int, count: Int)] = []
        Self.render(nodes, &stack, &loops, partials, [:], &out)
    }

    /// Looks `path` up through the context stack; `first()`, `last()`, `index()`, `even()` and `odd()`
    /// (as in swift-mustache) describe the position in the innermost list being rendered.
    private static func lookup(_ path: [String], _ stack: [TemplateValue], _ loops: [(index: Int, count: Int)]) -> TemplateValue? {
        if path.count == 1 && path[0] == "." { return stack.last }
        if path.count == 1, path[0].hasSuffix("()") {
            guard let loop = loops.last else { return nil }
            switch path[0] {
            case "first()": return .bool(loop.index == 0)
            case "last()": return .bool(loop.index == loop.count - 1)
            case "index()": return .string(String(loop.index))
            case "even()": return .bool(loop.index % 2 == 0)
            case "odd()": return .bool(loop.index % 2 == 1)
            default: return nil
            }
        }
        var value: TemplateValue? = nil
        for frame in stack.reversed() {
            if let v = frame.child(path[0]) { value = v; break }
        }
        guard var v = value else { return nil }
        for key in path.dropFirst() {
            guard let next = v.child(key) else { return nil }
            v = next
        }
        return v
    }

    private static func render(_ nodes: [Node], _ stack: inout [TemplateValue], _ loops: inout [(index: Int, count: Int)],
                               _ partials: [String: CompiledTemplate], _ blocks: [String: [Node]], _ out: inout String) {
        for node in nodes {
            switch node {
            case let .text(t):
                out += t
            case let .variable(path, escaped):
                guard let v = lookup(path, stack, loops) else { continue }
                switch v {
                case let .string(s): if escaped { escapeHTML(s, into: &out) } else { out += s }
                case let .bool(b): out += b ? "true" : "false"
                case .null, .list, .dict: break
                }
            case let .section(path, children, inverted):
                let v = lookup(path, stack, loops) ?? .null
                if inverted {
                    if !v.isTruthy { render(children, &stack, &loops, partials, blocks, &out) }
                    continue
                }
                guard v.isTruthy else { continue }
                if case let .list(items) = v {
                    for (index, item) in items.enumerated() {
                        stack.append(item)
                        loops.append((index, items.count))
                        render(children, &stack, &loops, partials, blocks, &out)
                        loops.removeLast()
                        stack.removeLast()
                    }
                } else {
                    stack.append(v)
                    render(children, &stack, &loops, partials, blocks, &out)
                    stack.removeLast()
                }
            case let .partial(name, indent):
                guard let p = partials[name] else { continue }
                if indent.isEmpty {
                    render(p.nodes, &stack, &loops, partials, blocks, &out)
                } else {
                    var inner = ""
                    render(p.nodes, &stack, &loops, partials, blocks, &inner)
                    out += indent
                    var first = true
                    for line in inner.split(separator: "\n", omittingEmptySubsequences: false) {
                        if !first { out += "\n"; if !line.isEmpty { out += indent } }
                        out += line
                        first = false
                    }
                }
            case let .block(name, defaults):
                render(blocks[name] ?? defaults, &stack, &loops, partials, blocks, &out)
            case let .parent(name, overrides):
                guard let p = partials[name] else { continue }
                // Blocks given closer to the page win over those of a parent's parent.
                var merged = blocks
                for (k, v) in overrides where merged[k] == nil { merged[k] = v }
                render(p.nodes, &stack, &loops, partials, merged, &out)
            }
        }
    }

    static func escapeHTML(_ s: String, into out: inout String) {
        var needs = false
        for b in s.utf8 where b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0x27 { needs = true; break }
        guard needs else { out += s; return }
        var start = s.utf8.startIndex
        var i = start
        let u = s.utf8
        while i < u.endIndex {
            let rep: String?
            switch u[i] {
            case 0x26: rep = "&amp;"
            case 0x3C: rep = "&lt;"
            case 0x3E: rep = "&gt;"
            case 0x22: rep = "&quot;"
            case 0x27: rep = "&#39;"
            default: rep = nil
            }
            if let rep {
                out += s[start..<i]
                out += rep
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        out += s[start..<u.endIndex]
    }

    // MARK: parsing

    struct Parser {
        let src: [UInt8]
        var pos = 0

        init(_ src: [UInt8]) { self.src = src }

        func position(_ offset: Int) -> (Int, Int) {
            var line = 1, col = 1
            for b in src[0..<min(offset, src.count)] {
                if b == 0x0A { line += 1; col = 1 } else if b & 0xC0 != 0x80 { col += 1 }
            }
            return (line, col)
        }

        func error(_ message: String, at offset: Int) -> ParseError {
            let (l, c) = position(offset)
            return ParseError(message: message, line: l, column: c)
        }

        /// A tag found in the source.
        struct Tag {
            let kind: UInt8  // 0 for a variable; else the sigil: # ^ / ! > < $ & {
            let name: String
            let start: Int   // offset of "{{"
            let end: Int     // offset after "}}"
        }

        func findTag(from: Int) throws -> Tag? {
            var i = from
            while i + 1 < src.count {
                if src[i] == 0x7B && src[i + 1] == 0x7B {
                    let start = i
                    var j = i + 2
                    var triple = false
                    if j < src.count && src[j] == 0x7B { triple = true; j += 1 }
                    // Find the closing braces.
                    var k = j
                    while k + 1 < src.count && !(src[k] == 0x7D && src[k + 1] == 0x7D) { k += 1 }
                    guard k + 1 < src.count else { throw error("a tag is not closed with }}", at: start) }
                    var end = k + 2
                    var inner = Array(src[j..<k])
                    if triple {
                        guard end < src.count, src[end] == 0x7D else { throw error("a {{{ tag must end with }}}", at: start) }
                        end += 1
                        return Tag(kind: 0x7B, name: Self.trim(inner), start: start, end: end)
                    }
                    inner = Array(Self.trim(inner).utf8)
                    guard let first = inner.first else { throw error("an empty tag", at: start) }
                    if "#^/!><$&=".utf8.contains(first) {
                        return Tag(kind: first, name: Self.trim(Array(inner.dropFirst())), start: start, end: end)
                    }
                    return Tag(kind: 0, name: Self.trim(inner), start: start, end: end)
                }
                i += 1
            }
            return nil
        }

        static func trim(_ b: [UInt8]) -> String {
            var s = b[...]
            while let f = s.first, f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D { s = s.dropFirst() }
            while let l = s.last, l == 0x20 || l == 0x09 || l == 0x0A || l == 0x0D { s = s.dropLast() }
            return String(decoding: s, as: UTF8.self)
        }

        /// For a standalone tag (alone on its line but for whitespace): the range to drop and the indent.
        func standalone(_ tag: Tag) -> (from: Int, to: Int, indent: String)? {
            var a = tag.start
            while a > 0 && (src[a - 1] == 0x20 || src[a - 1] == 0x09) { a -= 1 }
            guard a == 0 || src[a - 1] == 0x0A else { return nil }
            var b = tag.end
            while b < src.count && (src[b] == 0x20 || src[b] == 0x09) { b += 1 }
            if b == src.count { return (a, b, String(decoding: src[a..<tag.start], as: UTF8.self)) }
            if src[b] == 0x0A { return (a, b + 1, String(decoding: src[a..<tag.start], as: UTF8.self)) }
            if src[b] == 0x0D, b + 1 < src.count, src[b + 1] == 0x0A { return (a, b + 2, String(decoding: src[a..<tag.start], as: UTF8.self)) }
            return nil
        }

        static func path(_ name: String) -> [String] {
            name == "." ? ["."] : name.split(separator: ".").map(String.init)
        }

        /// Parses nodes until the closing tag `closing` (nil: the end of the source).
        mutating func parse(until closing: String?, openedAt: Int = 0) throws -> [Node] {
            var nodes: [Node] = []
            while true {
                guard let tag = try findTag(from: pos) else {
                    if let closing { throw error("the section {{#\(closing)}} is not closed with {{/\(closing)}}", at: openedAt) }
                    if pos < src.count { nodes.append(.text(String(decoding: src[pos...], as: UTF8.self))) }
                    return nodes
                }
                let isStandaloneKind = tag.kind != 0 && tag.kind != 0x7B && tag.kind != 0x26
                let alone = isStandaloneKind ? standalone(tag) : nil
                let textEnd = alone?.from ?? tag.start
                if textEnd > pos { nodes.append(.text(String(decoding: src[pos..<textEnd], as: UTF8.self))) }
                pos = alone?.to ?? tag.end
                switch tag.kind {
                case 0, 0x26, 0x7B:
                    guard !tag.name.isEmpty else { throw error("a variable tag needs a name", at: tag.start) }
                    nodes.append(.variable(Self.path(tag.name), escaped: tag.kind == 0))
                case 0x21, 0x3D:
                    break  // comment; set-delimiter tags are not supported and ignored
                case 0x23, 0x5E:
                    let children = try parse(until: tag.name, openedAt: tag.start)
                    nodes.append(.section(Self.path(tag.name), children, inverted: tag.kind == 0x5E))
                case 0x24:
                    nodes.append(.block(tag.name, try parse(until: tag.name, openedAt: tag.start)))
                case 0x3E:
                    nodes.append(.partial(tag.name, indent: alone?.indent ?? ""))
                case 0x3C:
                    let children = try parse(until: tag.name, openedAt: tag.start)
                    var overrides: [String: [Node]] = [:]
                    for child in children { if case let .block(n, body) = child { overrides[n] = body } }
                    nodes.append(.parent(tag.name, overrides))
                case 0x2F:
                    guard let closing else { throw error("{{/\(tag.name)}} closes a section that was never opened", at: tag.start) }
                    guard tag.name == closing else { throw error("{{/\(tag.name)}} found where {{/\(closing)}} was expected", at: tag.start) }
                    return nodes
                default:
                    throw error("an unknown tag", at: tag.start)
                }
            }
        }
    }
}
