//! `unsynchronized-slice-append`: `s = append(s, x)` in a goroutine while another instance of
//! it, its spawner before the join, or a goroutine started next to it uses the same slice
//! variable or field without a common lock.

use crate::goroutine_race::{diagnostic, one_per_place, place_text, races, report_handoffs, Other};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, AccessKind, FuncIx, Model, PlaceId};

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
uses one the receiver appends to: the value belongs to the receiver once sent. And a slice
field sent to a goroutine of the package and then resliced onto the same array (`b.out <-
b.buf; b.buf = b.buf[:0]`, to keep the allocation): the next append to the field, in the
next call, overwrites the elements the receiver may still be reading.

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
    r#"- Accesses in the package are followed through calls up to three deep. An interface call
  is followed only when the package declares the interface and exactly one named type of
  the package implements it (by method names) and declares the method itself (an in-memory
  store behind the package's `KV`): the package's own implementation, though callers may
  hold others. Calls of other interfaces are not followed.
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
- A resliced field is reported only when the reslice (`x.f = x.f[...]`, the same text on
  both sides) follows the send of `x.f` in the same block, with no receive in between (an
  acknowledgement), a goroutine of the package receives from the channel, and something
  appends to the field; a wait for the receiver after the reslice, before the next append,
  is not looked for.
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
    resliced_after_send(cx, m, out);
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

/// A slice field sent on a channel to a goroutine of the package and then resliced onto
/// the same backing array (`b.out <- b.buf; b.buf = b.buf[:0]`): the next append to the
/// field (in the next call) writes the elements the receiver may still be reading. Reported
/// at the first append to the field, with the send, the reslice and the receive.
fn resliced_after_send(cx: &PackageCx<'_>, m: &Model, out: &mut Vec<Diagnostic>) {
    use racelens_model::{Place, SyncKind};
    use racelens_syntax::ast::{ExprKind, StmtKind};
    use racelens_syntax::walk::Node;
    if m.transfers.is_empty() || m.spawns.is_empty() {
        return;
    }
    // Only fields some function appends to can be reported.
    if !m
        .accesses
        .iter()
        .any(|a| a.kind == AccessKind::Append && matches!(m.place(a.place), Place::Field { .. }))
    {
        return;
    }
    // What goroutines of the package run, found when a candidate needs it.
    let mut in_goroutines: Option<racelens_semantic::scope::FxSet<FuncIx>> = None;
    // The send statements of each file, found once per file.
    let mut sends: std::collections::HashMap<usize, Vec<racelens_syntax::ast::StmtId>> =
        std::collections::HashMap::new();
    let mut reported: Vec<PlaceId> = Vec::new();
    for fun in &m.funcs {
        for op in fun.syncs.iter().filter(|op| op.kind == SyncKind::Send) {
            let file = fun.file as usize;
            let f = cx.files[file].ast;
            let parents = cx.parents(file);
            // The send statement, its value a field (`b.buf`), and the block it is in.
            let in_file = sends.entry(file).or_insert_with(|| {
                f.stmts
                    .iter()
                    .enumerate()
                    .filter(|(_, st)| matches!(st.kind, StmtKind::Send { .. }))
                    .map(|(i, _)| racelens_syntax::ast::StmtId::new(i as u32))
                    .collect()
            });
            let Some(st) = in_file
                .iter()
                .copied()
                .find(|&st| f[st].span.start <= op.span.start && op.span.end <= f[st].span.end)
            else {
                continue;
            };
            let StmtKind::Send { value, .. } = f[st].kind else {
                continue;
            };
            let value = crate::syntactic::unparen(f, value);
            if !matches!(f[value].kind, ExprKind::Selector { .. }) {
                continue;
            }
            let sent = f.text(f[value].span);
            let Some(Node::Stmt(block)) = parents.parent(Node::Stmt(st)) else {
                continue;
            };
            let StmtKind::Block { list, .. } = f[block].kind else {
                continue;
            };
            let list = &f[list];
            let Some(at) = list.iter().position(|&x| x == st) else {
                continue;
            };
            // `b.buf = b.buf[:0]` after it in the block.
            let reslice = list[at + 1..].iter().find_map(|&x| {
                let StmtKind::Assign { lhs, rhs, .. } = &f[x].kind else {
                    return None;
                };
                let (&[l], &[r]) = (&f[*lhs][..], &f[*rhs][..]) else {
                    return None;
                };
                let ExprKind::Slice { x: inner, .. } = f[crate::syntactic::unparen(f, r)].kind
                else {
                    return None;
                };
                (f.text(f[l].span) == sent && f.text(f[inner].span) == sent).then_some(l)
            });
            let Some(lhs) = reslice else {
                continue;
            };
            // A receive between the send and the reslice (the receiver's acknowledgement)
            // orders the reuse after the receiver is done.
            let acked = fun.syncs.iter().any(|o| {
                o.kind == SyncKind::Recv
                    && o.span.start >= op.span.end
                    && o.span.start < f[lhs].span.start
            });
            if acked {
                continue;
            }
            // The field's place, from the model's write of it at the reslice.
            let Some(place) = m.accesses.iter().enumerate().find_map(|(i, a)| {
                (m.access_file(AccessIx(i as u32)) as usize == file
                    && a.span.start == f[lhs].span.start
                    && a.kind.is_write()
                    && matches!(m.place(a.place), Place::Field { .. }))
                .then_some(a.place)
            }) else {
                continue;
            };
            if reported.contains(&place) {
                continue;
            }
            // A goroutine of the package receives from the channel.
            let goroutines = in_goroutines
                .get_or_insert_with(|| crate::model_facts::run_by_goroutines(m, |_| true));
            let Some(recv) = m.transfers.iter().find(|tr| {
                tr.kind == racelens_model::TransferKind::Recv
                    && tr.chan == op.place
                    && goroutines.contains(&tr.func)
            }) else {
                continue;
            };
            // The appends to the field.
            let Some(append) = (0..m.accesses.len() as u32)
                .map(AccessIx)
                .find(|&a| m.access(a).place == place && m.access(a).kind == AccessKind::Append)
            else {
                continue;
            };
            reported.push(place);
            let afile = m.access_file(append) as usize;
            let rfile = m.func(recv.func).file as usize;
            out.push(
                Diagnostic::new(
                    CHECK.info.name,
                    CHECK.info.category,
                    format!(
                        "`{sent}` is appended to after it was sent on a channel and resliced onto the same array: the append overwrites elements the receiving goroutine may still read"
                    ),
                    cx.location(afile, m.access(append).span),
                )
                .with_related(format!("`{sent}` sent here"), cx.location(file, f[st].span))
                .with_related(
                    "resliced onto the same array here",
                    cx.location(file, f[lhs].span),
                )
                .with_related("received by a goroutine here", cx.location(rfile, recv.span))
                .with_help(format!(
                    "give `{sent}` a new array after the send (`make` or `nil`), or wait until the receiver is done with the batch"
                )),
            );
        }
    }
}
