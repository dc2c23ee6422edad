"""Fixtures for the browser search tests: the bundled catalog built into a temp folder, served on 127.0.0.1."""
import os
import shutil
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from search_browser import CountingServer, available, new_driver  # noqa: E402
from tilbud_build import ROOT, TODAY, build  # noqa: E402  (helpers shared by every test folder)


@pytest.fixture(scope="session")
def site():
    """The bundled catalog built with --today %s into a temp folder (removed afterwards).""" % TODAY
    out = tempfile.mkdtemp(prefix="tilbud-search-site-")
    public = os.path.join(out, "public")
    run = build(public, base_url=None)
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
        pytest.fail("chromium and chromium-driver are needed: bash e2e/setup.sh search")
    d = new_driver()
    yield d
    d.quit()


@pytest.fixture(scope="session")
def axe_source():
    path = os.path.join(ROOT, ".cache", "axe", "axe.min.js")
    if not os.path.exists(path):
        pytest.fail("axe-core is missing: bash e2e/setup.sh search")
    with open(path, encoding="utf-8") as f:
        return f.read()
