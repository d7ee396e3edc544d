#!/usr/bin/env bash
# Overwrite throughput, side by side on one target (issue 8: ours >= 95 % of dd, faster than
# nwipe). Each round runs ours and dd back to back on the same target, so drift in the
# machine's load hits both alike; the figure is the median of the per-round ratios.
#   ours  : examples/overwrite — one AES-256-CTR keystream pass, O_DIRECT, 4 requests in
#           flight, ending with fsync (a certificate needs the bytes on the medium)
#   dd    : dd if=/dev/zero bs=4M oflag=direct conv=fsync — zeros (no pattern to make), one
#           request in flight, ending with fsync too, so both runs end durable
#   nwipe : one PRNG pass (isaac64), no verification, no blanking; block devices only, so it
#           runs on a loop device over the same file, beside ours and dd on that loop device
# Usage (root for losetup/nwipe): app/wipe/bench/compare.sh [SIZE_MIB] [ROUNDS] [DIR]
set -euo pipefail

SIZE_MIB=${1:-1024}
ROUNDS=${2:-7}
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
OURS="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/overwrite"

# allocate and write the file once, so no run pays for block allocation
dd if=/dev/zero of="$FILE" bs=4M count=$((SIZE_MIB / 4)) oflag=direct status=none
sync

settle() { sync; echo 3 > /proc/sys/vm/drop_caches 2>/dev/null || true; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

ours() { # target -> MB/s
    settle
    "$OURS" "$1" | awk '{print $3}'
}

dd_zeros() { # target -> MB/s (bytes / seconds, from dd's own summary)
    settle
    dd if=/dev/zero of="$1" bs=4M count=$((SIZE_MIB / 4)) oflag=direct conv=notrunc,fsync 2>&1 \
        | awk '/bytes/ {for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i-1); print $1 / s / 1e6}'
}

nwipe_prng() { # device -> MB/s (wall time, including nwipe's start-up)
    settle
    local log t0 t1
    log=$(mktemp)
    t0=$(date +%s.%N)
    if ! nwipe --autonuke --nogui --nowait --method=random --prng=isaac64 --verify=off --noblank \
        --rounds=1 --logfile="$log" "$1" >/dev/null 2>&1; then
        echo "nwipe failed, see $log" >&2
        echo 0
        return
    fi
    t1=$(date +%s.%N)
    rm -f "$log"
    awk -v b=$((SIZE_MIB * 1048576)) -v t0="$t0" -v t1="$t1" 'BEGIN {print b / (t1 - t0) / 1e6}'
}

# rounds TARGET LABEL: ROUNDS pairs of (ours, dd); prints "ours_median dd_median ratio_median"
rounds() {
    local target=$1 label=$2 o d os="" ds="" rs=""
    for _ in $(seq "$ROUNDS"); do
        o=$(ours "$target")
        d=$(dd_zeros "$target")
        os+="$o"$'\n'
        ds+="$d"$'\n'
        rs+="$(awk -v o="$o" -v d="$d" 'BEGIN {print o / d}')"$'\n'
    done
    printf '%-7s ours %s MB/s\n' "$label" "$(printf '%s' "$os" | tr '\n' ' ')" >&2
    printf '%-7s dd   %s MB/s\n' "$label" "$(printf '%s' "$ds" | tr '\n' ' ')" >&2
    echo "$(printf '%s' "$os" | median) $(printf '%s' "$ds" | median) $(printf '%s' "$rs" | median)"
}

echo "target: $FILE ($SIZE_MIB MiB on $fs_type), $ROUNDS rounds of ours then dd" >&2
read -r of df rf < <(rounds "$FILE" file)
printf 'file: ours %.0f MB/s, dd %.0f MB/s (medians); ours/dd %.3f (median of rounds; target >= 0.95)\n' \
    "$of" "$df" "$rf"

if command -v nwipe >/dev/null && LOOP=$(losetup -f --show --direct-io=on "$FILE" 2>/dev/null); then
    read -r ol dl rl < <(rounds "$LOOP" loop)
    n=$(nwipe_prng "$LOOP")
    printf 'loop: ours %.0f MB/s, dd %.0f MB/s; ours/dd %.3f; nwipe %.1f MB/s; ours/nwipe %.1f (target > 1)\n' \
        "$ol" "$dl" "$rl" "$n" "$(awk -v o="$ol" -v n="$n" 'BEGIN {print (n > 0) ? o / n : 0}')"
else
    echo "loop: nwipe or loop devices unavailable, not measured"
fi
