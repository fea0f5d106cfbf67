#!/usr/bin/env python3
"""How racelens scales on large generated packages: each shape below, at N and 4N functions.

Usage: scripts/bench-scaling.py [BIN] [N] [SHAPE ...]
  BIN:   the racelens binary (default: target/release/racelens, built here)
  N:     functions of the smaller package (default 5000)
  SHAPE: only these shapes (default: all)

For each shape, writes a module with one package of N functions (or methods, or tests) in
one file, and another of 4N (the shapes named `long-...`: one function of N groups of
statements; `wide-...`: one type of N fields, one handler of N package variables, one
goroutine and its spawner, or eight sibling goroutines, making N² pairs of accesses to one
variable, two methods accessing one field N times each, an interface of N methods, one
function holding N locks at once, N reports on one line, a goroutine's variable read N
times after a sleep, a goroutine writing N fields that N methods read under the lock, or
one field N times that N methods read under the lock, or a goroutine started in a loop
calling N helpers that each write a package variable;
`deep-...`: one selector through N nested struct values, a dereference or an index N levels
deep, N function literals nested in one another, started as goroutines or called in place,
N loops nested in one another, or N nested parallel subtests),
runs `racelens check -j 1 --exit-zero ./...` on each (the best of three runs; the output
format is BENCH_FORMAT's, json by default, or sarif, github or text), and prints
both times, the number of reports and the ratio of the times. A linear run has a ratio near
4; a quadratic one near 16. Each shape puts many instances of what one check looks for in one
package, where a check that scans the whole package for every candidate would cost the
package's size squared (generated code does this: protocol buffers, mocks, tables of
handlers), or that walks a whole function for each candidate in it would cost the function's
size squared (long generated functions, table-driven tests).
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The output format timed: json (default), sarif, github or text.
FORMAT = os.environ.get("BENCH_FORMAT", "json")

HEAD = """package h

import (
\t"net/http"
\t"sync"
\t"sync/atomic"
\t"testing"
\t"time"
)

var _ = http.HandleFunc
var _ testing.T
var _ = time.Sleep

type S struct {
\tmu sync.RWMutex
\tm  map[int]int
\tn  int
\tc  int64
\tv  atomic.Value
\tsm sync.Map
}

var g = map[int]int{}
var s S
var list []int
"""


def goroutines(i, n):
    # A goroutine per function, each function calling the next: the race finder's queries.
    return f"""
func F{i}(x int) {{
\tvar wg sync.WaitGroup
\twg.Add(1)
\tgo func() {{
\t\tdefer wg.Done()
\t\ts.mu.Lock()
\t\ts.m[x] = {i}
\t\ts.mu.Unlock()
\t\tg[x] = {i}
\t\tlist = append(list, x)
\t}}()
\ts.n++
\tF{(i + 1) % n}(x)
\twg.Wait()
}}
"""


def methods(i, n):
    # Methods of one type that lock, forget to, and write under a read lock.
    return f"""
func (s *S) G{i}(x int) int {{
\ts.mu.Lock()
\tdefer s.mu.Unlock()
\ts.n += x
\ts.m[x] = {i}
\treturn s.n
}}

func (s *S) U{i}(x int) int {{
\treturn s.n + s.m[x]
}}

func (s *S) R{i}(x int) {{
\ts.mu.RLock()
\ts.m[x] = 1
\ts.mu.RUnlock()
}}
"""


def helpers(i, n):
    # Unexported helpers called with the read lock held, and their callers.
    return f"""
func (s *S) fill{i}(x int) {{
\ts.m[x] = {i}
}}

func (s *S) Get{i}(x int) int {{
\ts.mu.RLock()
\tdefer s.mu.RUnlock()
\ts.fill{i}(x)
\treturn s.m[x]
}}
"""


def atomics(i, n):
    # Fields and variables used with sync/atomic and plainly.
    return f"""
var c{i} int64

func A{i}() int64 {{
\tatomic.AddInt64(&c{i}, 1)
\tatomic.AddInt64(&s.c, 1)
\treturn c{i} + s.c
}}
"""


def snapshots(i, n):
    # Values published with atomic.Value and sync.Map check-then-act.
    return f"""
