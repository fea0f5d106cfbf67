#!/usr/bin/env python3
"""Scores racelens on a recall probe corpus (probes/ by default): bug_NN packages carry
// RACE and // RACE-ALSO marks on the two conflicting accesses, ok_NN packages are correct.
Usage: scripts/probes.py BIN [DIR] [-v]"""
import json, os, re, subprocess, sys, collections
args = [a for a in sys.argv[1:] if a != "-v"]
binp = os.path.abspath(args[0])
root = args[1] if len(args) > 1 else os.path.join(os.path.dirname(__file__), "..", "probes")
out = subprocess.run([binp, "check", "--select", "all", "--format", "json", "--exit-zero", "./..."],
                     cwd=root, capture_output=True, text=True)
doc = json.loads(out.stdout)
marks = collections.defaultdict(dict)  # dir -> {(file,line): kind}
for d in sorted(os.listdir(root)):
    p = os.path.join(root, d)
    if not os.path.isdir(p): continue
    for f in os.listdir(p):
        if not f.endswith(".go"): continue
        for i, line in enumerate(open(os.path.join(p, f)), 1):
            m = re.search(r"//\s*(RACE(-ALSO)?)\b", line)
            if m: marks[d][(f"{d}/{f}", i)] = m.group(1)
by_dir = collections.defaultdict(list)
for dg in doc["diagnostics"]:
    path = dg["location"]["path"]
    by_dir[path.split("/")[0]].append(dg)
found = related = 0; missed = []; fps = []
bugs = sorted(d for d in os.listdir(root) if d.startswith("bug_"))
oks = sorted(d for d in os.listdir(root) if d.startswith("ok_"))
for d in bugs:
    ds = by_dir.get(d, [])
    prim = {(x["location"]["path"], x["location"]["start"]["line"]) for x in ds}
    rel = {(r["location"]["path"], r["location"]["start"]["line"]) for x in ds for r in x.get("related", [])}
    mk = set(marks[d])
    if prim & mk: found += 1; tag = "FOUND"
    elif (rel & mk) or ds: related += 1; tag = "OTHER"
    else: missed.append(d); tag = "MISS"
    if "-v" in sys.argv:
        print(d, tag, [(x["check"], x["location"]["start"]["line"]) for x in ds])
for d in oks:
    ds = by_dir.get(d, [])
    if ds:
        fps.append(d)
        if "-v" in sys.argv:
            print(d, "FALSE", [(x["check"], x["location"]["path"], x["location"]["start"]["line"], x["message"]) for x in ds])
print(f"bugs found at a marked line: {found}/{len(bugs)}; reported elsewhere: {related}; missed: {missed}")
print(f"correct programs reported: {len(fps)}/{len(oks)} {fps}")
