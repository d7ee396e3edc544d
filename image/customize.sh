#!/bin/bash
# Runs inside the appliance's root file system (a chroot) after the packages and the overlays
# from kiosk/ and udev-rules/ are in place. KINKO_VARIANT is release or test.
set -euo pipefail
variant=${KINKO_VARIANT:?}
say() { echo "== [customize] $*"; }

say "users"
# The session's user: unprivileged, no password, no login shell.
useradd --uid 1000 --user-group --create-home --home-dir /home/kiosk --shell /usr/sbin/nologin kiosk
passwd --lock kiosk >/dev/null
passwd --lock root >/dev/null
usermod --shell /usr/sbin/nologin root
# The test image's kiosk reports UI events on /dev/ttyS1 (group dialout).
if [ "$variant" = test ]; then usermod -a -G dialout kiosk; touch /usr/lib/kinko/test-image; fi

say "time zone Asia/Tokyo, hardware clock in local time"
ln -sf /usr/share/zoneinfo/Asia/Tokyo /etc/localtime
echo Asia/Tokyo > /etc/timezone
printf '0.0 0 0.0\n0\nLOCAL\n' > /etc/adjtime

say "services"
systemctl set-default graphical.target
systemctl enable kinko-kiosk.service kinko-grow-data.service kinko-usbguard-boot.service \
    nftables.service usbguard.service
if [ "$variant" = test ]; then
    systemctl enable kinko-test-report.service
else
    rm -f /etc/systemd/system/kinko-test-report.service /usr/lib/kinko/kinko-test-report
fi
# No consoles, no shells, no network configuration, no VT keys.
systemctl mask getty@.service serial-getty@.service getty.target console-getty.service \
    autovt@.service debug-shell.service rescue.service emergency.service \
    ctrl-alt-del.target systemd-networkd.service systemd-networkd.socket \
    systemd-networkd-wait-online.service systemd-resolved.service systemd-timesyncd.service \
    cups-browsed.service systemd-firstboot.service 2>/dev/null || true
# Printing only when asked for through the local socket.
systemctl enable cups.socket 2>/dev/null || true

say "CUPS: the local socket only"
sed -i -e 's/^Listen .*:631$/# (kinko) no TCP listener/' -e 's/^Port 631$/# (kinko) no TCP port/' \
    -e 's/^Browsing .*/Browsing No/' /etc/cups/cupsd.conf
grep -q '^Listen /run/cups/cups.sock' /etc/cups/cupsd.conf || echo 'Listen /run/cups/cups.sock' >> /etc/cups/cupsd.conf

say "kernel modules: no network, Bluetooth, sound or media drivers in the image"
kver=$(find /lib/modules -mindepth 1 -maxdepth 1 -printf "%f\n" | sort | tail -1)
mods=/lib/modules/$kver/kernel
rm -rf "$mods"/drivers/net "$mods"/net/wireless "$mods"/net/mac80211 "$mods"/net/bluetooth \
    "$mods"/drivers/bluetooth "$mods"/sound "$mods"/drivers/media "$mods"/drivers/infiniband \
    "$mods"/drivers/isdn "$mods"/net/can "$mods"/drivers/staging
# Internal storage drivers stay in the image (a later sanitize feature may load one on
# purpose) but can never be loaded by udev or modprobe: every module under these folders
# except the ones a USB stick and dm-verity need.
{
    echo "# Generated at build time (image/customize.sh): internal disks are never probed."
    find "$mods"/drivers/ata "$mods"/drivers/nvme "$mods"/drivers/mmc "$mods"/drivers/memstick \
        "$mods"/drivers/firewire "$mods"/drivers/block "$mods"/drivers/scsi "$mods"/drivers/md \
        "$mods"/drivers/cdrom "$mods"/drivers/ufs -name '*.ko*' 2>/dev/null |
        sed -e 's#.*/##' -e 's/\.ko.*//' | sort -u |
        grep -vxE 'sd_mod|scsi_mod|scsi_common|dm-mod|dm-verity|dm-bufio|dm_mod|dm_verity|dm_bufio' |
        while read -r m; do echo "install $m /bin/false"; echo "blacklist $m"; done
} > /etc/modprobe.d/kinko-no-internal-disks.conf
depmod "$kver"

say "initramfs: USB boot, dm-verity root, overlay in RAM"
update-initramfs -u -k "$kver"

say "trimming"
rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/cache/debconf/*-old /var/lib/dpkg/*-old \
    /var/log/* /usr/share/fcitx5/themes/*-dark 2>/dev/null || true
# The read-only root gets a machine ID in RAM at each boot.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
