//! `concurrent-map-access`: a plain map written by a goroutine and read or written by other
//! code that runs at the same time, without a common lock.

use crate::goroutine_race::{
    diagnostic, one_per_place, other_label, place_text, races, report_handoffs, Other,
};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::AccessKind;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "concurrent-map-access",
        category: Category::Correctness,
        summary: "A map is written by one goroutine and used by another at the same time, without a common lock.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = concat!(
    r#"## What it does

Reports a plain map (a variable or a field) that a goroutine writes (`m[k] = v`, `m[k]++`,
`delete(m, k)`) while code running at the same time reads or writes it, or that a goroutine
reads while that code writes it, when the two accesses hold no common lock. Code running at
the same time is another instance of a goroutine started in a loop, another goroutine
started by the same function, or the starting function itself before it waits for the
goroutine. Goroutines are those of `go` statements, `errgroup.Group.Go`, `sync.WaitGroup.Go`
and `time.AfterFunc`, with the functions of the package they call; so is the starting
function, whose calls of functions of the package that read or write a map it hands them
(`fillAll(seen, keys)`) access that map.

It also reports a function that sends a map, or a value holding one, on a channel to a
goroutine and then writes the map (`it.attrs[k] = v` after `ch <- it`) while the
receiver uses it, or reads it while the receiver writes it: the value belongs to the
receiver once sent.

## Why is this bad?

Go maps are not safe for concurrent use: a write concurrent with any other access is a data
race, and the runtime aborts the whole program with `fatal error: concurrent map writes` (or
`concurrent map read and map write`) when it notices, an error that `recover` cannot catch.

## Example

```go
package p

func use(int) {}

func warm() {
	cache := map[string]int{}
	go func() { cache["a"] = 1 }()
	go func() { use(cache["a"]) }()
}
```

## Use instead

```go
package p

import "sync"

func use(any) {}

func warm() {
	var cache sync.Map
	go func() { cache.Store("a", 1) }()
	go func() {
		v, _ := cache.Load("a")
		use(v)
	}()
}
```

A map guarded by a `sync.Mutex` (or `sync.RWMutex`, reading under `RLock`) held around every
access works as well.

## Known limitations

"#,
    crate::race_finder_limitations!(),
    r#"- Accesses in the package are followed through calls up to three deep. An interface call
  is followed only when the package declares the interface and exactly one named type of
  the package implements it (by method names) and declares the method itself (an in-memory
  store behind the package's `KV`): the package's own implementation, though callers may
  hold others. Calls of other interfaces are not followed.
"#,
    crate::summary_limitations!(),
    r#"- A map field is compared by the variable its selector starts from (`s.m` of the same `s`):
  maps reached through a slice element, another map or a call result are not reported.
- Other methods of a type that may run at the same time as the goroutine are not considered,
  only the function that starts it and the goroutines it starts.
- A map filled before the goroutines start and only read by them is fine and not reported;
  passing the map to a function of a package outside the workspace is not counted as an
  access.
"#,
    crate::handoff_limitations!()
);

fn run(cx: &PackageCx<'_>, out: &mut Vec<Diagnostic>) {
    if !crate::gates::may_start_goroutines(cx) {
        return;
    }
    let Some(m) = cx.model() else {
        return;
    };
    let is_map = |k: AccessKind| matches!(k, AccessKind::MapRead | AccessKind::MapWrite);
    // A map handed over a channel (or held by a value handed over) and still used by the
    // sender.
    report_handoffs(
        cx,
        &CHECK,
        |mine, other| is_map(mine) && is_map(other),
        |kind, name, var, chan| {
            if kind == AccessKind::MapWrite {
                format!("map `{name}` is written after `{var}` was sent on `{chan}`, while the receiving goroutine may access it")
            } else {
                format!("map `{name}` is read after `{var}` was sent on `{chan}`, while the receiving goroutine writes it")
            }
        },
        out,
    );
    let found = races(cx, |mine, other| is_map(mine) && is_map(other));
    for race in one_per_place(found, m) {
        let name = place_text(cx, m, race.mine.access);
        let writes = m.access(race.mine.access).kind == AccessKind::MapWrite;
        let message = match (race.with, writes) {
            (Other::SameGoroutine, _) => format!(
                "map `{name}` is written by {} without a common lock",
                crate::goroutine_race::instances(m, race.spawn)
            ),
            (_, true) => format!(
                "map `{name}` is written by a goroutine while other code may access it, without a common lock"
            ),
            (_, false) => format!(
                "map `{name}` is read by a goroutine while other code may write it, without a common lock"
            ),
        };
        out.push(diagnostic(
            cx,
            m,
            &race,
            &CHECK,
            message,
            other_label(m, &race),
            format!("guard every access to `{name}` with one mutex, or use a `sync.Map`"),
        ));
    }
}
