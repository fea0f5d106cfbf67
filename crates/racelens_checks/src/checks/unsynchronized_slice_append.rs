//! `unsynchronized-slice-append`: `s = append(s, x)` in a goroutine while another instance of
//! it, its spawner before the join, or a goroutine started next to it uses the same slice
//! variable or field without a common lock.

use crate::goroutine_race::{diagnostic, one_per_place, place_text, races, report_handoffs, Other};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::AccessKind;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "unsynchronized-slice-append",
        category: Category::Correctness,
        summary:
            "A slice is appended to by a goroutine while other code uses it, without a common lock.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = concat!(
    r#"## What it does

Reports `s = append(s, x)` on a slice variable or field shared between a goroutine and code
that runs at the same time, when the two do not hold a common lock: goroutines started in a
loop appending to the same slice, two goroutines started by one function, or a goroutine and
the function that started it before that function waits for it (`wg.Wait()`, the group's
`Wait`, a receive from a channel the goroutine sends on or closes). Goroutines are those of
`go` statements, `errgroup.Group.Go`, `sync.WaitGroup.Go` and `time.AfterFunc`, including
methods and functions they call in the same package.

It also reports a function that sends a value on a channel to a goroutine and then
appends to a slice field of it (`it.tags = append(it.tags, x)` after `ch <- it`), or
uses one the receiver appends to: the value belongs to the receiver once sent.

## Why is this bad?

`append` reads the slice header, may allocate a new array, copies and writes the header
back. Two goroutines appending at once lose elements, or write into the same array slot; a
reader may see a header whose length runs past the array it knows. The race detector only
sees this when a test happens to run the goroutines together.

## Example

```go
package p

import "sync"

type Item struct{}
type Result struct{}

func process(Item) Result { return Result{} }

func collect(items []Item) []Result {
	var results []Result
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item Item) {
			defer wg.Done()
			results = append(results, process(item))
		}(item)
	}
	wg.Wait()
	return results
}
```

## Use instead

```go
package p

import "sync"

type Item struct{}
type Result struct{}

func process(Item) Result { return Result{} }

func collect(items []Item) []Result {
	var mu sync.Mutex
	var results []Result
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item Item) {
			defer wg.Done()
			result := process(item)
			mu.Lock()
			results = append(results, result)
			mu.Unlock()
		}(item)
	}
	wg.Wait()
	return results
}
```

Writing `results[i] = process(item)` into a slice made with `make([]Result, len(items))`, or
sending the results on a channel that one goroutine collects, also works.

## Known limitations

"#,
    crate::race_finder_limitations!(),
    r#"- Accesses in the package are followed through calls up to three deep; interface calls are
  not.
"#,
    crate::summary_limitations!(),
    r#"- A field is compared by the variable its selector starts from (`s.results` of the same `s`):
  fields reached through a slice element, a map value or a call result are not reported.
- Only `x = append(x, ...)` on a variable or field is an append: an append through a pointer
  (`*dst = append(*dst, v)`) or to a slice held in a map or slice element is not seen.
- Other methods of a type that may run at the same time as the goroutine (called by other
  goroutines of the program) are not considered, only the function that starts it.
- Synchronisation other than locks, wait groups, errgroups and channels (`sync.Cond`,
  `sync.Once` from two sides, atomic flags used as locks) is not understood and may hide or
  cause a report.
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
    let slice_access = |k: AccessKind| {
        matches!(
            k,
            AccessKind::Append
                | AccessKind::Read
                | AccessKind::Write
                | AccessKind::ElemRead
                | AccessKind::ElemWrite
        )
    };
    let wanted = |mine: AccessKind, other: AccessKind| {
        (mine == AccessKind::Append || other == AccessKind::Append)
            && slice_access(mine)
            && slice_access(other)
    };
    // A value handed over a channel and still appended to (or used) by the sender.
    report_handoffs(
        cx,
        &CHECK,
        wanted,
        |kind, name, var, chan| {
            if kind == AccessKind::Append {
                format!("`{name}` is appended to after `{var}` was sent on `{chan}`, while the receiving goroutine uses it")
            } else {
                format!("`{name}` is used after `{var}` was sent on `{chan}`, while the receiving goroutine appends to it")
            }
        },
        out,
    );
    let found = races(cx, wanted);
    for race in one_per_place(found, m) {
        let name = place_text(cx, m, race.mine.access);
        let mine_appends = m.access(race.mine.access).kind == AccessKind::Append;
        let other_appends = m.access(race.other.access).kind == AccessKind::Append;
        let message = match (race.with, mine_appends) {
            (Other::SameGoroutine | Other::Goroutine(_), true) => {
                format!("`{name}` is appended to by concurrent goroutines without a common lock")
            }
            (Other::Spawner, true) => format!(
                "`{name}` is appended to by a goroutine while the function that started it uses it, without a common lock"
            ),
            (_, false) => format!(
                "`{name}` is used by a goroutine while it is appended to concurrently, without a common lock"
            ),
        };
        let label = if other_appends {
            "concurrent append here"
        } else {
            "concurrent use here"
        };
        out.push(diagnostic(
            cx,
            m,
            &race,
            &CHECK,
            message,
            label,
            format!(
                "guard every use of `{name}` with one mutex, write to a preallocated index, or collect the results through a channel"
            ),
        ));
    }
}
