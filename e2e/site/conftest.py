"""Builds the bundled catalog once per session for the site tests (HTML validator, axe-core, reflow).

Run `e2e/setup.sh site` first. The tests use the tilbud binary the CI script built
(`.build/release/tilbud` or `.build/debug/tilbud`, the newer of the two; or TILBUD_BIN).

Environment:
  TILBUD_BIN          the tilbud binary
  TILBUD_SITE_OUTPUT  an already built output folder to check instead of building one
"""

import functools
import http.server
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from pathlib import Path

import pytest

from tilbud_build import ROOT, build  # noqa: E402  (helpers shared by every test folder)


@pytest.fixture(scope="session")
def site_root():
    """The built bundled site (a temporary folder, removed at the end)."""
    if os.environ.get("TILBUD_SITE_OUTPUT"):
        yield Path(os.environ["TILBUD_SITE_OUTPUT"])
        return
    work = Path(tempfile.mkdtemp(prefix="tilbud-site-"))
    out = work / "public"
    result = build(out)
    if result.returncode != 0:
        shutil.rmtree(work, ignore_errors=True)
        pytest.fail("build failed:\n" + result.stdout[-4000:] + result.stderr[-4000:])
    try:
        yield out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def first_match(root, pattern, predicate=lambda text: True):
    """The first page (sorted) matching a glob and a predicate on its text, relative to root."""
    for p in sorted(root.glob(pattern)):
        if predicate(p.read_text(encoding="utf-8")):
            return p.relative_to(root).as_posix()
    return None


@pytest.fixture(scope="session")
def sample_pages(site_root):
    """A representative set of pages: every kind of page, in all three languages where it matters."""
    offers = "tilbud/*/*/index.html"
    picks = {
        "front nb": "index.html",
        "front nn": "nn/index.html",
        "front en": "en/index.html",
        "offer nb": "tilbud/frisklivssentralen-oslo-grunerlokka/sov-godt/index.html",
        "offer nn (translated)": first_match(site_root, "nn/" + offers),
        "offer en (translated)": first_match(site_root, "en/" + offers),
        "tema en (untranslated cards)": first_match(site_root, "en/tema/*/index.html", lambda t: 'class="card-lang"' in t),
        "offer ended": first_match(site_root, offers, lambda t: "notice-ended" in t),
        "offer stale": first_match(site_root, offers, lambda t: "notice-stale" in t),
        "offer due": first_match(site_root, offers, lambda t: "notice-due" in t),
        "tema": "tema/sovn/index.html",
        "kommune": "kommune/0301/index.html",
        "kommune list": "kommune/index.html",
        "landsdekkende": "landsdekkende/index.html",
        "tilbyder": first_match(site_root, "tilbyder/*/index.html"),
        "type": "type/friskliv/index.html",
        "malgruppe": "malgruppe/eldre/index.html",
        "sok": "sok/index.html",
        "404": "404.html",
        "404 en": "en/404.html",
        # Every URL prefix is a page: the index pages, and the pages site.yaml names.
        "tema index": "tema/index.html",
        "type index nn": "nn/type/index.html",
        "malgruppe index": "malgruppe/index.html",
        "tilbyder index": "tilbyder/index.html",
        "tilbud index en": "en/tilbud/index.html",
        "tilbud provider": first_match(site_root, "tilbud/*/index.html", lambda t: "index-note" in t),
        "om-nettstedet": "om-nettstedet/index.html",
        "personvern nn": "nn/personvern/index.html",
        "tilgjengelighet": "tilgjengelighet/index.html",
        "tilgjengelighet en": "en/tilgjengelighet/index.html",
    }
    missing = [k for k, v in picks.items() if v is None or not (site_root / v).exists()]
    assert not missing, f"the bundled site lacks pages of these kinds: {missing}"
    return picks


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server(site_root):
    """Serves the built site on 127.0.0.1 at a free port; yields the base URL ("http://127.0.0.1:PORT/")."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = functools.partial(QuietHandler, directory=str(site_root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through chromedriver (no driver download)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    driver_path = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not (os.path.exists(chromium) and os.path.exists(driver_path)):
        pytest.fail("chromium and chromium-driver are needed: run e2e/setup.sh site")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=nb", "--hide-scrollbars"]:
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()
