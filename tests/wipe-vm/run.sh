#!/bin/bash
# Wipe tests in QEMU (issue 8): an NVMe disk (device command), an AHCI SATA disk (ATA IDENTIFY
# through SG_IO, overwrite) and a disk behind blkdebug with injected write/read errors.
# Needs: root, cargo and apt access (it installs QEMU when missing). Prints `wipe-vm: N passed, M failed`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
cache=${KINKO_VM_CACHE:-/var/cache/kinko-wipe-vm}
work=$(mktemp -d /tmp/kinko-wipe-vm.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$cache/debs"

# Host tools on a fresh machine: QEMU 10 from bookworm-backports on Debian 12 (as the image
# tests use), else the release's.
if ! command -v qemu-system-x86_64 >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    release=()
    grep -qs '^VERSION_CODENAME=bookworm' /etc/os-release && release=(-t bookworm-backports)
    apt-get install -y -q --no-install-recommends "${release[@]}" qemu-system-x86
fi

fetch_debs() {
    cd "$cache/debs"
    local image
    image=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
    [ -n "$(ls "$image"_*.deb 2>/dev/null)" ] || apt-get download "$image" >/dev/null
    [ -n "$(ls busybox-static_*.deb 2>/dev/null)" ] || apt-get download busybox-static >/dev/null
    if [ ! -d "$cache/kernel" ]; then
        rm -rf "$cache/kernel.tmp" && mkdir "$cache/kernel.tmp"
        dpkg-deb -x "$(ls "$image"_*.deb | head -1)" "$cache/kernel.tmp"
        mv "$cache/kernel.tmp" "$cache/kernel"
    fi
    if [ ! -d "$cache/busybox" ]; then
        rm -rf "$cache/busybox.tmp" && mkdir "$cache/busybox.tmp"
        dpkg-deb -x "$(ls busybox-static_*.deb | head -1)" "$cache/busybox.tmp"
        mv "$cache/busybox.tmp" "$cache/busybox"
    fi
    cd - >/dev/null
}

build_kinko() {
    (cd "$repo" && cargo build -q -p kinko-cli)
    kinko="${CARGO_TARGET_DIR:-$repo/target}/debug/kinko"
}

make_vault() {
    password="wipe-vm $(date +%s%N)"
    KINKO_PC_ID=wipe-vm "$kinko" --vault "$work/root/vault" init --admin admin --password-stdin \
        --kdf-memory-mib 19 --kdf-iterations 2 --kdf-parallelism 1 <<<"$password" >/dev/null
    printf '%s' "$password" >"$work/root/password"
}

pack_initramfs() {
    local root=$work/root moddir
    mkdir -p "$root"/{bin,proc,sys,dev,tmp,modules,lib64,lib/x86_64-linux-gnu}
    cp "$cache/busybox/bin/busybox" "$root/bin/"
    for app in $("$root/bin/busybox" --list | grep -vx busybox); do ln -s busybox "$root/bin/$app"; done
    strip -o "$root/bin/kinko" "$kinko"
    for lib in $(ldd "$kinko" | grep -o '/[^ ]*'); do cp -L "$lib" "$root$lib"; done
    moddir=$(ls -d "$cache"/kernel/lib/modules/*)
    python3 "$here/modules.py" "$moddir" scsi_mod sd_mod libata libahci ahci nvme_core nvme \
        virtio virtio_ring virtio_pci virtio_blk >"$work/order"
    : >"$root/modules.order"
    while read -r m; do
        cp "$moddir/$m" "$root/modules/"
        basename "$m" >>"$root/modules.order"
    done <"$work/order"
    cp "$here/guest-init.sh" "$root/init"
    make_vault
    python3 "$here/newc.py" "$root" "$work/initrd.gz"
}

make_disks() {
    known="KINKO-WIPE-VM-KNOWN-CONTENT-$$"
    python3 -c "import sys; p=sys.argv[2].encode(); open(sys.argv[1],'wb').write((p*(64*1024*1024//len(p)+1))[:64*1024*1024])" \
        "$work/nvme.img" "$known"
    truncate -s 64M "$work/sata.img" "$work/blk.img"
    # errors at known sectors: writes at 8192 (4 MiB), reads at 40960 (20 MiB)
    cat >"$work/blkdebug.conf" <<CONF
[inject-error]
event = "write_aio"
errno = "5"
sector = "8192"
once = "off"

[inject-error]
event = "read_aio"
errno = "5"
sector = "40960"
once = "off"
CONF
}

boot() {
    local kernel
    kernel=$(ls "$cache"/kernel/boot/vmlinuz-*)
    timeout 1200 qemu-system-x86_64 -M q35 -accel tcg -m 1024 -smp 2 -nographic -no-reboot \
        -kernel "$kernel" -initrd "$work/initrd.gz" -append "console=ttyS0 quiet panic=-1" \
        -drive "file=$work/nvme.img,if=none,id=nv,format=raw" \
        -device nvme,serial=KINKOVM01,drive=nv \
        -drive "file=$work/sata.img,if=none,id=sd,format=raw" \
        -device ide-hd,drive=sd,bus=ide.0,model="KINKO VM DISK",serial=KINKOSATA7 \
        -blockdev "driver=raw,node-name=bd,file.driver=blkdebug,file.config=$work/blkdebug.conf,file.image.driver=file,file.image.filename=$work/blk.img" \
        -device virtio-blk-pci,drive=bd \
        </dev/null >"$work/serial.log" 2>&1 || true
}

fetch_debs
build_kinko
pack_initramfs
make_disks
boot
cp "$work/serial.log" "${KINKO_VM_LOG:-/tmp/kinko-wipe-vm-serial.log}"
python3 "$here/check.py" "$work/serial.log" "$kinko" "$work/nvme.img" "$known"