func P{i}(k int) {{
\tm := map[int]int{{k: {i}}}
\ts.v.Store(m)
\tm[k] = 2
\tif _, ok := s.sm.Load(k); !ok {{
\t\ts.sm.Store(k, {i})
\t}}
\tcur := s.v.Load().(map[int]int)
\tcur[k] = 3
}}
"""


def tests(i, n):
    # Parallel subtests in loops sharing the parent's state.
    return f"""
func TestP{i}(t *testing.T) {{
\tcount := 0
\tfor _, c := range []int{{1, 2, 3}} {{
\t\tt.Run("x", func(t *testing.T) {{
\t\t\tt.Parallel()
\t\t\tcount += c
\t\t}})
\t}}
\tfor j := 0; j < 3; j++ {{
\t\tgo func() {{ _ = j }}()
\t}}
}}
"""


def handlers(i, n):
    # HTTP handlers writing shared state.
    return f"""
type H{i} struct{{ hits int }}

func (h *H{i}) ServeHTTP(w http.ResponseWriter, r *http.Request) {{
\th.hits++
\tg[{i}]++
}}

func init() {{
\thttp.HandleFunc("/{i}", func(w http.ResponseWriter, r *http.Request) {{ s.n++ }})
}}
"""


def captures(i, n):
    # Locals captured by goroutines and wait groups added inside them.
    return f"""
func C{i}() (err error) {{
\tn := 0
\tvar wg sync.WaitGroup
\tfor j := 0; j < 3; j++ {{
\t\tgo func() {{
\t\t\twg.Add(1)
\t\t\tdefer wg.Done()
\t\t\tn++
\t\t\terr = nil
\t\t}}()
\t}}
\tn++
\twg.Wait()
\treturn err
}}
"""


def long_read_locks(i):
    # Read-locked sections, some writing, in one function: write-under-read-lock.
    return f"""
\ts.mu.Lock()
\ts.m[x] = {i}
\ts.mu.Unlock()
\tif x == {i} {{
\t\ts.mu.RLock()
\t\ts.m[x]++
\t\ts.mu.RUnlock()
\t}}
"""


def long_check_then_act(i):
    # Lost updates of many keys in one function, through a sync.Map and through a map
    # read and written in two lock sections: sync-map-check-then-act.
    return f"""
\tif v, ok := s.sm.Load({i}); ok {{
\t\ts.sm.Store({i}, v.(int)+x)
\t}}
\ts.mu.Lock()
\tv{i}, ok{i} := s.m[{i}]
\ts.mu.Unlock()
\tif ok{i} {{
\t\ts.mu.Lock()
\t\ts.m[{i}] = v{i} + x
\t\ts.mu.Unlock()
\t}}
"""


def long_same_key(i):
    # Checks and stores of one key, many times in one function, through a sync.Map and
    # through a map read and written in two lock sections: sync-map-check-then-act.
    return f"""
\tif _, ok := s.sm.Load(x); !ok {{
\t\ts.sm.Store(x, {i})
\t}}
\ts.mu.Lock()
\t_, ok{i} := s.m[x]
\ts.mu.Unlock()
\tif !ok{i} {{
\t\ts.mu.Lock()
\t\ts.m[x] = {i}
\t\ts.mu.Unlock()
\t}}
"""


def long_subtests(i):
    # Parallel subtests of one test sharing its variable: parallel-test-shared-state.
    return f"""
\tt.Run("{i}", func(t *testing.T) {{
\t\tt.Parallel()
\t\tcount += {i}
\t}})
"""


def long_snapshot_writes(i):
    # Writes to a published value, to a loaded snapshot and to a shallow copy of one, in one
    # function: published-snapshot-mutation.
    return f"""
