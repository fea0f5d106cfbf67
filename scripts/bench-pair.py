#!/usr/bin/env python3
"""Compares the speed of two racelens binaries, run in alternation on one corpus.

Usage: scripts/bench-pair.py BIN_A BIN_B [DIR] [ROUNDS] [--parse] [--gap SECONDS]
  DIR:    what to check (default: the Go 1.19 standard library source)
  ROUNDS: pairs of runs (default 30)

Each round runs `racelens check -q -j 2 --exit-zero --format json ./...` once with each
binary, in an order that alternates from round to round, and records the wall time and the
CPU time (user and system, from the kernel's accounting of the child). On a virtual machine
whose speed drifts by 10 % or more from minute to minute, the ratio B/A of one round moves far
less than either time, so the figure to read is the median of those ratios, printed with a
95 % bootstrap interval: an interval that holds 1 says the two builds are not told apart.

With --parse, each round also times `racelens parse -j 2` of the files the check analyses
(from `check --list-files`) with the same binary, and prints each binary's median ratio of
check to parse, the figure issue 5 sets at 3x: two builds that differ in how fast they parse
are then compared on that ratio too.

Every run waits --gap SECONDS first (default 3), as a run started by hand, by an editor or by
CI does: on the virtual machines this is measured on (Firecracker, with the balloon device's
free page reporting), memory a process freed a few seconds ago has been handed back to the
host, and touching it again costs far more than touching memory freed a moment ago. Runs back
to back (--gap 0) measure a warm case users do not see: huge pages, for one, looked an eighth
faster there, and took half as long again with a gap.
"""
import os
import random
import statistics
import subprocess
import sys
import time


def run(cmd, cwd, gap):
    time.sleep(gap)
    start = time.perf_counter()
    child = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(child.pid, 0)
    return time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_stime


def interval(ratios):
    rng = random.Random(1)
    medians = sorted(statistics.median(rng.choices(ratios, k=len(ratios))) for _ in range(2000))
    return medians[50], medians[1949]


def main():
    argv = sys.argv[1:]
    gap = 3.0
    if "--gap" in argv:
        at = argv.index("--gap")
        gap = float(argv[at + 1])
        del argv[at:at + 2]
    args = [a for a in argv if a != "--parse"]
    parse = "--parse" in argv
    if len(args) < 2:
        sys.exit(__doc__)
    bins = [os.path.realpath(args[0]), os.path.realpath(args[1])]
    cwd = args[2] if len(args) > 2 else "/usr/lib/go-1.19/src"
    rounds = int(args[3]) if len(args) > 3 else 30
    check = ["check", "-q", "-j", "2", "--exit-zero", "--format", "json", "./..."]
    files = []
    if parse:
        listed = subprocess.run([bins[0], "check", "--list-files", "./..."], cwd=cwd,
                                capture_output=True, text=True)
        files = listed.stdout.split()
    times = {b: [] for b in bins}
    parses = {b: [] for b in bins}
    for i in range(rounds):
        for b in bins if i % 2 == 0 else bins[::-1]:
            times[b].append(run([b] + check, cwd, gap))
            if parse:
                parses[b].append(run([b, "parse", "-j", "2"] + files, cwd, gap)[0])
    a, b = bins
    for name, k in (("wall", 0), ("cpu", 1), ("system", 2)):
        print("%-7s A %7.1f ms  B %7.1f ms" % (
            name, statistics.median(t[k] for t in times[a]) * 1000,
            statistics.median(t[k] for t in times[b]) * 1000))
    for name, k in (("wall", 0), ("cpu", 1)):
        ratios = [y[k] / x[k] for x, y in zip(times[a], times[b])]
        low, high = interval(ratios)
        print("B/A %s: median %.3f (95 %% interval %.3f-%.3f, %d rounds)" % (
            name, statistics.median(ratios), low, high, rounds))
    if parse:
        for label, binary in (("A", a), ("B", b)):
            ratios = [c[0] / p for c, p in zip(times[binary], parses[binary])]
            print("%s check/parse: median %.2fx (parse %.1f ms)" % (
                label, statistics.median(ratios), statistics.median(parses[binary]) * 1000))


if __name__ == "__main__":
    main()
