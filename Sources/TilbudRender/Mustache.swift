import Foundation
import TilbudDeflate
import TilbudDiagnostics

/// A value a template can show: built once per page, read without dynamic casts.
///
/// Not `indirect`: a string or list is stored inline, so building a context allocates no boxes.
public enum TemplateValue: Sendable {
    case string(String)
    case bool(Bool)
    case list([TemplateValue])
    case object(TemplateObject)
    /// UTF-8 text already made (such as encoded JSON-LD), shown like a string without becoming one.
    case bytes([UInt8])
    case null

    /// An object from a dictionary.
    public static func dict(_ d: [String: TemplateValue]) -> TemplateValue { .object(TemplateObject(d)) }

    /// Converts the `[String: Any]`-style contexts the renderer builds (String, Bool, Int, arrays, dictionaries).
    public init(_ any: Any?) {
        switch any {
        case nil: self = .null
        case let v as TemplateValue: self = v
        case let s as String: self = .string(s)
        case let b as Bool: self = .bool(b)
        case let i as Int: self = .string(String(i))
        case let d as [String: Any]: self = .object(TemplateObject(d))
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
        case let .bytes(b): return !b.isEmpty
        case .object: return true
        }
    }

    func child(_ key: TemplateKey) -> TemplateValue? {
        if case let .object(o) = self { return o[key] }
        return nil
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }

    /// A string, or false (so a section over it is skipped) when nil or empty.
    static func text(_ s: String?) -> TemplateValue {
        guard let s, !s.isEmpty else { return .bool(false) }
        return .string(s)
    }
}

/// The fields of a template object while it is built: a literal or a few assignments, each key hashed once as it is
/// added (the finished object keeps the hashes, and finding a key compares hashes before names).
struct TemplateFields: ExpressibleByDictionaryLiteral {
    private(set) var keys: [TemplateKey] = []
    private(set) var values: [TemplateValue] = []

    init(dictionaryLiteral elements: (String, TemplateValue)...) {
        keys.reserveCapacity(elements.count + 8)
        values.reserveCapacity(elements.count + 8)
        for (k, v) in elements { self[k] = v }
    }

    /// Sets (or replaces) a field.
    subscript(name: String) -> TemplateValue? {
        get { TemplateObject.index(of: TemplateKey(name), in: keys).map { values[$0] } }
        set {
            let key = TemplateKey(name)
            if let i = TemplateObject.index(of: key, in: keys) {
                if let newValue { values[i] = newValue } else { keys.remove(at: i); values.remove(at: i) }
            } else if let newValue {
                keys.append(key)
                values.append(newValue)
            }
        }
    }

    /// The finished object.
    var value: TemplateValue { .object(TemplateObject(keys: keys, values: values)) }
}

/// A name in a template, with its hash computed once when the template is compiled.
struct TemplateKey: Sendable {
    let name: String
    let hash: UInt64

    init(_ name: String) {
        self.name = name
        self.hash = TemplateObject.hash(name)
    }
}

/// The keys and values of a template object, looked up by a precomputed hash: no `Hasher` per lookup.
public final class TemplateObject: Sendable {
    private let keys: [TemplateKey]
    private let values: [TemplateValue]
    /// For objects with many keys (the UI strings `t`): an open-addressing table of positions in `keys` by hash
    /// (-1 for empty slots), so a lookup probes a slot or two instead of scanning every key. Empty for small objects.
    private let slots: [Int32]
    /// A partial already rendered with this object on top of its language's frame (see `SiteRenderer`'s cards):
    /// `{{>name}}` with this object innermost copies these bytes instead of rendering again.
    let prerendered: Prerendered?
    /// For a prerendered object made without its fields: makes them the first time a template reads one (a template
    /// that only copies the card never does, so 100 000 cards hold their bytes and nothing else).
    private let deferred: DeferredFields?

    /// FNV-1a over the UTF-8 of `key` (read as one buffer: walking `utf8` index by index costs several times more).
    static func hash(_ key: String) -> UInt64 {
        var key = key
        return key.withUTF8 { bytes in
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
            return h
        }
    }

    /// Objects with more keys than this get `slots`; a scan of fewer is as fast.
    static let indexedAbove = 16

