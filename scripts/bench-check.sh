#!/usr/bin/env bash
# Times `tilbud check` on synthetic corpora of 1k and 10k offers.
#
#   scripts/bench-check.sh [--keep]
#
# Builds tilbud in release, writes corpora with `tilbud dev corpus`, then runs
#   tilbud check --content DIR --today 2026-11-27
# RUNS times per size and prints the median wall time, peak RSS (MiB) and CPU %
# (above 100 % means both cores are busy). Prints figures; never asserts.
# Environment: SIZES="1000 10000" RUNS=3 TODAY=2026-11-27 SEED=1 TILBUD=path SCRATCH_PATH=.build
# --keep keeps the corpora (the folder is printed at the end).

set -euo pipefail
. "$(cd "$(dirname "$0")" && pwd)/bench-common.sh"
bench_parse_args "$@"
bench_require_time
bench_workdir
bench_machine
bench_build_tilbud
if [ -z "$TILBUD" ]; then
    echo "no tilbud binary; nothing to time"
    exit 0
fi

echo
echo "corpora:"
for size in $SIZES; do
    bench_corpus "$size" "$WORK/corpus-$size"
done

echo
echo "timing: tilbud check --content DIR --today $TODAY"
results=()
for size in $SIZES; do
    bench_measure "check-$size" -- "$TILBUD" check --content "$WORK/corpus-$size" --today "$TODAY"
    results+=("$size $(bench_summary "$WORK/check-$size.runs")")
done

echo
printf '%8s  %10s  %12s  %7s  %6s\n' offers "wall (s)" "peak RSS MiB" "CPU %" exit
printf '%8s  %10s  %12s  %7s  %6s\n' -------- ---------- ------------ ------- ------
for row in "${results[@]}"; do
    read -r size wall rss cpu status _stolen <<<"$row"
    printf '%8s  %10s  %12s  %7s  %6s\n' "$size" "$wall" "$rss" "$cpu" "$status"
done
echo
echo "CPU % above 100 means more than one core was busy (2 cores: at most 200 %)."
for size in $SIZES; do
    if awk '$4 != 0 { bad = 1 } END { exit !bad }' "$WORK/check-$size.runs"; then
        echo "note: tilbud check exited non-zero on the $size-offer corpus; last lines:"
        tail -n 10 "$WORK/check-$size.log" | sed 's/^/    /'
    fi
done
