#!/usr/bin/env bash
# Times `tilbud build` against the Hugo yardstick on synthetic corpora, where users build: on the disk.
#
#   scripts/bench-build.sh [--keep]
#
# Installs hugo (Debian package) if missing, builds tilbud in release, writes
# corpora with `tilbud dev corpus`, then per size runs RUNS times each
#   tilbud build --content DIR --output OUT --today 2026-11-27
#   shared/bench/run_hugo.sh DIR OUT2
# twice: with the output folder removed before each run (fresh; the removal is not
# timed), and over the output of the run before (existing). Then, per size, the
# one-record rebuild: before each run one offer's text is edited and tilbud
# builds over its previous output (rewriting only what changed); the result is
# compared byte for byte (diff -r) with a clean build of the edited corpus.
# Prints median wall time, peak RSS, CPU, the CPU seconds the host took from the
# machine during the run ("stolen", /proc/stat's steal: on a shared host it inflates
# wall time), and the files and megabytes each tool wrote, and the tilbud/hugo ratios next to the targets (wall <= 1/3 of Hugo,
# memory <= 1/4 of Hugo; the one-record rebuild <= 1/10 of Hugo's fresh build).
# Prints figures; never asserts.
# SETTLE=seconds (default 0) waits that long after each untimed removal before a fresh run. On ext4 without a journal
# (this machine's disk: /proc/fs/jbd2 is empty) a freed inode is not reused for 60-300 s, and while such inodes are
# many every file and folder a build creates scans past them (fs/ext4/ialloc.c, recently_deleted()): a fresh build
# right after `rm -rf` of a big output pays for it in kernel time, Tilbud's 52,000 files and folders more than Hugo's
# 26,000. SETTLE=70 approximates a journaled ext4 (the usual kind) on this disk; BENCH_FS=ext4 measures one.
# Environment: SIZES="1000 10000" RUNS=3 TODAY=2026-11-27 SEED=1 TILBUD=path SCRATCH_PATH=.build SETTLE=0
#              BENCH_FS=disk (default; the repository's disk, under .build-bench/), ext4 (a new ext4 with a journal in
#              a loop image, as most Linux disks are; needs root) or tmpfs (/dev/shm)
#              BENCH_DIR=folder (instead of BENCH_FS: another disk or file system)
#              BENCH_GIT_COMMITS=N (each corpus a git repository with N commits of history, as a provider's catalog is:
#              tilbud reads it for the offers' dates; 0, the default, leaves the corpus a plain folder)
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
    for mode in fresh existing; do
        before=""
        [ "$mode" = fresh ] && before="rm -rf '$WORK/out-tilbud-$size' '$WORK/.out-tilbud-$size.spare'; sync; sleep ${SETTLE:-0}"
        if [ -n "$TILBUD" ]; then
            BENCH_BEFORE_RUN="$before" \
                bench_measure "tilbud-$size-$mode" -- "$TILBUD" build --content "$WORK/corpus-$size" --output "$WORK/out-tilbud-$size" --today "$TODAY" --quiet
            echo "$(bench_output_size "$WORK/out-tilbud-$size")" >"$WORK/tilbud-$size-$mode.size"
        fi
        before=""
        [ "$mode" = fresh ] && before="rm -rf '$WORK/out-hugo-$size'; sync; sleep ${SETTLE:-0}"
        BENCH_BEFORE_RUN="$before" \
            bench_measure "hugo-$size-$mode" -- bash "$RUN_HUGO" "$WORK/corpus-$size" "$WORK/out-hugo-$size"
        echo "$(bench_output_size "$WORK/out-hugo-$size")" >"$WORK/hugo-$size-$mode.size"
    done
done

# The one-record rebuild: run k adds a line to the body of the corpus's first offer (a different text each run), then
# tilbud builds over the output the fresh and existing runs left. Hugo's figure to compare with is its fresh build.
if [ -n "$TILBUD" ]; then
    for size in $SIZES; do
        # An offer's own file (under providers/), not the first .md of the corpus (governance/SOURCES.md, a file every
        # page shares: editing it remakes every page).
        record="$(find "$WORK/corpus-$size/providers" -name '*.md' ! -name '*.nn.md' ! -name '*.en.md' | LC_ALL=C sort | sed -n 1p)"
        echo "one-record rebuild: editing ${record#"$WORK/"}"
        cp "$record" "$WORK/edited-record.orig"
        edits=0
        BENCH_BEFORE_RUN="edits=\$((edits + 1)); printf '\\nEndret %s.\\n' \$edits >>'$record'" \
            bench_measure "tilbud-$size-onerecord" -- "$TILBUD" build --content "$WORK/corpus-$size" --output "$WORK/out-tilbud-$size" --today "$TODAY" --quiet
        echo "$(bench_output_size "$WORK/out-tilbud-$size")" >"$WORK/tilbud-$size-onerecord.size"
        "$TILBUD" build --content "$WORK/corpus-$size" --output "$WORK/out-tilbud-$size-clean" --today "$TODAY" --quiet >/dev/null 2>&1 || true
        if diff -r -q "$WORK/out-tilbud-$size" "$WORK/out-tilbud-$size-clean" >"$WORK/onerecord-$size.diff" 2>&1; then
            echo "yes" >"$WORK/onerecord-$size.same"
        else
            echo "NO ($(wc -l <"$WORK/onerecord-$size.diff") differences, e.g. $(head -n 1 "$WORK/onerecord-$size.diff"))" >"$WORK/onerecord-$size.same"
        fi
        rm -rf "$WORK/out-tilbud-$size-clean"
        cp "$WORK/edited-record.orig" "$record"
    done
