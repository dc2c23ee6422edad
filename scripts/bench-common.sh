# Shared helpers for scripts/bench-check.sh and scripts/bench-build.sh.
# Sourced, not run. Benchmarks print figures; they never assert.
#
# Environment:
#   SIZES="1000 10000"   corpus sizes (offers)
#   RUNS=3               timed runs per command (median is printed)
#   TODAY=2026-11-27     passed as --today
#   TILBUD=path          use this tilbud binary instead of building one
#   SCRATCH_PATH=.build  swift build scratch folder for the release build
#   SEED=1               corpus seed
#   BENCH_FS=disk        where corpora and outputs go: disk (the repository's disk), ext4 (a new ext4 with a journal,
#                        mkfs.ext4's defaults, in a sparse loop image beside the repository's .build-bench/; needs root),
#                        or tmpfs (/dev/shm)
#   BENCH_EXT4_SIZE=24G  the size of BENCH_FS=ext4's sparse image (a 10k run uses about 3 GB, a 100k run about 25 GB)
#   BENCH_DIR=folder     under that folder instead (another disk or file system)
#   BENCH_GIT_COMMITS=0  makes each corpus a git repository with this many commits of history (scripts/bench-git-history.py;
#                        the files at HEAD are the corpus as written), as a provider's catalog is: tilbud build reads
#                        the history for each offer's dates (one git log); Hugo's yardstick does not read it

SIZES="${SIZES:-1000 10000}"
RUNS="${RUNS:-3}"
TODAY="${TODAY:-2026-11-27}"
SEED="${SEED:-1}"
KEEP=0

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(git -C "$script_dir" rev-parse --show-toplevel 2>/dev/null || (cd "$script_dir/.." && pwd))"

bench_elapsed() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'
}

bench_usage() {
    sed -n '2,/^$/s/^# \{0,1\}//p' "$0"
}

bench_parse_args() {
    for arg in "$@"; do
        case "$arg" in
            --keep) KEEP=1 ;;
            -h|--help) bench_usage; exit 0 ;;
            *) echo "unknown argument: $arg (try --help)" >&2; exit 2 ;;
        esac
    done
}

# A work folder for corpora and outputs; removed at exit unless --keep.
# BENCH_FS=disk (default): under the repository's .build-bench/, on the disk the repository is on, where users
# build; BENCH_FS=tmpfs: under /dev/shm (memory), which hides the cost of writing and deleting files.
# BENCH_FS=ext4: in a new ext4 with a journal (the usual kind of Linux disk; this machine's own disk has none), made
# with mkfs.ext4's defaults in a sparse image file on the repository's disk and loop-mounted; unmounted and deleted at
# exit. BENCH_DIR=folder: under that folder instead (another disk or file system).
BENCH_IMAGE=""
BENCH_MOUNT=""
bench_workdir() {
    local base source journal=""
    if [ -n "${BENCH_DIR:-}" ]; then
        base="$BENCH_DIR"; mkdir -p "$base"
    else
        case "${BENCH_FS:-disk}" in
            tmpfs) base=/dev/shm ;;
            disk) base="$ROOT/.build-bench"; mkdir -p "$base" ;;
            ext4) bench_ext4_image; base="$BENCH_MOUNT" ;;
            *) echo "BENCH_FS must be disk, ext4 or tmpfs" >&2; exit 2 ;;
        esac
    fi
    WORK="$(mktemp -d "$base/tilbud-bench.XXXXXX")"
    source="$(df --output=source "$WORK" | tail -n 1)"
    # ext4 keeps a journal when jbd2 runs for the device (/proc/fs/jbd2/<device>-8); without one, freed inodes are
    # not reused for a while (see SETTLE in bench-build.sh).
    if [ "$(stat -f -c %T "$WORK")" = ext2/ext3 ]; then
        # By the kernel's name of the device: /dev/mapper/root is /dev/dm-0 there.
        if ls /proc/fs/jbd2 2>/dev/null | grep -q "^$(basename "$(readlink -f "$source")")-"; then journal=", with a journal"; else journal=", without a journal"; fi
    fi
    echo "file system: ${BENCH_DIR:-${BENCH_FS:-disk}} ($(stat -f -c %T "$WORK")$journal, $source)"
    if [ "$KEEP" = 1 ]; then
        trap 'echo; echo "kept corpora and outputs in $WORK${BENCH_IMAGE:+ (on $BENCH_IMAGE, mounted at $BENCH_MOUNT)}"' EXIT
    else
        trap 'rm -rf "$WORK"; bench_ext4_remove; echo; echo "removed $WORK (pass --keep to keep the corpora)"' EXIT
    fi
    echo "work folder: $WORK"
}

