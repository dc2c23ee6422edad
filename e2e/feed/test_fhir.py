"""The FHIR R4 Bulk Data export (a Bulk Publish manifest and one NDJSON file per type), every line parsed with
fhir.resources (R4B models) and checked against what it publishes."""

import json
import re
from collections import Counter

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.healthcareservice import HealthcareService
from fhir.resources.R4B.location import Location
from fhir.resources.R4B.organization import Organization

MODELS = {"HealthcareService": HealthcareService, "Organization": Organization, "Location": Location, "CodeSystem": CodeSystem}
ID_RE = re.compile(r"[A-Za-z0-9\-\.]{1,64}")
ORGNR = "urn:oid:2.16.578.1.12.4.1.4.101"
# Codes from HL7's own code systems that the export may use.
HL7 = {
    "http://terminology.hl7.org/CodeSystem/service-provision-conditions": {"free", "disc", "cost"},
    "http://terminology.hl7.org/CodeSystem/service-referral-method": {"fax", "phone", "elec", "semail", "mail"},
    "http://terminology.hl7.org/CodeSystem/location-physical-type": {"si", "bu", "wi", "wa", "lvl", "co", "ro", "bd", "ve", "ho", "ca", "rd", "area", "jdn"},
}


@pytest.fixture(scope="session")
def manifest(site):
    with open(site.path("api/fhir/R4/$bulk-publish"), encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def resources(site, manifest):
    """Every resource of every NDJSON file the manifest lists, in order."""
    out = []
    for entry in manifest["output"]:
        name = entry["url"].removeprefix(site.base)
        with open(site.path(name), encoding="utf-8") as f:
            text = f.read()
        assert text.endswith("\n") and "\n\n" not in text, name
        lines = text.split("\n")[:-1]
        assert len(lines) == entry["count"], name
        for line in lines:
            r = json.loads(line)
            assert r["resourceType"] == entry["type"], name
            out.append(r)
    return out


def test_manifest_is_a_bulk_publish_manifest(site, manifest):
    """The static manifest in the shape of the FHIR Bulk Data IG's Bulk Publish manifest."""
    assert manifest["manifestType"] == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/bulk-publish"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", manifest["transactionTime"])
    assert manifest["requiresAccessToken"] is False
    assert manifest["outputFormat"] == "application/fhir+ndjson"
    types = [e["type"] for e in manifest["output"]]
    assert types == ["CodeSystem", "Organization", "Location", "HealthcareService"]
    for e in manifest["output"]:
        assert e["url"] == site.base + "api/fhir/R4/" + e["type"] + ".ndjson"
    # Nothing else is published under the FHIR folder.
    files = sorted(p.relative_to(site.path("api/fhir/R4")).as_posix() for p in site.path("api/fhir/R4").rglob("*") if p.is_file())
    assert files == sorted(["$bulk-publish"] + [t + ".ndjson" for t in types])


def test_every_line_parses_as_its_r4_resource(resources):
    ids = set()
    for r in resources:
        assert ID_RE.fullmatch(r["id"]), r["id"]
        key = f"{r['resourceType']}/{r['id']}"
        assert key not in ids, key
        ids.add(key)
        MODELS[r["resourceType"]].model_validate(r)


def test_contents_match_the_catalog(site, resources, offers):
    counts = Counter(r["resourceType"] for r in resources)
    assert counts["HealthcareService"] == len(offers["offers"])
    providers = site.json("api/v1/providers.json")["providers"]
    assert counts["Organization"] == len(providers)
    municipalities = site.json("api/v1/municipalities.json")["municipalities"]
    places = {(o["provider"]["id"], json.dumps(l, sort_keys=True)) for o in offers["offers"] for l in o["locations"]}
    assert counts["Location"] == len(municipalities) + 1 + len(places)
    names = {r["identifier"][0]["value"] for r in resources if r["resourceType"] == "HealthcareService"}
    assert names == {o["id"] for o in offers["offers"]}


def test_organizations_carry_orgnr(site, resources):
    providers = {p["id"]: p for p in site.json("api/v1/providers.json")["providers"]}
    for r in resources:
        if r["resourceType"] != "Organization":
            continue
        ident = r["identifier"][0]
        assert ident["system"] == ORGNR
        assert any(p["org_number"] == ident["value"] for p in providers.values())


def walk_codings(node, path=""):
    if isinstance(node, dict):
        if "system" in node and "code" in node:
            yield path, node
        for k, v in node.items():
            yield from walk_codings(v, path + "." + k)
    elif isinstance(node, list):
        for v in node:
            yield from walk_codings(v, path)


def test_every_code_is_in_a_published_code_system(site, resources, vocabularies):
    systems = {}
    for r in resources:
        if r["resourceType"] == "CodeSystem":
            assert r["content"] == "complete"
            assert r["count"] == len(r["concept"])
            codes = {c["code"] for c in r["concept"]}
            systems[r["url"]] = codes
            assert r["url"] == site.base + "api/fhir/R4/CodeSystem/" + r["id"]
    assert systems
    languages = {e["id"] for e in vocabularies["vocabularies"]["languages"]}
    seen = Counter()
    for r in resources:
        for path, coding in walk_codings(r):
            system, code = coding["system"], coding["code"]
            if system.startswith(site.base):
                assert system in systems, system
                assert code in systems[system], (r["id"], path, system, code)
            elif system == "urn:ietf:bcp:47":
                assert code in languages
            elif path.endswith(".identifier"):
                continue
            else:
                assert code in HL7[system], (system, code)
            seen[system] += 1
    # Category, type, specialty, characteristic, price and referral all code with our vocabularies.
    for name in ("kind", "format", "topics", "audiences", "delivery", "price", "referral"):
        assert seen[site.base + f"api/fhir/R4/CodeSystem/tilbud-{name}"] > 0, name


