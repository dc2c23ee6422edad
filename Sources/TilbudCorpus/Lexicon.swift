// Norwegian words and sentence templates for synthetic offers, in bokmål (nb)
// and nynorsk (nn). Placeholders: {T} topic, {A} audiences, {F} format,
// {P} provider name, {C} city, {place} "i <city>" or "på nett", {N} amount.

/// A label in bokmål and nynorsk.
struct Words {
    let nb: String
    let nn: String

    init(_ nb: String, _ nn: String? = nil) {
        self.nb = nb
        self.nn = nn ?? nb
    }

    func text(_ language: Language) -> String {
        language == .nb ? nb : nn
    }
}

enum Language {
    case nb, nn
}

enum Lexicon {
    // MARK: The spec's vocabulary ids (content-model.md), used when governance says nothing.

    static let kinds = ["friskliv", "laering-og-mestring", "selvhjelp"]
    static let formats = ["kurs", "gruppe", "individuell", "digitalt-verktoy", "likeperson", "foredrag"]
    static let deliveries = ["oppmote", "digitalt", "hybrid"]
    static let topics = [
        "fysisk-aktivitet", "kosthold", "tobakk", "alkohol", "sovn", "psykisk-helse", "stress", "diabetes",
        "hjerte-og-kar", "kols", "kreft", "smerte", "overvekt", "muskel-og-skjelett", "demens", "hjerneslag",
        "rus", "sansetap", "sjeldne-diagnoser", "svangerskap-og-barsel",
    ]
    static let audiences = ["voksne", "eldre", "ungdom", "barn", "foreldre", "parorende", "gravide", "innvandrere", "pasienter", "alle"]
    static let prices = ["gratis", "egenandel", "betaling"]
    static let referrals = ["ingen", "frisklivsresept", "henvisning"]
    static let accessibility = ["rullestol", "teleslynge", "tolk", "tegnspraktolk", "skjermleser"]
    static let providerTypes = ["kommune", "helseforetak", "frivillig", "privat-avtale", "statlig"]

    // MARK: Labels

    static let topicWords: [String: Words] = [
        "fysisk-aktivitet": Words("fysisk aktivitet"),
        "kosthold": Words("kosthold", "kosthald"),
        "tobakk": Words("tobakk"),
        "alkohol": Words("alkohol"),
        "sovn": Words("søvn"),
        "psykisk-helse": Words("psykisk helse"),
        "stress": Words("stress"),
        "diabetes": Words("diabetes"),
        "hjerte-og-kar": Words("hjerte og kar", "hjarte og kar"),
        "kols": Words("kols"),
        "kreft": Words("kreft"),
        "smerte": Words("langvarige smerter"),
        "overvekt": Words("overvekt"),
        "muskel-og-skjelett": Words("muskel- og skjelettplager"),
        "demens": Words("demens"),
        "hjerneslag": Words("hjerneslag"),
        "rus": Words("rusbruk"),
        "sansetap": Words("sansetap"),
        "sjeldne-diagnoser": Words("sjeldne diagnoser", "sjeldne diagnosar"),
        "svangerskap-og-barsel": Words("svangerskap og barsel"),
    ]

    static let topicTags: [String: [String]] = [
        "fysisk-aktivitet": ["trening", "bevegelse", "turgruppe"],
        "kosthold": ["mat", "ernæring", "matvaner"],
        "tobakk": ["røykeslutt", "snus", "nikotin"],
        "alkohol": ["alkoholvaner", "drikkevaner"],
        "sovn": ["søvnvansker", "insomni", "søvnhygiene"],
        "psykisk-helse": ["mestring", "angst", "nedstemthet"],
        "stress": ["stressmestring", "uro", "pust"],
        "diabetes": ["blodsukker", "type-2-diabetes"],
        "hjerte-og-kar": ["hjertehelse", "blodtrykk"],
        "kols": ["lungehelse", "pustetrening"],
        "kreft": ["kreftrehabilitering", "senskader"],
        "smerte": ["smertemestring", "kroniske-smerter"],
        "overvekt": ["vektreduksjon", "livsstil"],
        "muskel-og-skjelett": ["rygg", "nakke", "artrose"],
        "demens": ["hukommelse", "kognisjon"],
        "hjerneslag": ["rehabilitering", "afasi"],
        "rus": ["avhengighet", "rusmestring"],
        "sansetap": ["hørsel", "syn", "tinnitus"],
        "sjeldne-diagnoser": ["sjeldne-tilstander", "diagnoseforståelse"],
        "svangerskap-og-barsel": ["graviditet", "barsel", "amming"],
    ]

