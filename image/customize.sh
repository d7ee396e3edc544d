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
# usbguard-daemon refuses a policy others could read; git does not keep file modes beyond +x,
# so the overlay's modes are set here.
chmod 0600 /etc/usbguard/usbguard-daemon.conf /etc/usbguard/rules.conf
systemctl set-default graphical.target
systemctl enable kinko-kiosk.service kinko-grow-data.service kinko-usbguard-boot.service kinko-power.path \
    nftables.service usbguard.service
if [ "$variant" = test ]; then
    systemctl enable kinko-test-report.service
    # The test image's journal also goes to the serial console (for the test's logs).
    printf '[Journal]\nForwardToConsole=yes\nTTYPath=/dev/ttyS0\nMaxLevelConsole=info\n' \
        > /etc/systemd/journald.conf.d/zz-kinko-test.conf
    # Under TCG a key's release can reach sway more than the default 600 ms after its press,
    # and QMP's keys would then repeat ("yyamada").
    printf '# TEST IMAGE ONLY\ninput type:keyboard repeat_delay 5000\n' >> /etc/kinko/sway.conf
else
    rm -f /etc/systemd/system/kinko-test-report.service /usr/lib/kinko/kinko-test-report \
        /etc/systemd/system/kinko-test-medium.service /usr/lib/kinko/kinko-test-medium \
        /etc/systemd/system/multi-user.target.wants/kinko-test-medium.service
fi
# No consoles, no shells, no network configuration, no VT keys.
systemctl mask getty@.service serial-getty@.service getty.target console-getty.service \
    autovt@.service debug-shell.service rescue.service emergency.service \
    ctrl-alt-del.target systemd-networkd.service systemd-networkd.socket \
    systemd-networkd-wait-online.service systemd-resolved.service systemd-timesyncd.service \
    cups-browsed.service systemd-firstboot.service 2>/dev/null || true
# Nothing periodic on an appliance that lives for an hour: no apt, no scrubbing, no trimming.
systemctl mask apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
    e2scrub_reap.service fstrim.timer systemd-binfmt.service usbguard-dbus.service 2>/dev/null || true
# Printing when asked for through the local socket: cupsd and avahi (which ipp-usb needs)
# start on first use, not at boot.
systemctl disable cups.service cups.path avahi-daemon.service 2>/dev/null || true
systemctl enable cups.socket avahi-daemon.socket 2>/dev/null || true

say "CUPS: the local socket only"
sed -i -e 's/^Listen .*:631$/# (kinko) no TCP listener/' -e 's/^Port 631$/# (kinko) no TCP port/' \
    -e 's/^Browsing .*/Browsing No/' /etc/cups/cupsd.conf
grep -q '^Listen /run/cups/cups.sock' /etc/cups/cupsd.conf || echo 'Listen /run/cups/cups.sock' >> /etc/cups/cupsd.conf

# avahi-daemon comes with ipp-usb, which announces USB printers to CUPS over DNS-SD on
# loopback: keep it on lo only.
if [ -f /etc/avahi/avahi-daemon.conf ]; then
    sed -i -e 's/^#\?allow-interfaces=.*/allow-interfaces=lo/' -e 's/^#\?use-ipv6=.*/use-ipv6=no/' \
        -e 's/^#\?enable-wide-area=.*/enable-wide-area=no/' /etc/avahi/avahi-daemon.conf
fi

say "kernel modules: no network, Bluetooth, sound or media drivers in the image"
kver=$(find /lib/modules -mindepth 1 -maxdepth 1 -printf "%f\n" | sort | tail -1)
mods=/lib/modules/$kver/kernel
rm -rf "$mods"/drivers/net "$mods"/net/wireless "$mods"/net/mac80211 "$mods"/net/bluetooth \
    "$mods"/drivers/bluetooth "$mods"/sound "$mods"/drivers/media "$mods"/drivers/infiniband \
    "$mods"/drivers/isdn "$mods"/net/can "$mods"/drivers/staging
# Internal storage drivers stay in the image (a later sanitize feature may load one on
# purpose) but can never be loaded by udev or modprobe: every module under these folders
# except the ones a USB stick and dm-verity need, and loop (decommission mode runs the system
# from a copy in memory through it; it reaches no disk).
{
    echo "# Generated at build time (image/customize.sh): internal disks are never probed."
    find "$mods"/drivers/ata "$mods"/drivers/nvme "$mods"/drivers/mmc "$mods"/drivers/memstick \
        "$mods"/drivers/firewire "$mods"/drivers/block "$mods"/drivers/scsi "$mods"/drivers/md \
        "$mods"/drivers/cdrom "$mods"/drivers/ufs -name '*.ko*' 2>/dev/null |
        sed -e 's#.*/##' -e 's/\.ko.*//' | sort -u |
        grep -vxE 'sd_mod|scsi_mod|scsi_common|dm-mod|dm-verity|dm-bufio|dm_mod|dm_verity|dm_bufio|loop' |
        while read -r m; do echo "install $m /bin/false"; echo "blacklist $m"; done
} > /etc/modprobe.d/kinko-no-internal-disks.conf
depmod "$kver"

say "initramfs: USB boot, dm-verity root, overlay in RAM"
update-initramfs -u -k "$kver"

say "trimming: documentation, translations other than Japanese, Mesa's GPU drivers"
# sway draws with pixman and the app with Slint's software renderer: no GPU drivers needed.
# Licences stay (/usr/share/doc/*/copyright).
find /usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
find /usr/share/doc -mindepth 1 -type d -empty -delete
rm -rf /usr/share/man /usr/share/info /usr/share/help /usr/share/lintian \
    /usr/share/gtk-doc /usr/share/bug /usr/lib/x86_64-linux-gnu/dri \
    /usr/lib/x86_64-linux-gnu/libLLVM* /usr/lib/x86_64-linux-gnu/libgallium* \
    /usr/lib/x86_64-linux-gnu/libvulkan_* /usr/share/vulkan/icd.d
find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name ja ! -name locale.alias -exec rm -rf {} +
rm -rf /var/lib/apt/lists/* /var/cache/apt/* /var/cache/debconf/*-old /var/lib/dpkg/*-old \
    /var/log/* /usr/share/fcitx5/themes/*-dark 2>/dev/null || true
# The caches (ld.so, journal catalog) are current: no "update" services at each boot.
ldconfig
journalctl --update-catalog 2>/dev/null || true
touch /etc/.updated /var/.updated
# The read-only root gets a machine ID in RAM at each boot.
: > /etc/machine-id
rm -f /var/lib/dbus/machine-id
