//! `captured-variable-race`: a variable of the spawner (not a loop variable) captured by a
//! goroutine and written by it while the spawner, another goroutine or another instance of
//! the same goroutine reads or writes it.

use crate::goroutine_race::{
    diagnostic, one_per_place, other_label, races, report_handoffs, Other, Race,
};
use crate::{Check, PackageCx};
use racelens_diagnostics::{Category, CheckInfo, Diagnostic};
use racelens_model::{AccessIx, AccessKind, Model, Place};
use racelens_semantic::DefKind;
use racelens_syntax::ast::{ExprId, ExprKind, Span};
use racelens_syntax::walk::Node;
use std::collections::HashMap;

pub const CHECK: Check = Check {
    info: CheckInfo {
        name: "captured-variable-race",
        category: Category::Correctness,
        summary:
            "A goroutine writes a variable it captured from its spawner while other code uses it.",
        docs: DOCS,
        help_uri: None,
    },
    since: "0.2.0",
    needs_types: true,
    run: Some(run),
};

const DOCS: &str = concat!(
    r#"## What it does

Reports a local variable, parameter or named result that a function literal started as a
goroutine captures by reference and assigns (`err = ...`, `n++`, `done = true`), when other
code reads or writes the same variable at the same time without a common lock: the function
that started the goroutine before it waits for it, another goroutine it started, or another
instance of the goroutine started in the same loop. Goroutines are those of `go` statements,
`errgroup.Group.Go`, `sync.WaitGroup.Go` and `time.AfterFunc`. Loop variables are left to
`loop-variable-capture`; appends and maps to `unsynchronized-slice-append` and
`concurrent-map-access`.

It also reports a function that sends a value on a channel (a pointer, or a slice whose
elements it shares) to a goroutine and then assigns or reads a field of it (`it.n = 0`
after `ch <- it`) while the receiving goroutine reads or assigns the same field: the value
belongs to the receiver once sent.

## Why is this bad?

A captured variable is shared, not copied: the goroutine and its spawner read and write the
same memory. Without synchronisation the spawner may read a half-written value, miss the
write entirely (the compiler may keep the variable in a register), or the counter may lose
increments. Waiting for the goroutine (`wg.Wait()`, a receive from its channel) before
reading the variable makes the write visible.

## Example

```go
package p

func fetch() error { return nil }

func run() error {
	var err error
	done := make(chan struct{})
	go func() {
		err = fetch()
		close(done)
	}()
	if err != nil {
		return err
	}
	<-done
	return nil
}
```

## Use instead

```go
package p

func fetch() error { return nil }

func run() error {
	var err error
	done := make(chan struct{})
	go func() {
		err = fetch()
		close(done)
	}()
	<-done
	if err != nil {
		return err
	}
	return nil
}
```

## Known limitations

"#,
    crate::summary_limitations!(),
    crate::race_finder_limitations!(),
    r#"- Only assignments by the goroutine are reported; a goroutine that only reads a variable the
  spawner later changes is not (a value handed over a channel is the exception: the sender's
  write after the send is reported against the receiver's read).
- Synchronisation other than locks, wait groups, errgroups, channels and `sync/atomic`
  (`sync.Cond`, a `select` that may time out before the receive) is not understood.
- Variables of other functions reached through pointers are not followed.
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
    let plain = |k: AccessKind| matches!(k, AccessKind::Read | AccessKind::Write);
    // A field of a value handed over a channel (or an element of a slice handed over),
    // still used by the sender. Appends and maps are the other two checks'.
    let handed =
        |k: AccessKind| plain(k) || matches!(k, AccessKind::ElemRead | AccessKind::ElemWrite);
    report_handoffs(
        cx,
        &CHECK,
        |mine, other| handed(mine) && handed(other),
        |kind, name, var, chan| {
            if kind.is_write() {
                format!("`{name}` is assigned after `{var}` was sent on `{chan}`, while the receiving goroutine uses it")
            } else {
                format!("`{name}` is read after `{var}` was sent on `{chan}`, while the receiving goroutine assigns it")
            }
        },
        out,
    );
    let mut found = races(cx, |mine, other| mine == AccessKind::Write && plain(other));
    let mut index_exprs = IndexExprs::new();
    found.retain(|race| captured_non_loop(cx, m, race, &mut index_exprs));
    for race in one_per_place(found, m) {
        let Place::Var(d) = *m.place(m.access(race.mine.access).place) else {
            continue;
        };
        let name = cx.scopes().def(d).name.to_string();
        let message = match race.with {
            Other::SameGoroutine => format!(
                "`{name}` is assigned by goroutines started in a loop without synchronization"
            ),
            Other::Spawner => format!(
                "`{name}` is assigned by a goroutine while the function that started it still uses it"
            ),
            Other::Goroutine(_) => {
                format!("`{name}` is assigned by a goroutine while another goroutine uses it")
            }
        };
        out.push(diagnostic(
            cx,
            m,
            &race,
            &CHECK,
            message,
            other_label(m, &race),
            format!(
                "wait for the goroutine before using `{name}`, guard it with a mutex, or send the value on a channel"
            ),
        ));
    }
}

/// Per file, its index expressions `x[i]` as (the index expression, `x`) by the span of `x`.
type IndexExprs = HashMap<usize, HashMap<Span, Vec<(ExprId, ExprId)>>>;

/// Whether the race is on a local, parameter or result of the spawner (or a function around
/// it) that is not a loop variable.
fn captured_non_loop(
    cx: &PackageCx<'_>,
    m: &Model,
    race: &Race,
    index_exprs: &mut IndexExprs,
) -> bool {
    let Place::Var(d) = *m.place(m.access(race.mine.access).place) else {
        return false;
    };
    let def = cx.scopes().def(d);
    matches!(
        def.kind,
        DefKind::LocalVar | DefKind::Param | DefKind::Result
    ) && def.loop_stmt.is_none()
        && !indexed(cx, m, race.mine.access, index_exprs)
        && !indexed(cx, m, race.other.access, index_exprs)
}

/// Whether access `a` is the array of an element access (`ids[i] = v` writes the array
/// variable): goroutines usually own an index each, as with a slice. `index_exprs` keeps,
/// per file asked about, its index expressions by the span of what they index, found by one
/// scan of the file rather than one per access.
fn indexed(cx: &PackageCx<'_>, m: &Model, a: AccessIx, index_exprs: &mut IndexExprs) -> bool {
    let fi = m.access_file(a) as usize;
    let f = cx.files[fi].ast;
    let by_span = index_exprs.entry(fi).or_insert_with(|| {
        let mut by_span: HashMap<Span, Vec<(ExprId, ExprId)>> = HashMap::new();
        for (p, e) in f.exprs_with_ids() {
            if let ExprKind::Index { x, .. } = e.kind {
                by_span.entry(f[x].span).or_default().push((p, x));
            }
        }
        by_span
    });
    // An index expression of the tree: the indexed expression's parent is it.
    by_span.get(&m.access(a).span).is_some_and(|pairs| {
        let parents = cx.parents(fi);
        pairs
            .iter()
            .any(|&(p, x)| parents.parent(Node::Expr(x)) == Some(Node::Expr(p)))
    })
}
