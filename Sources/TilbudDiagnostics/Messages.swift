/// Every message Tilbud speaks to editors in, in bokmål and English: one catalog, used by the load stage
/// (TilbudContent), the validate stage (TilbudValidate), the templates (TilbudRender) and the workflow
/// (TilbudWorkflow). A message says what is wrong and what to do; its code is a `DiagnosticID`.
public enum Messages {
    // MARK: load: file safety, front matter, YAML

    public static func anchor(_ isAnchor: Bool) -> Message {
        isAnchor
            ? Message(nb: "YAML-ankere (&navn) er ikke tillatt. Skriv verdien ut i sin helhet.",
                      en: "YAML anchors (&name) are not allowed. Write the value out in full.")
            : Message(nb: "YAML-aliaser (*navn) er ikke tillatt. Skriv verdien ut i sin helhet.",
                      en: "YAML aliases (*name) are not allowed. Write the value out in full.")
    }

    public static func tooDeep(_ limit: Int) -> Message {
        Message(nb: "YAML-en er nøstet for dypt (mer enn \(limit) nivåer). Ingen oppføring trenger så mange nivåer.",
                en: "The YAML is nested too deeply (more than \(limit) levels). No record needs that many.")
    }

    public static func yamlSyntax(_ detail: String) -> Message {
        Message(nb: "YAML-en kan ikke leses: \(detail). Sjekk innrykk, kolon og anførselstegn på denne linjen.",
                en: "The YAML cannot be read: \(detail). Check indentation, colons and quotes on this line.")
    }

    public static func duplicateKey(_ keys: String) -> Message {
        Message(nb: "Feltet «\(keys)» står flere ganger. Hvert felt skal bare stå én gang; slett det ene.",
                en: "The field '\(keys)' appears more than once. Each field may appear only once; delete one.")
    }

    public static let keyNotText = Message(nb: "Et feltnavn må være vanlig tekst, ikke en liste eller en gruppe.",
                                    en: "A field name must be plain text, not a list or a mapping.")

    public static func controlCharacter(_ scalar: UInt32) -> Message {
        let hex = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return Message(nb: "Her står et usynlig styretegn (\(code)). Slike tegn kan endre hvordan teksten vises; slett det og skriv teksten på nytt.",
                       en: "There is an invisible control character here (\(code)). Such characters can change how text is shown; delete it and type the text again.")
    }

    public static let notUTF8 = Message(nb: "Filen er ikke lagret som UTF-8. Lagre den på nytt med tegnkoding UTF-8.",
                                 en: "The file is not saved as UTF-8. Save it again with the UTF-8 encoding.")

    public static func tooLarge(_ size: Int, _ limit: Int) -> Message {
        // The limit comes from policy.yaml; name it in MiB only when it is a whole number of them.
        let mib = limit % 1_048_576 == 0 ? " (\(limit / 1_048_576) MiB)" : ""
        return Message(nb: "Filen er \(size) byte; grensen er \(limit) byte\(mib). Kort ned teksten.",
                       en: "The file is \(size) bytes; the limit is \(limit) bytes\(mib). Shorten the text.")
    }

    public static let symlinkOutside = Message(nb: "Dette er en symbolsk lenke som peker ut av content-mappen. Legg selve filen i mappen i stedet.",
                                        en: "This is a symbolic link that leads outside the content folder. Put the file itself in the folder instead.")

    public static let noFrontMatter = Message(nb: "Filen mangler front matter. Første linje skal være «---», så feltene, så en ny linje «---».",
                                       en: "The file has no front matter. The first line must be '---', then the fields, then another '---' line.")

    public static let unclosedFrontMatter = Message(nb: "Front matter er ikke avsluttet. Legg til en linje med «---» etter det siste feltet.",
                                             en: "The front matter is not closed. Add a line with '---' after the last field.")

    public static let notMapping = Message(nb: "Front matter skal være en liste med felt på formen «navn: verdi».",
                                    en: "The front matter must be a set of fields of the form 'name: value'.")

    public static func unreadable(_ detail: String) -> Message {
        Message(nb: "Filen kan ikke leses: \(detail).", en: "The file cannot be read: \(detail).")
    }

    public static func badProviderFolder(_ name: String) -> Message {
        Message(nb: "Mappenavnet «\(name)» er ikke en gyldig tilbyder-id. Bruk 2–64 tegn: små bokstaver a–z, sifre og bindestrek.",
                en: "The folder name '\(name)' is not a valid provider id. Use 2–64 characters: lowercase a–z, digits and hyphens.")
    }

