#!/bin/bash
# Runs inside the Debian 13 tools chroot (started by image/build.sh): builds the appliance's
# root file system with mmdebstrap, makes it a squashfs with dm-verity, and lays out the GPT
# disk (BIOS boot, ESP, root, root-verity, data) without loop devices.
#
#   assemble.sh VARIANT SUITE MIRROR COMPRESSOR
#
# /src is the repository (read-only), /imgcache the image cache (.debs in apt/), /work the output directory
# (holding kinko-kiosk; disk.img and build-info.txt are written there).
# The mmdebstrap hooks and the namespace script are single-quoted on purpose: their $1 and
# variables are expanded by the shell that runs them, not by this one.
# shellcheck disable=SC2016
set -euo pipefail
variant=$1 suite=$2 mirror=$3 comp=$4
: "${SOURCE_DATE_EPOCH:?}"
start=$(date +%s)
step() { echo "== [assemble $(( $(date +%s) - start ))s] $*"; }
die() { echo "assemble.sh: $*" >&2; exit 1; }

rootfs=/work/rootfs
strip_list() { sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$1" | tr -s ' \n' ',' | sed 's/,$//'; }

# --- root file system ------------------------------------------------------------------------
# The packages alone (no overlays, no customisation) are cached as a directory keyed by the
# suite, the mirror and image/packages.txt: rebuilding after a change to the overlays, the
# scripts or the app skips mmdebstrap.
base_key=$( { echo "$suite $mirror"; cat /src/image/packages.txt; } | sha256sum | cut -c1-16)
base=/imgcache/rootfs-$base_key
if [ ! -e "$base/.complete" ]; then
    step "mmdebstrap $suite (appliance packages) → $base"
    mmdebstrap --mode=root --variant=apt --include="$(strip_list /src/image/packages.txt)" \
        --skip=download/empty --skip=essential/unlink \
        --setup-hook='mkdir -p "$1/var/cache/apt/archives"' \
        --setup-hook='mount --bind /imgcache/apt "$1/var/cache/apt/archives"' \
        --customize-hook='umount "$1/var/cache/apt/archives"' \
        "$suite" "$base.tmp" "$mirror"
    rm -rf "$base"
    mv "$base.tmp" "$base"
    touch "$base/.complete"
    find /imgcache -maxdepth 1 -name 'rootfs-*' ! -name "rootfs-$base_key" -exec rm -rf {} +
else
    step "reusing $base"
fi
rm -rf "$rootfs"
cp -a "$base" "$rootfs"
rm -f "$rootfs/.complete"

step "overlays, the app, customisation"
cp -a /src/image/overlay/. /src/kiosk/overlay/. /src/udev-rules/overlay/. "$rootfs/"
chown -R root:root "$rootfs/etc" "$rootfs/usr/lib/kinko"
install -m 0755 /work/kinko-kiosk "$rootfs/usr/bin/kinko-kiosk"
if [ "$variant" = test ] && [ -f /work/kinko ]; then install -m 0755 /work/kinko "$rootfs/usr/bin/kinko"; fi
install -m 0755 /src/image/customize.sh "$rootfs/tmp/customize.sh"
mount --rbind /dev "$rootfs/dev"
mount -t proc proc "$rootfs/proc"
mount -t sysfs sysfs "$rootfs/sys"
chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin KINKO_VARIANT="$variant" /bin/bash /tmp/customize.sh
umount -R "$rootfs/dev" "$rootfs/proc" "$rootfs/sys"
rm -f "$rootfs/tmp/customize.sh"

# --- kernel and initrd go to the ESP; the rest becomes the verified root ---------------------
kver=$(find "$rootfs/lib/modules" -mindepth 1 -maxdepth 1 -printf "%f\n" | sort | tail -1)
step "kernel $kver"
mkdir -p /work/esp/kinko /work/esp/EFI/BOOT /work/esp/EFI/debian
cp "$rootfs/boot/vmlinuz-$kver" /work/esp/kinko/vmlinuz
cp "$rootfs/boot/initrd.img-$kver" /work/esp/kinko/initrd.img
rm -rf "${rootfs:?}"/boot/*

step "squashfs ($comp)"
# shellcheck disable=SC2086 # $comp is a list of mksquashfs options
mksquashfs "$rootfs" /work/root.sqfs -noappend -quiet -comp $comp \
    -processors 2 -no-progress
rm -rf "$rootfs"

step "dm-verity"
# Salt and UUIDs derive from the content, so the same inputs give the same disk.
sqfs_sum=$(sha256sum /work/root.sqfs | cut -c1-64)
uuid_of() { # a v4-shaped UUID from a seed
    local h; h=$(printf '%s' "$1" | sha256sum | cut -c1-32)
    echo "${h:0:8}-${h:8:4}-4${h:13:3}-a${h:17:3}-${h:20:12}"
}
veritysetup format --data-block-size=4096 --hash-block-size=4096 \
    --salt="$sqfs_sum" --uuid="$(uuid_of "verity-$sqfs_sum")" \
    /work/root.sqfs /work/root.verity > /work/verity.txt
roothash=$(sed -n 's/^Root hash:[[:space:]]*//p' /work/verity.txt)
[ ${#roothash} = 64 ] || die "no root hash from veritysetup"

disk_guid=$(uuid_of "disk-$roothash")
bios_uuid=$(uuid_of "bios-$roothash")
esp_uuid=$(uuid_of "esp-$roothash")
root_uuid=$(uuid_of "root-$roothash")
hash_uuid=$(uuid_of "hash-$roothash")
data_uuid=$(uuid_of "data-$roothash")
data_fs_uuid=$(uuid_of "datafs-$roothash")
esp_serial=$(printf '%s' "espserial-$roothash" | sha256sum | cut -c1-8)

# --- boot loader configuration ---------------------------------------------------------------
cmdline="root=/dev/mapper/kinko-root rootfstype=squashfs ro"
cmdline+=" kinko.roothash=$roothash kinko.rootpart=$root_uuid kinko.hashpart=$hash_uuid"
# No shell on failure (panic=: the initramfs reboots instead), no swap or auto-mounted
# partitions, no IPv6, locked-down kernel, pages zeroed when freed.
cmdline+=" panic=10 systemd.swap=0 systemd.gpt_auto=0 ipv6.disable=1"
cmdline+=" lockdown=integrity module.sig_enforce=1 init_on_free=1 debugfs=off"
cmdline+=" systemd.show_status=no vt.global_cursor_default=0"
if [ "$variant" = test ]; then
    # The test image talks on the serial console; the release image stays quiet.
    cmdline+=" console=tty0 console=ttyS0,115200 loglevel=6"
else
    cmdline+=" quiet loglevel=3"
fi

cat > /work/esp/EFI/debian/grub.cfg <<CFG
# Kinko appliance ($variant). \$root is the stick's ESP (the partition GRUB was loaded from).
# The menu stays hidden; Esc during the first 2 seconds shows it (decommission mode).
set timeout=2
set timeout_style=hidden
# Per-stick settings: a file /kinko/local.cfg on the ESP may set
#   kinko_rtc=utc   (the hardware clock keeps UTC; default: local time, as Windows does)
#   kinko_kbd=us    (US keyboard layout; default: jp)
#   kinko_mode=decommission   (start in decommission mode, as the second entry does)
set kinko_rtc=local
set kinko_kbd=jp
set kinko_mode=normal
if [ -f /kinko/local.cfg ]; then source /kinko/local.cfg; fi
if [ "\$kinko_mode" = decommission ]; then set default=1; fi
menuentry "Kinko" {
    linux /kinko/vmlinuz $cmdline kinko.rtc=\$kinko_rtc kinko.kbd=\$kinko_kbd
    initrd /kinko/initrd.img
}
# The system and the vault are copied into memory, so the stick itself can be sanitized.
menuentry "Kinko - decommission (system copied to memory; the stick can be erased)" {
    linux /kinko/vmlinuz $cmdline kinko.rtc=\$kinko_rtc kinko.kbd=\$kinko_kbd kinko.decommission=1
    initrd /kinko/initrd.img
}
CFG
cp /work/esp/EFI/debian/grub.cfg /work/esp/EFI/BOOT/grub.cfg
# UEFI: shim (signed by Microsoft's UEFI CA) on the removable-media path, loading Debian's
# signed GRUB. No fallback (fbx64.efi): it would write boot entries into the PC's NVRAM.
cp /usr/lib/shim/shimx64.efi.signed /work/esp/EFI/BOOT/BOOTX64.EFI
cp /usr/lib/shim/mmx64.efi.signed /work/esp/EFI/BOOT/mmx64.efi
cp /usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed /work/esp/EFI/BOOT/grubx64.efi
echo "kinko $variant $roothash" > "/work/esp/kinko/build-$(echo "$roothash" | cut -c1-16)"
find /work/esp -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# --- partition images ------------------------------------------------------------------------
MiB=$((1024 * 1024))
round_mib() { echo $(( ($1 + MiB - 1) / MiB )); }
esp_mib=96
data_mib=64   # grown to fill the stick on first boot

step "ESP (FAT32, $esp_mib MiB)"
rm -f /work/esp.img
mkfs.vfat -F 32 -n KINKO-ESP -i "$esp_serial" --invariant -C /work/esp.img $((esp_mib * 1024)) >/dev/null
(cd /work/esp && mcopy -s -m -i /work/esp.img ./* ::/)

step "data partition (ext4, $data_mib MiB)"
rm -f /work/data.img
mkfs.ext4 -q -L KINKO-DATA -U "$data_fs_uuid" -E root_owner=0:0 -O ^has_journal -b 4096 /work/data.img "${data_mib}M"
tune2fs -O has_journal /work/data.img >/dev/null
rm -rf /work/esp

root_mib=$(round_mib "$(stat -c %s /work/root.sqfs)")
hash_mib=$(round_mib "$(stat -c %s /work/root.verity)")

# --- GPT disk --------------------------------------------------------------------------------
step "GPT disk"
total_mib=$((1 + 1 + esp_mib + root_mib + hash_mib + data_mib + 1))
disk=/work/disk.img
rm -f "$disk"
truncate -s "${total_mib}M" "$disk"
s=2048   # sectors per MiB
p1=$((1 * s)); p2=$((p1 + 1 * s)); p3=$((p2 + esp_mib * s)); p4=$((p3 + root_mib * s)); p5=$((p4 + hash_mib * s))
sgdisk -Z "$disk" >/dev/null 2>&1 || true
sgdisk -U "$disk_guid" \
    -n "1:$p1:+1M"               -t 1:21686148-6449-6E6F-744E-656564454649 -c 1:bios-boot -u "1:$bios_uuid" \
    -n "2:$p2:+${esp_mib}M"      -t 2:C12A7328-F81F-11D2-BA4B-00A0C93EC93B -c 2:KINKO-ESP -u "2:$esp_uuid" \
    -n "3:$p3:+${root_mib}M"     -t 3:4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709 -c 3:kinko-root -u "3:$root_uuid" \
    -n "4:$p4:+${hash_mib}M"     -t 4:2C7357ED-EBD2-46D9-AEC1-23D437EC2BF5 -c 4:kinko-root-verity -u "4:$hash_uuid" \
    -n "5:$p5:+${data_mib}M"     -t 5:0FC63DAF-8483-4772-8E79-3D69D8477DE4 -c 5:KINKO-DATA -u "5:$data_uuid" \
    "$disk" >/dev/null
put() { dd if="$1" of="$disk" bs=1M seek="$(( $2 / s ))" conv=notrunc,sparse status=none; }
put /work/esp.img "$p2"
put /work/root.sqfs "$p3"
put /work/root.verity "$p4"
put /work/data.img "$p5"

# --- legacy BIOS: GRUB i386-pc in the BIOS boot partition -------------------------------------
step "BIOS boot (GRUB i386-pc)"
# core.img finds its configuration on partition 2 of the disk the BIOS booted from ("(,gpt2)"),
# never by searching other disks.
grub-mkimage -O i386-pc -o /work/core.img -p '(,gpt2)/EFI/debian' \
    biosdisk part_gpt fat normal configfile linux echo test search
core_sectors=$(( ($(stat -c %s /work/core.img) + 511) / 512 ))
[ "$core_sectors" -le $((s - 1)) ] || die "core.img too large for the BIOS boot partition"
le() { # value bytes: little-endian bytes as printf escapes
    local v=$1 n=$2 i out=
    for ((i = 0; i < n; i++)); do out+=$(printf '\\x%02x' $(( (v >> (8 * i)) & 255 ))); done
    printf '%s' "$out"
}
poke() { printf '%b' "$2" | dd of="$1" bs=1 seek="$3" conv=notrunc status=none; }
# This is what grub-bios-setup does for a GPT disk with a BIOS boot partition:
# boot.img's code (not the partition table) into the MBR, pointed at core.img's first sector;
# core.img's first sector (diskboot) pointed at the rest of core.img.
cp /usr/lib/grub/i386-pc/boot.img /work/boot.img
poke /work/boot.img "$(le "$p1" 8)" $((0x5c))   # kernel sector
poke /work/boot.img '\x90\x90' $((0x66))        # boot drive check off: trust the BIOS's DL
dd if=/work/boot.img of="$disk" bs=440 count=1 conv=notrunc status=none
poke /work/core.img "$(le $((p1 + 1)) 8)$(le $((core_sectors - 1)) 2)" $((0x200 - 12))
dd if=/work/core.img of="$disk" bs=512 seek="$p1" conv=notrunc status=none
sgdisk -v "$disk" >/dev/null || die "GPT verification failed"

size=$(stat -c %s "$disk")
{
    echo "variant:      $variant"
    echo "suite:        $suite ($mirror)"
    echo "kernel:       $kver"
    echo "root hash:    $roothash"
    echo "disk:         $((size / MiB)) MiB ($size bytes)"
    echo "  ESP         $esp_mib MiB"
    echo "  root        $root_mib MiB (squashfs, $comp)"
    echo "  root-verity $hash_mib MiB"
    echo "  data        $data_mib MiB (grown on first boot)"
    echo "built in:     $(( $(date +%s) - start ))s (assemble)"
} > /work/build-info.txt
rm -f /work/esp.img /work/root.sqfs /work/root.verity /work/data.img /work/core.img /work/boot.img
step "disk ready"
