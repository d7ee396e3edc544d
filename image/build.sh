#!/usr/bin/env bash
# Builds the Kinko appliance image: a raw GPT disk for a USB stick (issue 7, ADR 0013).
#
#   image/build.sh [--test] [--kiosk-bin FILE] OUT.img
#
#   --test            the test image for tests/image/run.sh: a kiosk built with the
#                     `serial-events` feature, kernel and UI events on the serial ports
#   --kiosk-bin FILE  use this kinko-kiosk binary instead of building it with cargo
#   --profile NAME    cargo profile for the kiosk (default release; the boot test uses dev,
#                     whose dependencies are optimised, to reuse the workspace's test build)
#
# Environment:
#   KINKO_IMAGE_CACHE  cache of .debs and the tools chroot (default /work/image-cache,
#                      or $XDG_CACHE_HOME/kinko-image); never inside the repository
#   KINKO_MIRROR       Debian mirror (default http://deb.debian.org/debian). For a pinned
#                      snapshot: http://snapshot.debian.org/archive/debian/20261126T000000Z
#   SOURCE_DATE_EPOCH  timestamps in the image (default: the last commit's time)
#   KINKO_SQUASHFS_COMP squashfs compressor options (default "zstd -Xcompression-level 15")
#
# Needs root (chroots, mount namespaces) and mmdebstrap on the host; no loop devices.
# The mmdebstrap hooks and the namespace script are single-quoted on purpose: their $1 and
# variables are expanded by the shell that runs them, not by this one.
# shellcheck disable=SC2016
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)

usage() { sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
die() { echo "build.sh: $*" >&2; exit 1; }

variant=release
kiosk_bin=
profile=release
out=
while [ $# -gt 0 ]; do
    case $1 in
        --test) variant="test" ;;
        --kiosk-bin) kiosk_bin=${2:?--kiosk-bin needs a file}; shift ;;
        --profile) profile=${2:?--profile needs a cargo profile}; shift ;;
        -h|--help) usage ;;
        -*) die "unknown option $1" ;;
        *) [ -z "$out" ] || die "one output file only"; out=$1 ;;
    esac
    shift
done
[ -n "$out" ] || usage
[ "$(id -u)" = 0 ] || die "run as root (chroots and mount namespaces)"
command -v mmdebstrap >/dev/null || die "mmdebstrap missing: apt-get install mmdebstrap"
command -v unshare >/dev/null || die "unshare missing (util-linux)"

cache=${KINKO_IMAGE_CACHE:-}
if [ -z "$cache" ]; then
    if [ -d /work ]; then cache=/work/image-cache; else cache=${XDG_CACHE_HOME:-$HOME/.cache}/kinko-image; fi
