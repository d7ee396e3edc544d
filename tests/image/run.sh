#!/usr/bin/env bash
# The appliance's boot tests (issue 7): QEMU (TCG, no KVM) boots the image from an emulated
# USB stick with UEFI (OVMF) and with legacy BIOS (SeaBIOS) and checks it; see boottest.py.
#
#   tests/image/run.sh                  build the test image, then boot it both ways with every
#                                       check (exit 0 only when all passed)
#   tests/image/run.sh --image IMG      the same with an already built test image
#   tests/image/run.sh --release IMG    the checks that need no test hook, on a release image
#   --firmware uefi|bios                one firmware only
#
# Results (screenshots as PNG, serial logs, reports, summary.json) go to
# $KINKO_IMAGE_TEST_OUT (default: ${CARGO_TARGET_DIR:-target}/image-tests).
# Needs root (image/build.sh) and installs its host packages with apt when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
die() { echo "run.sh: $*" >&2; exit 1; }

mode=test image='' firmwares=(uefi bios)
while [ $# -gt 0 ]; do
    case $1 in
        --release) mode=release; image=${2:?--release needs an image}; shift ;;
        --image) image=${2:?--image needs an image}; shift ;;
        --firmware) firmwares=("${2:?--firmware needs uefi or bios}"); shift ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done

# Host tools. QEMU 7.2's PNG screendump swaps red and blue; PPM is used either way.
need=() qemu=()
# On Debian 12, QEMU 10 from bookworm-backports (as tested; 7.2 is not): the machine's
# qemu-utils already comes from there, and a plain install would pick 7.2 for the rest.
if grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release; then
    qemu-system-x86_64 --version 2>/dev/null | grep -q 'version 10' \
        || qemu=(-t bookworm-backports qemu-system-x86 qemu-utils)
else
    command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
    command -v qemu-img >/dev/null || need+=(qemu-utils)
fi
[ -e /usr/share/OVMF/OVMF_CODE_4M.fd ] || need+=(ovmf)
command -v sfdisk >/dev/null || need+=(fdisk)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v mkswap >/dev/null || need+=(util-linux)
command -v mcopy >/dev/null || need+=(mtools)
[ -x /usr/bin/python3 ] || need+=(python3)
if [ "$mode" = test ] && [ -z "$image" ]; then
    command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
fi
if [ ${#need[@]} -gt 0 ] || [ ${#qemu[@]} -gt 0 ]; then
    echo "run.sh: installing ${need[*]} ${qemu[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    [ ${#need[@]} -eq 0 ] || apt-get install -y -q --no-install-recommends "${need[@]}"
    [ ${#qemu[@]} -eq 0 ] || apt-get install -y -q --no-install-recommends "${qemu[@]}"
fi

out=${KINKO_IMAGE_TEST_OUT:-${CARGO_TARGET_DIR:-$repo/target}/image-tests}
mkdir -p "$out"
start=$(date +%s)

if [ -z "$image" ]; then
    image=$out/kinko-test.img
    echo "run.sh: building the test image ($image)"
    # The dev profile (dependencies optimised) reuses the workspace's test build in CI, and
    # zstd level 3 squashes in a third of the release level's time (for 10% more bytes).
    KINKO_SQUASHFS_COMP=${KINKO_SQUASHFS_COMP:-zstd -Xcompression-level 3} \
        "$repo/image/build.sh" --test --profile "${KINKO_IMAGE_TEST_PROFILE:-dev}" "$image"
fi
[ -f "$image" ] || die "no image at $image"
echo "run.sh: image $image, $(( $(stat -c %s "$image") / 1048576 )) MiB"

# The boots: each firmware normally, then (test image) decommission mode by UEFI, in which the
# stick is copied to memory and wiped whole while the kiosk runs.
boots=()
for fw in "${firmwares[@]}"; do boots+=("$fw:$mode:"); done
[ "$mode" = test ] && boots+=("${firmwares[0]}:decommission:--decommission")
status=0
for boot in "${boots[@]}"; do
    IFS=: read -r fw name flag <<< "$boot"
    dir=$out/$fw-$name
    rm -rf "$dir" "$dir-stalled"
    # shellcheck disable=SC2086 # $flag is empty or one option
    /usr/bin/python3 "$here/boottest.py" --image "$image" --firmware "$fw" --mode "$mode" --out "$dir" $flag \
        || status=1
done

# One closing line over both boots, in the form CI reads.
passed=0 failed=0 retried=0
for boot in "${boots[@]}"; do
    IFS=: read -r fw name _ <<< "$boot"
    s=$out/$fw-$name/summary.json
    if [ -f "$s" ]; then
        read -r p f r < <(/usr/bin/python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); r=j["results"]
print(sum(x["ok"] for x in r), sum(not x["ok"] for x in r), len(j.get("retried_after", [])))' "$s")
        passed=$((passed + p)); failed=$((failed + f)); retried=$((retried + r))
    else
        failed=$((failed + 1))
    fi
done
echo "run.sh: took $(( $(date +%s) - start ))s; results in $out"
# A boot that hung (nothing on the serial ports for 4 minutes) is booted once more; say so.
note=""
[ "$retried" -gt 0 ] && note=" ($retried boot(s) hung and were retried: see *-stalled/)"
echo "image tests: $passed passed, $failed failed$note"
exit "$status"