    static let audienceWords: [String: Words] = [
        "voksne": Words("voksne", "vaksne"),
        "eldre": Words("eldre"),
        "ungdom": Words("ungdom"),
        "barn": Words("barn", "born"),
        "foreldre": Words("foreldre"),
        "parorende": Words("pårørende", "pårørande"),
        "gravide": Words("gravide"),
        "innvandrere": Words("innvandrere", "innvandrarar"),
        "pasienter": Words("pasienter", "pasientar"),
        "alle": Words("alle"),
    ]

    static let formatWords: [String: Words] = [
        "kurs": Words("kurs"),
        "gruppe": Words("gruppe"),
        "individuell": Words("individuell oppfølging"),
        "digitalt-verktoy": Words("digitalt verktøy"),
        "likeperson": Words("likepersontilbud", "likepersontilbod"),
        "foredrag": Words("foredrag"),
    ]

    /// Provider id prefix and name pattern per provider type; {K} is the municipality.
    static let providerStyles: [String: (prefix: String, name: String)] = [
        "kommune": ("frisklivssentral", "Frisklivssentralen i {K}"),
        "helseforetak": ("lms", "Lærings- og mestringssenteret i {K}"),
        "frivillig": ("frivilligsentral", "Frivilligsentralen i {K}"),
        "privat-avtale": ("fysioterapi", "{K} fysioterapi og helse"),
        "statlig": ("nasjonal-tjeneste", "Nasjonal kompetansetjeneste, avdeling {K}"),
    ]

    // MARK: People and places

    static let firstNames = [
        "Kari", "Ola", "Ingrid", "Lars", "Sigrid", "Anders", "Marit", "Jon", "Astrid", "Per", "Nora", "Emil",
        "Hanne", "Tor", "Silje", "Erik", "Aisha", "Mohammed", "Linnea", "Henrik", "Maja", "Sander", "Ragnhild", "Even",
        "Solveig", "Håkon", "Tuva", "Øystein", "Åse", "Bjørn",
    ]
    static let lastNames = [
        "Nordmann", "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
        "Jensen", "Karlsen", "Johnsen", "Berg", "Haugen", "Hagen", "Eriksen", "Bakken", "Lie", "Moe", "Strand",
        "Dahl", "Solberg", "Lund", "Halvorsen", "Sæther", "Østby", "Aas",
    ]
    static let streets = [
        "Storgata", "Kirkegata", "Skolegata", "Parkveien", "Torget", "Sjøgata", "Rådhusgata", "Helsetunet",
        "Stasjonsveien", "Bjørkeveien", "Fjordgata", "Idrettsveien", "Sentrumsveien", "Elvegata", "Kongens gate",
    ]
    static let venues = [
        "Helsehuset", "Kulturhuset", "Frisklivssentralen", "Bydelshuset", "Møterommet i rådhuset",
        "Aktivitetssalen", "Biblioteket", "Lærings- og mestringssenteret", "Treningssalen", "Frivillighetshuset",
    ]