fi

ratio() {
    # ratio A B TARGET → "0.25 (target <= 0.33: met)"
    awk -v a="$1" -v b="$2" -v t="$3" -v tl="$4" 'BEGIN {
        if (a == "n/a" || b + 0 == 0) { print "n/a"; exit }
        r = a / b; printf "%.2f (%s %s)", r, (r <= t ? "meets" : "misses"), tl
    }'
}

echo
printf '%8s  %-8s  %-8s  %10s  %12s  %7s  %9s  %8s  %8s  %5s\n' offers tool output "wall (s)" "peak RSS MiB" "CPU %" "stolen s" files MB exit
printf '%8s  %-8s  %-8s  %10s  %12s  %7s  %9s  %8s  %8s  %5s\n' -------- -------- -------- ---------- ------------ ------- --------- -------- -------- -----
for size in $SIZES; do
    for mode in fresh existing; do
        for tool in tilbud hugo; do
            if [ -s "$WORK/$tool-$size-$mode.runs" ]; then
                read -r wall rss cpu status stolen <<<"$(bench_summary "$WORK/$tool-$size-$mode.runs")"
                read -r files mb <"$WORK/$tool-$size-$mode.size"
            else
                wall=n/a rss=n/a cpu=n/a status=n/a files=n/a mb=n/a stolen=n/a
            fi
            printf '%8s  %-8s  %-8s  %10s  %12s  %7s  %9s  %8s  %8s  %5s\n' "$size" "$tool" "$mode" "$wall" "$rss" "$cpu" "$stolen" "$files" "$mb" "$status"
            eval "${tool}_wall_${size}_$mode=\$wall ${tool}_rss_${size}_$mode=\$rss"
        done
    done
done

echo
printf '%8s  %-8s  %-32s  %-32s\n' offers output "wall tilbud/hugo (target <= 1/3)" "memory tilbud/hugo (target <= 1/4)"
printf '%8s  %-8s  %-32s  %-32s\n' -------- -------- -------------------------------- --------------------------------
for size in $SIZES; do
    for mode in fresh existing; do
        tw="$(eval echo "\${tilbud_wall_${size}_$mode:-n/a}")"; hw="$(eval echo "\${hugo_wall_${size}_$mode:-n/a}")"
        tr="$(eval echo "\${tilbud_rss_${size}_$mode:-n/a}")"; hr="$(eval echo "\${hugo_rss_${size}_$mode:-n/a}")"
        printf '%8s  %-8s  %-32s  %-32s\n' "$size" "$mode" "$(ratio "$tw" "$hw" 0.3334 "1/3")" "$(ratio "$tr" "$hr" 0.25 "1/4")"
    done
done

echo
printf '%8s  %-30s  %12s  %8s  %8s  %-40s  %s\n' offers "one edited record, tilbud over" "wall (s)" files MB "wall / Hugo's fresh (target <= 1/10)" "identical to a clean build"
printf '%8s  %-30s  %12s  %8s  %8s  %-40s  %s\n' -------- ------------------------------ ------------ -------- -------- ---------------------------------------- --------------------------
for size in $SIZES; do
    if [ -s "$WORK/tilbud-$size-onerecord.runs" ]; then
        read -r wall rss cpu status stolen <<<"$(bench_summary "$WORK/tilbud-$size-onerecord.runs")"
        read -r files mb <"$WORK/tilbud-$size-onerecord.size"
        hw="$(eval echo "\${hugo_wall_${size}_fresh:-n/a}")"
        printf '%8s  %-30s  %12s  %8s  %8s  %-40s  %s\n' "$size" "its previous output" "$wall" "$files" "$mb" "$(ratio "$wall" "$hw" 0.1 "1/10")" "$(cat "$WORK/onerecord-$size.same")"
    fi
done

for size in $SIZES; do
    for mode in fresh existing; do
        for tool in tilbud hugo; do
            if [ -s "$WORK/$tool-$size-$mode.runs" ] && awk '$4 != 0 { bad = 1 } END { exit !bad }' "$WORK/$tool-$size-$mode.runs"; then
                echo "note: $tool exited non-zero on the $size-offer corpus ($mode output); last lines:"
                tail -n 10 "$WORK/$tool-$size-$mode.log" | sed 's/^/    /'
            fi
        done
    done
done
