#!/usr/bin/env bash
# Times `tilbud build` against the Hugo yardstick on synthetic corpora.
#
#   scripts/bench-build.sh [--keep]
#
# Installs hugo (Debian package) if missing, builds tilbud in release, writes
# corpora with `tilbud dev corpus`, then per size runs RUNS times each
#   tilbud build --content DIR --output OUT --today 2026-11-27
#   shared/bench/run_hugo.sh DIR OUT2
# and prints median wall time, peak RSS and the tilbud/hugo ratios next to the
# targets (wall <= 1/3 of Hugo, memory <= 1/4 of Hugo). Prints figures; never asserts.
# Environment: SIZES="1000 10000" RUNS=3 TODAY=2026-11-27 SEED=1 TILBUD=path SCRATCH_PATH=.build
#              RUN_HUGO=path/to/run_hugo.sh (default: <repo>/../shared/bench/run_hugo.sh)
# --keep keeps the corpora and outputs (the folder is printed at the end).

set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/bench-common.sh"
bench_parse_args "$@"
bench_require_time
command -v hugo >/dev/null 2>&1 || bench_apt_install hugo || true
command -v hugo >/dev/null 2>&1 || { echo "hugo is needed (apt-get install -y hugo)" >&2; exit 1; }
RUN_HUGO="${RUN_HUGO:-$ROOT/../shared/bench/run_hugo.sh}"
[ -f "$RUN_HUGO" ] || { echo "run_hugo.sh not found at $RUN_HUGO (set RUN_HUGO)" >&2; exit 1; }
RUN_HUGO="$(cd "$(dirname "$RUN_HUGO")" && pwd)/$(basename "$RUN_HUGO")"

bench_workdir
bench_machine
echo "hugo: $(hugo version 2>/dev/null | awk '{ print $2 }'), yardstick: $RUN_HUGO"
bench_build_tilbud

echo
echo "corpora:"
for size in $SIZES; do
    bench_corpus "$size" "$WORK/corpus-$size"
done

echo
echo "timing: tilbud build --content DIR --output OUT --today $TODAY"
echo "        run_hugo.sh DIR OUT2"
for size in $SIZES; do
    if [ -n "$TILBUD" ]; then
        BENCH_BEFORE_RUN="rm -rf '$WORK/out-tilbud-$size'" \
            bench_measure "tilbud-$size" -- "$TILBUD" build --content "$WORK/corpus-$size" --output "$WORK/out-tilbud-$size" --today "$TODAY"
    fi
    BENCH_BEFORE_RUN="rm -rf '$WORK/out-hugo-$size'" \
        bench_measure "hugo-$size" -- bash "$RUN_HUGO" "$WORK/corpus-$size" "$WORK/out-hugo-$size"
done

ratio() {
    # ratio A B TARGET → "0.25 (target <= 0.33: met)"
    awk -v a="$1" -v b="$2" -v t="$3" -v tl="$4" 'BEGIN {
        if (a == "n/a" || b + 0 == 0) { print "n/a"; exit }
        r = a / b; printf "%.2f (%s %s)", r, (r <= t ? "meets" : "misses"), tl
    }'
}

echo
printf '%8s  %-8s  %10s  %12s  %7s  %5s\n' offers tool "wall (s)" "peak RSS MiB" "CPU %" exit
printf '%8s  %-8s  %10s  %12s  %7s  %5s\n' -------- -------- ---------- ------------ ------- -----
for size in $SIZES; do
    for tool in tilbud hugo; do
        if [ -s "$WORK/$tool-$size.runs" ]; then
            read -r wall rss cpu status <<<"$(bench_summary "$WORK/$tool-$size.runs")"
        else
            wall=n/a rss=n/a cpu=n/a status=n/a
        fi
        printf '%8s  %-8s  %10s  %12s  %7s  %5s\n' "$size" "$tool" "$wall" "$rss" "$cpu" "$status"
        eval "${tool}_wall_$size=\$wall ${tool}_rss_$size=\$rss"
    done
done

echo
printf '%8s  %-32s  %-32s\n' offers "wall tilbud/hugo (target <= 1/3)" "memory tilbud/hugo (target <= 1/4)"
printf '%8s  %-32s  %-32s\n' -------- -------------------------------- --------------------------------
for size in $SIZES; do
    tw="$(eval echo "\${tilbud_wall_$size:-n/a}")"; hw="$(eval echo "\${hugo_wall_$size:-n/a}")"
    tr="$(eval echo "\${tilbud_rss_$size:-n/a}")"; hr="$(eval echo "\${hugo_rss_$size:-n/a}")"
    printf '%8s  %-32s  %-32s\n' "$size" "$(ratio "$tw" "$hw" 0.3334 "1/3")" "$(ratio "$tr" "$hr" 0.25 "1/4")"
done

for size in $SIZES; do
    for tool in tilbud hugo; do
        if [ -s "$WORK/$tool-$size.runs" ] && awk '$4 != 0 { bad = 1 } END { exit !bad }' "$WORK/$tool-$size.runs"; then
            echo "note: $tool exited non-zero on the $size-offer corpus; last lines:"
            tail -n 10 "$WORK/$tool-$size.log" | sed 's/^/    /'
        fi
    done
done