# Makes and mounts the ext4 of BENCH_FS=ext4: a sparse image of BENCH_EXT4_SIZE under .build-bench/. Needs root
# (mount) and a loop device. If a step fails, what was made is removed (bench_workdir's trap replaces this one).
bench_ext4_image() {
    [ "$(id -u)" = 0 ] || { echo "BENCH_FS=ext4 mounts a loop image and needs root" >&2; exit 2; }
    command -v mkfs.ext4 >/dev/null 2>&1 || { echo "BENCH_FS=ext4 needs mkfs.ext4 (e2fsprogs)" >&2; exit 2; }
    mkdir -p "$ROOT/.build-bench"
    BENCH_IMAGE="$(mktemp "$ROOT/.build-bench/ext4.XXXXXX.img")"
    BENCH_MOUNT="${BENCH_IMAGE%.img}.mnt"
    trap bench_ext4_remove EXIT
    truncate -s "${BENCH_EXT4_SIZE:-24G}" "$BENCH_IMAGE"
    mkfs.ext4 -q -F "$BENCH_IMAGE"
    mkdir -p "$BENCH_MOUNT"
    mount -o loop "$BENCH_IMAGE" "$BENCH_MOUNT" \
        || { echo "could not mount a loop image (no loop device?); try BENCH_FS=disk" >&2; exit 2; }
}

# Unmounts and deletes the image of BENCH_FS=ext4, if one was made (with --keep it stays mounted, and is printed).
bench_ext4_remove() {
    [ -n "$BENCH_IMAGE" ] || return 0
    if mountpoint -q "$BENCH_MOUNT"; then umount "$BENCH_MOUNT" || return 0; fi
    rmdir "$BENCH_MOUNT" 2>/dev/null || true
    rm -f "$BENCH_IMAGE"
}

bench_apt_install() {
    # $1: package. Installs with apt-get when we can; never fatal.
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "apt-get not available; install $1 by hand" >&2
        return 1
    fi
    local sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    echo "installing $1 (apt-get install -y $1)"
    $sudo apt-get install -y -qq "$1" >/dev/null 2>&1 \
        || { $sudo apt-get update -qq >/dev/null 2>&1 && $sudo apt-get install -y -qq "$1" >/dev/null 2>&1; }
}

bench_require_time() {
    if [ ! -x /usr/bin/time ]; then
        bench_apt_install time || true
    fi
    [ -x /usr/bin/time ] || { echo "/usr/bin/time (Debian package 'time') is needed for memory figures" >&2; exit 1; }
}

# Sets TILBUD to a release binary, or to "" when it cannot be built.
bench_build_tilbud() {
    if [ -n "${TILBUD:-}" ]; then
        echo "using TILBUD=$TILBUD"
        return 0
    fi
    local scratch="${SCRATCH_PATH:-.build}"
    echo "building tilbud in release (swift build -c release --scratch-path $scratch) ..."
    local start end
    start=$(date +%s.%N)
    if (cd "$ROOT" && swift build -c release --scratch-path "$scratch" --product tilbud) >"${WORK}/swift-build.log" 2>&1; then
        end=$(date +%s.%N)
        TILBUD="$(cd "$ROOT" && swift build -c release --scratch-path "$scratch" --show-bin-path)/tilbud"
        printf 'built %s in %.0f s\n' "$TILBUD" "$(bench_elapsed "$start" "$end")"
    else
        echo "WARNING: the release build failed; tilbud figures will be n/a. Last lines of the log:"
        tail -n 15 "${WORK}/swift-build.log" | sed 's/^/    /'
        TILBUD=""
    fi
}

