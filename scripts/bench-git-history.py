#!/usr/bin/env python3
"""Makes a corpus folder a git repository with a history, as a provider's catalog is where users build.

    scripts/bench-git-history.py CORPUS COMMITS [SEED]

Commits the corpus as it is, then COMMITS commits that each change one to three offer files (a line added to the
body), then one commit that puts every changed file back. So the files at HEAD are the corpus as written (the
output is the same as without the history), and `tilbud build`'s one `git log` reads COMMITS + 2 commits that name
about 2 * COMMITS offer files. Deterministic for a seed: fixed dates (one commit every ten minutes from
2026-01-01) and a fixed author. Uses `git fast-import` (one process, a few seconds for 5,000 commits).
"""
import os
import random
import subprocess
import sys


def main() -> int:
    if len(sys.argv) not in (3, 4):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    corpus, commits = sys.argv[1], int(sys.argv[2])
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) == 4 else 1)
    env = dict(os.environ, GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.org",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.org",
               GIT_AUTHOR_DATE="1767225600 +0000", GIT_COMMITTER_DATE="1767225600 +0000")

    def git(*args: str, data: bytes | None = None) -> str:
        p = subprocess.run(["git", "-C", corpus, *args], input=data, env=env, capture_output=True)
        if p.returncode != 0:
            sys.stderr.write(p.stderr.decode(errors="replace"))
            raise SystemExit(f"git {args[0]} failed in {corpus}")
        return p.stdout.decode()

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "Katalogen")
    offers = sorted(f for f in git("ls-files", "providers").splitlines() if f.endswith(".md"))
    if not offers or commits <= 0:
        return 0
    original: dict[str, bytes] = {}
    stream: list[bytes] = []
    when = 1767225600
    for n in range(commits):
        when += 600
        message = f"Endrer tilbud ({n + 1})".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"committer Bench <bench@example.org> {when} +0000\n".encode())
        stream.append(b"data %d\n%s\n" % (len(message), message))
        if n == 0:
            stream.append(b"from refs/heads/main^0\n")
        for path in rng.sample(offers, min(len(offers), rng.randint(1, 3))):
            if path not in original:
                with open(os.path.join(corpus, path), "rb") as f:
                    original[path] = f.read()
            text = original[path] + f"\nEndret i runde {n + 1}.\n".encode()
            stream.append(f"M 100644 inline {path}\n".encode())
            stream.append(b"data %d\n%s\n" % (len(text), text))
    when += 600
    message = b"Tilbake til katalogen"
    stream.append(b"commit refs/heads/main\n")
    stream.append(f"committer Bench <bench@example.org> {when} +0000\n".encode())
    stream.append(b"data %d\n%s\n" % (len(message), message))
    for path in sorted(original):
        stream.append(f"M 100644 inline {path}\n".encode())
        stream.append(b"data %d\n%s\n" % (len(original[path]), original[path]))
    git("fast-import", "--quiet", data=b"".join(stream))
    # The work tree already holds HEAD's files; refresh the index without touching them.
    git("reset", "-q")
    if git("status", "--porcelain"):
        raise SystemExit(f"{corpus}: the files at HEAD differ from the corpus")
    return 0


if __name__ == "__main__":
    sys.exit(main())
