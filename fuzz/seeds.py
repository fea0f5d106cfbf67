#!/usr/bin/env python3
"""Writes seeds for the `run` fuzz target (fuzz_targets/run.rs) from the check fixtures.

Each fixture module with Go packages becomes one seed: its go.mod (module `m`), then, for up
to three of its packages, mapped to `a`, `b` and `c`, the first non-test file, the first
in-package test file and (for `a`) the first external test file, each in its slot of the
target's SLOTS, with the module's import paths rewritten to `m/a`, `m/b` and `m/c`.

Usage: fuzz/seeds.py [OUT]   (default: fuzz/corpus/run)
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SLOTS = ["a/a.go", "a/a_test.go", "a/x_test.go", "b/b.go", "b/b_test.go", "c/c.go", "c/c_test.go"]
SEP = b"\n----\n"


def package_name(src):
    m = re.search(rb"^package\s+(\w+)", src, re.M)
    return m.group(1) if m else b""


def seed(module_dir):
    gomod = open(os.path.join(module_dir, "go.mod"), "rb").read()
    m = re.search(rb"^module\s+(\S+)", gomod, re.M)
    if not m:
        return None
    module = m.group(1)
    version = re.search(rb"^go\s+(\S+)", gomod, re.M)
    dirs = []
    for d, subdirs, files in sorted(os.walk(module_dir)):
        subdirs.sort()
        if d != module_dir and os.path.exists(os.path.join(d, "go.mod")):
            subdirs.clear()
            continue
        if any(f.endswith(".go") for f in files):
            dirs.append(d)
    if not dirs:
        return None
    names = {}
    for d, slot in zip(dirs, "abc"):
        rel = os.path.relpath(d, module_dir).replace(os.sep, "/")
        path = module if rel == "." else module + b"/" + rel.encode()
        names[path] = b"m/" + slot.encode()

    def rewrite(src):
        # Longest paths first, so that `m/x/y` is not rewritten as `m/x` plus `/y`.
        for old in sorted(names, key=len, reverse=True):
            src = src.replace(b'"' + old + b'"', b'"' + names[old] + b'"')
        return src

    pieces = {s: b"" for s in SLOTS}
    for d, slot in zip(dirs, "abc"):
        files = sorted(f for f in os.listdir(d) if f.endswith(".go"))
        srcs = [(f, open(os.path.join(d, f), "rb").read()) for f in files]
        own = [s for f, s in srcs if not f.endswith("_test.go")]
        tests = [s for f, s in srcs if f.endswith("_test.go")]
        inpkg = [s for s in tests if not package_name(s).endswith(b"_test")]
        external = [s for s in tests if package_name(s).endswith(b"_test")]
        for name, found in [(".go", own), ("_test.go", inpkg)]:
            key = f"{slot}/{slot}{name}"
            if found and key in pieces:
                pieces[key] = rewrite(found[0])
        if slot == "a" and external:
            pieces["a/x_test.go"] = rewrite(external[0])
    head = b"module m\n\ngo " + (version.group(1) if version else b"1.21") + b"\n"
    return SEP.join([head] + [pieces[s] for s in SLOTS])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "fuzz", "corpus", "run")
    os.makedirs(out, exist_ok=True)
    n = 0
    for d, subdirs, files in sorted(os.walk(os.path.join(ROOT, "fixtures"))):
        subdirs.sort()
        if "go.mod" in files:
            s = seed(d)
            if s:
                name = os.path.relpath(d, os.path.join(ROOT, "fixtures")).replace(os.sep, "-")
                with open(os.path.join(out, name), "wb") as f:
                    f.write(s)
                n += 1
    print(f"{n} seeds in {out}")


if __name__ == "__main__":
    main()