    /// The open-addressing table for `keys` (twice as many slots as keys, rounded up to a power of two), or none.
    static func slots(for keys: [TemplateKey]) -> [Int32] {
        guard keys.count > indexedAbove else { return [] }
        var size = 1
        while size < 2 * keys.count { size *= 2 }
        var slots = [Int32](repeating: -1, count: size)
        for (i, key) in keys.enumerated() {
            var slot = Int(truncatingIfNeeded: key.hash) & (size - 1)
            while slots[slot] >= 0 {
                // A repeated key keeps its first position, as a scan would find it.
                if keys[Int(slots[slot])].hash == key.hash && keys[Int(slots[slot])].name == key.name { break }
                slot = (slot + 1) & (size - 1)
            }
            if slots[slot] < 0 { slots[slot] = Int32(i) }
        }
        return slots
    }

    /// The position of `key` in `keys`: names are compared only where the hashes match.
    @inline(__always)
    static func index(of key: TemplateKey, in keys: [TemplateKey]) -> Int? {
        var i = 0
        let n = keys.count
        while i < n {
            if keys[i].hash == key.hash && keys[i].name == key.name { return i }
            i += 1
        }
        return nil
    }

    /// An object with the pairs of `d`.
    public init(_ d: [String: TemplateValue]) {
        var keys: [TemplateKey] = [], values: [TemplateValue] = []
        keys.reserveCapacity(d.count); values.reserveCapacity(d.count)
        for (k, v) in d { keys.append(TemplateKey(k)); values.append(v) }
        self.keys = keys; self.values = values
        self.slots = Self.slots(for: keys)
        self.prerendered = nil
        self.deferred = nil
    }

    /// An object with `keys[i]` set to `values[i]`.
    init(keys: [TemplateKey], values: [TemplateValue]) {
        self.keys = keys
        self.values = values
        self.slots = Self.slots(for: keys)
        self.prerendered = nil
        self.deferred = nil
    }

    /// An object that is a partial's rendered bytes; its fields, should a template read one, are `fields()`
    /// (made once, then kept).
    init(prerendered: Prerendered, fields: @escaping @Sendable () -> TemplateObject) {
        self.keys = []; self.values = []; self.slots = []
        self.prerendered = prerendered
        self.deferred = DeferredFields(fields)
    }

    /// An object with the pairs of `d`, converted.
    public init(_ d: [String: Any]) {
        var keys: [TemplateKey] = [], values: [TemplateValue] = []
        keys.reserveCapacity(d.count); values.reserveCapacity(d.count)
        for (k, v) in d { keys.append(TemplateKey(k)); values.append(TemplateValue(v)) }
        self.keys = keys; self.values = values
        self.slots = Self.slots(for: keys)
        self.prerendered = nil
        self.deferred = nil
    }

    subscript(_ key: TemplateKey) -> TemplateValue? {
        if let deferred { return deferred.object[key] }
        guard !slots.isEmpty else { return Self.index(of: key, in: keys).map { values[$0] } }
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: key.hash) & mask
        while true {
            let i = Int(slots[slot])
            if i < 0 { return nil }
            if keys[i].hash == key.hash && keys[i].name == key.name { return values[i] }
            slot = (slot + 1) & mask
        }
    }
}

/// A partial rendered once with an object (see `TemplateObject.prerendered`), held as the renderer holds its cards
/// (`HeldBytes`: as they are, or in a large catalog in the build's spill file or compressed): a 100 000-offer catalog's
/// cards are 240 MB as they are, and each is copied into a handful of lists.
struct Prerendered: Sendable {
    /// The partial's name.
    let partial: String
    private let held: HeldBytes

    /// Holds `output` as `holder` (one per worker) says, or as it is when nil.
    init(partial: String, _ output: [UInt8], holder: Holder?) {
        self.partial = partial
        self.held = HeldBytes(output, holder: holder, minimum: 64)
    }

    /// The output's size.
    var count: Int { held.count }

    /// Appends the output to `out`.
    func append(to out: inout [UInt8]) { held.append(to: &out) }
}

/// `bytes` in storage of exactly their size, for what a build holds a long time: an array grown by appending, or sized
/// for the worst case (a compressor's output), has room to spare.
func ownStorage(_ bytes: [UInt8]) -> [UInt8] {
    [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
        _ = buffer.initialize(from: bytes)
        count = bytes.count
    }
}

/// The fields of a prerendered object, made when first read (under one lock shared by all: pages render on all
/// cores, and only a template that reads a card's fields ever takes it).
final class DeferredFields: @unchecked Sendable {
    private static let lock = NSLock()
    private let make: @Sendable () -> TemplateObject
    private var made: TemplateObject?

    init(_ make: @escaping @Sendable () -> TemplateObject) { self.make = make }

    var object: TemplateObject {
        Self.lock.lock()
        defer { Self.lock.unlock() }
        if let made { return made }
        let o = make()
        made = o
        return o
    }
}