    /// Approximate centre (lat, lon) and a postal-code range per county number (2024 counties).
    static let counties: [String: (lat: Double, lon: Double, postal: ClosedRange<Int>)] = [
        "03": (59.91, 10.75, 150...1295),
        "11": (58.97, 5.90, 4000...4399),
        "15": (62.60, 7.30, 6000...6699),
        "18": (67.28, 14.40, 8000...8999),
        "31": (59.35, 11.10, 1500...1899),
        "32": (59.95, 11.05, 1300...1499),
        "33": (60.10, 9.60, 3000...3599),
        "34": (61.20, 10.40, 2200...2999),
        "39": (59.27, 10.30, 3100...3299),
        "40": (59.30, 8.90, 3600...3999),
        "42": (58.40, 7.90, 4400...4999),
        "46": (60.60, 6.10, 5000...5499),
        "50": (63.60, 10.90, 7000...7999),
        "55": (69.40, 18.80, 9000...9499),
        "56": (70.00, 24.50, 9500...9990),
    ]
    static let weekdaysPlural = [
        Words("Mandager", "Måndagar"), Words("Tirsdager", "Tysdagar"), Words("Onsdager", "Onsdagar"),
        Words("Torsdager", "Torsdagar"), Words("Fredager", "Fredagar"), Words("Lørdager", "Laurdagar"),
        Words("Søndager", "Sundagar"),
    ]
    static let countWords = ["null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni", "ti", "elleve", "tolv"]
    static let timeSlots = ["kl. 10–12", "kl. 12–14", "kl. 17–19", "kl. 18–20", "kl. 18.30–20.30", "kl. 9–11"]

    // MARK: Titles and summaries (nb and nn share the index so a translation matches its base)

    static let titles: [Words] = [
        Words("{Fcap} om {T} for {A}", "{Fcap} om {T} for {A}"),
        Words("{Tcap} – {F} {place}", "{Tcap} – {F} {place}"),
        Words("Bedre helse – {F} om {T}", "Betre helse – {F} om {T}"),
        Words("Mestring av {T}: {F} for {A}", "Meistring av {T}: {F} for {A}"),
        Words("Lær mer om {T} – {F} {place}", "Lær meir om {T} – {F} {place}"),
        Words("Sammen om {T} – {F} for {A}", "Saman om {T} – {F} for {A}"),
        Words("Ta grep om {T}", "Ta grep om {T}"),
        Words("Veien videre med {T} {place}", "Vegen vidare med {T} {place}"),
        Words("{Tcap} og {T2} – {F} for {A}", "{Tcap} og {T2} – {F} for {A}"),
        Words("Mer overskudd: {F} om {T}", "Meir overskot: {F} om {T}"),
    ]

    static let summaries: [Words] = [
        Words("For {A} som vil lære mer om {T}. Praktiske råd, god støtte og erfaringsdeling med andre.",
              "For {A} som vil lære meir om {T}. Praktiske råd, god støtte og erfaringsdeling med andre."),
        Words("Få kunnskap og verktøy for å mestre {T} i hverdagen, sammen med andre i samme situasjon.",
              "Få kunnskap og verktøy for å meistre {T} i kvardagen, saman med andre i same situasjon."),
        Words("Hva påvirker {T}, og hva kan du selv gjøre? Her får du svar, støtte og konkrete øvelser.",
              "Kva påverkar {T}, og kva kan du sjølv gjere? Her får du svar, støtte og konkrete øvingar."),
        Words("Tilbud fra {P} for {A}. Vi jobber med {T} i ditt eget tempo.",
              "Tilbod frå {P} for {A}. Vi arbeider med {T} i ditt eige tempo."),
        Words("Et trygt sted å lære om {T}, med fagfolk som kjenner utfordringene godt.",
              "Ein trygg stad å lære om {T}, med fagfolk som kjenner utfordringane godt."),
        Words("Små steg som varer: {F} om {T} for {A}, {place}.",
              "Små steg som varer: {F} om {T} for {A}, {place}."),
    ]

    // MARK: Body sentences

