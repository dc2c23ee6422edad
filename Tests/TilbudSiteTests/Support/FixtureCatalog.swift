extension SiteFixture {
    /// Site settings and governance: the content model's vocabulary ids with real labels, the default
    /// policy, and four municipalities in four counties.
    static let governance = """
    -- content/site.yaml --
    title: {nb: Helsetilbud, nn: Helsetilbod, en: Health offers}
    tagline:
      nb: "Finn frisklivstilbud og mestringskurs der du bor."
      nn: "Finn frisklivstilbod og meistringskurs der du bur."
      en: "Find healthy-living and coping courses where you live."
    base_url: https://tilbud.example.org/
    languages: [nb, nn, en]
    -- content/governance/policy.yaml --
    review:
      interval_months: 12
      grace_months: 3
    limits:
      body_max_chars: 20000
      file_max_bytes: 1048576
      yaml_max_depth: 16
      text_max_chars: 300
      list_max_items: 50
      table_max_columns: 10
      table_max_cells: 500
      body_html_max_bytes: 200000
    languages: [nb, nn, en]
    -- content/governance/municipalities.csv --
    kommunenummer,navn,fylkesnummer,fylkesnavn
    0301,Oslo,03,Oslo
    1508,Ålesund,15,Møre og Romsdal
    3201,Bærum,32,Akershus
    4601,Bergen,46,Vestland
    -- content/governance/vocabularies.yaml --
    weekdays:
      - {id: mandag, label: {nb: Mandag, nn: Måndag, en: Monday}, traits: [monday]}
      - {id: tirsdag, label: {nb: Tirsdag, nn: Tysdag, en: Tuesday}, traits: [tuesday]}
      - {id: onsdag, label: {nb: Onsdag, nn: Onsdag, en: Wednesday}, traits: [wednesday]}
      - {id: torsdag, label: {nb: Torsdag, nn: Torsdag, en: Thursday}, traits: [thursday]}
      - {id: fredag, label: {nb: Fredag, nn: Fredag, en: Friday}, traits: [friday]}
      - {id: lordag, label: {nb: Lørdag, nn: Laurdag, en: Saturday}, traits: [saturday]}
      - {id: sondag, label: {nb: Søndag, nn: Sundag, en: Sunday}, traits: [sunday]}
    capacity:
      - {id: ledig, label: {nb: Ledige plasser, nn: Ledige plassar, en: Places available}}
      - {id: fa-plasser, label: {nb: Få plasser, nn: Få plassar, en: Few places left}}
      - {id: fullt, label: {nb: Fullt, nn: Fullt, en: Full}, traits: [full]}
      - {id: venteliste, label: {nb: Fullt – venteliste, nn: Fullt – venteliste, en: Full – waiting list}, traits: [full, waitlist]}
    kind:
      - {id: friskliv, label: {nb: Friskliv, nn: Friskliv, en: Healthy living}}
      - {id: laering-og-mestring, label: {nb: Læring og mestring, nn: Læring og meistring, en: Learning and coping}}
      - {id: selvhjelp, label: {nb: Selvhjelp, nn: Sjølvhjelp, en: Self-help}}
    format:
      - {id: kurs, label: {nb: Kurs, nn: Kurs, en: Course}, traits: [booked]}
      - {id: gruppe, label: {nb: Gruppe, nn: Gruppe, en: Group}}
      - {id: individuell, label: {nb: Individuell oppfølging, nn: Individuell oppfølging, en: One-to-one}, traits: [booked]}
      - {id: digitalt-verktoy, label: {nb: Digitalt verktøy, nn: Digitalt verktøy, en: Digital tool}}
      - {id: likeperson, label: {nb: Likeperson, nn: Likeperson, en: Peer support}}
      - {id: foredrag, label: {nb: Foredrag, nn: Føredrag, en: Talk}}
    delivery:
      - {id: oppmote, label: {nb: Oppmøte, nn: Oppmøte, en: In person}, traits: [in_person]}
      - {id: digitalt, label: {nb: Digitalt, nn: Digitalt, en: Online}, traits: [online]}
      - {id: hybrid, label: {nb: Oppmøte eller digitalt, nn: Oppmøte eller digitalt, en: In person or online}, traits: [in_person, online]}
    topics:
      - {id: fysisk-aktivitet, label: {nb: Fysisk aktivitet, nn: Fysisk aktivitet, en: Physical activity}}
      - {id: kosthold, label: {nb: Kosthold, nn: Kosthald, en: Diet}}
      - {id: tobakk, label: {nb: Tobakk, nn: Tobakk, en: Tobacco}}
      - {id: alkohol, label: {nb: Alkohol, nn: Alkohol, en: Alcohol}}
      - {id: sovn, label: {nb: Søvn, nn: Søvn, en: Sleep}}
      - {id: psykisk-helse, label: {nb: Psykisk helse, nn: Psykisk helse, en: Mental health}}
      - {id: stress, label: {nb: Stress, nn: Stress, en: Stress}}
      - {id: diabetes, label: {nb: Diabetes, nn: Diabetes, en: Diabetes}}
      - {id: hjerte-og-kar, label: {nb: Hjerte og kar, nn: Hjarte og kar, en: Heart disease}}
      - {id: kols, label: {nb: KOLS, nn: KOLS, en: COPD}}
      - {id: kreft, label: {nb: Kreft, nn: Kreft, en: Cancer}}
      - {id: smerte, label: {nb: Smerte, nn: Smerte, en: Pain}}
      - {id: overvekt, label: {nb: Overvekt, nn: Overvekt, en: Overweight}}
      - {id: muskel-og-skjelett, label: {nb: Muskel og skjelett, nn: Muskel og skjelett, en: Muscles and joints}}
      - {id: demens, label: {nb: Demens, nn: Demens, en: Dementia}}
      - {id: hjerneslag, label: {nb: Hjerneslag, nn: Hjerneslag, en: Stroke}}
      - {id: rus, label: {nb: Rus, nn: Rus, en: Substance use}}
      - {id: sansetap, label: {nb: Sansetap, nn: Sansetap, en: Sensory loss}}
      - {id: sjeldne-diagnoser, label: {nb: Sjeldne diagnoser, nn: Sjeldne diagnosar, en: Rare diseases}}
      - {id: svangerskap-og-barsel, label: {nb: Svangerskap og barsel, nn: Svangerskap og barsel, en: Pregnancy and birth}}
    audiences:
      - {id: voksne, label: {nb: Voksne, nn: Vaksne, en: Adults}}
      - {id: eldre, label: {nb: Eldre, nn: Eldre, en: Older adults}}
      - {id: ungdom, label: {nb: Ungdom, nn: Ungdom, en: Young people}}
      - {id: barn, label: {nb: Barn, nn: Born, en: Children}}
      - {id: foreldre, label: {nb: Foreldre, nn: Foreldre, en: Parents}}
      - {id: parorende, label: {nb: Pårørende, nn: Pårørande, en: Carers}}
      - {id: gravide, label: {nb: Gravide, nn: Gravide, en: Pregnant women}}
      - {id: innvandrere, label: {nb: Innvandrere, nn: Innvandrarar, en: Immigrants}}
      - {id: pasienter, label: {nb: Pasienter, nn: Pasientar, en: Patients}}
      - {id: alle, label: {nb: Alle, nn: Alle, en: Everyone}}
    price:
      - {id: gratis, label: {nb: Gratis, nn: Gratis, en: Free}, traits: [free]}
      - {id: egenandel, label: {nb: Egenandel, nn: Eigendel, en: Co-payment}, traits: [copay]}
      - {id: betaling, label: {nb: Betaling, nn: Betaling, en: Fee}}
    referral:
      - {id: ingen, label: {nb: Ingen henvisning, nn: Inga tilvising, en: No referral needed}, traits: [self_referral]}
      - {id: frisklivsresept, label: {nb: Frisklivsresept, nn: Frisklivsresept, en: Healthy-living prescription}}
      - {id: henvisning, label: {nb: Henvisning, nn: Tilvising, en: Referral}}
    referrers:
      - {id: selv, label: {nb: Du selv, nn: Du sjølv, en: You yourself}, traits: [self_referral]}
      - {id: fastlege, label: {nb: Fastlege, nn: Fastlege, en: GP}, traits: [gp]}
      - {id: spesialist, label: {nb: Spesialisthelsetjenesten, nn: Spesialisthelsetenesta, en: Specialist health service}}
      - {id: nav, label: {nb: NAV (frisklivsresept), nn: NAV (frisklivsresept), en: NAV (healthy-living prescription)}}
    accessibility:
      - {id: rullestol, label: {nb: Tilgjengelig med rullestol, nn: Tilgjengeleg med rullestol, en: Wheelchair accessible}}
      - {id: teleslynge, label: {nb: Teleslynge, nn: Teleslynge, en: Hearing loop}}
      - {id: tolk, label: {nb: Tolk, nn: Tolk, en: Interpreter}}
      - {id: tegnspraktolk, label: {nb: Tegnspråktolk, nn: Teiknspråktolk, en: Sign language interpreter}}
      - {id: skjermleser, label: {nb: Skjermleser, nn: Skjermlesar, en: Screen reader}}
    provider_type:
      - {id: kommune, label: {nb: Kommune, nn: Kommune, en: Municipality}, traits: [public, government]}
      - {id: helseforetak, label: {nb: Helseforetak, nn: Helseføretak, en: Hospital trust}, traits: [public, medical]}
      - {id: frivillig, label: {nb: Frivillig organisasjon, nn: Frivillig organisasjon, en: Voluntary organisation}}
      - {id: privat-avtale, label: {nb: Privat med avtale, nn: Privat med avtale, en: Private with agreement}}
      - {id: statlig, label: {nb: Statlig, nn: Statleg, en: Government}, traits: [public, government]}
    languages:
      - {id: nb, label: {nb: Norsk bokmål, nn: Norsk bokmål, en: Norwegian Bokmål}}
      - {id: nn, label: {nb: Norsk nynorsk, nn: Norsk nynorsk, en: Norwegian Nynorsk}}
      - {id: en, label: {nb: Engelsk, nn: Engelsk, en: English}}
    """

    /// Two providers and eight offers: current (one translated to nynorsk, one to English, one national),
    /// due for review, stale, ended, draft and archived.
    static let catalog = """
    -- content/providers/frisk-oslo/provider.yaml --
    name: Frisklivssentralen i Oslo
    org_number: "909448220"
    type: kommune
    municipality: "0301"
    website: https://example.org/frisk-oslo
    email: post@frisk-oslo.example.org
    phone: "+47 23 00 41 20"
    editors: ["redaktor-hemmelig@frisk-oslo.example.org", "*@hemmelig-redaksjon.example.org"]
    -- content/providers/frisk-oslo/sov-godt.md --
    ---
    title: Sov godt – kurs for deg som sover dårlig
    summary: Fire kvelder om hva som påvirker søvnen, og hva du selv kan gjøre.
    kind: friskliv
    format: kurs
    delivery: oppmote
    topics: [sovn, psykisk-helse]
    audiences: [voksne, eldre]
    municipalities: ["0301"]
    locations:
      - name: Frisklivssentralen Grünerløkka
        address: Helgesens gate 2
        postal_code: "0553"
        city: Oslo
        municipality: "0301"
        geo: [59.9226, 10.7590]
    schedule:
      - start: 2026-09-01
        end: 2026-09-22
        note: Tirsdager kl. 18–20
      - start: 2027-02-02
        end: 2027-02-23
        times:
          - {weekday: tirsdag, from: "18:00", to: "20:00"}
        sessions: 4
        location: Frisklivssentralen Grünerløkka
        capacity: fa-plasser
        deadline: 2027-01-26
    price:
      kind: egenandel
      amount_nok: 1500
      note: Kursheftet er med.
    referral: ingen
    signup:
      url: https://example.org/frisk-oslo/sov-godt
      phone: "+47 23 00 41 20"
      deadline: 2027-01-26
    contact:
      name: Ingrid Haugen
      phone: "+47 23 00 41 21"
      email: ingrid@frisk-oslo.example.org
    languages: [nb]
    accessibility: [rullestol, teleslynge]
    tags: [søvnvansker, insomni]
    last_reviewed: 2026-10-05
    ---
    # Om kurset

    *Sov godt* er for voksne som sover dårlig. Les mer hos
    [Helsenorge](https://www.helsenorge.no/sovn) eller på [en gammel side](http://example.org/gammel).

    ## Dette lærer du

    - Hvordan søvnen fungerer
    - Hva som påvirker søvnen

    | Kveld | Tema |
    | --- | --- |
    | 1 | Hva er normal søvn? |
    -- content/providers/frisk-oslo/sov-godt.nn.md --
    ---
    title: Sov godt – kurs for deg som søv dårleg
    summary: Fire kveldar om kva som påverkar søvnen, og kva du sjølv kan gjere.
    ---
    # Om kurset

    *Sov godt* er for vaksne som søv dårleg.
    -- content/providers/frisk-oslo/tobakksfri.md --
    ---
    title: Tobakksfri – kurs for deg som vil slutte
    summary: Seks samlinger med støtte fra veileder og andre som vil slutte med røyk eller snus.
    kind: friskliv
    format: gruppe
    delivery: hybrid
    topics: [tobakk]
    audiences: [voksne]
    municipalities: ["0301", "3201"]
    locations:
      - name: Frisklivssentralen Grünerløkka
        address: Helgesens gate 2
        postal_code: "0553"
        city: Oslo
        municipality: "0301"
    schedule:
      - start: 2027-01-13T18:00:00
        end: 2027-01-13T20:00:00
        note: Første samling
    price:
      kind: gratis
    referral: frisklivsresept
    signup:
      email: post@frisk-oslo.example.org
    languages: [nb]
    last_reviewed: 2026-08-01
    ---
    Vi møtes seks ganger.
    -- content/providers/frisk-oslo/trim-sommer.md --
    ---
    title: Sommertrim i parken
    summary: Enkel utendørs trim tre formiddager i uka gjennom sommeren.
    kind: friskliv
    format: gruppe
    delivery: oppmote
    topics: [fysisk-aktivitet]
    audiences: [voksne, eldre]
    municipalities: ["0301"]
    locations:
      - name: Sofienbergparken
        address: Sofienberggata 1
        postal_code: "0558"
        city: Oslo
        municipality: "0301"
    schedule:
      - start: 2026-06-01
        end: 2026-08-28
        note: Mandag, onsdag og fredag kl. 10–11
    price:
      kind: gratis
    referral: ingen
    signup:
      phone: "+47 23 00 41 20"
    languages: [nb]
    last_reviewed: 2026-05-01
    ---
    Trimmen er over for i år.
    -- content/providers/frisk-oslo/gammel-gruppe.md --
    ---
    title: Gågruppe på Grünerløkka
    summary: Vi går sammen hver torsdag, i ditt tempo.
    kind: friskliv
    format: gruppe
    delivery: oppmote
    topics: [fysisk-aktivitet]
    audiences: [eldre]
    municipalities: ["0301"]
    locations:
      - name: Birkelunden
        address: Seilduksgata 20
        postal_code: "0553"
        city: Oslo
        municipality: "0301"
    ongoing: true
    price:
      kind: gratis
    referral: ingen
    signup:
      phone: "+47 23 00 41 20"
    languages: [nb]
    last_reviewed: 2025-06-01
    ---
    Vi går en time.
    -- content/providers/frisk-oslo/utkast.md --
    ---
    title: Hemmelig utkast om kosthold
    summary: Et utkast som ikke skal publiseres.
    kind: friskliv
    format: kurs
    delivery: digitalt
    topics: [kosthold]
    audiences: [voksne]
    national: true
    ongoing: true
    price:
      kind: gratis
    referral: ingen
    signup:
      email: post@frisk-oslo.example.org
    languages: [nb]
    last_reviewed: 2026-10-01
    status: draft
    ---
    Ikke klart.
    -- content/providers/pust-norge/provider.yaml --
    name: Pusteforbundet
    org_number: "901951780"
    type: frivillig
    municipality: "0301"
    website: https://example.org/pust
    email: post@pust.example.org
    editors: ["*@pust-redaktor-hemmelig.example.org"]
    -- content/providers/pust-norge/pust-digitalt.md --
    ---
    title: Pust bedre – digital trening
    summary: Trening på video to ganger i uka for deg med kols eller astma.
    kind: laering-og-mestring
    format: gruppe
    delivery: digitalt
    topics: [kols, fysisk-aktivitet]
    audiences: [pasienter]
    national: true
    ongoing: true
    price:
      kind: gratis
    referral: ingen
    signup:
      url: https://example.org/pust/pamelding
    languages: [nb, en]
    accessibility: [skjermleser]
    last_reviewed: 2026-09-15
    ---
    Du trener hjemme.
    -- content/providers/pust-norge/pust-digitalt.en.md --
    ---
    title: Breathe better – online training
    summary: Video training twice a week for people with COPD or asthma.
    ---
    You train at home.
    -- content/providers/pust-norge/kols-kafe.md --
    ---
    title: Kolskafé i Bergen
    summary: Treff andre med kols over en kopp kaffe.
    kind: selvhjelp
    format: likeperson
    delivery: oppmote
    topics: [kols]
    audiences: [pasienter, parorende]
    municipalities: ["4601"]
    locations:
      - name: Frivilligsentralen
        address: Strandgaten 1
        postal_code: "5013"
        city: Bergen
        municipality: "4601"
    schedule:
      - start: 2027-03-03
    price:
      kind: betaling
      amount_nok: 50
    referral: ingen
    signup:
      email: post@pust.example.org
    languages: [nb]
    last_reviewed: 2025-10-01
    ---
    Kaffe og prat.
    -- content/providers/pust-norge/arkiv.md --
    ---
    title: Arkivert pustekurs
    summary: Et gammelt kurs som er arkivert.
    kind: laering-og-mestring
    format: kurs
    delivery: digitalt
    topics: [kols]
    audiences: [pasienter]
    national: true
    ongoing: true
    price:
      kind: gratis
    referral: ingen
    signup:
      email: post@pust.example.org
    languages: [nb]
    last_reviewed: 2026-10-01
    status: archived
    ---
    Arkivert.
    """

    /// The offers of `catalog` and their expected state on `today`.
    static let expectedStates: [(id: String, state: String)] = [
        ("frisk-oslo/sov-godt", "current"), ("frisk-oslo/tobakksfri", "current"), ("frisk-oslo/trim-sommer", "ended"),
        ("frisk-oslo/gammel-gruppe", "stale"), ("frisk-oslo/utkast", "draft"), ("pust-norge/pust-digitalt", "current"),
        ("pust-norge/kols-kafe", "due"), ("pust-norge/arkiv", "archived"),
    ]
}
