"""The real CLI's output guarantees: the same input gives the same bytes in a new process, and a build
killed part-way leaves the previous output as it was (and its leftovers are cleaned by the next build)."""

import hashlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

from tilbud_build import ROOT, build, build_command, find_binary


def tree(root):
    """Relative path → SHA-256 of every file under root."""
    out = {}
    for p in sorted(Path(root).rglob("*")):
        if p.is_file():
            out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def test_a_second_build_in_a_new_process_is_byte_identical(site_root, tmp_path):
    out = tmp_path / "again"
    result = build(out)
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = tree(site_root), tree(out)
    assert len(first) > 1000
    assert first.keys() == second.keys(), sorted(set(first) ^ set(second))[:10]
    differing = [k for k in first if first[k] != second[k]]
    assert not differing, f"{len(differing)} files differ, e.g. {differing[:5]}"


def test_a_killed_build_leaves_the_previous_output_as_it_was(site_root, tmp_path, tmp_path_factory):
    out = tmp_path / "public"
    shutil.copytree(site_root, out)
    # A marker the new build would not write: the previous output must survive whole, marker included.
    (out / "previous-build.txt").write_text("kept")
    before = tree(out)
    # The bundled catalog builds in a fraction of a second; a generated catalog of 3,000 offers gives time to
    # kill the build while it writes its pages.
    corpus = tmp_path_factory.mktemp("corpus") / "content"
    made = subprocess.run([str(find_binary()), "dev", "corpus", "--offers", "3000", "--output", str(corpus),
                           "--content", str(ROOT / "content")], cwd=ROOT, capture_output=True, text=True)
    assert made.returncode == 0, made.stderr[-3000:]
    proc = subprocess.Popen(build_command(out, content=corpus), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    staging = tmp_path / f".public.tmp-{proc.pid}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        if staging.exists() and any(staging.iterdir()):
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the build finished before it could be killed; the test needs a slower build"
    time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL, "the build ended on its own before the kill: the test proves nothing"
    assert tree(out) == before, "the killed build changed the previous output"
    # The next build cleans what the killed one left and replaces the output whole.
    result = build(out)
    assert result.returncode == 0, result.stderr[-3000:]
    assert not staging.exists(), "the killed build's staging folder is left behind"
    # Beside the output only the previous output is left, swapped out whole and kept for the next build to reuse, and
    # the render cache the rebuild kept (what the killed build began of it was started over: the file ends in a whole
    # index, whose trailer starts with "TILBUDC1").
    beside = sorted(p.name for p in tmp_path.iterdir())
    assert [n for n in beside if n not in (".public.spare", ".public.cache") and not n.startswith(".public.trash-")] == ["public"] \
        and len(beside) <= 3, beside
    cache = (tmp_path / ".public.cache").read_bytes()
    assert len(cache) >= 32 and cache[-32:-24] == b"TILBUDC1", "the render cache does not end in a whole index"
    assert tree(out) == tree(site_root), "the rebuilt output is not the same as a fresh build"