/// A Mustache template compiled once: variables, `{{{raw}}}`, sections, inverted sections,
/// partials (`{{>name}}`), comments, and inheritance (`{{<parent}}` with `{{$block}}`).
///
/// Written for the build's speed: swift-mustache looks every name up through `Any` and
/// protocol casts, which took 60 % of a 10k-offer build; this renders from `TemplateValue`.
public struct CompiledTemplate: Sendable {
    indirect enum Node: Sendable {
        case text([UInt8])
        case variable(Path, escaped: Bool)
        case section(Path, [Node], inverted: Bool)
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

    /// A dotted name (`t.when`), `.`, or a position function (`first()`).
    enum Path: Sendable {
        case current
        case position(String)
        case keys([TemplateKey])
    }

    let nodes: [Node]

    /// Compiles `source`.
    public init(_ source: String) throws {
        var parser = Parser(Array(source.utf8))
        nodes = try parser.parse(until: nil)
    }

    // MARK: rendering

    /// Renders with `context` as the root; `partials` resolves `{{>name}}` and `{{<name}}`.
    func render(_ context: TemplateValue, partials: [String: CompiledTemplate], into out: inout [UInt8]) {
        TemplateProgram(self, partials: partials).run(frames: [context], into: &out)
    }

    /// Renders with `frames` as the context stack (the last is innermost).
    func render(frames: [TemplateValue], partials: [String: CompiledTemplate], into out: inout [UInt8]) {
        TemplateProgram(self, partials: partials).run(frames: frames, into: &out)
    }

    /// Renders into a string (for tests and small pages).
    func render(_ context: TemplateValue, partials: [String: CompiledTemplate], into out: inout String) {
        var bytes: [UInt8] = []
        render(context, partials: partials, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    @inline(__always)
    static func append(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { out.append(contentsOf: $0) }
    }

    /// True when one of the eight bytes of `w` is `&`, `<`, `>`, `"` or `'` (exact: the zero-byte test of
    /// "Bit Twiddling Hacks" never answers wrongly whether any byte matches).
    @inline(__always)
    static func hasHTMLSpecial(_ w: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        @inline(__always) func has(_ c: UInt64) -> UInt64 {
            let x = w ^ (ones &* c)
            return (x &- ones) & ~x & high
        }
        return (has(0x26) | has(0x3C) | has(0x3E) | has(0x22) | has(0x27)) != 0
    }

    /// `s` with `&`, `<`, `>`, `"` and `'` escaped, for HTML written outside a template (the serve error overlay).
    public static func escapedHTML(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        escapeHTML(s, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` with `&`, `<`, `>`, `"` and `'` escaped; text without them is skipped over eight bytes at a time.
    static func escapeHTML(_ s: String, into out: inout [UInt8]) {
        var s = s
        s.withUTF8 { u in
            guard let base = u.baseAddress else { return }
            let n = u.count
            var start = 0
            var i = 0
            while i < n {
                if i + 8 <= n, !hasHTMLSpecial(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)) {
                    i += 8
                    continue
                }
                let rep: StaticString
                switch base[i] {
                case 0x26: rep = "&amp;"
                case 0x3C: rep = "&lt;"
                case 0x3E: rep = "&gt;"
                case 0x22: rep = "&quot;"
                case 0x27: rep = "&#39;"
                default:
                    i += 1
                    continue
                }
                if i > start { out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: i - start)) }
                out.append(contentsOf: UnsafeBufferPointer(start: rep.utf8Start, count: rep.utf8CodeUnitCount))
                i += 1
                start = i
            }
            if start < n { out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: n - start)) }
        }
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

        static func path(_ name: String) -> Path {
            if name == "." { return .current }
            if name.hasSuffix("()") { return .position(name) }
            return .keys(name.split(separator: ".").map { TemplateKey(String($0)) })
        }

        /// Parses nodes until the closing tag `closing` (nil: the end of the source).
        mutating func parse(until closing: String?, openedAt: Int = 0) throws -> [Node] {
            var nodes: [Node] = []
            while true {
                guard let tag = try findTag(from: pos) else {
                    if let closing { throw error("the section {{#\(closing)}} is not closed with {{/\(closing)}}", at: openedAt) }
                    if pos < src.count { nodes.append(.text(Array(src[pos...]))) }
                    return nodes
                }
                let isStandaloneKind = tag.kind != 0 && tag.kind != 0x7B && tag.kind != 0x26
                let alone = isStandaloneKind ? standalone(tag) : nil
                let textEnd = alone?.from ?? tag.start
                if textEnd > pos { nodes.append(.text(Array(src[pos..<textEnd]))) }
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

/// A template with its layout, blocks and partials resolved, flattened into one list of operations over one text
/// buffer: rendering is a loop over plain structs (no recursion over enum trees, no scattered small arrays).
///
/// Partials and inheritance are resolved when the program is made, which is when the templates are loaded; a
/// partial that includes itself is expanded at most `maxDepth` levels deep.
struct TemplateProgram: Sendable {
    enum Code: UInt8, Sendable {
        case text, escaped, raw, section, inverted, end, partial, indentBegin, indentEnd
    }

    struct Op: Sendable {
        var code: Code
        var a: Int32
        var b: Int32
    }

    /// How deep partials may include partials.
    static let maxDepth = 12

    private(set) var ops: [Op] = []
    private(set) var text: [UInt8] = []
    private(set) var paths: [CompiledTemplate.Path] = []
    /// Every dotted name's keys, one after another: path `p` is `keys[keyStart[p] ..< keyStart[p] + keyCount[p]]`
    /// (`keyCount` 0 for `.` and the position functions, which look at `paths`). Read without copying arrays.
    private(set) var keys: [TemplateKey] = []
    private(set) var keyStart: [Int32] = []
    private(set) var keyCount: [Int32] = []

    private mutating func addPath(_ path: CompiledTemplate.Path) -> Int32 {
        paths.append(path)
        keyStart.append(Int32(keys.count))
        if case let .keys(k) = path {
            keys.append(contentsOf: k)
            keyCount.append(Int32(k.count))
        } else {
            keyCount.append(0)
        }
        return Int32(paths.count - 1)
    }
    private(set) var names: [String] = []

    /// Flattens `template`, looking partials and parents up in `partials`.
    init(_ template: CompiledTemplate, partials: [String: CompiledTemplate]) {
        emit(template.nodes, partials, [:], depth: 0)
    }

    private mutating func emit(_ nodes: [CompiledTemplate.Node], _ partials: [String: CompiledTemplate],
                               _ blocks: [String: [CompiledTemplate.Node]], depth: Int) {
        for node in nodes {
            switch node {
            case let .text(t):
                guard !t.isEmpty else { continue }
                // Adjacent texts (common once partials are inlined) become one copy.
                if let last = ops.last, last.code == .text, Int(last.a + last.b) == text.count {
                    ops[ops.count - 1].b += Int32(t.count)
                } else {
                    ops.append(Op(code: .text, a: Int32(text.count), b: Int32(t.count)))
                }
                text.append(contentsOf: t)
            case let .variable(path, escaped):
                ops.append(Op(code: escaped ? .escaped : .raw, a: addPath(path), b: 0))
            case let .section(path, children, inverted):
                let p = addPath(path)
                let begin = ops.count
                ops.append(Op(code: inverted ? .inverted : .section, a: p, b: 0))
                emit(children, partials, blocks, depth: depth)
                ops.append(Op(code: .end, a: Int32(begin), b: 0))
                ops[begin].b = Int32(ops.count - 1)
            case let .partial(name, indent):
                guard depth < Self.maxDepth, let p = partials[name] else { continue }
                if indent.isEmpty {
                    names.append(name)
                    let at = ops.count
                    ops.append(Op(code: .partial, a: Int32(names.count - 1), b: 0))
                    emit(p.nodes, partials, blocks, depth: depth + 1)
                    ops[at].b = Int32(ops.count)
                } else {
                    names.append(indent)
                    ops.append(Op(code: .indentBegin, a: Int32(names.count - 1), b: 0))
                    emit(p.nodes, partials, blocks, depth: depth + 1)
                    ops.append(Op(code: .indentEnd, a: Int32(names.count - 1), b: 0))
                }
            case let .block(name, defaults):
                emit(blocks[name] ?? defaults, partials, blocks, depth: depth)
            case let .parent(name, overrides):
                guard depth < Self.maxDepth, let p = partials[name] else { continue }
                // Blocks given closer to the page win over those of a parent's parent.
                var merged = blocks
                for (k, v) in overrides where merged[k] == nil { merged[k] = v }
                emit(p.nodes, partials, merged, depth: depth + 1)
            }
        }
    }

    /// Looks `path` up through the context stack; `first()`, `last()`, `index()`, `even()` and `odd()`
    /// (as in swift-mustache) describe the position in the innermost list being rendered.
    @inline(__always)
    private func lookup(_ p: Int, _ stack: [TemplateValue], _ loop: (index: Int, count: Int)?) -> TemplateValue? {
        let count = Int(keyCount[p])
        guard count > 0 else { return special(paths[p], stack, loop) }
        let start = Int(keyStart[p])
        return keys.withUnsafeBufferPointer { keys -> TemplateValue? in
            var f = stack.count - 1
            while f >= 0 {
                if let v = stack[f].child(keys[start]) {
                    var v = v
                    var k = 1
                    while k < count {
                        guard let next = v.child(keys[start + k]) else { return nil }
                        v = next
                        k += 1
                    }
                    return v
                }
                f -= 1
            }
            return nil
        }
    }

    /// `.` and the position functions.
    private func special(_ path: CompiledTemplate.Path, _ stack: [TemplateValue], _ loop: (index: Int, count: Int)?) -> TemplateValue? {
        switch path {
        case .current: return stack.last
        case let .position(name):
            guard let loop else { return nil }
            switch name {
            case "first()": return .bool(loop.index == 0)
            case "last()": return .bool(loop.index == loop.count - 1)
            case "index()": return .string(String(loop.index))
            case "even()": return .bool(loop.index % 2 == 0)
            case "odd()": return .bool(loop.index % 2 == 1)
            default: return nil
            }
        case .keys: return nil
        }
    }

    /// What an open section pushed, to undo at its end.
    private enum Open {
        case nothing
        case value
        case list(begin: Int, items: [TemplateValue], index: Int)
    }

    /// Renders with `frames` as the context stack (the last is innermost).
    func run(frames: [TemplateValue], into out: inout [UInt8]) {
        var stack = frames
        var open: [Open] = []
        var loops: [(index: Int, count: Int)] = []
        var indentStarts: [Int] = []
        var pc = 0
        let count = ops.count
        text.withUnsafeBufferPointer { text in
            while pc < count {
                let op = ops[pc]
                switch op.code {
                case .text:
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(op.a)..<Int(op.a + op.b)]))
                case .escaped, .raw:
                    if let v = lookup(Int(op.a), stack, loops.last) {
                        switch v {
                        case let .string(s): if op.code == .escaped { CompiledTemplate.escapeHTML(s, into: &out) } else { CompiledTemplate.append(s, to: &out) }
                        case let .bool(b): CompiledTemplate.append(b ? "true" : "false", to: &out)
                        case let .bytes(b):
                            if op.code == .escaped { CompiledTemplate.escapeHTML(String(decoding: b, as: UTF8.self), into: &out) } else { out.append(contentsOf: b) }
                        case .null, .list, .object: break
                        }
                    }
                case .section:
                    let v = lookup(Int(op.a), stack, loops.last) ?? .null
                    guard v.isTruthy else { pc = Int(op.b) + 1; continue }
                    if case let .list(items) = v {
                        stack.append(items[0])
                        loops.append((0, items.count))
                        open.append(.list(begin: pc, items: items, index: 0))
                    } else {
                        stack.append(v)
                        open.append(.value)
                    }
                case .inverted:
                    let v = lookup(Int(op.a), stack, loops.last) ?? .null
                    guard !v.isTruthy else { pc = Int(op.b) + 1; continue }
                    open.append(.nothing)
                case .end:
                    switch open[open.count - 1] {
                    case .nothing:
                        open.removeLast()
                    case .value:
                        open.removeLast()
                        stack.removeLast()
                    case let .list(begin, items, index):
                        if index + 1 < items.count {
                            open[open.count - 1] = .list(begin: begin, items: items, index: index + 1)
                            stack[stack.count - 1] = items[index + 1]
                            loops[loops.count - 1] = (index + 1, items.count)
                            pc = begin + 1
                            continue
                        }
                        open.removeLast()
                        stack.removeLast()
                        loops.removeLast()
                    }
                case .partial:
                    // A card already rendered for its language is copied (see `TemplateObject.prerendered`).
                    if case let .object(o)? = stack.last, let done = o.prerendered, done.partial == names[Int(op.a)] {
                        done.append(to: &out)
                        pc = Int(op.b)
                        continue
                    }
                case .indentBegin:
                    indentStarts.append(out.count)
                case .indentEnd:
                    let start = indentStarts.removeLast()
                    let inner = Array(out[start...])
                    out.removeSubrange(start...)
                    let pad = Array(names[Int(op.a)].utf8)
                    out.append(contentsOf: pad)
                    var lineStart = true
                    for (n, b) in inner.enumerated() {
                        if lineStart && n > 0 && b != 0x0A { out.append(contentsOf: pad) }
                        out.append(b)
                        lineStart = b == 0x0A
                    }
                }
                pc += 1
            }
        }
    }
}