    static let intro: [Words] = [
        Words("Dette tilbudet er for {A} som ønsker å gjøre noe med {T}.",
              "Dette tilbodet er for {A} som ønskjer å gjere noko med {T}."),
        Words("Mange opplever at {T} påvirker hverdagen mer enn de skulle ønske.",
              "Mange opplever at {T} påverkar kvardagen meir enn dei skulle ønskje."),
        Words("Her får du kunnskap, støtte og praktiske verktøy i et trygt fellesskap.",
              "Her får du kunnskap, støtte og praktiske verktøy i eit trygt fellesskap."),
        Words("{P} har holdt tilbudet i flere år, og deltakerne gir gode tilbakemeldinger.",
              "{P} har halde tilbodet i fleire år, og deltakarane gir gode tilbakemeldingar."),
        Words("Du trenger ingen forkunnskaper for å delta.",
              "Du treng ingen førehandskunnskapar for å delta."),
        Words("Tilbudet bygger på oppdatert kunnskap og erfaringer fra andre som har vært i samme situasjon.",
              "Tilbodet byggjer på oppdatert kunnskap og erfaringar frå andre som har vore i same situasjon."),
        Words("Målet er at du skal få mer overskudd og større trygghet i egen hverdag.",
              "Målet er at du skal få meir overskot og større tryggleik i eigen kvardag."),
        Words("Små endringer kan gi stor effekt over tid, og vi hjelper deg med å finne ditt første steg.",
              "Små endringar kan gi stor effekt over tid, og vi hjelper deg med å finne det første steget ditt."),
        Words("Vi tar utgangspunkt i dine mål og det som er viktig for deg.",
              "Vi tek utgangspunkt i måla dine og det som er viktig for deg."),
        Words("Det er lov å komme som man er, og ingen spørsmål er dumme.",
              "Det er lov å kome som ein er, og ingen spørsmål er dumme."),
    ]

    static let headings: [Words] = [
        Words("Hva lærer du?", "Kva lærer du?"),
        Words("Innhold", "Innhald"),
        Words("Dette går vi gjennom", "Dette går vi gjennom"),
        Words("Slik foregår det", "Slik går det føre seg"),
        Words("Tema vi tar opp", "Tema vi tek opp"),
    ]

    static let bullets: [Words] = [
        Words("Hva som påvirker {T}, og hva du selv kan gjøre", "Kva som påverkar {T}, og kva du sjølv kan gjere"),
        Words("Praktiske øvelser du kan bruke hjemme", "Praktiske øvingar du kan bruke heime"),
        Words("Hvordan du setter deg realistiske mål", "Korleis du set deg realistiske mål"),
        Words("Erfaringsdeling med andre deltakere", "Erfaringsdeling med andre deltakarar"),
        Words("Råd om fysisk aktivitet og bevegelse i hverdagen", "Råd om fysisk aktivitet og rørsle i kvardagen"),
        Words("Kosthold, søvn og overskudd", "Kosthald, søvn og overskot"),
        Words("Hvordan du håndterer tilbakefall", "Korleis du handterer tilbakefall"),
        Words("Informasjon om andre tilbud i kommunen", "Informasjon om andre tilbod i kommunen"),
        Words("Samtale om motivasjon og endring", "Samtale om motivasjon og endring"),
        Words("Mestring av stress og bekymringer", "Meistring av stress og uro"),
        Words("Rettigheter og hjelp du kan få videre", "Rettar og hjelp du kan få vidare"),
    ]

