"""The OpenAPI 3.1 document: valid (openapi-spec-validator), complete, and true to the files it describes."""

import re
from urllib.parse import urljoin

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012


@pytest.fixture(scope="session")
def spec(site):
    return site.json("api/v1/openapi.json")


def test_spec_is_valid_openapi_31(site, spec):
    assert spec["openapi"].startswith("3.1")
    # Relative $refs (schema/offer.schema.json) resolve against the file's own location.
    validate(spec, base_uri=site.path("api/v1/openapi.json").as_uri())


def server_root(site, spec, item):
    url = (item.get("servers") or spec["servers"])[0]["url"]
    assert url.startswith(site.base.rstrip("/"))
    return url[len(site.base):].strip("/")


def test_every_path_is_a_static_get_with_files(site, spec):
    for path, item in spec["paths"].items():
        assert set(item) <= {"get", "servers"}, path
        op = item["get"]
        assert "200" in op["responses"]
        root = server_root(site, spec, item)
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", re.escape(path).replace(r"\{", "{").replace(r"\}", "}"))
        folder = site.path(root)
        found = [p for p in folder.rglob("*") if p.is_file() and re.fullmatch(pattern, "/" + p.relative_to(folder).as_posix())]
        assert found, f"no file for {path}"
        for param in op.get("parameters", []):
            assert param["in"] == "path" and param["required"] is True


def test_every_file_is_described(site, spec):
    patterns = []
    for path, item in spec["paths"].items():
        root = server_root(site, spec, item)
        rx = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path))
        patterns.append(re.compile(re.escape("/" + root) + rx if root else rx))
    for p in site.path("api").rglob("*.json"):
        rel = "/" + p.relative_to(site.root).as_posix()
        assert any(rx.fullmatch(rel) for rx in patterns), rel


def test_covers_the_issue_endpoints(spec):
    paths = set(spec["paths"])
    assert {
        "/offers.json", "/offers/{provider}/{slug}.json", "/providers.json", "/providers/{provider}.json",
        "/vocabularies.json", "/municipalities/{kommunenummer}.json", "/topics/{topic}.json",
        "/schema/offer.schema.json", "/schema/offers.schema.json", "/schema/provider.schema.json", "/$bulk-publish", "/{type}.ndjson", "/national.json",
    } <= paths


def test_responses_match_component_schemas(site, spec):
    """Each smaller file validates against the schema its path's response names."""
    offer = site.json("api/v1/schema/offer.schema.json")
    offers = site.json("api/v1/schema/offers.schema.json")
    base = site.base + "api/v1/openapi.json"
    registry = Registry().with_resources([
        (base, Resource.from_contents(spec, default_specification=DRAFT202012)),
        (offer["$id"], Resource.from_contents(offer, default_specification=DRAFT202012)),
        (offers["$id"], Resource.from_contents(offers, default_specification=DRAFT202012)),
    ])

    def check(path, file):
        schema = spec["paths"][path]["get"]["responses"]["200"]["content"]
        schema = next(iter(schema.values()))["schema"]
        target = urljoin(base, schema["$ref"])
        Draft202012Validator({"$ref": target}, registry=registry).validate(site.json(file))

    check("/providers.json", "api/v1/providers.json")
    check("/vocabularies.json", "api/v1/vocabularies.json")
    check("/municipalities.json", "api/v1/municipalities.json")
    check("/national.json", "api/v1/national.json")
    for m in site.json("api/v1/municipalities.json")["municipalities"]:
        check("/municipalities/{kommunenummer}.json", f"api/v1/municipalities/{m['code']}.json")
    for p in site.json("api/v1/providers.json")["providers"]:
        check("/providers/{provider}.json", f"api/v1/providers/{p['id']}.json")
    for t in site.json("api/v1/vocabularies.json")["vocabularies"]["topics"]:
        check("/topics/{topic}.json", f"api/v1/topics/{t['id']}.json")
    check("/offers.json", "api/v1/offers.json")
