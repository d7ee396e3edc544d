#!/bin/sh
# /init of the wipe test guest: load the disk drivers, run the scripted wipe sequence, print
# each result as base64 between markers on the serial console, power off.
export PATH=/bin KINKO_VAULT=/vault KINKO_USER=admin KINKO_PC_ID=wipe-vm
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $(cat /modules.order); do insmod "/modules/$m" 2>/dev/null; done
for i in $(seq 1 30); do [ -b /dev/nvme0n1 ] && [ -b /dev/sda ] && [ -b /dev/vda ] && break; sleep 1; done
emit() { echo "==BEGIN $1=="; base64 "$2"; echo "==END $1=="; }
step() { # name device method
    kinko --json wipe probe "$2" > "/tmp/$1.probe" 2>&1; emit "$1.probe" "/tmp/$1.probe"
    echo "${PASSWORD}" | kinko --password-stdin wipe run "$2" --method "$3" --cert "/tmp/$1.cert" --yes \
        > "/tmp/$1.log" 2>&1
    echo "rc=$?" >> "/tmp/$1.log"; emit "$1.log" "/tmp/$1.log"
    [ -f "/tmp/$1.cert" ] && emit "$1.cert" "/tmp/$1.cert"
}
PASSWORD=$(cat /password)
step nvme /dev/nvme0n1 auto
step sata /dev/sda auto
step blkdebug /dev/vda auto
sync; echo "==GUEST DONE=="
poweroff -f
