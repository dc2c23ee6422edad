"""What every Python test folder needs: where the repository is, which tilbud binary to use, how to build.

(A module of its own, not conftest.py: several test folders have a conftest.py, and a plain
`import conftest` could pick up another folder's. `e2e/conftest.py` puts this folder on the path.)
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TODAY = "2026-11-27"
BASE_URL = "https://tilbud.example.org/"


def find_binary():
    """$TILBUD_BIN (or $TILBUD), else the newer of .build/release/tilbud and .build/debug/tilbud."""
    for name in ("TILBUD_BIN", "TILBUD"):
        if os.environ.get(name):
            return Path(os.environ[name])
    candidates = [ROOT / ".build" / "release" / "tilbud", ROOT / ".build" / "debug" / "tilbud"]
    found = [c for c in candidates if c.exists()]
    if not found:
        pytest.exit("no tilbud binary: run `swift build --product tilbud` (or set TILBUD_BIN)", returncode=2)
    return max(found, key=lambda p: p.stat().st_mtime)


def build_command(output, content=None, base_url=BASE_URL, extra=()):
    """The `tilbud build` command line for `content` (default: the bundled catalog) into `output`."""
    cmd = [str(find_binary()), "build", "--content", str(content or ROOT / "content"),
           "--templates", str(ROOT / "templates"), "--output", str(output), "--today", TODAY]
    if base_url:
        cmd += ["--base-url", base_url]
    return cmd + ["--quiet", *extra]


def build(output, content=None, base_url=BASE_URL, extra=()):
    """Runs `tilbud build` into `output`; returns the CompletedProcess."""
    return subprocess.run(build_command(output, content, base_url, extra), cwd=ROOT, capture_output=True, text=True)
