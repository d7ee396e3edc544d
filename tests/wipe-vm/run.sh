#!/usr/bin/env bash
# The wipe engine against emulated hardware (issue 8): QEMU (TCG) boots a Debian kernel with a
# busybox initramfs holding the real `kinko` CLI, which probes and wipes an NVMe disk, a SATA
# disk and a disk with injected I/O errors (QEMU's blkdebug). See vmtest.py for the checks.
#
#   tests/wipe-vm/run.sh        exit 0 only when every check passed
#
# Downloads (once) the kernel and busybox-static .debs into $KINKO_VM_CACHE (default
# /var/cache/kinko-wipe-vm); results go to $CARGO_TARGET_DIR/wipe-vm (default target/).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${KINKO_VM_CACHE:-/var/cache/kinko-wipe-vm}
target=${CARGO_TARGET_DIR:-$repo/target}
out=$target/wipe-vm

# Host tools (QEMU 10 from bookworm-backports on Debian 12, as for the image tests).
if ! command -v qemu-system-x86_64 >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    if grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release; then
        apt-get install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86
    else
        apt-get install -y -q --no-install-recommends qemu-system-x86
    fi
fi

# The newest kernel of the host's release (the meta package names it) and busybox-static.
mkdir -p "$cache"
kernel_pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$kernel_pkg" ] || { apt-get update -q; kernel_pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}'); }
for pkg in "$kernel_pkg" busybox-static; do
    if ! ls "$cache/$pkg"_*.deb >/dev/null 2>&1; then
        (cd "$cache" && apt-get download -q "$pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
    fi
done
kernel_deb=$(ls "$cache/$kernel_pkg"_*.deb | head -1)
busybox_deb=$(ls "$cache"/busybox-static_*.deb | head -1)
root=$cache/root-$(basename "$kernel_deb" .deb)
if [ ! -d "$root" ]; then
    rm -rf "$root.tmp"
    mkdir -p "$root.tmp/kernel" "$root.tmp/busybox"
    dpkg-deb -x "$kernel_deb" "$root.tmp/kernel"
    dpkg-deb -x "$busybox_deb" "$root.tmp/busybox"
    mv "$root.tmp" "$root"
fi

(cd "$repo" && cargo build --locked -q -p kinko-cli)
exec /usr/bin/python3 "$here/vmtest.py" --kernel-root "$root/kernel" --busybox "$root/busybox/bin/busybox" \
    --kinko "$target/debug/kinko" --out "$out"
