#!/usr/bin/env bash
# Times the feed step (JSON API, FHIR, Atom, sitemap) of `tilbud build` on a generated catalog, and checks that
# catalog's feed with the outside validators of e2e/feed.
#
#   scripts/bench-feed.sh [--keep]
#
# Builds tilbud in release, writes a corpus with `tilbud dev corpus` (or takes CONTENT), then RUNS times
#   tilbud build --content DIR --output OUT --today 2026-11-27 --quiet --timings
# and prints, per run and as the median, the FeedStep's wall time, the whole build's wall time and peak RSS, and
# how much the feed adds to the rest of the build (the issue allows at most 25 %). Then it runs
#   TILBUD_FEED_OUTPUT=OUT python3 -m pytest e2e/feed
# on the last output: jsonschema on every offer file and offers.json, openapi-spec-validator, fhir.resources on every
# line of the FHIR NDJSON files, feedparser, and every sitemap <loc> must exist. Timings are figures, never
# asserted; the validators' result is the exit status.
# Environment: SIZE=10000 RUNS=3 TODAY=2026-11-27 SEED=1 TILBUD=path SCRATCH_PATH=.build-feedperf
#              CONTENT=dir (a catalog to build instead of a generated one) VALIDATE=1 (0 skips the validators)
# --keep keeps the corpus and the output (the folder is printed at the end).

set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/bench-common.sh"
SIZE="${SIZE:-10000}"
SCRATCH_PATH="${SCRATCH_PATH:-.build-feedperf}"
VALIDATE="${VALIDATE:-1}"
bench_parse_args "$@"
bench_require_time

bench_workdir
bench_build_tilbud
[ -n "$TILBUD" ] || { echo "no tilbud binary" >&2; exit 1; }

if [ -n "${CONTENT:-}" ]; then
    corpus="$CONTENT"
    echo "catalog: $corpus"
else
    corpus="$WORK/corpus-$SIZE"
    bench_corpus "$SIZE" "$corpus"
fi

out="$WORK/out"
echo
echo "timing: tilbud build --content $corpus --output OUT --today $TODAY --quiet --timings"
printf '%4s  %10s  %10s  %12s  %10s  %12s\n' run "FeedStep s" "build s" "peak RSS MiB" "feed share" "feed adds"
printf '%4s  %10s  %10s  %12s  %10s  %12s\n' ---- ---------- ---------- ------------ ---------- ------------
results="$WORK/feed.runs"
: >"$results"
for i in $(seq 1 "$RUNS"); do
    rm -rf "$out"
    if ! /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$TILBUD" build --content "$corpus" --output "$out" --today "$TODAY" \
        --quiet --timings >"$WORK/build.out" 2>"$WORK/build.err"; then
        echo "the build failed:" >&2
        tail -n 20 "$WORK/build.err" >&2
        exit 1
    fi
    # --timings prints "<seconds> s [<cpu> cpu]  <stage>" per stage on stderr.
    feed=$(awk '$NF == "FeedStep" { print $1 }' "$WORK/build.err")
    read -r wall rss <"$WORK/time.txt"
    [ -n "$feed" ] || { echo "no FeedStep line in the --timings output" >&2; cat "$WORK/build.err" >&2; exit 1; }
    awk -v r="$i" -v f="$feed" -v w="$wall" -v m="$rss" 'BEGIN {
        printf "%4d  %10.3f  %10.2f  %12.0f  %9.1f%%  %11.1f%%\n", r, f, w, m / 1024, 100 * f / w, 100 * f / (w - f)
    }'
    echo "$feed $wall $rss" >>"$results"
done
sort -n "$results" | awk '{ f[NR] = $1 } END { printf "median FeedStep %.3f s over %d runs\n", f[int((NR + 1) / 2)], NR }'
sort -n -k2 "$results" | awk '{ w[NR] = $2; m[NR] = $3 } END { printf "median build %.2f s; peak RSS (median run) %.0f MiB\n", w[int((NR + 1) / 2)], m[int((NR + 1) / 2)] / 1024 }'
echo "stages of the last run:"
sed 's/^/  /' "$WORK/build.err"
echo "feed output of the last run: $(find "$out/api" -type f | wc -l) files under api/, $(du -sh "$out/api" | cut -f1)"

if [ "$VALIDATE" = 1 ]; then
    echo
    echo "validating the feed of the last run (e2e/feed, TILBUD_FEED_OUTPUT=$out) ..."
    bash "$ROOT/e2e/setup.sh" feed
    start=$(date +%s.%N)
    status=0
    (cd "$ROOT" && TILBUD_FEED_OUTPUT="$out" python3 -m pytest -q -p no:cacheprovider e2e/feed) || status=$?
    end=$(date +%s.%N)
    printf 'validators: exit %d after %.0f s\n' "$status" "$(bench_elapsed "$start" "$end")"
    exit "$status"
fi
