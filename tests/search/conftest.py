"""Fixtures for the browser search tests: the bundled catalog built into a temp folder, served on 127.0.0.1."""
import os
import shutil
import subprocess
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from search_browser import CountingServer, available, new_driver  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
TODAY = "2026-11-27"


def tilbud_binary():
    """$TILBUD_BIN (or $TILBUD), else the newer of .build/debug/tilbud and .build/release/tilbud."""
    for name in ("TILBUD_BIN", "TILBUD"):
        if os.environ.get(name):
            return os.environ[name]
    found = [p for p in (os.path.join(ROOT, ".build", c, "tilbud") for c in ("debug", "release")) if os.path.exists(p)]
    if not found:
        pytest.fail("no tilbud binary: run `swift build --product tilbud` first (or set TILBUD_BIN)")
    return max(found, key=os.path.getmtime)


@pytest.fixture(scope="session")
def site():
    """The bundled catalog built with --today %s into a temp folder (removed afterwards).""" % TODAY
    out = tempfile.mkdtemp(prefix="tilbud-search-site-")
    public = os.path.join(out, "public")
    cmd = [tilbud_binary(), "build", "--quiet", "--content", os.path.join(ROOT, "content"),
           "--templates", os.path.join(ROOT, "templates"), "--output", public, "--today", TODAY]
    run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if run.returncode != 0:
        pytest.fail("tilbud build failed (%d):\n%s\n%s" % (run.returncode, run.stdout, run.stderr[-4000:]))
    yield public
    shutil.rmtree(out, ignore_errors=True)


@pytest.fixture(scope="session")
def server(site):
    s = CountingServer(site)
    yield s
    s.close()


@pytest.fixture(scope="module")
def driver():
    if not available():
        pytest.fail("chromium and chromium-driver are needed: bash tests/search/setup.sh")
    d = new_driver()
    yield d
    d.quit()


@pytest.fixture(scope="session")
def axe_source():
    path = os.path.join(ROOT, ".cache", "axe", "axe.min.js")
    if not os.path.exists(path):
        pytest.fail("axe-core is missing: bash tests/search/setup.sh")
    with open(path, encoding="utf-8") as f:
        return f.read()