    static let practical: [Words] = [
        Words("Tilbudet ledes av fagpersoner med lang erfaring fra helsetjenesten.",
              "Tilbodet vert leidd av fagpersonar med lang erfaring frå helsetenesta."),
        Words("Hver samling varer om lag to timer, med en pause underveis.",
              "Kvar samling varer om lag to timar, med ein pause undervegs."),
        Words("Du får med deg skriftlig materiell etter hver gang.",
              "Du får med deg skriftleg materiell etter kvar gong."),
        Words("Vi legger vekt på dialog, og du bestemmer selv hvor mye du vil dele.",
              "Vi legg vekt på dialog, og du bestemmer sjølv kor mykje du vil dele."),
        Words("Pårørende er velkomne til å delta sammen med deg.",
              "Pårørande er velkomne til å delta saman med deg."),
        Words("Tilbudet passer både for deg som er ny og for deg som har prøvd før.",
              "Tilbodet passar både for deg som er ny og for deg som har prøvd før."),
        Words("Mellom samlingene får du små oppgaver som du kan prøve ut hjemme.",
              "Mellom samlingane får du små oppgåver som du kan prøve ut heime."),
        Words("Alle som leder tilbudet har taushetsplikt.",
              "Alle som leier tilbodet har teieplikt."),
        Words("Det er plass til mellom åtte og femten deltakere.",
              "Det er plass til mellom åtte og femten deltakarar."),
        Words("Mange deltakere fortsetter å treffes på egen hånd etter at tilbudet er slutt.",
              "Mange deltakarar held fram med å treffast på eiga hand etter at tilbodet er slutt."),
        Words("Vi samarbeider med fastlegene og andre tjenester, slik at du får helhetlig hjelp.",
              "Vi samarbeider med fastlegane og andre tenester, slik at du får heilskapleg hjelp."),
        Words("Du kan ta med deg en venn eller et familiemedlem første gang.",
              "Du kan ta med deg ein ven eller eit familiemedlem første gongen."),
    ]

    static let practicalInPerson: [Words] = [
        Words("Vi møtes i {C}, i lyse og rolige lokaler.", "Vi møtest i {C}, i lyse og rolege lokale."),
        Words("Lokalene er lette å finne, og det er parkering i nærheten.",
              "Lokala er lette å finne, og det er parkering i nærleiken."),
    ]

    static let practicalDigital: [Words] = [
        Words("Du kan følge tilbudet fra mobil, nettbrett eller PC.", "Du kan følgje tilbodet frå mobil, nettbrett eller PC."),
        Words("Innloggingen er enkel, og du får hjelp om noe ikke virker.",
              "Innlogginga er enkel, og du får hjelp om noko ikkje verkar."),
    ]

    static let signupHeadings: [Words] = [
        Words("Påmelding", "Påmelding"),
        Words("Slik melder du deg på", "Slik melder du deg på"),
        Words("Praktisk informasjon", "Praktisk informasjon"),
    ]

    static let signupGeneral: [Words] = [
        Words("Du melder deg på via lenken nedenfor eller ved å ringe oss.",
              "Du melder deg på via lenkja nedanfor eller ved å ringje oss."),
        Words("Ta gjerne kontakt hvis du lurer på om tilbudet passer for deg.",
              "Ta gjerne kontakt om du lurer på om tilbodet passar for deg."),
    ]

    static let referralSentence: [String: Words] = [
        "frisklivsresept": Words("Har du frisklivsresept fra fastlegen, tar du den med til første samtale.",
                                 "Har du frisklivsresept frå fastlegen, tek du han med til den første samtalen."),
        "henvisning": Words("Du trenger henvisning fra lege eller annet helsepersonell.",
                            "Du treng tilvising frå lege eller anna helsepersonell."),
        "ingen": Words("Du trenger ikke henvisning, og du kan ta kontakt direkte.",
                       "Du treng ikkje tilvising, og du kan ta kontakt direkte."),
    ]

    static let priceSentence: [String: Words] = [
        "gratis": Words("Tilbudet er gratis.", "Tilbodet er gratis."),
        "egenandel": Words("Egenandelen er {N} kroner.", "Eigendelen er {N} kroner."),
        "betaling": Words("Prisen er {N} kroner.", "Prisen er {N} kroner."),
    ]

    static let ongoingSentence = Words("Tilbudet har løpende oppstart, så du kan begynne når det passer deg.",
                                       "Tilbodet har løpande oppstart, så du kan byrje når det passar deg.")
    static let datedSentence = Words("Det er begrenset med plasser, så meld deg på i god tid.",
                                     "Det er avgrensa med plassar, så meld deg på i god tid.")

    static let priceNotes: [String: [String]] = [
        "egenandel": ["Egenandelen betales ved første samling.", "Frikort gjelder ikke.", "Betales med Vipps eller faktura."],
        "betaling": ["Faktura sendes etter påmelding.", "Prisen dekker kursmateriell og servering."],
    ]
}