# Writes a corpus of $1 offers into $2, with `tilbud dev corpus` when it exists,
# else through the TilbudCorpus test hook (slower, debug build).
bench_corpus() {
    local offers="$1" dir="$2" start end how
    start=$(date +%s.%N)
    if [ -n "${TILBUD:-}" ] && (cd "$ROOT" && "$TILBUD" dev corpus --offers "$offers" --output "$dir" --seed "$SEED") >"$WORK/corpus-$offers.log" 2>&1; then
        how="tilbud dev corpus"
    else
        if [ -n "${TILBUD:-}" ]; then
            echo "  'tilbud dev corpus' failed or is missing (see $WORK/corpus-$offers.log); using the test hook instead"
        fi
        rm -rf "$dir"
        (cd "$ROOT" && TILBUD_WRITE_CORPUS="$dir" TILBUD_CORPUS_OFFERS="$offers" TILBUD_CORPUS_SEED="$SEED" \
            swift test --scratch-path .build-corpus --filter TilbudCorpusTests.WriteCorpusForBenchmarks) \
            >"$WORK/corpus-$offers.log" 2>&1 \
            || { echo "could not write a corpus of $offers offers; see $WORK/corpus-$offers.log" >&2; tail -n 20 "$WORK/corpus-$offers.log" >&2; exit 1; }
        how="TilbudCorpus test hook"
    fi
    if [ "${BENCH_GIT_COMMITS:-0}" -gt 0 ]; then
        python3 "$ROOT/scripts/bench-git-history.py" "$dir" "$BENCH_GIT_COMMITS" "$SEED" >>"$WORK/corpus-$offers.log" 2>&1 \
            || { echo "could not give the corpus a git history; see $WORK/corpus-$offers.log" >&2; tail -n 20 "$WORK/corpus-$offers.log" >&2; exit 1; }
        how="$how, a git repository with $((BENCH_GIT_COMMITS + 2)) commits"
    fi
    end=$(date +%s.%N)
    local files
    files=$(find "$dir" -path "$dir/.git" -prune -o -type f -print | wc -l)
    printf '  corpus %6d offers: %s (%d files, %.1f s via %s)\n' "$offers" "$dir" "$files" "$(bench_elapsed "$start" "$end")" "$how"
}

# bench_measure NAME -- command...: runs the command RUNS times under /usr/bin/time.
# Appends "wall_s rss_kib cpu_percent exit" per run to $WORK/NAME.runs.
bench_measure() {
    local name="$1"; shift
    [ "$1" = "--" ] && shift
    local runs_file="$WORK/$name.runs" timing="$WORK/$name.time" i status
    : >"$runs_file"
    for i in $(seq 1 "$RUNS"); do
        [ -n "${BENCH_BEFORE_RUN:-}" ] && eval "$BENCH_BEFORE_RUN"
        status=0
        local steal_before steal_after
        steal_before="$(bench_steal_ticks)"
        /usr/bin/time -f '%e %M %P' -o "$timing" "$@" >"$WORK/$name.log" 2>&1 || status=$?
        steal_after="$(bench_steal_ticks)"
        # With a non-zero exit, time writes "Command exited with ..." first; the figures are on the last line.
        # Column 5: CPU seconds the host (hypervisor) took from this machine's cores during the run ("steal").
        tail -n 1 "$timing" | tr -d '%' | awk -v s="$status" -v st="$(( steal_after - steal_before ))" -v hz="$(getconf CLK_TCK)" \
            '{ printf "%s %s %s %s %.1f\n", $1, $2, $3, s, st / hz }' >>"$runs_file"
    done
}

# Ticks of CPU time the hypervisor took from this machine so far (/proc/stat's steal column; 0 where unknown).
# On a shared host it varies from run to run: the tables print it beside the wall time, which it inflates.
bench_steal_ticks() {
    awk '/^cpu / { print $9 + 0; found = 1 } END { if (!found) print 0 }' /proc/stat 2>/dev/null || echo 0
}

bench_median() {
    # $1: runs file, $2: column (1 wall, 2 rss KiB, 3 cpu %, 4 exit)
    awk -v c="$2" '{ print $c }' "$1" | sort -g | awk '
        { a[NR] = $1 }
        END {
            if (NR == 0) { print "nan"; exit }
            if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2
        }'
}

bench_max() {
    awk -v c="$2" 'BEGIN { m = 0 } { if ($c + 0 > m) m = $c + 0 } END { print m }' "$1"
}

# Prints "wall_median rss_median_MiB cpu_median worst_exit steal_median" for a runs file.
bench_summary() {
    local file="$1"
    printf '%s %s %s %s %s\n' \
        "$(bench_median "$file" 1)" \
        "$(awk -v k="$(bench_median "$file" 2)" 'BEGIN { printf "%.0f", k / 1024 }')" \
        "$(bench_median "$file" 3)" \
        "$(bench_max "$file" 4)" \
        "$(bench_median "$file" 5)"
}

bench_machine() {
    echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sm)"
    echo "sizes: $SIZES; runs per figure: $RUNS (median wall and median peak RSS; /usr/bin/time -f '%e %M %P')"
}

# bench_output_size DIR: "files MB" of a build output.
bench_output_size() {
    if [ -d "$1" ]; then
        printf '%s %s' "$(find "$1" -type f | wc -l)" "$(du -sb "$1" | awk '{ printf "%.1f", $1 / 1048576 }')"
    else
        printf 'n/a n/a'
    fi
}
