"""Helpers shared by tests/site: where the repository is and how to run `tilbud build`.

(A module of its own, not conftest.py: several test folders have a conftest.py, and a plain
`import conftest` could pick up another folder's.)
"""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TODAY = "2026-11-27"
BASE_URL = "https://tilbud.example.org/"


def find_binary():
    if os.environ.get("TILBUD_BIN"):
        return Path(os.environ["TILBUD_BIN"])
    candidates = [ROOT / ".build" / "release" / "tilbud", ROOT / ".build" / "debug" / "tilbud"]
    found = [c for c in candidates if c.exists()]
    if not found:
        pytest.exit("no tilbud binary: run `swift build` (or set TILBUD_BIN)", returncode=2)
    return max(found, key=lambda p: p.stat().st_mtime)


def build(output, content=None, extra=()):
    """Runs `tilbud build` into `output`; returns the CompletedProcess."""
    cmd = [str(find_binary()), "build", "--content", str(content or ROOT / "content"),
           "--templates", str(ROOT / "templates"), "--output", str(output),
           "--today", TODAY, "--base-url", BASE_URL, "--quiet", *extra]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
