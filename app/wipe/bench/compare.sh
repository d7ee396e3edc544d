#!/usr/bin/env bash
# Overwrite throughput, side by side on one target file (not tmpfs):
#   ours  : examples/overwrite (one AES-256-CTR keystream pass, O_DIRECT, 4 requests in flight)
#   dd    : dd if=/dev/zero oflag=direct bs=4M conv=notrunc (zeros, one request in flight)
#   nwipe : one PRNG pass, no verification, no blanking, on a loop device over the same file
#           (nwipe wipes block devices only); ours is run on that loop device too.
# Usage (root for losetup/nwipe): app/wipe/bench/compare.sh [SIZE_MIB] [RUNS] [DIR]
set -euo pipefail

SIZE_MIB=${1:-1024}
RUNS=${2:-3}
DIR=${3:-/var/tmp}
ROOT=$(cd "$(dirname "$0")/../../.." && pwd)
FILE="$DIR/kinko-wipe-compare.img"
LOOP=""

cleanup() {
    [ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null || true
    rm -f "$FILE"
}
trap cleanup EXIT

fs_type=$(stat -f -c %T "$DIR")
if [ "$fs_type" = "tmpfs" ]; then
    echo "refusing: $DIR is tmpfs, direct I/O would not reach a disk" >&2
    exit 2
fi

echo "building the example (release)..." >&2
cargo build --quiet --release -p kinko-wipe --example overwrite --manifest-path "$ROOT/Cargo.toml"
OURS="$ROOT/target/release/examples/overwrite"

# allocate and write the file once, so no run pays for block allocation
dd if=/dev/zero of="$FILE" bs=4M count=$((SIZE_MIB / 4)) oflag=direct status=none
sync

settle() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }

median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

run_ours() { # target -> MB/s
    settle
    "$OURS" "$1" | awk '{print $3}'
}

run_dd() { # target -> MB/s (bytes / seconds, from dd's own summary)
    settle
    dd if=/dev/zero of="$1" bs=4M count=$((SIZE_MIB / 4)) oflag=direct conv=notrunc 2>&1 \
        | awk '/bytes/ {for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i-1); print $1 / s / 1e6}'
}

run_nwipe() { # device -> MB/s (wall time, including nwipe's start-up)
    settle
    local log; log=$(mktemp)
    local t0 t1
    t0=$(date +%s.%N)
    nwipe --autonuke --nogui --nowait --method=random --prng=isaac64 --verify=off --noblank \
        --rounds=1 --logfile="$log" "$1" >/dev/null 2>&1 || { echo "nwipe failed, see $log" >&2; echo 0; return; }
    t1=$(date +%s.%N)
    rm -f "$log"
    awk -v b=$((SIZE_MIB * 1048576)) -v t0="$t0" -v t1="$t1" 'BEGIN {print b / (t1 - t0) / 1e6}'
}

measure() { # name command target
    local name=$1 cmd=$2 target=$3 values=""
    for _ in $(seq "$RUNS"); do values+="$($cmd "$target")"$'\n'; done
    local m; m=$(printf '%s' "$values" | median)
    printf '%-22s %10.1f MB/s   (runs: %s)\n' "$name" "$m" "$(printf '%s' "$values" | tr '\n' ' ')" >&2
    echo "$m"
}

echo "target: $FILE ($SIZE_MIB MiB on $fs_type), $RUNS runs each, median" >&2
ours_file=$(measure "ours (file)" run_ours "$FILE")
dd_file=$(measure "dd zeros (file)" run_dd "$FILE")

nwipe_loop=0
ours_loop=0
if command -v nwipe >/dev/null && LOOP=$(losetup -f --show --direct-io=on "$FILE" 2>/dev/null); then
    ours_loop=$(measure "ours (loop)" run_ours "$LOOP")
    nwipe_loop=$(measure "nwipe isaac64 (loop)" run_nwipe "$LOOP")
else
    echo "nwipe or loop devices unavailable: nwipe not measured" >&2
fi

awk -v of="$ours_file" -v d="$dd_file" -v ol="$ours_loop" -v n="$nwipe_loop" 'BEGIN {
    printf "ours/dd    (file): %.3f  (target >= 0.95)\n", of / d
    if (n > 0) printf "ours/nwipe (loop): %.3f  (target > 1)\n", ol / n
}'