    public static func badFileName(_ name: String) -> Message {
        Message(nb: "Filnavnet «\(name)» følger ikke reglene. Et tilbud heter <slug>.md (eller <slug>.nn.md / <slug>.en.md for oversettelser), der slug er 2–64 tegn: små bokstaver a–z, sifre og bindestrek.",
                en: "The file name '\(name)' breaks the rules. An offer is <slug>.md (or <slug>.nn.md / <slug>.en.md for translations), where the slug is 2–64 characters: lowercase a–z, digits and hyphens.")
    }

    public static func unknownLanguage(_ lang: String, _ allowed: [String]) -> Message {
        Message(nb: "Språket «\(lang)» i filnavnet er ikke et av språkene katalogen publiserer (\(allowed.joined(separator: ", "))).",
                en: "The language '\(lang)' in the file name is not one the catalog publishes (\(allowed.joined(separator: ", "))).")
    }

    public static func ignoredFile(_ name: String) -> Message {
        Message(nb: "Filen «\(name)» blir ikke brukt: bare provider.yaml og .md-filer leses her.",
                en: "The file '\(name)' is not used: only provider.yaml and .md files are read here.")
    }

    public static let missingProviderYAML = Message(nb: "Tilbydermappen mangler provider.yaml. Legg til filen med navn, organisasjonsnummer, type og kommune.",
                                             en: "The provider folder has no provider.yaml. Add the file with name, organisation number, type and municipality.")

    // MARK: validate: fields, vocabularies, governance, states

