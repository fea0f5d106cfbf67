//! Whether anything between a goroutine's start and a later read by its spawner could order
//! the two: a call, a channel operation, a `select`, a function literal, a `range` loop, a
//! `goto`. The race finder normally pairs only the writes of a spawner that never waits for
//! its goroutine (a read usually follows some synchronisation the model does not see: a pipe,
//! a connection, a reply). When nothing but `time.Sleep` or `runtime.Gosched` lies between
//! the start and the read, there is no such synchronisation to assume: the read races with
//! the goroutine's write (`go func() { res = f() }(); time.Sleep(d); return res`, or a loop
//! spinning on a plain flag).

use racelens_syntax::ast::{ExprKind, Span, StmtKind};
use racelens_syntax::token::TokenKind;
use racelens_syntax::File;

/// Of the loops and of the nodes that may synchronise between a start and a read, at most
/// this many are looked at; beyond, the read is taken to be ordered. Those looked at without
/// an answer are the ones around the read (as many as it is nested deep), so real code stays
/// far below; the bound keeps a read nested thousands of calls deep, read thousands of times,
/// from costing their product.
const MAX_SCANNED: usize = 256;

/// The nodes of a file that may synchronise (`sync`), and its loops (`loops`), each as spans
/// sorted by start.
pub(super) struct SyncPoints {
    sync: Vec<Span>,
    loops: Vec<Span>,
}

impl SyncPoints {
    pub(super) fn new(f: &File) -> SyncPoints {
        let mut sync = Vec::new();
        for (_, e) in f.exprs_with_ids() {
            let may_sync = match &e.kind {
                ExprKind::Call { fun, .. } => !harmless_call(f, *fun),
                ExprKind::Unary {
                    op: TokenKind::Arrow,
                    ..
                } => true,
                ExprKind::FuncLit { .. } => true,
                _ => false,
            };
            if may_sync {
                sync.push(e.span);
            }
        }
        let mut loops = Vec::new();
        for s in f.stmts.iter() {
            match &s.kind {
                StmtKind::Send { .. } | StmtKind::Select { .. } | StmtKind::Range { .. } => {
                    sync.push(s.span)
                }
                StmtKind::Branch {
                    tok: TokenKind::Goto,
                    ..
                } => sync.push(s.span),
                _ => {}
            }
            if matches!(s.kind, StmtKind::For { .. } | StmtKind::Range { .. }) {
                loops.push(s.span);
            }
        }
        sync.sort_unstable_by_key(|s| s.start);
        loops.sort_unstable_by_key(|s| s.start);
        SyncPoints { sync, loops }
    }

    /// Whether nothing that may synchronise runs between offset `from` (the end of the
    /// goroutine's start) and the read at offset `read`, in a function body where both are:
    /// no such node starts after `from` and ends before `read` (what encloses the read runs
    /// after it), and, when the read is inside a loop that starts after `from`, none in that
    /// loop at all (its later part runs before the next iteration's read).
    pub(super) fn nothing_between(&self, from: u32, read: u32) -> bool {
        let after = |list: &[Span]| list.partition_point(|s| s.start < from);
        // The end of the outermost loop around the read that starts after `from`.
        let mut hi = read;
        for (n, l) in self.loops[after(&self.loops)..]
            .iter()
            .take_while(|l| l.start < read)
            .enumerate()
        {
            if n == MAX_SCANNED {
                return false;
            }
            if l.end > read {
                hi = hi.max(l.end);
            }
        }
        for (n, s) in self.sync[after(&self.sync)..]
            .iter()
            .take_while(|s| s.start < hi)
            .enumerate()
        {
            if n == MAX_SCANNED {
                return false;
            }
            // Inside a loop around the read everything counts; otherwise only what is done
            // before the read.
            if hi > read || s.end <= read {
                return false;
            }
        }
        true
    }
}

/// `time.Sleep(d)`, `runtime.Gosched()` and the builtins that cannot synchronise: calls that
/// order nothing (a sleep orders nothing, it only makes a race rarer). Recognised by their
/// text: a package imported under another name makes its calls count as ones that may
/// synchronise, which only keeps the read silent.
fn harmless_call(f: &File, fun: racelens_syntax::ast::ExprId) -> bool {
    match &f[fun].kind {
        ExprKind::Selector { x, sel } => {
            let ExprKind::Ident(pkg) = f[*x].kind else {
                return false;
            };
            matches!(
                (f.ident_name(pkg), f.ident_name(*sel)),
                ("time", "Sleep") | ("runtime", "Gosched")
            )
        }
        ExprKind::Ident(id) => matches!(
            f.ident_name(*id),
            "len" | "cap" | "append" | "make" | "new" | "copy" | "min" | "max"
        ),
        _ => false,
    }
}
