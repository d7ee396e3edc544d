#!/bin/busybox sh
# /init of the wipe test VM (tests/wipe-vm): loads the disk drivers, makes a vault, runs the
# `kinko` CLI against QEMU's emulated disks and reports each step on the serial console as
#   @@BEGIN name / output / @@END rc=N
# Files the host checks (certificates) are printed base64-encoded inside their step.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
export PATH=/bin HOME=/tmp TZ=UTC0
while read -r module; do insmod "/lib/modules/$module"; done < /modules.order

# Event-driven, with a deadline: the three disks appear once their drivers have probed.
for _ in $(seq 300); do
    [ -b /dev/nvme0n1 ] && [ -b /dev/sda ] && [ -b /dev/vda ] && break
    sleep 0.1
done

PW='wipe vm password 2026'
kinko() { /bin/kinko --vault /tmp/vault "$@"; }
admin() { printf '%s\n' "$PW" | kinko --user admin --password-stdin "$@"; }
step() {
    name=$1
    shift
    echo "@@BEGIN $name"
    "$@" 2>&1
    echo "@@END rc=$?"
}
cert() { step "$1" base64 "$2"; }

echo "@@READY $(ls /dev/nvme0n1 /dev/sda /dev/vda 2>&1 | tr '\n' ' ')"
printf '%s\n' "$PW" | kinko init --admin admin --password-stdin \
    --kdf-memory-mib 19 --kdf-iterations 2 --kdf-parallelism 1 >/dev/null 2>&1

step probe-nvme kinko --json wipe probe /dev/nvme0n1
step probe-sata kinko --json wipe probe /dev/sda
step probe-faulty kinko --json wipe probe /dev/vda

# The disk with injected errors: the run must finish and say what failed.
step run-faulty admin wipe run /dev/vda --method overwrite --cert /tmp/faulty.json --yes
cert cert-faulty /tmp/faulty.json
# A healthy SATA disk: overwrite, verified, Clear.
step run-sata admin wipe run /dev/sda --method auto --cert /tmp/sata.json --yes
cert cert-sata /tmp/sata.json
# NVMe with --method auto: what the engine chooses for QEMU's controller.
step run-nvme-auto admin wipe run /dev/nvme0n1 --method auto --cert /tmp/nvme-auto.json --yes
cert cert-nvme-auto /tmp/nvme-auto.json
step run-nvme admin wipe run /dev/nvme0n1 --method overwrite --cert /tmp/nvme.json --yes
cert cert-nvme /tmp/nvme.json
step log admin --json audit list --action wipe

echo "@@DONE"
sync
poweroff -f
