import Foundation
import Testing
@testable import TilbudFeed

/// Golden tests: the exact content of fixture offers in the JSON API, the FHIR export and the JSON-LD. Records are
/// written compactly on one line; they are compared here as the encoder would indent them, so a diff is readable.
/// When a change is intended, update the text here and say so in docs/api.md (fields are only ever added in v1).
@Suite("Golden files")
struct GoldenTests {
    let fixture = FeedFixture.shared

    @Test("a national digital offer in the JSON API")
    func nationalOffer() {
        #expect(fixture.record("api/v1/offers/nett/stressmestring.json") == Self.stressmestring)
    }

    @Test("a dated course with a nynorsk translation in the JSON API")
    func datedCourse() {
        #expect(fixture.record("api/v1/offers/frisk/sov-godt.json") == Self.sovGodt)
    }

    @Test("offers.json holds the same objects, one a line")
    func itemOfOffersJSON() {
        let offers = fixture.read("api/v1/offers.json")
        let lines = offers.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first == #"{"api_version":"1","generated":"2026-11-27","count":4,"offers":["#)
        #expect(lines.suffix(2) == ["]}", ""])
        let own = fixture.read("api/v1/offers/frisk/sov-godt.json").dropLast()
        #expect(lines.contains(Substring(own + ",")))
        #expect(lines.count == 1 + 4 + 2)
    }

    @Test("a HealthcareService in the FHIR export")
    func healthcareService() {
        #expect(fixture.fhirLine("HealthcareService", "nett--stressmestring").map(prettyJSON) == Self.healthcareService)
    }

    @Test("JSON-LD on an offer page, with <, > and & escaped")
    func jsonLD() {
        let page = fixture.read("tilbud/nett/stressmestring/index.html")
        #expect(page.contains("<script type=\"application/ld+json\">" + Self.jsonLD + "</script>"))
        #expect(!page.contains("</script><script>alert"))
    }

