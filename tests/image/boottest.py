#!/usr/bin/env python3
"""Boots a Kinko image in QEMU (TCG) from an emulated USB stick and checks it (issue 7).

Run through tests/image/run.sh. One boot per call:

    boottest.py --image IMG --firmware uefi|bios --mode test|release --out DIR

Every wait is for an event (a line on a serial port, a screen that matches, a QMP answer),
each with a generous deadline; nothing sleeps for a fixed time to "let it settle".

Checks (the ones marked [hook] need the test image's serial reports and are skipped with
--mode release):
  ready        the kiosk app is up ([hook] its ready event; otherwise the screen below)
  screen       a screenshot (PPM from QMP, kept as PNG) matches the app's reference rendering
               of the first-run screen at 1920x1080 within a small share of pixels
  ime    [hook] "yamada", Space, Enter typed on the emulated keyboard with mozc on reaches the
               company-name field as 山田
  decoys       SATA, NVMe and a second USB stick with known contents: zero writes (QEMU's
               block statistics) and unchanged bytes (SHA-256); SATA/NVMe also zero reads
  mounts [hook] only the boot stick is mounted; no swap; foreign disks read-only
  network      an e1000 NIC on a user-mode network: not one packet in the pcap of its traffic;
               [hook] no address on any interface but lo
  grow   [hook] the data partition was grown to fill the (4 GiB) stick
  stick-writes the stick's copy-on-write overlay holds writes only to the partition table and
               the data partition: never to the system, its hash tree, the ESP or boot code
  power-button the ACPI power button shuts the appliance down (QEMU exits)
  medium [hook] a vfat USB stick plugged in after boot is blocked (no block device); asked for
               as the kiosk app does, it is mounted for kiosk, its file read, a file written;
               after eject it is unmounted and blocked again, and the written file is on it
"""

import argparse
import base64
import calendar
import hashlib
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
# 1920x1080: a width whose scan lines need no padding (1366 pixels made the guest's pitch
# differ from the width QEMU assumed, and the screendump came out sheared).
REFERENCE = os.path.join(REPO, "app/kiosk/tests/reference/setup-1920x1080.png")
WIDTH, HEIGHT = 1920, 1080
OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"
STICK_SIZE = 4 * 1024**3
# sfdisk, mkswap and mkfs.ext4 live in sbin, which a non-login root shell may not have.
os.environ["PATH"] = os.environ.get("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin"


class Failed(Exception):
    pass


class Stalled(Failed):
    """The guest wrote nothing on either serial port for STALL_SECONDS before it was ready."""


# A boot that prints nothing for this long has hung (a TCG boot prints a line every few
# seconds until the kiosk is up); it is retried once, openly (see main).
STALL_SECONDS = 240


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


# --- images: PPM in, PNG out, reference PNG read with zlib only ----------------------------

def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    # P6 <w> <h> <max>\n<rgb...>
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise Failed(f"{path}: not an 8-bit PPM")
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1 : pos + 1 + w * h * 3]


def write_png(path, w, h, rgb):
    raw = b"".join(b"\x00" + rgb[y * w * 3 : (y + 1) * w * 3] for y in range(h))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def read_png_rgb(path):
    """8-bit RGB or RGBA, non-interlaced PNGs (what the app's screenshot tests write)."""
    with open(path, "rb") as f:
        data = f.read()
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                raise Failed(f"{path}: unsupported PNG")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    out, prev = bytearray(), bytearray(stride)
    for y in range(h):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        prev = line
        if bpp == 4:
            del line[3::4]
        out += line
    return w, h, bytes(out)


def screen_difference(rgb, ref):
    """Share of pixels (sampled every 2nd row and column) differing by more than 40 in a channel."""
    differ = total = 0
    for y in range(0, HEIGHT, 2):
        row = y * WIDTH * 3
        for x in range(0, WIDTH, 2):
            i = row + x * 3
            total += 1
            if (abs(rgb[i] - ref[i]) > 40 or abs(rgb[i + 1] - ref[i + 1]) > 40
                    or abs(rgb[i + 2] - ref[i + 2]) > 40):
                differ += 1
    return differ / total


