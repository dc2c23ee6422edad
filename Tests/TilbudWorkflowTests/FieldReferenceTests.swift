import Foundation
import Testing
import TilbudModel
import TilbudTestSupport
import TilbudValidate
@testable import TilbudWorkflow

@Suite("Field reference (docs/fields.md)")
struct FieldReferenceTests {
    static var content: URL { TestPaths.repositoryRoot.appendingPathComponent("content", isDirectory: true) }
    static var committed: URL { TestPaths.repositoryRoot.appendingPathComponent("docs/fields.md") }

    @Test("docs/fields.md is what the bundled content/governance/fields.yaml makes")
    func committedReferenceIsCurrent() throws {
        let result = try FieldReference.check(contentRoot: Self.content, displayRoot: "content")
        #expect(!result.hasErrors, "\(result.diagnostics.map(\.message.en))")
        let generated = FieldReference.markdown(result.catalog.governance)
        let committed = (try? String(contentsOf: Self.committed, encoding: .utf8)) ?? ""
        let same = generated == committed
        var firstDifference = ""
        if !same {
            let a = committed.components(separatedBy: "\n"), b = generated.components(separatedBy: "\n")
            let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
            firstDifference = " First difference at line \(line + 1):\n  committed: \(line < a.count ? a[line] : "(end)")\n  generated: \(line < b.count ? b[line] : "(end)")"
        }
        // Compared as a Bool so a failure prints the instructions, not two whole documents.
        #expect(same, """
            docs/fields.md is out of date with content/governance/fields.yaml. Make it again from the repository root with
              \(FieldReference.regenerate)
            and commit it.\(firstDifference)
            """)
    }

    @Test("tilbud dev fields-doc prints the reference; a broken fields.yaml is an error with its line")
    func command() throws {
        let run = CLI.run(["dev", "fields-doc", "--content", Self.content.path])
        #expect(run.code == 0, "\(run.err)")
        let result = try FieldReference.check(contentRoot: Self.content, displayRoot: "content")
        #expect(run.out == FieldReference.markdown(result.catalog.governance))

        let broken = FileTree.temporaryFolder("tilbud-fields-doc-")
        defer { try? FileManager.default.removeItem(at: broken) }
        let content = broken.appendingPathComponent("content", isDirectory: true)
        try FileTree.copyFixtureGovernance(into: content)
        let fields = content.appendingPathComponent("governance/fields.yaml")
        let text = try String(contentsOf: fields, encoding: .utf8)
        try FileTree.write(text.replacingOccurrences(of: "  title:\n    type: text\n", with: "  title:\n    type: txet\n"), to: fields)
        let failed = CLI.run(["dev", "fields-doc", "--content", content.path])
        #expect(failed.code == 1)
        #expect(failed.out.isEmpty)
        #expect(failed.err.contains("fields.yaml:") && failed.err.contains("txet"), "\(failed.err)")
    }

    @Test("a field the governance body adds is documented from its declaration alone")
    func addedField() {
        let level = FieldDeclaration(name: "level", type: .id, requiredWhen: FieldCondition(field: "delivery", values: ["oppmote", "hybrid"], negated: false),
                                     values: ["lett", "middels", "krevende"], defaultValue: "lett",
                                     label: ["nb": "Nivå", "nn": "Nivå", "en": "Level"], help: ["nb": "Hvor krevende tilbudet er.", "nn": "Kor krevjande tilbodet er.", "en": "How demanding."],
                                     show: .facts)
        let size = FieldDeclaration(name: "group_size", type: .integer, min: 2, max: 20, label: ["nb": "Gruppestørrelse", "nn": "Gruppestorleik", "en": "Group size"])
        let point = FieldDeclaration(name: "meeting_point", type: .object, label: ["nb": "Møtested", "nn": "Møtestad", "en": "Meeting point"], fields: [
            FieldDeclaration(name: "place", type: .text, required: true, maxChars: 80, label: ["nb": "Sted", "nn": "Stad", "en": "Place"]),
        ])
        let gov = Governance(policy: Policy(), vocabularies: [:], municipalities: [], fields: FieldSet(offer: [level, size, point], provider: []))
        let doc = FieldReference.markdown(gov)
        #expect(doc.contains("| [`level`](#tilbud-level) | Nivå | én id (`id`) | når `delivery` er `oppmote` eller `hybrid` |"))
        #expect(doc.contains("### Tilbud: level\n\nHvor krevende tilbudet er.\n"))
        #expect(doc.contains("| Verdier | `lett`, `middels`, `krevende` |"))
        #expect(doc.contains("| Standardverdi | `lett` |"))
        #expect(doc.contains("| Etikett | nb: Nivå · nn: Nivå · en: Level |"))
        #expect(doc.contains("| Vises | med etiketten i faktaboksen på tilbudssiden |"))
        #expect(doc.contains("| Grenser | fra 2 til 20 |"))
        #expect(doc.contains("| `place` | Sted | tekst (`text`) | ja | Grenser: høyst 80 tegn |"))
    }
}