    static let stressmestring = #"""
{
  "id": "nett/stressmestring",
  "url": "https://tilbud.example.org/tilbud/nett/stressmestring/",
  "api_url": "https://tilbud.example.org/api/v1/offers/nett/stressmestring.json",
  "title": "Mestre stress \u003c3 \u0026 mer \u003e mindre på nett",
  "summary": "Et selvhjelpsprogram i åtte moduler som du tar i ditt eget tempo.",
  "kind": "selvhjelp",
  "format": "digitalt-verktoy",
  "delivery": "digitalt",
  "topics": [
    "stress"
  ],
  "audiences": [
    "voksne",
    "ungdom"
  ],
  "municipalities": [],
  "national": true,
  "locations": [],
  "schedule": [],
  "ongoing": true,
  "price": {
    "kind": "egenandel",
    "amount_nok": 250
  },
  "referral": "frisklivsresept",
  "signup": {
    "url": "https://example.org/stress",
    "email": "hjelp@example.org"
  },
  "contact": {},
  "languages": [
    "nb",
    "en"
  ],
  "accessibility": [],
  "tags": [],
  "last_reviewed": "2026-11-20",
  "state": "current",
  "provider": {
    "id": "nett",
    "name": "Nasjonalt senter for digital mestring",
    "org_number": "988077917",
    "type": "statlig"
  },
  "description_html": "\u003cp\u003eProgrammet har åtte moduler \u0026amp; øvelser.\u003c/p\u003e\n",
  "description_text": "Programmet har åtte moduler \u0026 øvelser.",
  "translations": {}
}

"""#

    static let sovGodt = #"""
{
  "id": "frisk/sov-godt",
  "url": "https://tilbud.example.org/tilbud/frisk/sov-godt/",
  "api_url": "https://tilbud.example.org/api/v1/offers/frisk/sov-godt.json",
  "title": "Sov godt – kurs for deg som sover dårlig",
  "summary": "Fire kvelder om hva som påvirker søvnen, og hva du selv kan gjøre.",
  "kind": "friskliv",
  "format": "kurs",
  "delivery": "oppmote",
  "topics": [
    "sovn",
    "psykisk-helse"
  ],
  "audiences": [
    "voksne"
  ],
  "municipalities": [
    "0301"
  ],
  "national": false,
  "locations": [
    {
      "name": "Frisklivssentralen Grünerløkka",
      "address": "Helgesens gate 2",
      "postal_code": "0553",
      "city": "Oslo",
      "municipality": "0301",
      "geo": {
        "lat": 59.9226,
        "lon": 10.759
      }
    }
  ],
  "schedule": [
    {
      "start": "2027-02-02T18:00",
      "end": "2027-02-23T20:00",
      "note": "Tirsdager kl. 18–20, fire ganger"
    },
    {
      "start": "2027-04-06T18:00",
      "end": "2027-04-27T20:00"
    }
  ],
  "ongoing": false,
  "next_start": "2027-02-02T18:00",
  "price": {
    "kind": "gratis",
    "note": "Kursheftet er gratis."
  },
  "referral": "ingen",
  "signup": {
    "url": "https://example.org/pamelding",
    "phone": "+47 23 00 00 01",
    "deadline": "2027-01-26"
  },
  "contact": {
    "name": "Kari Nordmann",
    "email": "kari@example.org"
  },
  "languages": [
    "nb"
  ],
  "accessibility": [
    "rullestol"
  ],
  "tags": [
    "søvnvansker",
    "insomni"
  ],
  "last_reviewed": "2026-10-05",
  "state": "current",
  "provider": {
    "id": "frisk",
    "name": "Frisklivssentralen i Oslo",
    "org_number": "974778882",
    "type": "kommune"
  },
  "description_html": "\u003ch3\u003eOm kurset\u003c/h3\u003e\n\u003cp\u003e\u003cem\u003eSov godt\u003c/em\u003e bygger på kognitiv atferdsterapi alert(1) for søvnvansker.\u003c/p\u003e\n",
  "description_text": "Om kurset Sov godt bygger på kognitiv atferdsterapi alert(1) for søvnvansker.",
  "translations": {
    "nn": {
      "title": "Sov godt – kurs for deg som søv dårleg",
      "summary": "Fire kveldar om kva som påverkar søvnen, og kva du sjølv kan gjere.",
      "description_html": "\u003cp\u003e\u003cem\u003eSov godt\u003c/em\u003e byggjer på kognitiv åtferdsterapi.\u003c/p\u003e\n",
      "description_text": "Sov godt byggjer på kognitiv åtferdsterapi.",
      "url": "https://tilbud.example.org/nn/tilbud/frisk/sov-godt/"
    }
  }
}

"""#

    static let healthcareService = #"""
{
  "resourceType": "HealthcareService",
  "id": "nett--stressmestring",
  "identifier": [
    {
      "system": "https://tilbud.example.org/api/v1/offers",
      "value": "nett/stressmestring"
    }
  ],
  "active": true,
  "providedBy": {
    "reference": "Organization/nett",
    "display": "Nasjonalt senter for digital mestring"
  },
  "category": [
    {
      "coding": [
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-kind",
          "code": "selvhjelp",
          "display": "selvhjelp"
        }
      ],
      "text": "selvhjelp"
    }
  ],
  "type": [
    {
      "coding": [
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-format",
          "code": "digitalt-verktoy",
          "display": "digitalt-verktoy"
        }
      ],
      "text": "digitalt-verktoy"
    }
  ],
  "specialty": [
    {
      "coding": [
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-topics",
          "code": "stress",
          "display": "stress"
        }
      ],
      "text": "stress"
    }
  ],
  "name": "Mestre stress \u003c3 \u0026 mer \u003e mindre på nett",
  "comment": "Et selvhjelpsprogram i åtte moduler som du tar i ditt eget tempo.",
  "extraDetails": "Programmet har åtte moduler \\\u0026 øvelser.\n\nPris: egenandel: 250 kr",
  "telecom": [
    {
      "system": "email",
      "value": "hjelp@example.org",
      "use": "work"
    },
    {
      "system": "url",
      "value": "https://example.org/stress",
      "use": "work"
    }
  ],
  "coverageArea": [
    {
      "reference": "Location/norge",
      "display": "Norge"
    }
  ],
  "serviceProvisionCode": [
    {
      "coding": [
        {
          "system": "http://terminology.hl7.org/CodeSystem/service-provision-conditions",
          "code": "cost",
          "display": "Fees apply"
        },
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-price",
          "code": "egenandel",
          "display": "egenandel"
        }
      ],
      "text": "egenandel: 250 kr"
    }
  ],
  "eligibility": [
    {
      "code": {
        "coding": [
          {
            "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-referral",
            "code": "frisklivsresept",
            "display": "frisklivsresept"
          }
        ],
        "text": "frisklivsresept"
      },
      "comment": "frisklivsresept"
    }
  ],
  "characteristic": [
    {
      "coding": [
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-delivery",
          "code": "digitalt",
          "display": "digitalt"
        }
      ],
      "text": "digitalt"
    },
    {
      "coding": [
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-audiences",
          "code": "voksne",
          "display": "voksne"
        }
      ],
      "text": "voksne"
    },
    {
      "coding": [
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-audiences",
          "code": "ungdom",
          "display": "ungdom"
        }
      ],
      "text": "ungdom"
    }
  ],
  "communication": [
    {
      "coding": [
        {
          "system": "urn:ietf:bcp:47",
          "code": "nb",
          "display": "nb"
        }
      ],
      "text": "nb"
    },
    {
      "coding": [
        {
          "system": "urn:ietf:bcp:47",
          "code": "en",
          "display": "en"
        }
      ],
      "text": "en"
    }
  ],
  "referralMethod": [
    {
      "coding": [
        {
          "system": "https://tilbud.example.org/api/fhir/R4/CodeSystem/tilbud-referral",
          "code": "frisklivsresept",
          "display": "frisklivsresept"
        },
        {
          "system": "http://terminology.hl7.org/CodeSystem/service-referral-method",
          "code": "elec",
          "display": "Secure Messaging"
        }
      ],
      "text": "frisklivsresept"
    }
  ],
  "appointmentRequired": true,
  "availabilityExceptions": "Løpende oppstart."
}

