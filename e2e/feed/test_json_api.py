"""The JSON API under /api/v1/, validated with the JSON Schemas it publishes (PyPI jsonschema, 2020-12)."""

import copy
import json
import re

import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


@pytest.fixture(scope="session")
def schemas(site):
    offer = site.json("api/v1/schema/offer.schema.json")
    envelope = site.json("api/v1/schema/offers.schema.json")
    Draft202012Validator.check_schema(offer)
    Draft202012Validator.check_schema(envelope)
    registry = Registry().with_resources(
        [(s["$id"], Resource.from_contents(s, default_specification=DRAFT202012)) for s in (offer, envelope)]
    )
    return offer, envelope, registry


def strict(schema):
    """The schema with additionalProperties: false wherever it lists properties (catches undeclared keys)."""
    schema = copy.deepcopy(schema)

    def walk(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(schema)
    return schema


def test_schemas_carry_governance(site, schemas, vocabularies):
    offer, _, _ = schemas
    assert offer["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert offer["$id"] == site.base + "api/v1/schema/offer.schema.json"
    vocab = {name: [e["id"] for e in entries] for name, entries in vocabularies["vocabularies"].items()}
    assert offer["$defs"]["topic"]["enum"] == vocab["topics"]
    assert offer["$defs"]["kind"]["enum"] == vocab["kind"]
    assert offer["$defs"]["provider_type"]["enum"] == vocab["provider_type"]
    municipalities = site.json("api/v1/municipalities.json")["municipalities"]
    assert offer["$defs"]["kommunenummer"]["enum"] == [m["code"] for m in municipalities]
    assert offer["properties"]["title"]["maxLength"] == 90
    assert offer["properties"]["summary"]["maxLength"] == 160
    assert offer["properties"]["topics"]["maxItems"] == 5
    assert offer["properties"]["tags"]["maxItems"] == 15


def test_every_provider_validates_against_provider_schema(site):
    schema = site.json("api/v1/schema/provider.schema.json")
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == site.base + "api/v1/schema/provider.schema.json"
    validator = Draft202012Validator(strict(schema))
    providers = site.json("api/v1/providers.json")["providers"]
    assert providers
    for p in providers:
        validator.validate(p)
        validator.validate(site.json(f"api/v1/providers/{p['id']}.json")["provider"])


def test_envelope_validates(offers, schemas):
    _, envelope, registry = schemas
    Draft202012Validator(envelope, registry=registry).validate(offers)
    assert offers["api_version"] == "1"
    assert offers["generated"] == "2026-11-27"
    assert offers["count"] == len(offers["offers"]) > 0


def test_every_offer_file_validates(site, schemas, offer_docs):
    offer, _, registry = schemas
    validator = Draft202012Validator(offer, registry=registry)
    strict_validator = Draft202012Validator(strict(offer), registry=registry)
    assert offer_docs
    for doc in offer_docs.values():
        validator.validate(doc)
        # Nothing is emitted that the schema does not declare.
        strict_validator.validate(doc)


def test_listed_offers_are_current_or_due_and_match_their_files(offers, offer_docs):
    ids = [o["id"] for o in offers["offers"]]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    for o in offers["offers"]:
        assert o["state"] in ("current", "due")
        assert offer_docs[o["id"]] == o
    listed = {i for i, d in offer_docs.items() if d["state"] in ("current", "due")}
    assert listed == set(ids)


def test_stale_and_ended_offers_keep_their_files(site, offer_docs, offers):
    states = {d["state"] for d in offer_docs.values()}
    assert states <= {"current", "due", "stale", "ended"}
    if site.bundled:
        # The bundled catalog has offers in every state on 2026-11-27.
        assert {"current", "due", "stale"} <= states
        assert len(offer_docs) > len(offers["offers"])


def test_ids_urls_and_files(site, offer_docs):
    for oid, doc in offer_docs.items():
        provider, slug = oid.split("/")
        assert site.path(f"api/v1/offers/{provider}/{slug}.json").exists()
        assert doc["provider"]["id"] == provider
        assert site.url_to_path(doc["url"]).exists(), doc["url"]
        assert site.url_to_path(doc["api_url"]).exists()
        for lang, t in doc["translations"].items():
            assert site.url_to_path(t["url"]).exists(), t["url"]
            assert f"/{lang}/" in t["url"]


def test_vocabulary_fields_carry_ids_with_labels(offer_docs, vocabularies):
    v = {name: {e["id"]: e for e in entries} for name, entries in vocabularies["vocabularies"].items()}
    for entries in v.values():
        for e in entries.values():
            assert set(e["labels"]) >= {"nb", "nn", "en"}
    for doc in offer_docs.values():
        assert doc["kind"] in v["kind"]
        assert doc["format"] in v["format"]
        assert doc["delivery"] in v["delivery"]
        assert doc["referral"] in v["referral"]
        assert doc["price"]["kind"] in v["price"]
        assert doc["provider"]["type"] in v["provider_type"]
        assert doc["state"] in v["state"]
        for t in doc["topics"]:
            assert t in v["topics"]
        for a in doc["audiences"]:
            assert a in v["audiences"]
        for a in doc["accessibility"]:
            assert a in v["accessibility"]
        for lang in doc["languages"]:
            assert lang in v["languages"]


def test_descriptions_are_sanitised(offer_docs):
    bad = re.compile(r"<\s*(script|iframe|object|embed|style)\b|\son\w+\s*=|javascript:", re.I)
    for doc in offer_docs.values():
        texts = [doc["description_html"]] + [t["description_html"] for t in doc["translations"].values()]
        for html in texts:
            assert not bad.search(html), doc["id"]


def test_municipality_files(site, offers):
    index = site.json("api/v1/municipalities.json")
    codes = [m["code"] for m in index["municipalities"]]
    assert index["count"] == len(codes)
    if site.bundled:
        assert len(codes) == 357
    listed = {o["id"]: o for o in offers["offers"]}
    national = [i for i, o in listed.items() if o["national"]]
    # National offers are listed once, in national.json; each municipality file points there.
    doc = site.json("api/v1/national.json")
    assert [o["id"] for o in doc["offers"]] == national and doc["count"] == len(national)
    empty = 0
    for code in codes:
        doc = site.json(f"api/v1/municipalities/{code}.json")
        assert doc["municipality"]["code"] == code
        assert doc["national_offers"] == {"count": len(national), "api_url": site.base + "api/v1/national.json"}
        ids = [o["id"] for o in doc["offers"]]
        assert doc["count"] == len(ids)
        assert ids == sorted(ids)
        expected = {i for i, o in listed.items() if not o["national"] and code in o["municipalities"]}
        assert set(ids) == expected, code
        empty += not ids
    assert empty > 0


def test_topic_files(site, offers, vocabularies):
    for entry in vocabularies["vocabularies"]["topics"]:
        doc = site.json(f"api/v1/topics/{entry['id']}.json")
        assert doc["topic"]["id"] == entry["id"]
        assert doc["topic"]["labels"] == entry["labels"]
        expected = [o["id"] for o in offers["offers"] if entry["id"] in o["topics"]]
        assert [o["id"] for o in doc["offers"]] == expected
        assert doc["count"] == len(expected)


def test_provider_files(site, offer_docs, offers):
    providers = site.json("api/v1/providers.json")
    assert providers["count"] == len(providers["providers"])
    listed = [o["id"] for o in offers["offers"]]
    for p in providers["providers"]:
        doc = site.json(f"api/v1/providers/{p['id']}.json")
        assert doc["provider"] == p
        assert re.fullmatch(r"[0-9]{9}", p["org_number"])
        mine = sorted(i for i in offer_docs if i.startswith(p["id"] + "/"))
        assert [o["id"] for o in doc["offers"]] == mine
        assert doc["count"] == len(mine)
        assert p["offer_count"] == len([i for i in listed if i.startswith(p["id"] + "/")])
        for ref in doc["offers"]:
            assert ref["state"] == offer_docs[ref["id"]]["state"]
            assert ref["title"] == offer_docs[ref["id"]]["title"]


def test_json_is_utf8_without_escaped_letters(site):
    raw = site.path("api/v1/vocabularies.json").read_text(encoding="utf-8")
    assert "\\u00" not in raw
    assert "Søvn" in raw or not site.bundled


def test_list_files_hold_list_entries_one_a_line(site, offer_docs):
    """Municipality, national, topic and provider files list what a portal's list shows (the whole offer is in its
    own file), one a line."""
    files = sorted(site.path("api/v1/municipalities").glob("*.json")) + sorted(site.path("api/v1/topics").glob("*.json")) \
        + sorted(site.path("api/v1/providers").glob("*.json")) + [site.path("api/v1/national.json")]
    assert files
    for p in files:
        lines = p.read_text(encoding="utf-8").split("\n")
        assert lines[-1] == ""
        doc = json.loads("\n".join(lines))
        if not doc["offers"]:
            assert len(lines) == 2 and lines[0].endswith('"offers":[]}')
            continue
        assert lines[0].endswith('"offers":[') and lines[-2] == "]}"
        items = lines[1:-2]
        assert len(items) == doc["count"] == len(doc["offers"])
        for line, ref in zip(items, doc["offers"]):
            assert json.loads(line.rstrip(",")) == ref
            keys = ["id", "title", "summary", "url", "api_url", "kind", "delivery", "topics", "next_start", "state", "national"]
            assert list(ref) == [k for k in keys if k != "next_start" or k in ref], p
            full = offer_docs[ref["id"]]
            for k in keys:
                if k not in ("url", "api_url"):
                    assert ref.get(k) == full.get(k), (p, k)
            assert ref["url"] == full["url"] and ref["api_url"] == site.base + "api/v1/offers/" + ref["id"] + ".json"
