#!/usr/bin/env bash
# Overwrite throughput, side by side on one target (issue 8): ours against dd and nwipe.
#
#   ours  : examples/overwrite, one AES-256-CTR keystream pass (O_DIRECT, several requests in
#           flight), ending with fdatasync, as in a real run.
#   dd    : dd if=/dev/zero oflag=direct bs=4M conv=notrunc,fsync (zeros, one request in flight)
#   nwipe : one PRNG pass (isaac64), no verification, no blanking; nwipe wipes block devices
#           only, so it runs on a loop device (direct I/O) over the same file.
#
# Honest in both directions:
#   - Same bytes: every tool writes the whole target (SIZE_MIB, a multiple of 4 MiB) once.
#   - Same target: one preallocated file on a disk filesystem (never tmpfs, where O_DIRECT
#     would not reach a disk), and one loop device over that file.
#   - Same durability: O_DIRECT only bypasses the page cache; the device may still hold the
#     data in its volatile write cache. Ours ends with fdatasync (a cache flush), so dd gets
#     conv=fsync, and nwipe syncs at the end of its pass by itself.
#   - Same clock: wall time around each whole process (start-up included for all three),
#     measured here, not each tool's own figure.
#   - Same conditions: the machine is shared, so runs are interleaved (ours, dd, nwipe, ours,
#     ...) and the page cache is dropped before each; the result is the median of the
#     per-round ratios, so drift hits both sides of a ratio equally.
#   - Caveat: dd writes zeros, which a thin-provisioned or compressing backend may store
#     more cheaply than random data; that favours dd, never us.
#
# Usage (root, for losetup/nwipe/drop_caches): app/wipe/bench/compare.sh [SIZE_MIB] [ROUNDS] [DIR]
#   env THREADS / CHUNK_MIB pass through to the example (defaults: the library's);
#   env NWIPE_ROUNDS (default 3): nwipe needs minutes per GiB, so it gets fewer rounds.
set -euo pipefail

SIZE_MIB=${1:-4096}
ROUNDS=${2:-7}
DIR=${3:-/var/tmp}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
FILE="$DIR/kinko-wipe-compare.img"
LOOP=""

cleanup() {
    if [ -n "$LOOP" ]; then losetup -d "$LOOP" 2>/dev/null || true; fi
    rm -f "$FILE"
}
trap cleanup EXIT

fs_type=$(stat -f -c %T "$DIR")
if [ "$fs_type" = "tmpfs" ]; then
    echo "refusing: $DIR is tmpfs, direct I/O would not reach a disk" >&2
    exit 2
fi
if [ $((SIZE_MIB % 4)) -ne 0 ]; then
    echo "SIZE_MIB must be a multiple of 4 (dd writes 4 MiB blocks)" >&2
    exit 2
fi

echo "building the example (release)..." >&2
cargo build --quiet --release -p kinko-wipe --example overwrite --manifest-path "$ROOT/Cargo.toml"
OURS="$TARGET_DIR/release/examples/overwrite"

# allocate and write the file once, so no run pays for block allocation
dd if=/dev/zero of="$FILE" bs=4M count=$((SIZE_MIB / 4)) oflag=direct conv=fsync status=none

settle() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

timed() { # command... -> MB/s of SIZE_MIB over the command's wall time
    settle
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; echo 0; return; }
    t1=$(date +%s.%N)
    awk -v b=$((SIZE_MIB * 1048576)) -v t0="$t0" -v t1="$t1" 'BEGIN {printf "%.1f\n", b / (t1 - t0) / 1e6}'
}

ours() { "$OURS" "$1" ${THREADS:+"$THREADS"} ${CHUNK_MIB:+"$CHUNK_MIB"}; }

dd_zeros() {
    dd if=/dev/zero of="$1" bs=4M count=$((SIZE_MIB / 4)) oflag=direct conv=notrunc,fsync
}

nwipe_prng() {
    local log; log=$(mktemp)
    nwipe --autonuke --nogui --nowait --method=random --prng=isaac64 --verify=off --noblank \
        --rounds=1 --logfile="$log" "$1"
    rm -f "$log"
}

# Runs ROUNDS rounds of "ours, other" on one target; prints per-round lines to stderr and
# "median_ours median_other median_ratio" to stdout.
compare() { # label target other_name other_command rounds
    local label=$1 target=$2 other=$3 cmd=$4 rounds=$5 o x lines=""
    for round in $(seq "$rounds"); do
        o=$(timed ours "$target")
        x=$(timed "$cmd" "$target")
        printf '  %-6s round %d: ours %8.1f  %-6s %8.1f MB/s  ratio %.3f\n' \
            "$label" "$round" "$o" "$other" "$x" "$(awk -v a="$o" -v b="$x" 'BEGIN {print a / b}')" >&2
        lines+="$o $x"$'\n'
    done
    printf '%s' "$lines" | awk '{print $1}' | median | tr '\n' ' '
    printf '%s' "$lines" | awk '{print $2}' | median | tr '\n' ' '
    printf '%s' "$lines" | awk '{print $1 / $2}' | median
}

echo "target: $FILE ($SIZE_MIB MiB on $fs_type), $ROUNDS interleaved rounds, $(nproc) CPUs," \
    "load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
read -r of df rf < <(compare file "$FILE" dd dd_zeros "$ROUNDS")
printf 'file : ours %.1f MB/s, dd %.1f MB/s, median ours/dd %.3f (target >= 0.95)\n' "$of" "$df" "$rf"

if LOOP=$(losetup -f --show --direct-io=on "$FILE" 2>/dev/null); then
    read -r ol dl rl < <(compare loop "$LOOP" dd dd_zeros "$ROUNDS")
    printf 'loop : ours %.1f MB/s, dd %.1f MB/s, median ours/dd %.3f (target >= 0.95)\n' "$ol" "$dl" "$rl"
    if command -v nwipe >/dev/null; then
        read -r on nw rn < <(compare loop "$LOOP" nwipe nwipe_prng "${NWIPE_ROUNDS:-3}")
        printf 'loop : ours %.1f MB/s, nwipe %.1f MB/s, median ours/nwipe %.3f (target > 1)\n' "$on" "$nw" "$rn"
    else
        echo "nwipe not installed (apt-get install nwipe): not measured" >&2
    fi
else
    echo "no loop device available: loop and nwipe not measured" >&2
fi
