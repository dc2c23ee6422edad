"""Builds the bundled catalog once per session and hands the output to the feed tests.

The tests validate Tilbud's feed with outside tools (jsonschema, openapi-spec-validator,
fhir.resources, feedparser, an XML parser). Run `e2e/setup.sh feed` first.

Environment:
  TILBUD_BIN           the tilbud binary (default: the newer of .build/release/tilbud and .build/debug/tilbud)
  TILBUD_FEED_CONTENT  a content folder to build instead of content/ (e.g. a `tilbud dev corpus` catalog)
  TILBUD_FEED_OUTPUT   an already built output folder to check instead of building one
"""

import json
import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tilbud_build import BASE_URL, build  # noqa: E402  (helpers shared by every test folder)


class Site:
    """The built output and helpers to read it."""

    def __init__(self, root: Path, bundled: bool):
        self.root = root
        self.base = BASE_URL
        self.bundled = bundled
        self._cache = {}

    def path(self, relative):
        return self.root / relative

    def json(self, relative):
        if relative not in self._cache:
            with open(self.root / relative, encoding="utf-8") as f:
                self._cache[relative] = json.load(f)
        return self._cache[relative]

    def url_to_path(self, url):
        """The output file a URL under the base URL is served from (`x/` → `x/index.html`)."""
        assert url.startswith(self.base), url
        rel = url[len(self.base):]
        rel = urlsplit(rel).path
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        return self.root / rel

    def offer_files(self):
        return sorted((self.root / "api/v1/offers").glob("*/*.json"))


@pytest.fixture(scope="session")
def site():
    if os.environ.get("TILBUD_FEED_OUTPUT"):
        yield Site(Path(os.environ["TILBUD_FEED_OUTPUT"]), bundled=False)
        return
    content = os.environ.get("TILBUD_FEED_CONTENT")  # None: the bundled catalog
    work = Path(tempfile.mkdtemp(prefix="tilbud-feed-"))
    out = work / "public"
    result = build(out, content)
    if result.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        pytest.fail("build failed:\n" + result.stdout[-4000:] + result.stderr[-4000:])
    try:
        yield Site(out, bundled="TILBUD_FEED_CONTENT" not in os.environ)
    finally:
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="session")
def offers(site):
    return site.json("api/v1/offers.json")


@pytest.fixture(scope="session")
def offer_docs(site):
    """Every per-offer file, by id."""
    docs = {}
    for p in site.offer_files():
        with open(p, encoding="utf-8") as f:
            doc = json.load(f)
        docs[doc["id"]] = doc
    return docs


@pytest.fixture(scope="session")
def vocabularies(site):
    return site.json("api/v1/vocabularies.json")
