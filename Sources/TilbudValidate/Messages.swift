import TilbudDiagnostics

/// The validate stage's messages, in bokmål and English, next to the rules that emit them.
enum M {
    static func unknownField(_ field: String, _ suggestion: String?) -> Message {
        Message(nb: "Ukjent felt «\(field)»." + (suggestion.map { " Mente du «\($0)»?" } ?? " Slett det eller sjekk stavemåten."),
                en: "Unknown field '\(field)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? " Delete it or check the spelling."))
    }
    static func allowedFields(_ fields: [String]) -> Message {
        Message(nb: "Tillatte felt her: \(fields.joined(separator: ", ")).", en: "Fields allowed here: \(fields.joined(separator: ", ")).")
    }
    static func missingField(_ field: String, _ what: String) -> Message {
        Message(nb: "Feltet «\(field)» mangler. Det er påkrevd for \(what == "offer" ? "et tilbud" : what == "provider" ? "en tilbyder" : what).",
                en: "The field '\(field)' is missing. It is required for \(what == "offer" ? "an offer" : what == "provider" ? "a provider" : what).")
    }
    static func expectedText(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være tekst, ikke en liste eller gruppe.", en: "'\(field)' must be text, not a list or a mapping.")
    }
    static func emptyText(_ field: String) -> Message {
        Message(nb: "«\(field)» er tomt. Fyll inn en verdi eller fjern feltet.", en: "'\(field)' is empty. Fill in a value or remove the field.")
    }
    static func expectedList(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være en liste, for eksempel [a, b].", en: "'\(field)' must be a list, for example [a, b].")
    }
    static func expectedMapping(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være en gruppe med underfelt (navn: verdi) på linjene under.", en: "'\(field)' must be a group of sub-fields (name: value) on the lines below.")
    }
    static func expectedBool(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være true eller false, ikke «\(got)».", en: "'\(field)' must be true or false, not '\(got)'.")
    }
    static func expectedInteger(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være et helt tall (kroner uten «kr» og mellomrom), ikke «\(got)».",
                en: "'\(field)' must be a whole number (kroner without 'kr' or spaces), not '\(got)'.")
    }
    static func expectedDate(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være en dato på formen ÅÅÅÅ-MM-DD (for eksempel 2025-02-04), ikke «\(got)».",
                en: "'\(field)' must be a date of the form YYYY-MM-DD (for example 2025-02-04), not '\(got)'.")
    }
    static func expectedDateTime(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være en dato (2025-02-04) eller dato og klokkeslett (2025-02-04T18:00), ikke «\(got)».",
                en: "'\(field)' must be a date (2025-02-04) or a date and time (2025-02-04T18:00), not '\(got)'.")
    }
    static func unknownID(_ field: String, _ id: String, _ vocabulary: String, _ suggestion: String?, _ some: [String]) -> Message {
        let list = some.prefix(12).joined(separator: ", ") + (some.count > 12 ? ", …" : "")
        return Message(nb: "«\(id)» er ikke en gyldig verdi for «\(field)»." + (suggestion.map { " Mente du «\($0)»?" } ?? "") + " Gyldige verdier (\(vocabulary)): \(list).",
                       en: "'\(id)' is not a valid value for '\(field)'." + (suggestion.map { " Did you mean '\($0)'?" } ?? "") + " Valid values (\(vocabulary)): \(list).")
    }
    static func count(_ field: String, _ n: Int, _ range: (Int, Int)) -> Message {
        Message(nb: "«\(field)» har \(n) verdier; det skal være fra \(range.0) til \(range.1).",
                en: "'\(field)' has \(n) values; it must have from \(range.0) to \(range.1).")
    }
    static func tooLong(_ field: String, _ n: Int, _ max: Int) -> Message {
        Message(nb: "«\(field)» er \(n) tegn langt; grensen er \(max). Kort det ned med \(n - max) tegn.",
                en: "'\(field)' is \(n) characters long; the limit is \(max). Shorten it by \(n - max).")
    }
    static func invalidMunicipality(_ code: String, _ suggestion: String?) -> Message {
        Message(nb: "«\(code)» er ikke et kommunenummer i SSBs liste. Et kommunenummer har fire sifre i anførselstegn, for eksempel \"0301\" for Oslo." + (suggestion.map { " Mente du \($0)?" } ?? ""),
                en: "'\(code)' is not a municipality number in Statistics Norway's list. It has four digits in quotes, for example \"0301\" for Oslo." + (suggestion.map { " Did you mean \($0)?" } ?? ""))
    }
    static func invalidPostalCode(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke et postnummer. Et postnummer har fire sifre i anførselstegn, for eksempel \"0553\".",
                en: "'\(s)' is not a postal code. A postal code has four digits in quotes, for example \"0553\".")
    }
    static func invalidOrgNumber(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke et gyldig organisasjonsnummer: det skal være 9 sifre med riktig kontrollsiffer. Sjekk nummeret i Enhetsregisteret.",
                en: "'\(s)' is not a valid organisation number: it must be 9 digits with a correct check digit. Check it in the Central Coordinating Register.")
    }
    static func invalidPhone(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke et gyldig telefonnummer. Skriv +47 og 8 sifre, for eksempel \"+47 23 00 00 00\", eller et femsifret nummer.",
                en: "'\(s)' is not a valid phone number. Write +47 and 8 digits, for example \"+47 23 00 00 00\", or a 5-digit number.")
    }
    static func invalidEmail(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke en gyldig e-postadresse (navn@domene.no).", en: "'\(s)' is not a valid e-mail address (name@domain.no).")
    }
    static func insecureURL(_ s: String) -> Message {
        Message(nb: "Lenken «\(s)» bruker http:. Bare sikre lenker (https://) er tillatt.", en: "The link '\(s)' uses http:. Only secure links (https://) are allowed.")
    }
    static func forbiddenURL(_ s: String, _ scheme: String) -> Message {
        Message(nb: "Lenken «\(s)» bruker «\(scheme):», som ikke er tillatt. Bare https://-lenker er tillatt.",
                en: "The link '\(s)' uses '\(scheme):', which is not allowed. Only https:// links are allowed.")
    }
    static func malformedURL(_ s: String) -> Message {
        Message(nb: "«\(s)» er ikke en gyldig nettadresse. Skriv hele adressen, for eksempel https://example.org/kurs.",
                en: "'\(s)' is not a valid web address. Write the full address, for example https://example.org/course.")
    }
    static func endBeforeStart(_ end: String, _ start: String) -> Message {
        Message(nb: "Slutt (\(end)) er før start (\(start)). Sjekk datoene.", en: "The end (\(end)) is before the start (\(start)). Check the dates.")
    }
    static func nationalIDInName(_ name: String) -> Message {
        Message(nb: "Navnet «\(name)» (mappe- eller filnavn) inneholder det som ser ut som et fødselsnummer eller D-nummer. Gi filen eller mappen et annet navn.",
                en: "The name \u{201C}\(name)\u{201D} (folder or file name) holds what looks like a national identity number. Rename the file or folder.")
    }
    static let nationalID = Message(nb: "Her står det som ser ut som et fødselsnummer eller D-nummer. Personnummer skal aldri stå i en offentlig katalog; fjern det.",
                                    en: "This looks like a Norwegian national identity number (fødselsnummer or D-nummer). Identity numbers must never appear in a public catalog; remove it.")
    static func invalidGeo() -> Message {
        Message(nb: "«geo» skal være [breddegrad, lengdegrad] innenfor Norge (57,9–71,3 N, 4,4–31,3 Ø), for eksempel [59.9226, 10.7590].",
                en: "'geo' must be [latitude, longitude] inside Norway (57.9–71.3 N, 4.4–31.3 E), for example [59.9226, 10.7590].")
    }
    static func needsLocation(_ delivery: String) -> Message {
        Message(nb: "Tilbudet har gjennomføring «\(delivery)», så det trenger minst ett sted under «locations».",
                en: "The offer's delivery is '\(delivery)', so it needs at least one place under 'locations'.")
    }
    static let needsMunicipalities = Message(nb: "Oppgi hvilke kommuner tilbudet gjelder i «municipalities», eller sett «national: true» hvis det er åpent for hele landet.",
                                             en: "List the municipalities the offer serves in 'municipalities', or set 'national: true' if it is open to all of Norway.")
    static let needsSchedule = Message(nb: "Oppgi datoer under «schedule», eller sett «ongoing: true» hvis tilbudet har løpende oppstart.",
                                       en: "Give dates under 'schedule', or set 'ongoing: true' if the offer has continuous intake.")
    static func needsAmount(_ kind: String) -> Message {
        Message(nb: "Prisen er «\(kind)», så «amount_nok» (beløp i kroner) må fylles inn.", en: "The price is '\(kind)', so 'amount_nok' (the amount in kroner) must be given.")
    }
    static let negativeAmount = Message(nb: "Beløpet kan ikke være negativt.", en: "The amount cannot be negative.")
    static let signupEmpty = Message(nb: "«signup» må ha minst én av url, phone eller email, så folk vet hvordan de melder seg på.",
                                     en: "'signup' needs at least one of url, phone or email, so people know how to sign up.")
    static func translationWithoutBase(_ base: String) -> Message {
        Message(nb: "Oversettelsen har ingen grunnfil. Lag \(base) (bokmål) først, eller gi denne filen riktig navn.",
                en: "The translation has no base file. Create \(base) (bokmål) first, or give this file the right name.")
    }
    static func translationField(_ field: String) -> Message {
        Message(nb: "En oversettelse kan bare endre title og summary (og teksten). «\(field)» hentes fra grunnfilen; endre det der.",
                en: "A translation may only change title and summary (and the text). '\(field)' comes from the base file; change it there.")
    }
    static func htmlInText(_ field: String) -> Message {
        Message(nb: "«\(field)» er ren tekst: HTML-koder som <b> vises som tegn på nettsiden. Fjern dem.",
                en: "'\(field)' is plain text: HTML tags such as <b> show as characters on the site. Remove them.")
    }
    static func invisibleCharacter(_ field: String, _ scalar: UInt32) -> Message {
        let hex = String(scalar, radix: 16, uppercase: true)
        let code = "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        return Message(nb: "«\(field)» har et usynlig tegn (\(code)). Det får teksten til å se ut som en annen tekst som søket ikke finner. Slett tegnet: skriv ordet på nytt, eller lim inn teksten som ren tekst.",
                       en: "'\(field)' has an invisible character (\(code)). It makes the text look like another text that search does not find. Delete the character: type the word again, or paste the text as plain text.")
    }
    static func fieldIndispensable(_ field: String) -> Message {
        Message(nb: "Feltet «\(field)» må være erklært i fields.yaml med required: true; nettstedet kan ikke lage en side uten det.",
                en: "The field '\(field)' must be declared in fields.yaml with required: true; the site cannot make a page without it.")
    }
    static func fieldTypeFixed(_ field: String, _ type: String) -> Message {
        Message(nb: "Feltet «\(field)» må ha type \(type): nettstedet bruker det slik. Endre grenser, påkrevd og etiketter, men ikke typen.",
                en: "The field '\(field)' must have type \(type): the site uses it that way. Change its limits, whether it is required and its labels, but not its type.")
    }
    static func fieldNameReserved(_ field: String) -> Message {
        Message(nb: "Feltnavnet «\(field)» er opptatt: API-et bruker det selv. Velg et annet navn.",
                en: "The field name '\(field)' is taken: the API uses it itself. Choose another name.")
    }
    static func badFieldName(_ name: String) -> Message {
        Message(nb: "«\(name)» er ikke et gyldig feltnavn. Bruk a–z, 0–9 og _.", en: "'\(name)' is not a valid field name. Use a–z, 0–9 and _.")
    }
    static let conditionNeedsOneList = Message(nb: "required_when trenger enten «in» eller «not_in» (en liste med verdier).",
                                               en: "required_when needs either 'in' or 'not_in' (a list of values).")
    static func fieldNeedsVocabulary(_ path: String) -> Message {
        Message(nb: "«\(path)» er av type id eller ids og trenger «vocabulary» (eller «values» for id).",
                en: "'\(path)' is of type id or ids and needs 'vocabulary' (or 'values' for id).")
    }
    static func limitMoved(_ key: String, _ to: String) -> Message {
        Message(nb: "«\(key)» står nå i fields.yaml, som \(to). Flytt grensen dit og slett linjen her.",
                en: "'\(key)' is now in fields.yaml, as \(to). Move the limit there and delete this line.")
    }
    static func fieldRequiredWhen(_ field: String, _ other: String, _ value: String?) -> Message {
        Message(nb: "Feltet «\(field)» mangler. Det er påkrevd når «\(other)» er \(value.map { "«\($0)»" } ?? "tomt").",
                en: "The field '\(field)' is missing. It is required when '\(other)' is \(value.map { "'\($0)'" } ?? "empty").")
    }
    static func numberOutOfRange(_ field: String, _ value: String, _ min: String?, _ max: String?) -> Message {
        let nb = min.map { lo in max.map { "fra \(lo) til \($0)" } ?? "minst \(lo)" } ?? max.map { "høyst \($0)" } ?? ""
        let en = min.map { lo in max.map { "from \(lo) to \($0)" } ?? "at least \(lo)" } ?? max.map { "at most \($0)" } ?? ""
        return Message(nb: "«\(field)» er \(value); det skal være \(nb).", en: "'\(field)' is \(value); it must be \(en).")
    }
    static func expectedNumber(_ field: String, _ got: String) -> Message {
        Message(nb: "«\(field)» skal være et tall (med punktum som desimaltegn), ikke «\(got)».", en: "'\(field)' must be a number (with a point for decimals), not '\(got)'.")
    }
    static let htmlInSummary = Message(nb: "Sammendraget skal være ren tekst uten HTML-koder.", en: "The summary must be plain text without HTML tags.")
    static let markdownInSummary = Message(nb: "Sammendraget er ren tekst; Markdown (som ** eller lenker) vises som tegn. Skriv det uten formatering.",
                                           en: "The summary is plain text; Markdown (such as ** or links) shows as characters. Write it without formatting.")
    static func dueForReview(_ last: String, _ due: String) -> Message {
        Message(nb: "Tilbudet ble sist kontrollert \(last) og skulle vært gjennomgått innen \(due). Sjekk at alt stemmer, og oppdater «last_reviewed».",
                en: "The offer was last reviewed on \(last) and was due for review by \(due). Check that everything is right and update 'last_reviewed'.")
    }
    static func stale(_ last: String) -> Message {
        Message(nb: "Tilbudet ble sist kontrollert \(last) og er nå utdatert: det vises ikke i lister og søk før det er gjennomgått. Oppdater «last_reviewed» når du har sjekket det.",
                en: "The offer was last reviewed on \(last) and is now stale: it is hidden from lists and search until reviewed. Update 'last_reviewed' once you have checked it.")
    }
    static let summaryRepeatsTitle = Message(nb: "Sammendraget gjentar bare tittelen. Fortell kort hva tilbudet er og hvem det er for.",
                                             en: "The summary only repeats the title. Say briefly what the offer is and who it is for.")
    static let deadlineAfterStart = Message(nb: "Påmeldingsfristen er etter første oppstart. Sjekk datoen.", en: "The sign-up deadline is after the first start. Check the date.")
    static let bodyEmpty = Message(nb: "Tilbudet har ingen beskrivelse under front matter. Skriv noen avsnitt om hva det er, hvem det er for og hvordan man melder seg på.",
                                   en: "The offer has no description below the front matter. Write a few paragraphs on what it is, who it is for and how to sign up.")
    static func bodyTooLong(_ n: Int, _ max: Int) -> Message {
        Message(nb: "Teksten er \(n) tegn; grensen er \(max).", en: "The text is \(n) characters; the limit is \(max).")
    }
    static func tableTooWide(_ columns: Int, _ max: Int) -> Message {
        Message(nb: "Tabellen har \(columns) kolonner; grensen er \(max). Del den i flere tabeller, eller skriv innholdet som en liste.",
                en: "The table has \(columns) columns; the limit is \(max). Split it into several tables, or write its content as a list.")
    }
    static func tableTooLarge(_ columns: Int, _ rows: Int, _ max: Int) -> Message {
        Message(nb: "Tabellen har \(columns * rows) celler (\(columns) kolonner og \(rows) rader); grensen er \(max). Del den i flere tabeller, eller skriv innholdet som en liste. En tabell slutter ved første tomme linje.",
                en: "The table has \(columns * rows) cells (\(columns) columns and \(rows) rows); the limit is \(max). Split it into several tables, or write its content as a list. A table ends at the first blank line.")
    }
    static func bodyHTMLTooLarge(_ bytes: Int, _ max: Int) -> Message {
        Message(nb: "Teksten blir \(bytes) byte på nettsiden; grensen er \(max). Det skjer når en lenke med lang adresse brukes mange ganger, eller med svært dyp nesting (sitater og lister i hverandre). Skriv adressen ut der den trengs, og gjør strukturen flatere.",
                en: "The text becomes \(bytes) bytes on the web page; the limit is \(max). That happens when a link with a long address is used many times, or with very deep nesting (quotes and lists inside each other). Write the address out where it is needed, and make the structure flatter.")
    }
    static let rawHTMLInBody = Message(nb: "Teksten inneholder HTML-koder. De vises ikke på nettsiden; bruk Markdown i stedet.",
                                       en: "The text contains HTML tags. They are not shown on the site; use Markdown instead.")
    static let noWayToSignUp = Message(nb: "Tilbudet har verken «signup» eller «contact». Legg til minst én måte å melde seg på eller ta kontakt.",
                                       en: "The offer has neither 'signup' nor 'contact'. Add at least one way to sign up or get in touch.")
    static func locationOutside(_ code: String) -> Message {
        Message(nb: "Stedet ligger i kommune \(code), som ikke står i «municipalities». Legg den til om tilbudet gjelder innbyggerne der.",
                en: "The place is in municipality \(code), which is not in 'municipalities'. Add it if the offer serves its residents.")
    }
    static func reviewedInFuture(_ d: String) -> Message {
        Message(nb: "«last_reviewed» (\(d)) er en dato fram i tid. Bruk datoen da tilbudet faktisk ble kontrollert.",
                en: "'last_reviewed' (\(d)) is in the future. Use the date the offer was actually checked.")
    }
    static func duplicateValue(_ field: String, _ v: String) -> Message {
        Message(nb: "«\(v)» står to ganger i «\(field)».", en: "'\(v)' appears twice in '\(field)'.")
    }
    static func invalidStatus(_ s: String) -> Message {
        Message(nb: "«status» skal være published, draft eller archived, ikke «\(s)».", en: "'status' must be published, draft or archived, not '\(s)'.")
    }
    static let notStrictText = Message(nb: "Skriv verdien i anførselstegn, for eksempel \"0301\", så innledende nuller beholdes.",
                                       en: "Put the value in quotes, for example \"0301\", so leading zeros are kept.")
    static func amountForFree() -> Message {
        Message(nb: "Prisen er «gratis», men «amount_nok» er større enn 0.", en: "The price is 'gratis' (free), but 'amount_nok' is more than 0.")
    }
    static func vocabularyMissing(_ name: String) -> Message {
        Message(nb: "Vokabularet «\(name)» mangler i vocabularies.yaml.", en: "The vocabulary '\(name)' is missing from vocabularies.yaml.")
    }
    static func labelMissing(_ lang: String) -> Message {
        Message(nb: "Etiketten mangler språket «\(lang)». Hver verdi trenger etikett på nb, nn og en.", en: "The label lacks the language '\(lang)'. Every value needs a label in nb, nn and en.")
    }
    static func duplicateID(_ id: String) -> Message {
        Message(nb: "Id-en «\(id)» finnes allerede. Hver id skal være unik.", en: "The id '\(id)' already exists. Every id must be unique.")
    }
    static func badVocabularyID(_ id: String) -> Message {
        Message(nb: "«\(id)» er ikke en gyldig id: bruk små bokstaver a–z, sifre og bindestrek.", en: "'\(id)' is not a valid id: use lowercase a–z, digits and hyphens.")
    }
    static func invalidNumber(_ field: String) -> Message {
        Message(nb: "«\(field)» skal være et positivt heltall.", en: "'\(field)' must be a positive whole number.")
    }
    static let siteMissing = Message(nb: "site.yaml mangler; standardverdier brukes for tittel og adresse.", en: "site.yaml is missing; defaults are used for the title and address.")
    static func duplicateTitle(_ other: String) -> Message {
        Message(nb: "Samme tittel som \(other). Gi tilbudene ulike titler så innbyggerne kan skille dem.",
                en: "Same title as \(other). Give the offers different titles so citizens can tell them apart.")
    }
    static func municipalityCSVHeader() -> Message {
        Message(nb: "Første linje skal være kommunenummer,navn,fylkesnummer,fylkesnavn.", en: "The first line must be kommunenummer,navn,fylkesnummer,fylkesnavn.")
    }
    static func invalidMunicipalityRow(_ code: String) -> Message {
        Message(nb: "«\(code)» er ikke et firesifret kommunenummer.", en: "'\(code)' is not a four-digit municipality number.")
    }
    static func missingFile(_ name: String) -> Message {
        Message(nb: "Filen \(name) mangler. Den er en del av styringsdataene og må finnes.",
                en: "The file \(name) is missing. It is part of the governance data and must exist.")
    }
    static let csvBadRow = Message(nb: "Raden har ikke fire kolonner (kommunenummer,navn,fylkesnummer,fylkesnavn).",
                                   en: "The row does not have four columns (kommunenummer,navn,fylkesnummer,fylkesnavn).")
}