# --- QMP --------------------------------------------------------------------------------------

class Qmp:
    def __init__(self, path, deadline):
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise Failed("QMP socket never appeared")
                time.sleep(0.1)
        self.buf = b""
        self._read()  # greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise Failed("QEMU closed the QMP connection")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        self.sock.sendall(json.dumps({"execute": name, "arguments": args}).encode() + b"\n")
        while True:
            msg = self._read()
            if "return" in msg:
                return msg["return"]
            if "error" in msg:
                raise Failed(f"QMP {name}: {msg['error']}")
            # asynchronous events are ignored

    def keys(self, *qcodes, hold_ms=80):
        self.cmd("send-key", keys=[{"type": "qcode", "data": k} for k in qcodes], **{"hold-time": hold_ms})


# --- decoy disks ------------------------------------------------------------------------------

def make_decoy(path, size_mib, name):
    """A GPT disk with a swap partition, an ext4 partition holding a file, and a partition
    named KINKO-DATA (a decoy for the data partition): none of it may be used."""
    with open(path, "wb") as f:
        f.truncate(size_mib * 1024 * 1024)
    layout = (
        "label: gpt\n"
        "size=8MiB, type=0657FD6D-A4AB-43C4-84E5-0933C84B4F4F, name=swap\n"
        "size=24MiB, type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=files\n"
        "type=0FC63DAF-8483-4772-8E79-3D69D8477DE4, name=KINKO-DATA\n"
    )
    subprocess.run(["sfdisk", "-q", path], input=layout.encode(), check=True)
    out = subprocess.run(["sfdisk", "-J", path], check=True, capture_output=True).stdout
    parts = json.loads(out)["partitiontable"]["partitions"]
    tmp = path + ".part"
    for i, part in enumerate(parts):
        start, size = part["start"] * 512, part["size"] * 512
        with open(tmp, "wb") as f:
            f.truncate(size)
        if i == 0:
            subprocess.run(["mkswap", "-q", tmp], check=True, capture_output=True)
        else:
            content = os.path.join(os.path.dirname(path), f"decoy-{name}-content")
            os.makedirs(content, exist_ok=True)
            with open(os.path.join(content, "DECOY.txt"), "w") as f:
                f.write(f"decoy {name} partition {i}: must never be mounted or written\n")
            subprocess.run(["mkfs.ext4", "-q", "-F", "-L", f"decoy{i}", "-d", content, tmp],
                           check=True, capture_output=True)
            shutil.rmtree(content)
        with open(tmp, "rb") as src, open(path, "r+b") as dst:
            dst.seek(start)
            dst.write(src.read())
        os.remove(tmp)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --- the boot ---------------------------------------------------------------------------------

