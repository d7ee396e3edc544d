#!/usr/bin/env python3
"""Prints the module files (relative to the modules dir) needed for the named modules, in
insmod order (dependencies first), from each module's own `depends=` (.modinfo), so no depmod
is needed on the host. Built-in modules are skipped."""
import os, re, sys

moddir, names = sys.argv[1], sys.argv[2:]
by_name = {}
for top, _, files in os.walk(moddir):
    for f in files:
        if f.endswith(".ko"):
            by_name[f[:-3].replace("-", "_")] = os.path.relpath(os.path.join(top, f), moddir)
order = []

def add(name):
    path = by_name.get(name.replace("-", "_"))
    if path is None or path in order:
        return
    m = re.search(rb"depends=([^\0]*)\0", open(os.path.join(moddir, path), "rb").read())
    for dep in (m.group(1).decode().split(",") if m and m.group(1) else []):
        add(dep)
    order.append(path)

for n in names:
    add(n)
print("\n".join(order))
