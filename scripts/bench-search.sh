#!/usr/bin/env bash
# Search: what a browser downloads for its first query, and how fast results come, Tilbud against Pagefind.
#
#   scripts/bench-search.sh [--keep]
#
# Builds tilbud in release, writes a synthetic corpus per size with `tilbud dev corpus`, builds the
# site (`tilbud build --today 2026-11-27`), then copies it (hard links) with the offer pages' <main>
# marked data-pagefind-body and runs Pagefind on the copy (PyPI pagefind-bin,
# `python3 -m pagefind_bin --site COPY`), so both index the same offer pages. Then, in headless
# Chromium with a fresh profile, it types each query into /sok/ and into a page with Pagefind's UI,
# counting bytes at the server (e2e/search/bench_search.py), and prints both sides:
#
#   first KB        search files fetched from opening the page to the first results
#                   (Tilbud: search.js + sok/indeks/*; Pagefind: everything under pagefind/)
#   first results   the query's last key press -> results shown (cold; typed a key every 80 ms)
#   update          once loaded, a key press -> results updated (Pagefind's UI waits 300 ms first)
#
# Targets: Tilbud's first-query bytes <= 1/2 of Pagefind's; updates within 50 ms. Prints; never asserts.
#
# Then relevance: the bundled catalog (content/) built the same way and indexed by Pagefind the same way, and every
# query of e2e/search/relevance.json run through both in Chromium (e2e/search/relevance_figures.py): MRR and
# recall@10 per engine, overall and per kind of query.
#
# Environment: SIZES="10000" RUNS=3 TODAY=2026-11-27 SEED=1 TILBUD=path SCRATCH_PATH=.build
#              QUERIES="søvn|røykeslutt|kurs oslo" RELEVANCE=1 (0: skip the relevance comparison; SIZES="" skips the rest)
# --keep keeps the corpora and outputs (the folder is printed at the end).

set -euo pipefail
search_sizes="${SIZES:-10000}"
. "$(cd "$(dirname "$0")" && pwd)/bench-common.sh"
SIZES="$search_sizes"
QUERIES="${QUERIES:-søvn|røykeslutt|kurs oslo}"
bench_parse_args "$@"

BENCH=1 bash "$ROOT/e2e/setup.sh" search
bench_workdir
bench_machine
echo "pagefind: $(python3 -m pagefind_bin --version 2>/dev/null || echo missing); chromium: $(chromium --version 2>/dev/null || echo missing)"
bench_build_tilbud
[ -n "$TILBUD" ] || { echo "no tilbud binary; cannot go on" >&2; exit 1; }

query_args=()
IFS='|' read -r -a qs <<<"$QUERIES"
for q in "${qs[@]}"; do query_args+=(--query "$q"); done

# A copy of the site in $1 (hard links) with the offer pages' <main> marked data-pagefind-body, indexed by Pagefind, in $2.
pagefind_copy() {
    local site="$1" copy="$2" log="$2.log" start end
    cp -al "$site" "$copy"
    # sed -i writes new files, so the hard links to the Tilbud site are broken only for the marked pages.
    find "$copy" -path '*/tilbud/*/*/index.html' -print0 | xargs -0 -r sed -i 's/<main id="main"/<main data-pagefind-body id="main"/'
    start=$(date +%s.%N)
    python3 -m pagefind_bin --site "$copy" >"$log" 2>&1 \
        || { echo "pagefind failed; see $log" >&2; tail -n 20 "$log" >&2; exit 1; }
    end=$(date +%s.%N)
    printf '  pagefind: %s s (%s)\n' "$(bench_elapsed "$start" "$end")" "$(grep -E 'Indexed [0-9]+ pages' "$log" | xargs)"
}

for size in $SIZES; do
    echo
    echo "== $size offers"
    bench_corpus "$size" "$WORK/corpus-$size"
    site="$WORK/site-$size"
    start=$(date +%s.%N)
    (cd "$ROOT" && "$TILBUD" build --quiet --content "$WORK/corpus-$size" --output "$site" --today "$TODAY") >"$WORK/build-$size.log" 2>&1 \
        || { echo "tilbud build failed; see $WORK/build-$size.log" >&2; tail -n 20 "$WORK/build-$size.log" >&2; exit 1; }
    end=$(date +%s.%N)
    index_kb=$(du -sk "$site/sok/indeks" | awk '{ print $1 }')
    index_files=$(find "$site/sok/indeks" -type f | wc -l)
    printf '  tilbud build: %s s (nb search index: %s KiB in %s files)\n' "$(bench_elapsed "$start" "$end")" "$index_kb" "$index_files"

    copy="$WORK/pagefind-$size"
    pagefind_copy "$site" "$copy"

    python3 "$ROOT/e2e/search/bench_search.py" --site "$site" --pagefind-site "$copy" --runs "$RUNS" \
        --json "$WORK/search-$size.json" "${query_args[@]}"
done

if [ "${RELEVANCE:-1}" = 1 ]; then
    echo
    echo "== relevance: the bundled catalog, every query of e2e/search/relevance.json"
    site="$WORK/site-bundled"
    (cd "$ROOT" && "$TILBUD" build --quiet --content content --output "$site" --today "$TODAY") >"$WORK/build-bundled.log" 2>&1 \
        || { echo "tilbud build failed; see $WORK/build-bundled.log" >&2; tail -n 20 "$WORK/build-bundled.log" >&2; exit 1; }
    pagefind_copy "$site" "$WORK/pagefind-bundled"
    python3 "$ROOT/e2e/search/relevance_figures.py" --site "$site" --pagefind-site "$WORK/pagefind-bundled" \
        --json "$WORK/relevance.json" --verbose
fi