class Boot:
    def __init__(self, args):
        self.args = args
        self.out = args.out
        self.results = []  # (name, ok, detail)
        self.console = os.path.join(self.out, "console.log")
        self.events = os.path.join(self.out, "events.log")
        self.qemu = None
        self.abandoned = False

    def check(self, name, ok, detail):
        self.results.append((name, ok, detail))
        log(f"{'PASS' if ok else 'FAIL'} {name}: {detail}")

    def serial_lines(self, path):
        try:
            with open(path, "rb") as f:
                return f.read().decode("utf-8", "replace").splitlines()
        except FileNotFoundError:
            return []

    def wait_for(self, what, predicate, timeout, poll=0.5, stall=False):
        """Polls `predicate` until it answers. With `stall`, also gives up early (Stalled)
        when neither serial port has grown for STALL_SECONDS."""
        deadline = time.monotonic() + timeout
        heard, last_growth = -1, time.monotonic()
        while True:
            value = predicate()
            if value:
                return value
            if self.qemu.poll() is not None:
                raise Failed(f"QEMU exited ({self.qemu.returncode}) while waiting for {what}")
            now = time.monotonic()
            if now > deadline:
                raise Failed(f"timed out after {timeout}s waiting for {what}")
            if stall:
                size = sum(os.path.getsize(f) for f in (self.console, self.events))
                if size != heard:
                    heard, last_growth = size, now
                elif now - last_growth > STALL_SECONDS:
                    raise Stalled(f"nothing on the serial ports for {STALL_SECONDS}s while waiting for "
                                  f"{what} ({heard} bytes so far, {now - self.t0:.0f}s after power-on)")
            time.sleep(poll)

    def event(self, prefix):
        def find():
            for line in self.serial_lines(self.events):
                if line.startswith(prefix):
                    return line
            return None
        return find

    def screenshot(self, name):
        ppm = os.path.join(self.out, name + ".ppm")
        self.qmp.cmd("screendump", filename=ppm, format="ppm")
        w, h, rgb = read_ppm(ppm)
        png = os.path.join(self.out, name + ".png")
        write_png(png, w, h, rgb)
        os.remove(ppm)
        return w, h, rgb, png

    def start(self):
        a = self.args
        os.makedirs(self.out, exist_ok=True)
        for f in (self.console, self.events):
            open(f, "w").close()
        stick = os.path.join(self.out, "stick.qcow2")
        # The image itself is never written: a copy-on-write overlay, 4 GiB like a small stick
        # (1 GiB in decommission mode, whose test wipes all of it; on a copy that boots the
        # decommission entry by the stick's own setting, /kinko/local.cfg on the ESP).
        base, size = os.path.abspath(a.image), STICK_SIZE
        if a.decommission:
            base, size = self.decommission_copy(), 1024**3
        subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                        base, stick, str(size)], check=True)
        self.decoys = {}
        for name, mib in (("sata", 64), ("nvme", 64), ("usb", 64)):
            path = os.path.join(self.out, f"decoy-{name}.raw")
            make_decoy(path, mib, name)
            self.decoys[name] = (path, sha256(path))
        self.pcap = os.path.join(self.out, "nic.pcap")
        self.qmp_path = os.path.join(self.out, "qmp.sock")
        cmd = [
            "qemu-system-x86_64", "-machine", "q35", "-accel", "tcg,thread=multi",
            "-smp", "2", "-m", "2048", "-display", "none", "-no-reboot",
            # Like a PC that runs Windows: the RTC keeps Japanese local time.
            "-rtc", "base=localtime",
            "-device", f"VGA,vgamem_mb=64,xres={WIDTH},yres={HEIGHT},edid=on",
            "-serial", f"file:{self.console}", "-serial", f"file:{self.events}",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
            "-device", "qemu-xhci,id=xhci",
            "-drive", f"if=none,id=stick,file={stick},format=qcow2",
            "-device", "usb-storage,bus=xhci.0,drive=stick,removable=on,bootindex=0",
            "-drive", f"if=none,id=decoy-sata,file={self.decoys['sata'][0]},format=raw",
            "-device", "ide-hd,drive=decoy-sata,bus=ide.0",
            "-drive", f"if=none,id=decoy-nvme,file={self.decoys['nvme'][0]},format=raw",
            "-device", "nvme,drive=decoy-nvme,serial=decoy0",
            "-drive", f"if=none,id=decoy-usb,file={self.decoys['usb'][0]},format=raw",
            "-device", "usb-storage,bus=xhci.0,drive=decoy-usb,removable=on",
            "-device", "usb-kbd,bus=xhci.0", "-device", "usb-tablet,bus=xhci.0",
            # A NIC on a restricted user-mode network, with every frame it sends in a pcap.
            "-netdev", "user,id=net0,restrict=on",
            "-device", "e1000,netdev=net0,mac=52:54:00:12:34:56",
            "-object", f"filter-dump,id=dump0,netdev=net0,file={self.pcap}",
        ]
        if a.firmware == "uefi":
            vars_copy = os.path.join(self.out, "OVMF_VARS.fd")
            shutil.copy(OVMF_VARS, vars_copy)
            cmd += ["-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
                    "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}"]
        with open(os.path.join(self.out, "qemu-cmdline.txt"), "w") as f:
            f.write(" ".join(cmd) + "\n")
        log(f"starting QEMU ({a.firmware}, {a.mode} image)")
        self.t0 = time.monotonic()
        env = dict(os.environ, TZ="Asia/Tokyo")
        self.qemu = subprocess.Popen(cmd, env=env, stdout=open(os.path.join(self.out, "qemu.log"), "w"),
                                     stderr=subprocess.STDOUT)
        self.qmp = Qmp(self.qmp_path, time.monotonic() + 30)

    def run(self):
        a = self.args
        self.start()
        ref = read_png_rgb(REFERENCE)[2]

        # Ready: the app's own event (test image), then the screen; the release image has
        # only the screen to go by.
        if a.mode == "test":
            line = self.wait_for("the kiosk's ready event", self.event("KINKO-EVENT ready"), a.timeout,
                                 stall=True)
            ready_at = time.monotonic() - self.t0
            self.check("ready", "screen=setup" in line, f"{line!r} after {ready_at:.0f}s")
        shot = {}

        def screen_matches():
            w, h, rgb, png = self.screenshot("screen")
            if (w, h) != (WIDTH, HEIGHT):
                return None
            diff = screen_difference(rgb, ref)
            shot.update(diff=diff, png=png)
            return diff < a.max_diff

        try:
            self.wait_for("the first-run screen", screen_matches, 120 if a.mode == "test" else a.timeout, poll=2)
            if a.mode == "release":
                ready_at = time.monotonic() - self.t0
                self.check("ready", True, f"first-run screen shown after {ready_at:.0f}s")
            self.check("screen", True, f"matches the reference within {shot['diff']:.2%} of pixels ({shot['png']})")
        except Failed as e:
            self.check("screen", False, f"{e}; last difference {shot.get('diff', 1):.2%} ({shot.get('png')})")
            if a.mode == "release":
                self.check("ready", False, str(e))
        self.ready_seconds = ready_at if "ready_at" in locals() else None

        if a.mode == "test":
            # The report comes once fcitx5 answers: only then can typing go through mozc.
            self.check_report()
            self.type_japanese()
            if not a.decommission:
                self.check_medium()
        self.check_network()
        self.check_decoys()
        self.power_button()

    def power_button(self):
        """The PC's power button (ACPI) shuts the appliance down cleanly: QEMU exits."""
        self.qmp.cmd("system_powerdown")
        t = time.monotonic()
        try:
            self.qemu.wait(180)
            self.check("power-button", True, f"powered off {time.monotonic() - t:.0f}s after the power button")
        except subprocess.TimeoutExpired:
            self.check("power-button", False, "still running 180s after the power button")

    def check_stick_writes(self):
        """Only the data partition and the partition table (grown on first boot) of the stick
        were written: the system, its hash tree, the ESP and the BIOS boot code never."""
        stick = os.path.join(self.out, "stick.qcow2")
        out = subprocess.run(["qemu-img", "map", "--output=json", "-U", stick],
                             check=True, capture_output=True).stdout
        written = [(e["start"], e["start"] + e["length"]) for e in json.loads(out)
                   if e.get("data") and e.get("depth") == 0]
        table = json.loads(subprocess.run(["sfdisk", "-J", self.args.image], check=True,
                                          capture_output=True).stdout)["partitiontable"]
        parts = {p["name"]: (p["start"] * 512, (p["start"] + p["size"]) * 512) for p in table["partitions"]}
        data_start = parts["KINKO-DATA"][0]
        first_part = min(s for s, _ in parts.values())
        bad = []
        for start, end in written:
            # GPT header and entries at the start, the data partition and the backup GPT after it.
            if end <= first_part or start >= data_start:
                continue
            bad.append((start, end))
        names = [n for n, (s, e) in parts.items() if any(ws < e and we > s for ws, we in bad)]
        self.check("stick-writes", not bad,
                   f"{sum(e - s for s, e in written) // 1024} KiB written, "
                   + (f"into {names}" if bad else "only to the partition table and KINKO-DATA"))

    def type_japanese(self):
        # mozc on (Ctrl+Space; 半角/全角 on a JIS keyboard), romaji, convert, commit.
        self.qmp.keys("ctrl", "spc")
        for ch in "yamada":
            self.qmp.keys(ch)
        self.qmp.keys("spc")
        self.qmp.keys("ret")
        try:
            line = self.wait_for("山田 in the company-name field",
                                 self.event("KINKO-EVENT field label=会社名 value=山田"), 60)
            self.check("ime", True, line)
        except Failed as e:
            seen = [l for l in self.serial_lines(self.events) if "会社名" in l]
            self.check("ime", False, f"{e}; company-name events: {seen[-3:]}")
        self.screenshot("screen-after-typing")

    def check_report(self):
        try:
            # In decommission mode the report includes wiping the whole (1 GiB) stick.
            self.wait_for("the test report", lambda: "KINKO-REPORT end" in "\n".join(self.serial_lines(self.console)),
                          900 if self.args.decommission else 120)
        except Failed as e:
            self.check("report", False, str(e))
            return
        report = [l[l.index("KINKO-REPORT ") + 13:] for l in self.serial_lines(self.console) if "KINKO-REPORT " in l]
        with open(os.path.join(self.out, "report.txt"), "w") as f:
            f.write("\n".join(report) + "\n")
        mounts = [r.split()[1:] for r in report if r.startswith("mount ")]
        disks = {r.split()[1]: dict(kv.split("=", 1) for kv in r.split()[2:]) for r in report if r.startswith("disk ")}
        boot_disk = {n for n, d in disks.items() if d["role"] == "boot"}
        if self.args.decommission:
            self.check_decommission(report, mounts, boot_disk)
        else:
            bad = [m for m in mounts if os.path.basename(m[0]) not in boot_disk and not m[0].startswith("/dev/mapper/kinko-root")]
            self.check("mounts", bool(mounts) and not bad, f"block-device mounts {mounts}; foreign: {bad}")
        foreign_rw = [n for n, d in disks.items() if d["role"] == "foreign" and d["ro"] != "1"]
        self.check("foreign-ro", not foreign_rw, f"foreign block devices not read-only: {foreign_rw or 'none'}")
        swaps = next((r.split()[1] for r in report if r.startswith("swaps ")), "?")
        self.check("swap", swaps == "0", f"{swaps} swap areas in use")
        addrs = [r for r in report if r.startswith("netif ") and not r.startswith("netif lo ")]
        self.check("net-addresses", not any("addrs=," not in r and "addrs= " not in r + " " for r in addrs),
                   f"interfaces other than lo: {addrs or 'none'}")
        if not self.args.decommission:
            data = next((int(r.split()[1]) for r in report if r.startswith("data_fs_bytes ")), 0)
            self.check("grow", data > STICK_SIZE // 2, f"data file system {data // 2**20} MiB on a {STICK_SIZE // 2**30} GiB stick")
        for key, want in (("ime_state", "1"), ("sysrq", "0"), ("gettys", "0"), ("modules_storage", "0"), ("nft_policy", "1")):
            got = next((r.split(" ", 1)[1] if " " in r else "" for r in report if r.split(" ")[0] == key), "?")
            self.check(key, got == want, f"{key} = {got!r} (want {want!r})")
        # The guest read the local-time RTC as local time: its clock is the real time.
        stamp = next((r.split()[1] for r in report if r.startswith("time ")), None)
        try:
            skew = abs(time.time() - self.epoch(stamp))
        except (TypeError, ValueError):
            skew = None
        self.check("clock", skew is not None and skew < 600, f"guest time {stamp}, off by {skew if skew is None else round(skew)} s")
        failed = next((r.split(" ", 1)[1] if " " in r else "" for r in report if r.startswith("failed_units")), "?")
        self.check("failed-units", failed.strip(",") == "", f"failed units: {failed or 'none'}")
        sway = next((r.split(" ", 1)[1] if " " in r else "" for r in report if r.startswith("sway_user")), "")
        self.check("sway-user", sway.strip(",") == "kiosk", f"sway runs as {sway!r}")
        usb = [r for r in report if r.startswith("usb ")]
        decoy_usb = [r for r in usb if "authorized=1" in r and "QEMU_USB_HARDDRIVE" in r]
        self.check("usbguard", len(decoy_usb) == 1, f"authorised USB storage (want only the boot stick): {decoy_usb}")

    def check_medium(self):
        """The export medium (kinko-medium): a vfat stick with KNOWN.TXT, plugged in now; the test
        image's kinko-test-medium asks for it as the kiosk user, then ejects it."""
        path = os.path.join(self.out, "medium.raw")
        with open(path, "wb") as f:
            f.truncate(32 * 1024 * 1024)
        # One MBR partition from 1 MiB, FAT16 in it: the helper must find the partition.
        subprocess.run(["sfdisk", "-q", path], input=b"label: dos\nstart=2048, type=c\n", check=True)
        subprocess.run(["mkfs.vfat", "-F", "16", "--offset=2048", "-n", "KINKOTEST", path, "31744"],
                       check=True, capture_output=True)
        known = os.path.join(self.out, "KNOWN.TXT")
        with open(known, "w") as f:
            f.write("kinko medium test 42")
        subprocess.run(["mcopy", "-i", path + "@@1M", known, "::KNOWN.TXT"], check=True)
        self.qmp.cmd("blockdev-add", driver="raw", **{"node-name": "medium"},
                     file={"driver": "file", "filename": path})
        self.qmp.cmd("device_add", driver="usb-storage", bus="xhci.0", drive="medium", id="medium",
                     serial="KINKOMEDIUM", removable=True)
        try:
            self.wait_for("the medium report", lambda: "KINKO-MEDIUM end" in "\n".join(self.serial_lines(self.console)), 600)
        except Failed as e:
            self.check("medium", False, str(e))
            return
        lines = [l[l.index("KINKO-MEDIUM ") + 13:] for l in self.serial_lines(self.console) if "KINKO-MEDIUM " in l]
        with open(os.path.join(self.out, "medium.txt"), "w") as f:
            f.write("\n".join(lines) + "\n")
        get = lambda word: next((l for l in lines if l.startswith(word + " ")), "")
        plugged, allowed, ejected = get("plugged"), get("allowed"), get("ejected")
        self.check("medium-blocked", "authorized=0" in plugged and "blockdevs=0" in plugged
                   and "mounted=0" in plugged, plugged or "no report")
        self.check("medium-mounted", "state=mounted" in allowed and "authorized=1" in allowed
                   and "fstype=vfat" in allowed and "owner=kiosk" in allowed
                   and all(o in allowed for o in ("nosuid", "nodev", "noexec")), allowed or "no report")
        self.check("medium-read", get("known") == "known kinko medium test 42", get("known") or "no report")
        self.check("medium-write", "write ok" in lines, get("write") or "no report")
        self.check("medium-ejected", "state=idle" in ejected and "error= " in ejected and "mounted=0" in ejected
                   and "authorized=0" in ejected and "listed_again=1" in ejected, ejected or "no report")
        got = subprocess.run(["mtype", "-i", path + "@@1M", "::WRITTEN.TXT"], capture_output=True)
        self.check("medium-file-on-stick", got.stdout == b"written by kiosk\n",
                   f"WRITTEN.TXT in the stick's backing file: {got.stdout!r} {got.stderr.decode().strip()}")

    def decommission_copy(self):
        """A raw copy of the image whose ESP holds /kinko/local.cfg with kinko_mode=decommission."""
        copy = os.path.join(self.out, "decommission.raw")
        shutil.copyfile(self.args.image, copy)
        table = json.loads(subprocess.run(["sfdisk", "-J", copy], check=True, capture_output=True).stdout)
        esp = next(p for p in table["partitiontable"]["partitions"] if p.get("name") == "KINKO-ESP"
                   or p["type"].upper() == "C12A7328-F81F-11D2-BA4B-00A0C93EC93B")
        cfg = os.path.join(self.out, "local.cfg")
        with open(cfg, "w") as f:
            f.write("set kinko_mode=decommission\n")
        subprocess.run(["mcopy", "-o", "-i", f"{copy}@@{esp['start'] * 512}", cfg, "::/kinko/local.cfg"], check=True)
        return copy

    def check_decommission(self, report, mounts, boot_disk):
        """Decommission mode: system and vault in memory, the stick free, then wiped whole by
        the CLI (test hook) while the kiosk runs on."""
        mode = next((r.split(" ", 1)[1] for r in report if r.startswith("mode ")), "?")
        self.check("decommission-mode", mode == "decommission", f"/run/kinko/mode = {mode!r}")
        on_stick = [m for m in mounts if os.path.basename(m[0]).rstrip("0123456789") in boot_disk
                    or os.path.basename(m[0]) in boot_disk]
        self.check("decommission-stick-free", not on_stick and any(m[0] == "/dev/mapper/kinko-root" for m in mounts),
                   f"mounts {mounts}; from the stick: {on_stick or 'none'}")
        args = next((r.split(" ", 1)[1] for r in report if r.startswith("kiosk_args ")), "")
        self.check("decommission-app", "--system-in-ram" in args, f"kiosk started as: {args.strip()}")
        wipe = next((r.split(" ", 1)[1] for r in report if r.startswith("wipe_exit ")), "?")
        self.check("decommission-wipe", wipe.startswith("0 "), f"kinko wipe run on the boot stick: exit {wipe}")
        cert = next((r.split(" ", 1)[1] for r in report if r.startswith("wipe_cert ")), "")
        path = os.path.join(self.out, "decommission-cert.json")
        with open(path, "wb") as f:
            f.write(base64.b64decode(cert or ""))
        kinko = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(REPO, "target")), "debug", "kinko")
        out = subprocess.run([kinko, "--json", "wipe", "verify-cert", path], capture_output=True, text=True)
        verdict = json.loads(out.stdout) if out.returncode == 0 else {"error": out.stderr.strip()}
        self.check("decommission-cert", verdict.get("valid") is True and verdict.get("outcome") == "erased"
                   and verdict.get("level") == "Clear", f"certificate: {verdict}")
        # The kiosk is still there after its own stick was erased under it.
        ref = read_png_rgb(REFERENCE)[2]
        w, h, rgb, png = self.screenshot("screen-after-wipe")
        diff = screen_difference(rgb, ref) if (w, h) == (WIDTH, HEIGHT) else 1
        self.check("decommission-kiosk-alive", diff < self.args.max_diff, f"screen after the wipe differs by {diff:.2%} ({png})")

    def check_stick_wiped(self):
        """Decommission mode: nothing of the image is left on the stick (GPT, ESP, system)."""
        stick = os.path.join(self.out, "stick.qcow2")
        raw = os.path.join(self.out, "stick-after.raw")
        subprocess.run(["qemu-img", "convert", "-U", "-O", "raw", stick, raw], check=True)
        with open(raw, "rb") as f:
            head = f.read(1 << 20)
        with open(self.args.image, "rb") as f:
            image_head = f.read(1 << 20)
        left = head[512:520] == b"EFI PART"
        same = sum(1 for i in range(0, len(head), 4096) if head[i:i + 4096] == image_head[i:i + 4096] and any(head[i:i + 4096]))
        self.check("decommission-stick-wiped", not left and same == 0,
                   f"GPT header left: {left}; 4 KiB blocks of the image's first MiB still there: {same}")
        os.remove(raw)

    @staticmethod
    def epoch(stamp):
        """2026-11-26T15:31:39+0900 as seconds since the epoch."""
        sign = 1 if stamp[19] == "+" else -1
        offset = sign * (int(stamp[20:22]) * 3600 + int(stamp[22:24]) * 60)
        return calendar.timegm(time.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")) - offset

    def check_network(self):
        size = os.path.getsize(self.pcap) if os.path.exists(self.pcap) else 0
        # A pcap holds a 24-byte header, then 16 bytes plus the frame for each packet.
        self.check("nic-silent", size <= 24, f"pcap of the NIC's traffic is {size} bytes ({max(0, size - 24)} bytes of packets)")

    def check_decoys(self):
        stats = {d["device"]: d["stats"] for d in self.qmp.cmd("query-blockstats")}
        with open(os.path.join(self.out, "blockstats.json"), "w") as f:
            json.dump(stats, f, indent=1)
        for name in ("sata", "nvme", "usb"):
            s = stats.get(f"decoy-{name}")
            if s is None:
                self.check(f"decoy-{name}", False, "no block statistics")
                continue
            ok = s["wr_operations"] == 0 and s["wr_bytes"] == 0
            detail = f"{s['rd_operations']} reads, {s['wr_operations']} writes"
            if name in ("sata", "nvme"):
                # Their drivers are never loaded: only the firmware may read (boot probing).
                detail += " (their drivers are never loaded; any reads are the firmware's)"
            self.check(f"decoy-{name}-writes", ok, detail)

    def abandon(self, keep):
        """Kills a hung QEMU and moves this boot's files to `keep` (with a screendump first)."""
        try:
            self.screenshot("stalled-screen")
        except Exception as e:
            log(f"no screendump of the stalled boot: {e}")
        self.qemu.kill()
        self.qemu.wait()
        self.abandoned = True
        shutil.rmtree(keep, ignore_errors=True)
        for name in ("stick.qcow2", "decommission.raw") + tuple(f"decoy-{d}.raw" for d in ("sata", "nvme", "usb")):
            path = os.path.join(self.out, name)
            if os.path.exists(path):
                os.remove(path)
        shutil.move(self.out, keep)

    def stop(self):
        if self.qemu and self.qemu.poll() is None:
            try:
                self.qmp.cmd("quit")
            except Exception:
                pass
            try:
                self.qemu.wait(30)
            except subprocess.TimeoutExpired:
                self.qemu.kill()
                self.qemu.wait()
        if os.path.exists(os.path.join(self.out, "stick.qcow2")):
            try:
                self.check_stick_wiped() if self.args.decommission else self.check_stick_writes()
            except (subprocess.CalledProcessError, KeyError, ValueError) as e:
                self.check("stick-writes", False, f"could not map the stick's writes: {e}")
        # Byte-for-byte: the decoys are unchanged (checked after QEMU has closed them).
        for name, (path, before) in getattr(self, "decoys", {}).items():
            self.check(f"decoy-{name}-unchanged", sha256(path) == before, "SHA-256 unchanged" if sha256(path) == before else "CHANGED")
            os.remove(path)
        for name in ("stick.qcow2", "decommission.raw"):
            if os.path.exists(os.path.join(self.out, name)):
                os.remove(os.path.join(self.out, name))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--image", required=True)
    p.add_argument("--firmware", choices=["uefi", "bios"], required=True)
    p.add_argument("--mode", choices=["test", "release"], required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--timeout", type=int, default=900, help="seconds to wait for the kiosk")
    p.add_argument("--decommission", action="store_true",
                   help="boot the decommission entry (test image): system in memory, the stick wiped")
    p.add_argument("--max-diff", type=float, default=0.02, help="share of pixels allowed to differ")
    args = p.parse_args()
    if args.decommission and args.mode != "test":
        p.error("--decommission needs the test image (its hook wipes the stick)")
    # Killed (CI timeout, Ctrl-C): still stop QEMU and report, through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(Failed("terminated")))
    retries = []
    while True:
        boot = Boot(args)
        try:
            boot.run()
        except Stalled as e:
            if not retries:
                # Keep the hung boot's evidence beside the results, then boot once more.
                retries.append(str(e))
                boot.abandon(f"{args.out}-stalled")
                log(f"RETRY {args.firmware}/{args.mode}: {e}; evidence in {args.out}-stalled")
                continue
            boot.check("boot", False, f"{e} (second boot; the first stalled too)")
        except Failed as e:
            boot.check("boot", False, str(e))
        except Exception as e:  # a bug or a missing tool: still stop QEMU and report
            boot.check("boot", False, f"{type(e).__name__}: {e}")
        finally:
            if not boot.abandoned:
                boot.stop()
        break
    passed = sum(1 for _, ok, _ in boot.results if ok)
    failed = len(boot.results) - passed
    summary = {"firmware": args.firmware, "mode": args.mode, "ready_seconds": getattr(boot, "ready_seconds", None),
               "retried_after": retries,
               "results": [{"check": n, "ok": ok, "detail": d} for n, ok, d in boot.results]}
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1, ensure_ascii=False)
    log(f"{args.firmware}/{args.mode}: {passed} passed, {failed} failed")
    sys.exit(0 if failed == 0 and passed > 0 else 1)


if __name__ == "__main__":
    main()