def test_code_systems_match_vocabularies(resources, vocabularies):
    v = vocabularies["vocabularies"]
    for r in resources:
        if r["resourceType"] != "CodeSystem":
            continue
        name = r["id"].removeprefix("tilbud-").replace("-", "_")
        assert [c["code"] for c in r["concept"]] == [e["id"] for e in v[name]]
        for c, e in zip(r["concept"], v[name]):
            assert c["display"] == e["labels"]["nb"]
            assert {d["language"]: d["value"] for d in c.get("designation", [])} == {k: e["labels"][k] for k in ("nn", "en")}


def test_references_resolve_within_the_export(resources):
    ids = {f"{r['resourceType']}/{r['id']}" for r in resources}

    def refs(node):
        if isinstance(node, dict):
            if "reference" in node:
                yield node["reference"]
            for v in node.values():
                yield from refs(v)
        elif isinstance(node, list):
            for v in node:
                yield from refs(v)

    for r in resources:
        for ref in refs(r):
            assert ref in ids, (r["id"], ref)


def test_services_map_the_offer_faithfully(resources, offers):
    by_id = {o["id"]: o for o in offers["offers"]}
    provision = {"gratis": "free", "egenandel": "cost", "betaling": "cost"}
    for r in resources:
        if r["resourceType"] != "HealthcareService":
            continue
        o = by_id[r["identifier"][0]["value"]]
        assert r["name"] == o["title"]
        assert r["providedBy"]["reference"] == "Organization/" + o["provider"]["id"]
        assert [c["coding"][0]["code"] for c in r["category"]] == [o["kind"]]
        assert [c["coding"][0]["code"] for c in r["type"]] == [o["format"]]
        assert [c["coding"][0]["code"] for c in r["specialty"]] == o["topics"]
        assert r["serviceProvisionCode"][0]["coding"][0]["code"] == provision[o["price"]["kind"]]
        assert [c["coding"][0]["code"] for c in r["communication"]] == o["languages"]
        assert r["referralMethod"][0]["coding"][0]["code"] == o["referral"]
        assert r["appointmentRequired"] is (o["referral"] != "ingen" or o["format"] in ("kurs", "individuell"))
        if o["national"]:
            assert [a["reference"] for a in r["coverageArea"]] == ["Location/norge"]
        else:
            assert [a["reference"] for a in r["coverageArea"]] == ["Location/kommune-" + m for m in dict.fromkeys(o["municipalities"])]
        telecom = {t["value"] for t in r.get("telecom", [])}
        for v in (o["contact"].get("email"), o["signup"].get("email"), o["signup"].get("url")):
            if v:
                assert v in telecom
        for na in r.get("notAvailable", []):
            assert na["description"]
        assert len(r.get("location", [])) == len({json.dumps(l, sort_keys=True) for l in o["locations"]})


# Required bindings that fhir.resources does not enforce: codes must come from these value sets.
REQUIRED = {
    ("HealthcareService", "availableTime.daysOfWeek"): {"mon", "tue", "wed", "thu", "fri", "sat", "sun"},
    ("*", "telecom.system"): {"phone", "fax", "email", "pager", "url", "sms", "other"},
    ("*", "telecom.use"): {"home", "work", "temp", "old", "mobile"},
    ("*", "identifier.use"): {"usual", "official", "temp", "secondary", "old"},
    ("*", "address.use"): {"home", "work", "temp", "old", "billing"},
    ("*", "address.type"): {"postal", "physical", "both"},
    ("Location", "status"): {"active", "suspended", "inactive"},
    ("Location", "mode"): {"instance", "kind"},
    ("CodeSystem", "status"): {"draft", "active", "retired", "unknown"},
    ("CodeSystem", "content"): {"not-present", "example", "fragment", "complete", "supplement"},
}
TIME_RE = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\.[0-9]+)?")
DATE_RE = re.compile(r"([0-9]([0-9]([0-9][1-9]|[1-9]0)|[1-9]00)|[1-9]000)(-(0[1-9]|1[0-2])(-(0[1-9]|[1-2][0-9]|3[0-1]))?)?")


def values_at(node, path):
    head, _, rest = path.partition(".")
    items = node if isinstance(node, list) else [node]
    for item in items:
        if isinstance(item, dict) and head in item:
            v = item[head]
            if rest:
                yield from values_at(v, rest)
            elif isinstance(v, list):
                yield from v
            else:
                yield v


def test_required_bindings_and_primitive_formats(resources):
    for r in resources:
        for (rtype, path), allowed in REQUIRED.items():
            if rtype in ("*", r["resourceType"]):
                for v in values_at(r, path):
                    assert v in allowed, (r["id"], path, v)
        if r["resourceType"] == "HealthcareService":
            for at in r.get("availableTime", []):
                for k in ("availableStartTime", "availableEndTime"):
                    if k in at:
                        assert TIME_RE.fullmatch(at[k]), at
                assert at.get("daysOfWeek") or "availableStartTime" in at or at.get("allDay")
            for na in r.get("notAvailable", []):
                for k in ("start", "end"):
                    if k in na.get("during", {}):
                        assert DATE_RE.fullmatch(na["during"][k])
                if "start" in na["during"] and "end" in na["during"]:
                    assert na["during"]["start"] <= na["during"]["end"]