\tp.n = {i}
\tq.m[x] = {i}
\tc.m[{i}] = x
"""


# One function of N groups of statements: (its header, a group, its end).
LONG = {
    "long-read-locks": ("func Long(x int) {\n", long_read_locks, "}\n"),
    "long-check-then-act": ("func Long(x int) {\n", long_check_then_act, "}\n"),
    "long-same-key": ("func Long(x int) {\n", long_same_key, "}\n"),
    # One loop starting N goroutines that capture its variable: loop-variable-capture.
    "long-loop-goroutines": (
        "func Long(xs []int) {\n\tfor _, v := range xs {\n",
        lambda i: f"\t\tgo func() {{ _ = v + {i} }}()\n",
        "\t}\n}\n",
    ),
    # One loop starting N goroutines in one block ended by a `return`: the model's question
    # whether a `go` statement is followed by a `return` (a looped start or not).
    "long-go-then-return": (
        "func Long(xs []int) int {\n\tfor range xs {\n",
        lambda i: f"\t\tgo func() {{ _ = {i} }}()\n",
        "\t\treturn 0\n\t}\n\treturn 1\n}\n",
    ),
    # One goroutine, then N selects each waiting for it in one clause and giving up in the
    # other, which assigns what the goroutine assigns: the race finder's question whether an
    # access in a clause or after a select is covered by a wait.
    "long-selects": (
        "func Long(x int) {\n\tdone := make(chan struct{})\n"
        "\tgo func() {\n\t\tx = 1\n\t\tclose(done)\n\t}()\n",
        lambda i: f"\tselect {{\n\tcase <-done:\n\tcase <-time.After(1):\n\t\tx = {i}\n\t}}\n",
        "}\n",
    ),
    # Goroutines started in a loop each assigning an element, then N reads of elements
    # before the wait: captured-variable-race's element pairs.
    "long-element-reads": (
        "func Long(xs []int) int {\n\tres := make([]int, len(xs))\n\tvar wg sync.WaitGroup\n"
        "\tfor i := range xs {\n\t\twg.Add(1)\n"
        "\t\tgo func(i int) {\n\t\t\tdefer wg.Done()\n\t\t\tres[i] = i\n\t\t}(i)\n\t}\n"
        "\tt := 0\n",
        lambda i: f"\tt += res[{i}]\n",
        "\twg.Wait()\n\treturn t\n}\n",
    ),
    # N double-checked initialisations in one function, each behind the last's lock
    # sections: double-checked-locking's question whether a lock is held at each check.
    "long-double-checks": (
        "func Long() {\n",
        lambda i: f"\tif s.n == {i} {{\n\t\ts.mu.Lock()\n\t\tif s.n == {i} {{\n\t\t\ts.n = {i + 1}\n\t\t}}\n\t\ts.mu.Unlock()\n\t}}\n",
        "}\n",
    ),
    "long-snapshot-writes": (
        "func Long(x int) {\n\tp := &S{}\n\ts.v.Store(p)\n\tq := s.v.Load().(*S)\n"
        "\tc := *s.v.Load().(*S)\n",
        long_snapshot_writes,
        "}\n",
    ),
    # One goroutine writing a captured variable, then N deferred literals writing it with
    # a lock held: the pairs' question whether the function takes that lock elsewhere.
    "long-deferred-literals": (
        "func Long(x int) {\n\tgo func() { x++ }()\n",
        lambda i: f"\ts.mu.Lock()\n\tdefer s.mu.Unlock()\n\tdefer func() {{ x = {i} }}()\n",
        "}\n",
    ),
    # One function starting N goroutines that each call `Add` on its wait group inside:
    # wait-group-add-in-goroutine's search for an `Add` before each and a `Wait` outside it.
    "long-add-in-goroutines": (
        "func Long() {\n\tvar wg sync.WaitGroup\n",
        lambda i: f"\tgo func() {{\n\t\twg.Add(1)\n\t\tdefer wg.Done()\n\t\ts.n = {i}\n\t}}()\n",
        "\twg.Wait()\n}\n",
    ),
    "long-subtests": (
        "func TestLong(t *testing.T) {\n\tcount := 0\n",
        long_subtests,
        "\t_ = count\n}\n",
    ),
}

def wide_fields(n):
    # A type of N fields, written under its mutex by one method and read without it by
    # another: unguarded-field-access.
    fields = "".join(f"\tf{i} int\n" for i in range(n))
    sets = "".join(f"\tt.f{i} = x\n" for i in range(n))
    gets = "".join(f"\tx += t.f{i}\n" for i in range(n))
    return (
        f"type T struct {{\n\tmu sync.Mutex\n{fields}}}\n\n"
        f"func (t *T) Set(x int) {{\n\tt.mu.Lock()\n\tdefer t.mu.Unlock()\n{sets}}}\n\n"
        f"func (t *T) Get() (x int) {{\n{gets}\treturn\n}}\n"
    )


def wide_handler(n, one_line=False):
    # A handler writing N package variables: concurrent-handler-state. With one_line, all
    # on one line: N reports on one line of N statements, whose columns and fingerprints
    # the renderers work out (`wide-line`; run with BENCH_FORMAT=sarif or github to time
    # those).
    vars_ = "".join(f"var h{i} int\n" for i in range(n))
    if one_line:
        body = " " + "; ".join(f"h{i}++" for i in range(n)) + " "
    else:
        body = "\n" + "".join(f"\th{i}++\n" for i in range(n))
    return (
        f"{vars_}\nfunc handle(w http.ResponseWriter, r *http.Request) {{{body}}}\n\n"
        "func init() { http.HandleFunc(\"/\", handle) }\n"
    )


def wide_background(n):
    # A goroutine rewriting N package variables in its loop, and N handlers reading one
    # each: concurrent-handler-state's pairs of background writes and handler reads.
    vars_ = "".join(f"var b{i} int\n" for i in range(n))
    writes = "".join(f"\t\tb{i} = {i}\n" for i in range(n))
    handlers = "".join(
        f"func hb{i}(w http.ResponseWriter, r *http.Request) {{ _ = b{i} }}\n" for i in range(n)
    )
    regs = "".join(f'\thttp.HandleFunc("/{i}", hb{i})\n' for i in range(n))
    return (
        f"{vars_}\nfunc loop() {{\n\tfor {{\n{writes}\t}}\n}}\n\n{handlers}\n"
        f"func init() {{\n\tgo loop()\n{regs}}}\n"
    )


def wide_stop_flags(n):
    # A type of N flags, a goroutine its Start method starts polling each, and N exported
    # methods setting one each: captured-variable-race's polls against other methods.
    fields = "".join(f"\tf{i} bool\n" for i in range(n))
    polls = "".join(f"\t\t\tif p.f{i} {{\n\t\t\t\treturn\n\t\t\t}}\n" for i in range(n))
    stops = "".join(f"func (p *P) Stop{i}() {{ p.f{i} = true }}\n" for i in range(n))
    return (
        f"type P struct {{\n{fields}}}\n\n"
        f"func (p *P) Start() {{\n\tgo func() {{\n\t\tfor {{\n{polls}\t\t}}\n\t}}()\n}}\n\n"
        f"{stops}"
    )


def wide_pairs(n):
    # A goroutine assigning a captured variable 3N times while its spawner reads it N times:
    # 3N² conflicting pairs of one variable (captured-variable-race).
    writes = "".join(f"\t\tx = {i}\n" for i in range(3 * n))
    reads = "".join(f"\ts += x * {i}\n" for i in range(n))
    return (
        "func Pairs(x int) int {\n\tvar wg sync.WaitGroup\n\ts := 0\n\twg.Add(1)\n"
        f"\tgo func() {{\n\t\tdefer wg.Done()\n{writes}\t}}()\n{reads}"
        "\twg.Wait()\n\treturn s\n}\n"
    )


def wide_siblings(n):
    # Eight goroutines started side by side, each assigning one captured variable N/4 times:
    # 56 (N/4)² conflicting pairs between siblings (captured-variable-race).
    body = "".join(f"\t\tx = {i}\n" for i in range(max(n // 4, 1)))
    start = f"\twg.Add(1)\n\tgo func() {{\n\t\tdefer wg.Done()\n{body}\t}}()\n"
    return (
        "func Siblings(x int) int {\n\tvar wg sync.WaitGroup\n"
        f"{start * 8}\twg.Wait()\n\treturn x\n}}\n"
    )


def wide_guarded_writes(n):
    # A method writing one field under the lock N times, and another reading it N times
    # without: unguarded-field-access.
    sets = "".join(f"\ts.mu.Lock()\n\ts.n = {i}\n\ts.mu.Unlock()\n" for i in range(n))
    gets = "".join(f"\tx += s.n * {i}\n" for i in range(n))
    return (
        f"func (s *S) Set() {{\n{sets}}}\n\n"
        f"func (s *S) Get() (x int) {{\n{gets}\treturn\n}}\n"
    )


def wide_sleep_reads(n):
    # A goroutine assigning a captured variable once, and its spawner reading it N times after
    # a sleep, then N times more in a loop that only sleeps: each read asks what lies between
    # the start and it (captured-variable-race's reads after nothing but sleeps).
    reads = "".join(f"\ts += x * {i}\n" for i in range(n))
    looped = "".join(f"\t\ts += x * {i}\n" for i in range(n))
    return (
        "func Sleeps(x int) int {\n\ts := 0\n\tgo func() {\n\t\tx = 1\n\t}()\n"
        f"\ttime.Sleep(1)\n{reads}\tfor s < 0 {{\n{looped}\t\ttime.Sleep(1)\n\t}}\n"
        "\treturn s\n}\n"
    )


def wide_polls(n, shared=False):
    # A goroutine polling N flags in its loop, and its spawner assigning each after a call:
    # captured-variable-race's polls, each asking which calls lie between the start and the
    # write. With `shared`, each call is given the flag assigned next, a variable the
    # goroutine uses: every write but the first follows a call that may synchronise.
    flags = "".join(f"\tvar f{i} bool\n" for i in range(n))
    polls = "".join(f"\t\t\tif f{i} {{\n\t\t\t\treturn\n\t\t\t}}\n" for i in range(n))
    arg = "f{i}" if shared else "{i}"
    writes = "".join(f"\tstep({arg.format(i=i)})\n\tf{i} = true\n" for i in range(n))
    return (
        f"func step(any) {{}}\n\nfunc Polls() {{\n{flags}\tgo func() {{\n\t\tfor {{\n"
        f"{polls}\t\t\tstep(0)\n\t\t}}\n\t}}()\n{writes}}}\n"
    )


def wide_goroutine_fields(n, one_field=False):
    # A type of N fields that a goroutine started by a method writes without the lock, and
    # N exported methods reading one each with the lock held: N reports of
    # unguarded-field-access on the evidence of guarded reads. With `one_field`, the
    # goroutine writes one field N times and every method reads that one: the guarded reads
    # that are evidence for each write (one report).
    field = (lambda i: "f0") if one_field else (lambda i: f"f{i}")
    fields = "".join(f"\t{field(i)} int\n" for i in range(1 if one_field else n))
    writes = "".join(f"\t\tp.{field(i)} = {i}\n" for i in range(n))
    gets = "".join(
        f"func (p *P) F{i}() int {{\n\tp.mu.Lock()\n\tdefer p.mu.Unlock()\n\treturn p.{field(i)}\n}}\n\n"
        for i in range(n)
    )
    return (
        f"type P struct {{\n\tmu sync.Mutex\n{fields}}}\n\n"
        f"func (p *P) Run() {{\n\tgo func() {{\n{writes}\t}}()\n}}\n\n{gets}"
    )


def wide_package_helpers(n):
    # N helpers, each writing its own package variable, all called by a goroutine started in
    # a loop: N reports of captured-variable-race, each asking whether the helper is one call
    # from the goroutine.
    vars_ = "".join(f"var pv{i} int\n" for i in range(n))
    helpers = "".join(f"func setPv{i}() {{\n\tpv{i}++\n}}\n\n" for i in range(n))
    calls = "".join(f"\t\t\tsetPv{i}()\n" for i in range(n))
    return (
        f"{vars_}\n{helpers}func Start() {{\n\tfor i := 0; i < 4; i++ {{\n"
        f"\t\tgo func() {{\n{calls}\t\t}}()\n\t}}\n}}\n"
    )


def wide_interface(n):
    # An interface of N methods, each called once through a goroutine's parameter: the type
    # checker's method lookups.
    ms = "".join(f"\tM{i}() int\n" for i in range(n))
    calls = "".join(f"\t\t_ = i.M{i}()\n" for i in range(n))
    return f"type I interface {{\n{ms}}}\n\nfunc Calls(i I) {{\n\tgo func() {{\n{calls}\t}}()\n}}\n"


def wide_held_locks(n):
    # N mutexes taken one after another, each before a write, then released, in a function
    # that starts a goroutine: N accesses, each with the locks held at it (up to N).
    vars_ = "".join(f"var lm{i} sync.Mutex\nvar lx{i} int\n" for i in range(n))
    take = "".join(f"\tlm{i}.Lock()\n\tlx{i} = 1\n" for i in range(n))
    free = "".join(f"\tlm{i}.Unlock()\n" for i in range(n))
    return f"{vars_}\nfunc Held() {{\n{take}{free}\tgo func() {{ lx0++ }}()\n}}\n"


def wide_branch_locks(n, read=False):
    # N mutexes, each taken in an `if` of its own and never released, each `if` followed by a
    # write of one of eight variables a goroutine also writes: N accesses, the i-th holding
    # up to i locks (sets that share their nodes; going through each set whole is N²). With
    # `read`, read locks of N `RWMutex`es: each write is made under read locks only.
    kind, take = ("sync.RWMutex", "RLock") if read else ("sync.Mutex", "Lock")
    vars_ = "".join(f"var bm{i} {kind}\n" for i in range(n))
    body = "".join(
        f"\tif x == {i} {{\n\t\tbm{i}.{take}()\n\t}}\n\tbs{i % 8} = {i}\n" for i in range(n)
    )
    return (
        f"var bs0, bs1, bs2, bs3, bs4, bs5, bs6, bs7 int\n{vars_}\nfunc Branches(x int) {{\n"
        "\tgo func() { bs0++; bs1++; bs2++; bs3++; bs4++; bs5++; bs6++; bs7++ }()\n"
        f"{body}}}\n"
    )


def deep_field_path(n):
    # A selector through N nested struct values (each type the value of the last one's
    # field), assigned by a goroutine and its spawner: the model's field paths.
    types = "".join(f"type D{i} struct {{ next D{i + 1} }}\n" for i in range(n))
    path = "root" + ".next" * n + ".v"
    return (
        f"{types}type D{n} struct {{ v int }}\n\n"
        f"func Deep() {{\n\tvar root D0\n\tgo func() {{ {path} = 1 }}()\n\t{path} = 2\n}}\n"
    )


def deep_star(n):
    # A dereference through N pointers, by a goroutine and its spawner: the type checker's
    # question whether an expression is a type, asked at each level.
    stars = "*" * n
    return (
        f"var pp {stars}int\n\n"
        f"func Deep() {{\n\tgo func() {{ {stars}pp = 1 }}()\n\t{stars}pp = 2\n}}\n"
    )


def deep_index(n):
    # An element N indexes deep, the same with indexes.
    index = "[0]" * n
    return (
        f"var grid {'[]' * n}int\n\n"
        f"func Deep() {{\n\tgo func() {{ grid{index} = 1 }}()\n\tgrid{index} = 2\n}}\n"
    )


def deep_go(n):
    # N function literals, each started as a goroutine inside the last: the model's and the
    # race finder's questions about the functions a literal is written in.
    return (
        "var vv int\n\nfunc Deep() {\n"
        + "go func() {\n" * n
        + "vv = 1\n"
        + "}()\n" * n
        + "vv = 2\n}\n"
    )


def deep_inline(n):
    # N function literals, each called in place inside the last.
    return (
        "var vv int\n\nfunc Deep() {\n\tgo func() { vv = 1 }()\n\tvv = "
        + "func() int { return " * n
        + "2"
        + " }()" * n
        + "\n}\n"
    )


def deep_loops(n):
    # N loops nested in one another, each starting a goroutine that captures its variable:
    # loop-variable-capture's search for the waits of each loop.
    return (
        "func Deep(xs []int) {\n"
        + "".join(f"for _, v{i} := range xs {{\ngo func() {{ _ = v{i} }}()\n" for i in range(n))
        + "}\n" * n
        + "}\n"
    )


def deep_subtests(n):
    # N parallel subtests nested in one another, each writing the test's variable: the
    # captures name resolution lists for each literal.
    return (
        "func TestDeep(t *testing.T) {\n\tcount := 0\n"
        + 't.Run("x", func(t *testing.T) {\nt.Parallel()\ncount++\n' * n
        + "})\n" * n
        + "}\n"
    )


# Whole files of N fields or variables, or of N² pairs of accesses, or one expression or
# nesting N levels deep.
WIDE = {
    "wide-fields": wide_fields,
    "wide-handler": wide_handler,
    "wide-pairs": wide_pairs,
    "wide-siblings": wide_siblings,
    "wide-guarded-writes": wide_guarded_writes,
    "wide-interface": wide_interface,
    "wide-package-helpers": wide_package_helpers,
    "wide-sleep-reads": wide_sleep_reads,
    "wide-polls": wide_polls,
    "wide-background": wide_background,
    "wide-stop-flags": wide_stop_flags,
    "wide-polls-shared": lambda n: wide_polls(n, shared=True),
    "wide-goroutine-fields": wide_goroutine_fields,
    "wide-goroutine-writes": lambda n: wide_goroutine_fields(n, one_field=True),
    "wide-held-locks": wide_held_locks,
    "wide-branch-locks": wide_branch_locks,
    "wide-branch-rlocks": lambda n: wide_branch_locks(n, read=True),
    "wide-line": lambda n: wide_handler(n, one_line=True),
    "deep-field-path": deep_field_path,
    "deep-star": deep_star,
    "deep-index": deep_index,
    "deep-go": deep_go,
    "deep-inline": deep_inline,
    "deep-loops": deep_loops,
    "deep-subtests": deep_subtests,
}

SHAPES = {
    "goroutines": goroutines,
    "methods": methods,
    "helpers": helpers,
    "atomics": atomics,
    "snapshots": snapshots,
    "tests": tests,
    "handlers": handlers,
    "captures": captures,
    **{name: None for name in LONG},
    **{name: None for name in WIDE},
}


def write(dir, shape, n):
    with open(os.path.join(dir, "go.mod"), "w") as f:
        f.write("module h\n\ngo 1.21\n")
    name = "h_test.go" if shape in ("tests", "long-subtests", "deep-subtests") else "h.go"
    with open(os.path.join(dir, name), "w") as f:
        f.write(HEAD)
        if shape in WIDE:
            f.write(WIDE[shape](n))
        elif shape in LONG:
            head, group, end = LONG[shape]
            f.write(head)
            f.writelines(group(i) for i in range(n))
            f.write(end)
        else:
            f.writelines(SHAPES[shape](i, n) for i in range(n))


def check(bin, dir):
    best, reports = None, 0
    for _ in range(3):
        start = time.perf_counter()
        out = subprocess.run(
            [bin, "check", "-q", "-j", "1", "--exit-zero", "--format", FORMAT, "./..."],
            cwd=dir, capture_output=True, check=True,
        ).stdout
        took = time.perf_counter() - start
        doc = json.loads(out) if FORMAT in ("json", "sarif") else None
        if FORMAT == "json":
            reports = len(doc["diagnostics"])
        elif FORMAT == "sarif":
            reports = len(doc["runs"][0]["results"])
        else:
            reports = out.count(b"\n::") + out.startswith(b"::")
        best = took if best is None else min(best, took)
    return best, reports


def main():
    args = sys.argv[1:]
    bin = os.path.join(ROOT, "target", "release", "racelens")
    if args and not args[0].isdigit() and args[0] not in SHAPES:
        bin = os.path.abspath(args.pop(0))
    else:
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "racelens"], cwd=ROOT, check=True)
    n = int(args.pop(0)) if args and args[0].isdigit() else 5000
    shapes = args or list(SHAPES)
    print(f"{'shape':12} {'N':>7} {'time':>9} {'reports':>8} {'4N':>7} {'time':>9} {'reports':>8} {'ratio':>6}")
    for shape in shapes:
        row = []
        for size in (n, 4 * n):
            with tempfile.TemporaryDirectory() as d:
                write(d, shape, size)
                took, reports = check(bin, d)
            row.append((size, took, reports))
        (n1, t1, r1), (n4, t4, r4) = row
        print(f"{shape:12} {n1:>7} {t1 * 1000:>7.0f}ms {r1:>8} {n4:>7} {t4 * 1000:>7.0f}ms {r4:>8} {t4 / t1:>6.1f}")


if __name__ == "__main__":
    main()
