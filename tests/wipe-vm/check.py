#!/usr/bin/env python3
"""Checks the guest's results (serial log) on the host. Prints one line per check and
`wipe-vm: N passed, M failed`; exits 0 only when all pass."""
import base64, json, re, subprocess, sys

log_path, kinko, nvme_img, known = sys.argv[1:5]
serial = open(log_path, "rb").read().decode("utf-8", "replace")
results = []

def block(name):
    m = re.search(r"==BEGIN %s==\r?\n(.*?)==END %s==" % (re.escape(name), re.escape(name)), serial, re.S)
    return base64.b64decode(re.sub(r"\s", "", m.group(1))) if m else None

def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + str(detail)[:400]))

def cert(name):
    raw = block(name + ".cert")
    if raw is None:
        return None, None
    path = "%s.%s.json" % (log_path, name)
    open(path, "wb").write(raw)
    return json.loads(raw), path

def verified(path):
    r = subprocess.run([kinko, "--json", "wipe", "verify-cert", path], capture_output=True, text=True)
    return r.returncode == 0 and json.loads(r.stdout).get("valid") is True, r.stdout + r.stderr

check("guest finished", "==GUEST DONE==" in serial, serial[-2000:])

# (a) NVMe
probe = json.loads(block("nvme.probe") or b"{}")
nvme = (probe.get("probe") or {}).get("nvme") or {}
check("nvme: Identify gives the serial", nvme.get("serial") == "KINKOVM01", nvme)
c, path = cert("nvme")
check("nvme: certificate written", c is not None, (block("nvme.log") or b"").decode(errors="replace"))
if c:
    ok, out = verified(path)
    check("nvme: certificate verifies on the host", ok, out)
    b = c["body"]
    cmd = b["sanitization"].get("device_command") or {}
    print("     nvme method: %s; command: %s; status: %s; outcome %s, level %s" % (
        b["sanitization"]["method"], cmd.get("command"), cmd.get("status"), b["outcome"],
        b["sanitization"]["method_type"]))
    earned = b["outcome"] == "erased" and cmd.get("completed") and cmd.get("markers_surviving") == 0
    check("nvme: Purge only if earned", (b["sanitization"]["method_type"] == "Purge") == bool(earned), b)
    check("nvme: erased", b["outcome"] == "erased", b["outcome"])
data = open(nvme_img, "rb").read()
check("nvme: backing file no longer holds the known content", known.encode() not in data)

# (b) SATA
probe = json.loads(block("sata.probe") or b"{}").get("probe") or {}
check("sata: ATA IDENTIFY model", probe.get("model") == "KINKO VM DISK", probe.get("model"))
check("sata: ATA IDENTIFY serial", probe.get("serial") == "KINKOSATA7", probe.get("serial"))
c, path = cert("sata")
check("sata: certificate written", c is not None, (block("sata.log") or b"").decode(errors="replace"))
if c:
    b = c["body"]
    check("sata: certificate verifies", verified(path)[0])
    check("sata: overwrite, Clear, erased",
          (b["sanitization"]["method"], b["sanitization"]["method_type"], b["outcome"])
          == ("Overwrite", "Clear", "erased"), (b["sanitization"]["method"], b["sanitization"]["method_type"], b["outcome"]))

# (c) blkdebug
c, path = cert("blkdebug")
check("blkdebug: certificate written", c is not None, (block("blkdebug.log") or b"").decode(errors="replace"))
if c:
    b = c["body"]
    check("blkdebug: certificate verifies", verified(path)[0])
    kinds = {(e["kind"], e["offset"] // 512) for e in b["run"]["exceptions"]}
    print("     blkdebug exceptions:", sorted(kinds), "outcome", b["outcome"])
    check("blkdebug: not claimed erased", b["outcome"] in ("erased_with_exceptions", "not_erased"), b["outcome"])
    check("blkdebug: never Purge", b["sanitization"]["method_type"] != "Purge")
    check("blkdebug: write error listed", any(k == "write_error" for k, _ in kinds), kinds)
    check("blkdebug: read error listed", any(k == "read_error" for k, _ in kinds), kinds)

passed = sum(results)
print("wipe-vm: %d passed, %d failed" % (passed, len(results) - passed))
sys.exit(0 if passed == len(results) and results else 1)