"""#

    static let jsonLD = #"""
{"@context":"https://schema.org","@type":"GovernmentService","@id":"https://tilbud.example.org/tilbud/nett/stressmestring/#tilbud","url":"https://tilbud.example.org/tilbud/nett/stressmestring/","identifier":"nett/stressmestring","name":"Mestre stress \u003c3 \u0026 mer \u003e mindre på nett","description":"Et selvhjelpsprogram i åtte moduler som du tar i ditt eget tempo.","provider":{"@type":"GovernmentOrganization","@id":"https://tilbud.example.org/tilbyder/nett/#org","name":"Nasjonalt senter for digital mestring","url":"https://tilbud.example.org/tilbyder/nett/","identifier":{"@type":"PropertyValue","propertyID":"organisasjonsnummer","value":"988077917"}},"serviceType":"digitalt-verktoy","category":"selvhjelp","serviceOperator":{"@type":"GovernmentOrganization","@id":"https://tilbud.example.org/tilbyder/nett/#org","name":"Nasjonalt senter for digital mestring","url":"https://tilbud.example.org/tilbyder/nett/","identifier":{"@type":"PropertyValue","propertyID":"organisasjonsnummer","value":"988077917"}},"areaServed":{"@type":"Country","name":"Norge","identifier":"NO"},"audience":[{"@type":"Audience","audienceType":"voksne"},{"@type":"Audience","audienceType":"ungdom"}],"availableChannel":{"@type":"ServiceChannel","serviceUrl":"https://example.org/stress","availableLanguage":["nb","en"]},"offers":{"@type":"Offer","price":250,"priceCurrency":"NOK","category":"egenandel","url":"https://example.org/stress"}}
"""#.trimmingCharacters(in: .newlines)
}
