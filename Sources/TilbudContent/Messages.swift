import TilbudDiagnostics

/// The load stage's messages, in bokmål and English.
enum Messages {
    static func anchor(_ isAnchor: Bool) -> Message {
        isAnchor
            ? Message(nb: "YAML-ankere (&navn) er ikke tillatt. Skriv verdien ut i sin helhet.",
                      en: "YAML anchors (&name) are not allowed. Write the value out in full.")
            : Message(nb: "YAML-aliaser (*navn) er ikke tillatt. Skriv verdien ut i sin helhet.",
                      en: "YAML aliases (*name) are not allowed. Write the value out in full.")
    }

    static func tooDeep(_ limit: Int) -> Message {
        Message(nb: "YAML-en er nøstet for dypt (mer enn \(limit) nivåer). Ingen oppføring trenger så mange nivåer.",
                en: "The YAML is nested too deeply (more than \(limit) levels). No record needs that many.")
    }

    static func yamlSyntax(_ detail: String) -> Message {
        Message(nb: "YAML-en kan ikke leses: \(detail). Sjekk innrykk, kolon og anførselstegn på denne linjen.",
                en: "The YAML cannot be read: \(detail). Check indentation, colons and quotes on this line.")
    }

    static func duplicateKey(_ keys: String) -> Message {
        Message(nb: "Feltet «\(keys)» står flere ganger. Hvert felt skal bare stå én gang; slett det ene.",
                en: "The field '\(keys)' appears more than once. Each field may appear only once; delete one.")
    }

    static let keyNotText = Message(nb: "Et feltnavn må være vanlig tekst, ikke en liste eller en gruppe.",
                                    en: "A field name must be plain text, not a list or a mapping.")

    static func controlCharacter(_ scalar: UInt32) -> Message {
        let hex = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return Message(nb: "Her står et usynlig styretegn (\(code)). Slike tegn kan endre hvordan teksten vises; slett det og skriv teksten på nytt.",
                       en: "There is an invisible control character here (\(code)). Such characters can change how text is shown; delete it and type the text again.")
    }

    static let notUTF8 = Message(nb: "Filen er ikke lagret som UTF-8. Lagre den på nytt med tegnkoding UTF-8.",
                                 en: "The file is not saved as UTF-8. Save it again with the UTF-8 encoding.")

    static func tooLarge(_ size: Int, _ limit: Int) -> Message {
        // The limit comes from policy.yaml; name it in MiB only when it is a whole number of them.
        let mib = limit % 1_048_576 == 0 ? " (\(limit / 1_048_576) MiB)" : ""
        return Message(nb: "Filen er \(size) byte; grensen er \(limit) byte\(mib). Kort ned teksten.",
                       en: "The file is \(size) bytes; the limit is \(limit) bytes\(mib). Shorten the text.")
    }

    static let symlinkOutside = Message(nb: "Dette er en symbolsk lenke som peker ut av content-mappen. Legg selve filen i mappen i stedet.",
                                        en: "This is a symbolic link that leads outside the content folder. Put the file itself in the folder instead.")

    static let noFrontMatter = Message(nb: "Filen mangler front matter. Første linje skal være «---», så feltene, så en ny linje «---».",
                                       en: "The file has no front matter. The first line must be '---', then the fields, then another '---' line.")

    static let unclosedFrontMatter = Message(nb: "Front matter er ikke avsluttet. Legg til en linje med «---» etter det siste feltet.",
                                             en: "The front matter is not closed. Add a line with '---' after the last field.")

    static let notMapping = Message(nb: "Front matter skal være en liste med felt på formen «navn: verdi».",
                                    en: "The front matter must be a set of fields of the form 'name: value'.")

    static func unreadable(_ detail: String) -> Message {
        Message(nb: "Filen kan ikke leses: \(detail).", en: "The file cannot be read: \(detail).")
    }

    static func badProviderFolder(_ name: String) -> Message {
        Message(nb: "Mappenavnet «\(name)» er ikke en gyldig tilbyder-id. Bruk 2–64 tegn: små bokstaver a–z, sifre og bindestrek.",
                en: "The folder name '\(name)' is not a valid provider id. Use 2–64 characters: lowercase a–z, digits and hyphens.")
    }

    static func badFileName(_ name: String) -> Message {
        Message(nb: "Filnavnet «\(name)» følger ikke reglene. Et tilbud heter <slug>.md (eller <slug>.nn.md / <slug>.en.md for oversettelser), der slug er 2–64 tegn: små bokstaver a–z, sifre og bindestrek.",
                en: "The file name '\(name)' breaks the rules. An offer is <slug>.md (or <slug>.nn.md / <slug>.en.md for translations), where the slug is 2–64 characters: lowercase a–z, digits and hyphens.")
    }

    static func unknownLanguage(_ lang: String, _ allowed: [String]) -> Message {
        Message(nb: "Språket «\(lang)» i filnavnet er ikke et av språkene katalogen publiserer (\(allowed.joined(separator: ", "))).",
                en: "The language '\(lang)' in the file name is not one the catalog publishes (\(allowed.joined(separator: ", "))).")
    }

    static func ignoredFile(_ name: String) -> Message {
        Message(nb: "Filen «\(name)» blir ikke brukt: bare provider.yaml og .md-filer leses her.",
                en: "The file '\(name)' is not used: only provider.yaml and .md files are read here.")
    }

    static let missingProviderYAML = Message(nb: "Tilbydermappen mangler provider.yaml. Legg til filen med navn, organisasjonsnummer, type og kommune.",
                                             en: "The provider folder has no provider.yaml. Add the file with name, organisation number, type and municipality.")
}