fi
case $cache/ in "$repo"/*) die "KINKO_IMAGE_CACHE must be outside the repository" ;; esac
mirror=${KINKO_MIRROR:-http://deb.debian.org/debian}
suite=trixie
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$repo" log -1 --format=%ct 2>/dev/null || date +%s)}
comp=${KINKO_SQUASHFS_COMP:-zstd -Xcompression-level 15}
mkdir -p "$cache/apt" "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")

start=$(date +%s)
step() { echo "== [$(( $(date +%s) - start ))s] $*"; }

# --- 1. The kiosk binary ---------------------------------------------------------------------
if [ -z "$kiosk_bin" ]; then
    features=()
    if [ "$variant" = test ]; then
        features=(--features serial-events)
        # The serial-events hook finds fields by their accessible labels, which needs Slint's
        # element debug info (app/kiosk/build.rs leaves it out of release builds).
        export KINKO_KIOSK_DEBUG_INFO=1
    fi
    step "cargo build --profile $profile -p kinko-kiosk ${features[*]}"
    target=${CARGO_TARGET_DIR:-$repo/target}
    (cd "$repo" && cargo build --profile "$profile" --locked -p kinko-kiosk "${features[@]}")
    dir=$profile
    [ "$profile" = dev ] && dir=debug
    kiosk_bin=$target/$dir/kinko-kiosk
fi
[ -x "$kiosk_bin" ] || die "no kiosk binary at $kiosk_bin"
# The test image also carries the `kinko` CLI, for its root-only test hook (decommission mode
# wipes the boot stick with it); the release image has no CLI.
cli_bin=''
if [ "$variant" = test ]; then
    step "cargo build --profile $profile -p kinko-cli (test image only)"
    (cd "$repo" && cargo build --profile "$profile" --locked -p kinko-cli)
    dir=$profile
    [ "$profile" = dev ] && dir=debug
    cli_bin=${CARGO_TARGET_DIR:-$repo/target}/$dir/kinko
fi

# --- 2. The tools chroot (Debian 13), reused while its package list is unchanged -------------
strip_list() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1" | tr -s ' \n' ','  | sed 's/,$//'; }
tools_key=$( { echo "$suite $mirror"; cat "$here/tools-packages.txt"; } | sha256sum | cut -c1-16)
tools=$cache/tools-$tools_key
# The .deb cache is bind-mounted as apt's archive directory so that downloads are kept.
cache_hooks=(
    --skip=download/empty --skip=essential/unlink
    --setup-hook='mkdir -p "$1/var/cache/apt/archives"'
    --setup-hook="mount --bind '$cache/apt' \"\$1/var/cache/apt/archives\""
    --customize-hook='umount "$1/var/cache/apt/archives"'
)
if [ ! -e "$tools/.complete" ]; then
    step "tools chroot: mmdebstrap $suite → $tools"
    rm -rf "$tools" "$tools.tmp"
    mmdebstrap --mode=root --variant=apt --include="$(strip_list "$here/tools-packages.txt")" \
        "${cache_hooks[@]}" "$suite" "$tools.tmp" "$mirror"
    mv "$tools.tmp" "$tools"
    touch "$tools/.complete"
    # Older tools chroots are superseded.
    find "$cache" -maxdepth 1 -name 'tools-*' ! -name "tools-$tools_key" -exec rm -rf {} +
else
    step "tools chroot: reusing $tools"
fi

# --- 3. Everything else runs inside the tools chroot, in a private mount namespace ------------
work=$(mktemp -d "$cache/work.XXXXXX")
cleanup() { rm -rf "$work"; }
trap cleanup EXIT
# Without debug information (the release profile keeps line tables: ~250 MB).
if command -v strip >/dev/null; then
    strip --strip-debug -o "$work/kinko-kiosk" "$kiosk_bin"
else
    cp "$kiosk_bin" "$work/kinko-kiosk"
fi
chmod 0755 "$work/kinko-kiosk"
[ -z "$cli_bin" ] || strip --strip-debug -o "$work/kinko" "$cli_bin"

step "assembling the $variant image inside the tools chroot"
# The namespace's mounts vanish with it, even when the build fails.
unshare --mount --propagation private -- /bin/bash -euo pipefail -c '
    tools=$1; repo=$2; cache=$3; work=$4
    mount --rbind /dev "$tools/dev"
    mount -t proc proc "$tools/proc"
    mount -t sysfs sysfs "$tools/sys"
    mount -t tmpfs tmpfs "$tools/tmp"
    mkdir -p "$tools/src" "$tools/imgcache" "$tools/work"
    mount --bind -o ro "$repo" "$tools/src"
    mount --bind "$cache" "$tools/imgcache"
    mount --bind "$work" "$tools/work"
    cp /etc/resolv.conf "$tools/etc/resolv.conf" 2>/dev/null || true
    shift 4
    exec chroot "$tools" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" /bin/bash /src/image/assemble.sh "$@"
' assemble "$tools" "$repo" "$cache" "$work" \
    "$variant" "$suite" "$mirror" "$comp"

mv "$work/disk.img" "$out"
cp "$work/build-info.txt" "$out.info"
step "done: $out"
cat "$out.info"