    public static func unknownField(_ field: String, _ suggestion: String?) -> Message {
        Message(nb: "Ukjent felt «\(field)»." + (suggestion.map { " Mente du «\($0)»?" } ?? " Slett det eller sjekk stavemåten."),
                en: "Unknown field '\(field)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? " Delete it or check the spelling."))
    }
    public static func allowedFields(_ fields: [String]) -> Message {
        Message(nb: "Tillatte felt her: \(fields.joined(separator: ", ")).", en: "Fields allowed here: \(fields.joined(separator: ", ")).")
    }
    public static func missingField(_ field: String, _ what: String) -> Message {
        Message(nb: "Feltet «\(field)» mangler. Det er påkrevd for \(what == "offer" ? "et tilbud" : what == "provider" ? "en tilbyder" : what).",
                en: "The field '\(field)' is missing. It is required for \(what == "offer" ? "an offer" : what == "provider" ? "a provider" : what).")
    }
    public static func expectedText(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være tekst, ikke en liste eller gruppe.", en: "'\(field)' must be text, not a list or a mapping.")
    }
    public static func emptyText(_ field: String) -> Message {
        Message(nb: "«\(field)» er tomt. Fyll inn en verdi eller fjern feltet.", en: "'\(field)' is empty. Fill in a value or remove the field.")
    }
    public static func expectedList(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være en liste, for eksempel [a, b].", en: "'\(field)' must be a list, for example [a, b].")
    }
    public static func expectedMapping(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være en gruppe med underfelt (navn: verdi) på linjene under.", en: "'\(field)' must be a group of sub-fields (name: value) on the lines below.")
    }
    public static func expectedBool(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være true eller false, ikke «\(got)».", en: "'\(field)' must be true or false, not '\(got)'.")
    }
    public static func expectedInteger(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være et helt tall (kroner uten «kr» og mellomrom), ikke «\(got)».",
                en: "'\(field)' must be a whole number (kroner without 'kr' or spaces), not '\(got)'.")
    }
    public static func expectedDate(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være en dato på formen ÅÅÅÅ-MM-DD (for eksempel 2025-02-04), ikke «\(got)».",
                en: "'\(field)' must be a date of the form YYYY-MM-DD (for example 2025-02-04), not '\(got)'.")
    }
    public static func expectedDateTime(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være en dato (2025-02-04) eller dato og klokkeslett (2025-02-04T18:00), ikke «\(got)».",
                en: "'\(field)' must be a date (2025-02-04) or a date and time (2025-02-04T18:00), not '\(got)'.")
    }
    public static func unknownID(_ field: String, _ id: String, _ vocabulary: String, _ suggestion: String?, _ some: [String]) -> Message {
        let list = some.prefix(12).joined(separator: ", ") + (some.count > 12 ? ", …" : "")
        return Message(nb: "«\(id)» er ikke en gyldig verdi for «\(field)»." + (suggestion.map { " Mente du «\($0)»?" } ?? "") + " Gyldige verdier (\(vocabulary)): \(list).",
                       en: "'\(id)' is not a valid value for '\(field)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "") + " Valid values (\(vocabulary)): \(list).")
    }
    public static func count(_ field: String, _ n: Int, _ range: (Int, Int)) -> Message {
        Message(nb: "«\(field)» har \(n) verdier; det skal være fra \(range.0) til \(range.1).",
                en: "'\(field)' has \(n) values; it must have from \(range.0) to \(range.1).")
    }
    public static func tooLong(_ field: String, _ n: Int, _ max: Int) -> Message {
        Message(nb: "«\(field)» er \(n) tegn langt; grensen er \(max). Kort det ned med \(n - max) tegn.",
                en: "'\(field)' is \(n) characters long; the limit is \(max). Shorten it by \(n - max).")
    }
    public static func invalidMunicipality(_ code: String, _ suggestion: String?) -> Message {
        Message(nb: "«\(code)» er ikke et kommunenummer i SSBs liste. Et kommunenummer har fire sifre i anførselstegn, for eksempel \"0301\" for Oslo." + (suggestion.map { " Mente du \($0)?" } ?? ""),
                en: "'\(code)' is not a municipality number in Statistics Norway's list. It has four digits in quotes, for example \"0301\" for Oslo." + (suggestion.map { " Did you mean \($0)?" } ?? ""))
    }
    public static func invalidPostalCode(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke et postnummer. Et postnummer har fire sifre i anførselstegn, for eksempel \"0553\".",
                en: "'\(s)' is not a postal code. A postal code has four digits in quotes, for example \"0553\".")
    }
    public static func invalidOrgNumber(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke et gyldig organisasjonsnummer: det skal være 9 sifre med riktig kontrollsiffer. Sjekk nummeret i Enhetsregisteret.",
                en: "'\(s)' is not a valid organisation number: it must be 9 digits with a correct check digit. Check it in the Central Coordinating Register.")
    }
    public static func invalidPhone(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke et gyldig telefonnummer. Skriv +47 og 8 sifre, for eksempel \"+47 23 00 00 00\", eller et femsifret nummer.",
                en: "'\(s)' is not a valid phone number. Write +47 and 8 digits, for example \"+47 23 00 00 00\", or a 5-digit number.")
    }
    public static func invalidEmail(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke en gyldig e-postadresse (navn@domene.no).", en: "'\(s)' is not a valid e-mail address (name@domain.no).")
    }
    public static func insecureURL(_ s: String) -> Message {
        Message(nb: "Lenken «\(s)» bruker http:. Bare sikre lenker (https://) er tillatt.", en: "The link '\(s)' uses http:. Only secure links (https://) are allowed.")
    }
    public static func forbiddenURL(_ s: String, _ scheme: String) -> Message {
        Message(nb: "Lenken «\(s)» bruker «\(scheme):», som ikke er tillatt. Bare https://-lenker er tillatt.",
                en: "The link '\(s)' uses '\(scheme):', which is not allowed. Only https:// links are allowed.")
    }
    public static func malformedURL(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke en gyldig nettadresse. Skriv hele adressen, for eksempel https://example.org/kurs.",
                en: "'\(s)' is not a valid web address. Write the full address, for example https://example.org/course.")
    }
    public static func endBeforeStart(_ end: String, _ start: String) -> Message {
        Message(nb: "Slutt (\(end)) er før start (\(start)). Sjekk datoene.", en: "The end (\(end)) is before the start (\(start)). Check the dates.")
    }
    public static func nationalIDInName(_ name: String) -> Message {
        Message(nb: "Navnet «\(name)» (mappe- eller filnavn) inneholder det som ser ut som et fødselsnummer eller D-nummer. Gi filen eller mappen et annet navn.",
                en: "The name \u{201C}\(name)\u{201D} (folder or file name) holds what looks like a national identity number. Rename the file or folder.")
    }
    public static let nationalID = Message(nb: "Her står det som ser ut som et fødselsnummer eller D-nummer. Personnummer skal aldri stå i en offentlig katalog; fjern det.",
                                    en: "This looks like a Norwegian national identity number (fødselsnummer or D-nummer). Identity numbers must never appear in a public catalog; remove it.")
    public static func invalidGeo() -> Message {
        Message(nb: "«geo» skal være [breddegrad, lengdegrad] innenfor Norge (57,9–71,3 N, 4,4–31,3 Ø), for eksempel [59.9226, 10.7590].",
                en: "'geo' must be [latitude, longitude] inside Norway (57.9–71.3 N, 4.4–31.3 E), for example [59.9226, 10.7590].")
    }
    public static func needsLocation(_ delivery: String) -> Message {
        Message(nb: "Tilbudet har gjennomføring «\(delivery)», så det trenger minst ett sted under «locations».",
                en: "The offer's delivery is '\(delivery)', so it needs at least one place under 'locations'.")
    }
    public static let needsMunicipalities = Message(nb: "Oppgi hvilke kommuner tilbudet gjelder i «municipalities», eller sett «national: true» hvis det er åpent for hele landet.",
                                             en: "List the municipalities the offer serves in 'municipalities', or set 'national: true' if it is open to all of Norway.")
    public static let needsSchedule = Message(nb: "Oppgi datoer under «schedule», eller sett «ongoing: true» hvis tilbudet har løpende oppstart.",
                                       en: "Give dates under 'schedule', or set 'ongoing: true' if the offer has continuous intake.")
    public static func needsAmount(_ kind: String) -> Message {
        Message(nb: "Prisen er «\(kind)», så «amount_nok» (beløp i kroner) må fylles inn.", en: "The price is '\(kind)', so 'amount_nok' (the amount in kroner) must be given.")
    }
    public static let negativeAmount = Message(nb: "Beløpet kan ikke være negativt.", en: "The amount cannot be negative.")
    public static let signupEmpty = Message(nb: "«signup» må ha minst én av url, phone eller email, så folk vet hvordan de melder seg på.",
                                     en: "'signup' needs at least one of url, phone or email, so people know how to sign up.")
    public static func translationWithoutBase(_ base: String) -> Message {
        Message(nb: "Oversettelsen har ingen grunnfil. Lag \(base) (bokmål) først, eller gi denne filen riktig navn.",
                en: "The translation has no base file. Create \(base) (bokmål) first, or give this file the right name.")
    }
    public static func translationField(_ field: String) -> Message {
        Message(nb: "En oversettelse kan bare endre title og summary (og teksten). «\(field)» hentes fra grunnfilen; endre det der.",
                en: "A translation may only change title and summary (and the text). '\(field)' comes from the base file; change it there.")
    }
    public static func htmlInText(_ field: String) -> Message {
        Message(nb: "«\(field)» er ren tekst: HTML-koder som <b> vises som tegn på nettsiden. Fjern dem.",
                en: "'\(field)' is plain text: HTML tags such as <b> show as characters on the site. Remove them.")
    }
    public static func invisibleCharacter(_ field: String, _ scalar: UInt32) -> Message {
        let hex = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return Message(nb: "«\(field)» har et usynlig tegn (\(code)). Det får teksten til å se ut som en annen tekst som søket ikke finner. Slett tegnet: skriv ordet på nytt, eller lim inn teksten som ren tekst.",
                       en: "'\(field)' has an invisible character (\(code)). It makes the text look like another text that search does not find. Delete the character: type the word again, or paste the text as plain text.")
    }
    public static func fieldIndispensable(_ field: String) -> Message {
        Message(nb: "Feltet «\(field)» må være erklært i fields.yaml med required: true; nettstedet kan ikke lage en side uten det.",
                en: "The field '\(field)' must be declared in fields.yaml with required: true; the site cannot make a page without it.")
    }
    public static func fieldTypeFixed(_ field: String, _ type: String) -> Message {
        Message(nb: "Feltet «\(field)» må ha type \(type): nettstedet bruker det slik. Endre grenser, påkrevd og etiketter, men ikke typen.",
                en: "The field '\(field)' must have type \(type): the site uses it that way. Change its limits, whether it is required and its labels, but not its type.")
    }
    public static func fieldNameReserved(_ field: String) -> Message {
        Message(nb: "Feltnavnet «\(field)» er opptatt: API-et bruker det selv. Velg et annet navn.",
                en: "The field name '\(field)' is taken: the API uses it itself. Choose another name.")
    }
    public static func badFieldName(_ name: String) -> Message {
        Message(nb: "«\(name)» er ikke et gyldig feltnavn. Bruk a–z, 0–9 og _.", en: "'\(name)' is not a valid field name. Use a–z, 0–9 and _.")
    }
    public static let conditionNeedsOneList = Message(nb: "required_when trenger enten «in» eller «not_in» (en liste med verdier).",
                                               en: "required_when needs either 'in' or 'not_in' (a list of values).")
    public static func fieldNeedsVocabulary(_ path: String) -> Message {
        Message(nb: "«\(path)» er av type id eller ids og trenger «vocabulary» (eller «values» for id).",
                en: "'\(path)' is of type id or ids and needs 'vocabulary' (or 'values' for id).")
    }
    public static func limitMoved(_ key: String, _ to: String) -> Message {
        Message(nb: "«\(key)» står nå i fields.yaml, som \(to). Flytt grensen dit og slett linjen her.",
                en: "'\(key)' is now in fields.yaml, as \(to). Move the limit there and delete this line.")
    }
    public static func fieldRequiredWhen(_ field: String, _ other: String, _ value: String?) -> Message {
        Message(nb: "Feltet «\(field)» mangler. Det er påkrevd når «\(other)» er \(value.map { "«\($0)»" } ?? "tomt").",
                en: "The field '\(field)' is missing. It is required when '\(other)' is \(value.map { "'\($0)'" } ?? "empty").")
    }
    public static func numberOutOfRange(_ field: String, _ value: String, _ min: String?, _ max: String?) -> Message {
        let nb = min.map { lo in max.map { "fra \(lo) til \($0)" } ?? "minst \(lo)" } ?? max.map { "høyst \($0)" } ?? ""
        let en = min.map { lo in max.map { "from \(lo) to \($0)" } ?? "at least \(lo)" } ?? max.map { "at most \($0)" } ?? ""
        return Message(nb: "«\(field)» er \(value); det skal være \(nb).", en: "'\(field)' is \(value); it must be \(en).")
    }
    public static func expectedNumber(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være et tall (med punktum som desimaltegn), ikke «\(got)».", en: "'\(field)' must be a number (with a point for decimals), not '\(got)'.")
    }
    public static let htmlInSummary = Message(nb: "Sammendraget skal være ren tekst uten HTML-koder.", en: "The summary must be plain text without HTML tags.")
    public static let markdownInSummary = Message(nb: "Sammendraget er ren tekst; Markdown (som ** eller lenker) vises som tegn. Skriv det uten formatering.",
                                           en: "The summary is plain text; Markdown (such as ** or links) shows as characters. Write it without formatting.")
    public static func dueForReview(_ last: String, _ due: String) -> Message {
        Message(nb: "Tilbudet ble sist kontrollert \(last) og skulle vært gjennomgått innen \(due). Sjekk at alt stemmer, og oppdater «last_reviewed».",
                en: "The offer was last reviewed on \(last) and was due for review by \(due). Check that everything is right and update 'last_reviewed'.")
    }
    public static func stale(_ last: String) -> Message {
        Message(nb: "Tilbudet ble sist kontrollert \(last) og er nå utdatert: det vises ikke i lister og søk før det er gjennomgått. Oppdater «last_reviewed» når du har sjekket det.",
                en: "The offer was last reviewed on \(last) and is now stale: it is hidden from lists and search until reviewed. Update 'last_reviewed' once you have checked it.")
    }
    public static let summaryRepeatsTitle = Message(nb: "Sammendraget gjentar bare tittelen. Fortell kort hva tilbudet er og hvem det er for.",
                                             en: "The summary only repeats the title. Say briefly what the offer is and who it is for.")
    public static let runWithoutTime = Message(nb: "Kursstarten har verken klokkeslett i «start» eller faste tider under «times». Legg til for eksempel «times: [{weekday: tirsdag, from: \"18:00\", to: \"20:00\"}]», så kan folk legge kurset i kalenderen.",
                                                en: "The run has neither a time in 'start' nor weekly times under 'times'. Add for example 'times: [{weekday: tirsdag, from: \"18:00\", to: \"20:00\"}]' so people can add the course to their calendar.")
    public static func unknownLocation(_ name: String, _ names: [String]) -> Message {
        Message(nb: "«\(name)» er ikke et av stedene under «locations»" + (names.isEmpty ? "." : ": " + names.map { "«\($0)»" }.joined(separator: ", ") + "."),
                en: "'\(name)' is not one of the places under 'locations'" + (names.isEmpty ? "." : ": " + names.map { "'\($0)'" }.joined(separator: ", ") + "."))
    }
    public static func invalidTime(_ name: String, _ value: String) -> Message {
        Message(nb: "«\(name)» må være et klokkeslett som \"18:00\", ikke «\(value)».", en: "'\(name)' must be a time such as \"18:00\", not '\(value)'.")
    }
    public static func timeEndsBeforeStart(_ from: String, _ to: String) -> Message {
        Message(nb: "Slutt (\(to)) er ikke etter start (\(from)). Sjekk klokkeslettene.", en: "The end (\(to)) is not after the start (\(from)). Check the times.")
    }
    public static let runDeadlineAfterStart = Message(nb: "Påmeldingsfristen er etter at kurset starter. Sjekk datoen.", en: "The sign-up deadline is after the run starts. Check the date.")
    public static let deadlineAfterStart = Message(nb: "Påmeldingsfristen er etter første oppstart. Sjekk datoen.", en: "The sign-up deadline is after the first start. Check the date.")
    public static let bodyEmpty = Message(nb: "Tilbudet har ingen beskrivelse under front matter. Skriv noen avsnitt om hva det er, hvem det er for og hvordan man melder seg på.",
                                   en: "The offer has no description below the front matter. Write a few paragraphs on what it is, who it is for and how to sign up.")
    public static func bodyTooLong(_ n: Int, _ max: Int) -> Message {
        Message(nb: "Teksten er \(n) tegn; grensen er \(max).", en: "The text is \(n) characters; the limit is \(max).")
    }
    public static func tableTooWide(_ columns: Int, _ max: Int) -> Message {
        Message(nb: "Tabellen har \(columns) kolonner; grensen er \(max). Del den i flere tabeller, eller skriv innholdet som en liste.",
                en: "The table has \(columns) columns; the limit is \(max). Split it into several tables, or write its content as a list.")
    }
    public static func tableTooLarge(_ columns: Int, _ rows: Int, _ max: Int) -> Message {
        Message(nb: "Tabellen har \(columns * rows) celler (\(columns) kolonner og \(rows) rader); grensen er \(max). Del den i flere tabeller, eller skriv innholdet som en liste. En tabell slutter ved første tomme linje.",
                en: "The table has \(columns * rows) cells (\(columns) columns and \(rows) rows); the limit is \(max). Split it into several tables, or write its content as a list. A table ends at the first blank line.")
    }
    public static func bodyHTMLTooLarge(_ bytes: Int, _ max: Int) -> Message {
        Message(nb: "Teksten blir \(bytes) byte på nettsiden; grensen er \(max). Det skjer når en lenke med lang adresse brukes mange ganger, eller med svært dyp nesting (sitater og lister i hverandre). Skriv adressen ut der den trengs, og gjør strukturen flatere.",
                en: "The text becomes \(bytes) bytes on the web page; the limit is \(max). That happens when a link with a long address is used many times, or with very deep nesting (quotes and lists inside each other). Write the address out where it is needed, and make the structure flatter.")
    }
    public static let rawHTMLInBody = Message(nb: "Teksten inneholder HTML-koder. De vises ikke på nettsiden; bruk Markdown i stedet.",
                                       en: "The text contains HTML tags. They are not shown on the site; use Markdown instead.")
    public static let noWayToSignUp = Message(nb: "Tilbudet har verken «signup» eller «contact». Legg til minst én måte å melde seg på eller ta kontakt.",
                                       en: "The offer has neither 'signup' nor 'contact'. Add at least one way to sign up or get in touch.")
    public static func locationOutside(_ code: String) -> Message {
        Message(nb: "Stedet ligger i kommune \(code), som ikke står i «municipalities». Legg den til om tilbudet gjelder innbyggerne der.",
                en: "The place is in municipality \(code), which is not in 'municipalities'. Add it if the offer serves its residents.")
    }
    public static func reviewedInFuture(_ d: String) -> Message {
        Message(nb: "«last_reviewed» (\(d)) er en dato fram i tid. Bruk datoen da tilbudet faktisk ble kontrollert.",
                en: "'last_reviewed' (\(d)) is in the future. Use the date the offer was actually checked.")
    }
    public static func duplicateValue(_ field: String, _ v: String) -> Message {
        Message(nb: "«\(v)» står to ganger i «\(field)».", en: "'\(v)' appears twice in '\(field)'.")
    }
    public static func invalidStatus(_ s: String) -> Message {
        Message(nb: "«status» skal være published, draft eller archived, ikke «\(s)».", en: "'status' must be published, draft or archived, not '\(s)'.")
    }
    public static let notStrictText = Message(nb: "Skriv verdien i anførselstegn, for eksempel \"0301\", så innledende nuller beholdes.",
                                       en: "Put the value in quotes, for example \"0301\", so leading zeros are kept.")
    public static func amountForFree() -> Message {
        Message(nb: "Prisen er «gratis», men «amount_nok» er større enn 0.", en: "The price is 'gratis' (free), but 'amount_nok' is more than 0.")
    }
    public static func vocabularyMissing(_ name: String) -> Message {
        Message(nb: "Vokabularet «\(name)» mangler i vocabularies.yaml.", en: "The vocabulary '\(name)' is missing from vocabularies.yaml.")
    }
    public static func labelMissing(_ lang: String) -> Message {
        Message(nb: "Etiketten mangler språket «\(lang)». Hver verdi trenger etikett på nb, nn og en.", en: "The label lacks the language '\(lang)'. Every value needs a label in nb, nn and en.")
    }
    public static func duplicateID(_ id: String) -> Message {
        Message(nb: "Id-en «\(id)» finnes allerede. Hver id skal være unik.", en: "The id '\(id)' already exists. Every id must be unique.")
    }
    public static func badVocabularyID(_ id: String) -> Message {
        Message(nb: "«\(id)» er ikke en gyldig id: bruk små bokstaver a–z, sifre og bindestrek.", en: "'\(id)' is not a valid id: use lowercase a–z, digits and hyphens.")
    }
    public static func invalidNumber(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være et positivt heltall.", en: "'\(field)' must be a positive whole number.")
    }
    public static let siteMissing = Message(nb: "site.yaml mangler; standardverdier brukes for tittel og adresse.", en: "site.yaml is missing; defaults are used for the title and address.")
    public static func duplicateTitle(_ other: String) -> Message {
        Message(nb: "Samme tittel som \(other). Gi tilbudene ulike titler så innbyggerne kan skille dem.",
                en: "Same title as \(other). Give the offers different titles so citizens can tell them apart.")
    }
    public static func municipalityCSVHeader() -> Message {
        Message(nb: "Første linje skal være kommunenummer,navn,fylkesnummer,fylkesnavn (og eventuelt breddegrad,lengdegrad).",
                en: "The first line must be kommunenummer,navn,fylkesnummer,fylkesnavn (optionally followed by breddegrad,lengdegrad).")
    }
    public static let postcodeRow = Message(nb: "Raden skal være postnummer,poststed,kommunenummer: fire sifre, et navn og en kommune fra municipalities.csv.",
                                            en: "The row must be postnummer,poststed,kommunenummer: four digits, a name and a municipality from municipalities.csv.")
    public static func invalidMunicipalityRow(_ code: String) -> Message {
        Message(nb: "«\(code)» er ikke et firesifret kommunenummer.", en: "'\(code)' is not a four-digit municipality number.")
    }
    public static func missingFile(_ name: String) -> Message {
        Message(nb: "Filen \(name) mangler. Den er en del av styringsdataene og må finnes.",
                en: "The file \(name) is missing. It is part of the governance data and must exist.")
    }
    public static let csvBadRow = Message(nb: "Raden har ikke de samme kolonnene som første linje (kommunenummer,navn,fylkesnummer,fylkesnavn og eventuelt breddegrad,lengdegrad med gyldige tall).",
                                   en: "The row does not have the columns of the first line (kommunenummer,navn,fylkesnummer,fylkesnavn, optionally breddegrad,lengdegrad as valid numbers).")

    // MARK: the content folder

    public static func noContent(_ folder: String) -> Message {
        Message(nb: "Fant ikke content-mappen «\(folder)».", en: "The content folder '\(folder)' was not found.")
    }

    // MARK: templates and UI strings (TilbudRender)

    public static let templateNotUTF8 = Message(nb: "Malen kan ikke leses som UTF-8.", en: "The template cannot be read as UTF-8.")
    public static func templateSyntax(_ detail: String) -> Message {
        Message(nb: "Malen har en syntaksfeil: \(detail).", en: "The template has a syntax error: \(detail).")
    }
    public static func templateError(_ detail: String) -> Message {
        Message(nb: "Malen har en feil: \(detail).", en: "The template has an error: \(detail).")
    }
    public static func templateMissing(_ page: String) -> Message {
        Message(nb: "Malen «\(page)» mangler.", en: "The template '\(page)' is missing.")
    }
    public static func stringsMissing(_ lang: String) -> Message {
        Message(nb: "Tekstene for språket «\(lang)» mangler.", en: "The UI strings for '\(lang)' are missing.")
    }
    public static let stringsNotMapping = Message(nb: "Tekstfilen skal være en liste med «nøkkel: tekst».", en: "The strings file must be a set of 'key: text' lines.")
    public static func stringsNotText(_ key: String) -> Message {
        Message(nb: "«\(key)» skal være en tekst eller en liste med tekster.", en: "'\(key)' must be a text or a list of texts.")
    }
    public static func stringsMissingKey(_ key: String, _ lang: String) -> Message {
        Message(nb: "Teksten «\(key)» mangler for språket «\(lang)».", en: "The string '\(key)' is missing for '\(lang)'.")
    }

    // MARK: who may change what (check --since, TilbudWorkflow)

    /// A commit as the messages name it: `abc1234 («subject»)` by `Name <email>` changes `file`.
    public struct Change: Sendable {
        public let shortHash: String, subject: String, authorName: String, email: String, file: String
        public init(shortHash: String, subject: String, authorName: String, email: String, file: String) {
            self.shortHash = shortHash
            self.subject = subject
            self.authorName = authorName
            self.email = email
            self.file = file
        }
        var nb: String { "Commit \(shortHash) («\(subject)») av \(authorName) <\(email)> endrer \(file)" }
        var en: String { "Commit \(shortHash) ('\(subject)') by \(authorName) <\(email)> changes \(file)" }
    }

    static func listNb(_ list: [String]) -> String { list.isEmpty ? "ingen" : list.joined(separator: ", ") }
    static func listEn(_ list: [String]) -> String { list.isEmpty ? "none" : list.joined(separator: ", ") }

    public static func notAnEditor(_ c: Change, provider id: String, editors: [String]) -> Message {
        Message(nb: "\(c.nb), men \(c.email) er ikke redaktør for tilbyderen «\(id)» (editors i provider.yaml: \(listNb(editors))).",
                en: "\(c.en), but \(c.email) is not an editor of the provider '\(id)' (editors in provider.yaml: \(listEn(editors))).")
    }
    public static let notAnEditorHint = Message(nb: "Bare redaktørene i provider.yaml kan endre tilbyderens mappe. Be en av dem gjøre endringen, eller be en redaktør legge deg til i «editors».",
                                                en: "Only the editors in provider.yaml may change the provider's folder. Ask one of them to make the change, or ask an editor to add you to 'editors'.")
    public static func wasNotAnEditor(_ c: Change, provider id: String, editorsBefore: [String]) -> Message {
        Message(nb: "\(c.nb), men \(c.email) var ikke redaktør for «\(id)» før endringen (editors var: \(listNb(editorsBefore))).",
                en: "\(c.en), but \(c.email) was not an editor of '\(id)' before the change (editors were: \(listEn(editorsBefore))).")
    }
    public static let wasNotAnEditorHint = Message(nb: "Ingen kan gi seg selv tilgang: en som allerede er redaktør må endre provider.yaml.",
                                                   en: "Nobody can grant themselves access: someone who already is an editor must change provider.yaml.")
    public static func notAGovernanceEditor(_ c: Change, governanceEditors: [String]) -> Message {
        Message(nb: "\(c.nb), men \(c.email) står ikke i governance_editors i policy.yaml (\(listNb(governanceEditors))).",
                en: "\(c.en), but \(c.email) is not in governance_editors in policy.yaml (\(listEn(governanceEditors))).")
    }
    public static let notAGovernanceEditorHint = Message(nb: "Styringsdataene (governance/ og site.yaml) endres bare av forvaltningen. Send forslaget til dem.",
                                                         en: "The governance data (governance/ and site.yaml) is changed only by the governance body. Send them your proposal.")
    public static func wasNotAGovernanceEditor(_ c: Change, governanceEditorsBefore: [String]) -> Message {
        Message(nb: "\(c.nb), men \(c.email) sto ikke i governance_editors før endringen (\(listNb(governanceEditorsBefore))).",
                en: "\(c.en), but \(c.email) was not in governance_editors before the change (\(listEn(governanceEditorsBefore))).")
    }
    public static let wasNotAGovernanceEditorHint = Message(nb: "Ingen kan gi seg selv tilgang: en som allerede står i governance_editors må gjøre endringen.",
                                                            en: "Nobody can grant themselves access: someone already in governance_editors must make the change.")

    // MARK: site.yaml: the publisher, the site's own pages and files

    public static func siteFileOutside(_ field: String, _ value: String) -> Message {
        Message(nb: "«\(field)» skal være en fil i innholdsmappen, skrevet som en sti fra den (for eksempel media/logo.svg), men er «\(value)».",
                en: "'\(field)' must be a file in the content folder, written as a path from it (such as media/logo.svg), but is '\(value)'.")
    }
    public static func siteFileMissing(_ field: String, _ value: String) -> Message {
        Message(nb: "Finner ikke filen «\(value)» som «\(field)» peker på. Sjekk stien; den regnes fra innholdsmappen.",
                en: "Cannot find the file '\(value)' that '\(field)' names. Check the path; it is relative to the content folder.")
    }
    public static func siteFileKind(_ field: String, _ value: String, nb kindsNb: String, en kindsEn: String) -> Message {
        Message(nb: "«\(field)» skal være \(kindsNb), men «\(value)» er ikke det.",
                en: "'\(field)' must be \(kindsEn), but '\(value)' is not.")
    }
    public static func siteDocumentName(_ field: String, _ value: String) -> Message {
        Message(nb: "«\(field)» skal være en Markdown-fil (.md) på bokmål; oversettelsene ligger ved siden av som <navn>.nn.md og <navn>.en.md. «\(value)» slutter ikke på .md.",
                en: "'\(field)' must be a Markdown file (.md) in bokmål; its translations lie beside it as <name>.nn.md and <name>.en.md. '\(value)' does not end in .md.")
    }
}
