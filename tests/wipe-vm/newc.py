#!/usr/bin/env python3
"""Writes the directory argv[1] as a gzip'd newc cpio archive (an initramfs) to argv[2]:
no cpio tool needed on the host."""
import gzip, os, stat, sys

root, out = sys.argv[1], sys.argv[2]

def header(name, st, size, ino):
    fields = [ino, st.st_mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields) + name.encode() + b"\0"

def pad(n):
    return b"\0" * (-n % 4)

with gzip.open(out, "wb", compresslevel=1) as f:
    ino = 1
    for top, dirs, files in os.walk(root):
        dirs.sort()
        for entry in sorted(dirs) + sorted(files):
            path = os.path.join(top, entry)
            name = os.path.relpath(path, root)
            st = os.lstat(path)
            if stat.S_ISLNK(st.st_mode):
                data = os.readlink(path).encode()
            elif stat.S_ISREG(st.st_mode):
                data = open(path, "rb").read()
            else:
                data = b""
            h = header(name, st, len(data), ino)
            f.write(h + pad(len(h)) + data + pad(len(data)))
            ino += 1
    h = header("TRAILER!!!", os.stat(root), 0, 0)
    f.write(h + pad(len(h)))
