//! Generic traversal of the syntax tree: a node reference type, each node's children in
//! go/ast's `ast.Walk` order, pre-order iteration with an explicit stack, and a parent map.
//!
//! Nothing here recurses: the parser accepts nesting up to 100 000 levels and operator chains
//! of any length, so every walker over a whole file must use an explicit stack.

use crate::ast::*;
use std::sync::OnceLock;

/// A reference to any node of a file's tree.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Node {
    Ident(IdentId),
    Expr(ExprId),
    Stmt(StmtId),
    Decl(DeclId),
    Spec(SpecId),
    Field(FieldId),
    FieldList(FieldListId),
}

impl Node {
    /// The node's span (go/ast's `Pos()`..`End()`).
    pub fn span(self, file: &File) -> Span {
        match self {
            Node::Ident(id) => file[id].span,
            Node::Expr(id) => file[id].span,
            Node::Stmt(id) => file[id].span,
            Node::Decl(id) => file[id].span,
            Node::Spec(id) => file[id].span,
            Node::Field(id) => file[id].span,
            Node::FieldList(id) => file[id].span,
        }
    }
}

/// Appends the children of `node` to `out` in `ast.Walk` order. An identifier used as an
/// expression (`ExprKind::Ident`) has no children: its `IdentId` is not a separate node.
pub fn children(file: &File, node: Node, out: &mut Vec<Node>) {
    let exprs =
        |out: &mut Vec<Node>, list: &[ExprId]| out.extend(list.iter().map(|&x| Node::Expr(x)));
    let stmts =
        |out: &mut Vec<Node>, list: &[StmtId]| out.extend(list.iter().map(|&x| Node::Stmt(x)));
    match node {
        Node::Ident(_) => {}
        Node::FieldList(id) => out.extend(file[id].list.iter().map(|&x| Node::Field(x))),
        Node::Field(id) => {
            let f = &file[id];
            out.extend(f.names.iter().map(|&x| Node::Ident(x)));
            out.push(Node::Expr(f.typ));
            out.extend(f.tag.map(Node::Expr));
        }
        Node::Decl(id) => match &file[id].kind {
            DeclKind::Bad => {}
            DeclKind::Gen { specs, .. } => out.extend(specs.iter().map(|&x| Node::Spec(x))),
            DeclKind::Func {
                recv,
                name,
                typ,
                body,
            } => {
                out.extend(recv.map(Node::FieldList));
                out.push(Node::Ident(*name));
                out.push(Node::Expr(*typ));
                out.extend(body.map(Node::Stmt));
            }
        },
        Node::Spec(id) => match &file[id].kind {
            SpecKind::Import { name, path } => {
                out.extend(name.map(Node::Ident));
                out.push(Node::Expr(*path));
            }
            SpecKind::Value { names, typ, values } => {
                out.extend(names.iter().map(|&x| Node::Ident(x)));
                out.extend(typ.map(Node::Expr));
                exprs(out, values);
            }
            SpecKind::Type {
                name,
                type_params,
                typ,
                ..
            } => {
                out.push(Node::Ident(*name));
                out.extend(type_params.map(Node::FieldList));
                out.push(Node::Expr(*typ));
            }
        },
        Node::Expr(id) => match &file[id].kind {
            ExprKind::Bad | ExprKind::Ident(_) | ExprKind::BasicLit { .. } => {}
            ExprKind::Ellipsis { elt } => out.extend(elt.map(Node::Expr)),
            ExprKind::FuncLit { typ, body } => {
                out.push(Node::Expr(*typ));
                out.push(Node::Stmt(*body));
            }
            ExprKind::CompositeLit { typ, elts, .. } => {
                out.extend(typ.map(Node::Expr));
                exprs(out, &file[*elts]);
            }
            ExprKind::Paren { x } | ExprKind::Star { x } | ExprKind::Unary { x, .. } => {
                out.push(Node::Expr(*x))
            }
            ExprKind::Selector { x, sel } => {
                out.push(Node::Expr(*x));
                out.push(Node::Ident(*sel));
            }
            ExprKind::Index { x, index, .. } => {
                out.push(Node::Expr(*x));
                out.push(Node::Expr(*index));
            }
            ExprKind::IndexList { x, indices, .. } => {
                out.push(Node::Expr(*x));
                exprs(out, &file[*indices]);
            }
            ExprKind::Slice {
                x, low, high, max, ..
            } => {
                out.push(Node::Expr(*x));
                out.extend(low.map(Node::Expr));
                out.extend(high.map(Node::Expr));
                out.extend(max.map(Node::Expr));
            }
            ExprKind::TypeAssert { x, typ, .. } => {
                out.push(Node::Expr(*x));
                out.extend(typ.map(Node::Expr));
            }
            ExprKind::Call { fun, args, .. } => {
                out.push(Node::Expr(*fun));
                exprs(out, &file[*args]);
            }
            ExprKind::Binary { x, y, .. } => {
                out.push(Node::Expr(*x));
                out.push(Node::Expr(*y));
            }
            ExprKind::KeyValue { key, value, .. } => {
                out.push(Node::Expr(*key));
                out.push(Node::Expr(*value));
            }
            ExprKind::ArrayType { len, elt } => {
                out.extend(len.map(Node::Expr));
                out.push(Node::Expr(*elt));
            }
            ExprKind::StructType { fields, .. } => out.push(Node::FieldList(*fields)),
            ExprKind::FuncType {
                type_params,
                params,
                results,
                ..
            } => {
                out.extend(type_params.map(Node::FieldList));
                out.push(Node::FieldList(*params));
                out.extend(results.map(Node::FieldList));
            }
            ExprKind::InterfaceType { methods, .. } => out.push(Node::FieldList(*methods)),
            ExprKind::MapType { key, value } => {
                out.push(Node::Expr(*key));
                out.push(Node::Expr(*value));
            }
            ExprKind::ChanType { value, .. } => out.push(Node::Expr(*value)),
        },
        Node::Stmt(id) => match &file[id].kind {
            StmtKind::Bad | StmtKind::Empty { .. } => {}
            StmtKind::Decl(d) => out.push(Node::Decl(*d)),
            StmtKind::Labeled { label, stmt } => {
                out.push(Node::Ident(*label));
                out.push(Node::Stmt(*stmt));
            }
            StmtKind::Expr(x) => out.push(Node::Expr(*x)),
            StmtKind::Send { chan, value, .. } => {
                out.push(Node::Expr(*chan));
                out.push(Node::Expr(*value));
            }
            StmtKind::IncDec { x, .. } => out.push(Node::Expr(*x)),
            StmtKind::Assign { lhs, rhs, .. } => {
                exprs(out, &file[*lhs]);
                exprs(out, &file[*rhs]);
            }
            StmtKind::Go { call } | StmtKind::Defer { call } => out.push(Node::Expr(*call)),
            StmtKind::Return { results } => exprs(out, &file[*results]),
            StmtKind::Branch { label, .. } => out.extend(label.map(Node::Ident)),
            StmtKind::Block { list, .. } => stmts(out, &file[*list]),
            StmtKind::If {
                init,
                cond,
                body,
                els,
            } => {
                out.extend(init.map(Node::Stmt));
                out.push(Node::Expr(*cond));
                out.push(Node::Stmt(*body));
                out.extend(els.map(Node::Stmt));
            }
            StmtKind::CaseClause { list, body, .. } => {
                exprs(out, &file[*list]);
                stmts(out, &file[*body]);
            }
            StmtKind::Switch { init, tag, body } => {
                out.extend(init.map(Node::Stmt));
                out.extend(tag.map(Node::Expr));
                out.push(Node::Stmt(*body));
            }
            StmtKind::TypeSwitch { init, assign, body } => {
                out.extend(init.map(Node::Stmt));
                out.push(Node::Stmt(*assign));
                out.push(Node::Stmt(*body));
            }
            StmtKind::CommClause { comm, body, .. } => {
                out.extend(comm.map(Node::Stmt));
                stmts(out, &file[*body]);
            }
            StmtKind::Select { body } => out.push(Node::Stmt(*body)),
            StmtKind::For {
                init,
                cond,
                post,
                body,
            } => {
                out.extend(init.map(Node::Stmt));
                out.extend(cond.map(Node::Expr));
                out.extend(post.map(Node::Stmt));
                out.push(Node::Stmt(*body));
            }
            StmtKind::Range {
                key,
                value,
                x,
                body,
                ..
            } => {
                out.extend(key.map(Node::Expr));
                out.extend(value.map(Node::Expr));
                out.push(Node::Expr(*x));
                out.push(Node::Stmt(*body));
            }
        },
    }
}

/// The top-level nodes of a file in walk order: the package name and the declarations.
pub fn roots(file: &File) -> Vec<Node> {
    let mut out = Vec::with_capacity(file.decls.len() + 1);
    out.extend(file.name.map(Node::Ident));
    out.extend(file.decls.iter().map(|&d| Node::Decl(d)));
    out
}

/// Calls `visit` on `start` and every node below it, in pre-order (`ast.Walk` order).
/// `visit` returns whether to descend into the node's children.
pub fn preorder(file: &File, start: &[Node], mut visit: impl FnMut(Node) -> bool) {
    let mut stack: Vec<Node> = start.iter().rev().copied().collect();
    let mut kids = Vec::new();
    while let Some(node) = stack.pop() {
        if !visit(node) {
            continue;
        }
        kids.clear();
        children(file, node, &mut kids);
        stack.extend(kids.iter().rev());
    }
}

/// Calls `record(node, parent)` for every node below `roots`, in the order that decides
/// which parent a node reached twice keeps (the last one recorded). The children of a node
/// go straight onto the stack, in the order `children` gives them, and are visited in the
/// reverse of that order: a node that a broken tree reaches twice keeps the parent that this
/// order gives it last (the tests compare with the first version, which copied each node's
/// children through a buffer). An identifier has no children, so visiting it does nothing:
/// it gets its parent and leaves the stack at once.
fn each_parent(file: &File, roots: Vec<Node>, mut record: impl FnMut(Node, Node)) {
    let mut stack = roots;
    while let Some(node) = stack.pop() {
        let start = stack.len();
        children(file, node, &mut stack);
        let mut kept = start;
        for i in start..stack.len() {
            let kid = stack[i];
            record(kid, node);
            if !matches!(kid, Node::Ident(_)) {
                stack[kept] = kid;
                kept += 1;
            }
        }
        stack.truncate(kept);
        // An identifier used as an expression has no `Node::Ident` child; record the
        // expression as its parent so declarations by `:=` can be found from the name.
        if let Node::Expr(e) = node {
            if let ExprKind::Ident(ident) = file[e].kind {
                record(Node::Ident(ident), node);
            }
        }
    }
}

/// The parent of every expression and statement of a file (`None` for top-level nodes), for
/// questions such as "which loop encloses this `go` statement".
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parents {
    ident: Vec<Option<Node>>,
    expr: Vec<Option<Node>>,
    stmt: Vec<Option<Node>>,
    decl: Vec<Option<Node>>,
    spec: Vec<Option<Node>>,
    field: Vec<Option<Node>>,
    field_list: Vec<Option<Node>>,
}

impl Parents {
    pub fn new(file: &File) -> Parents {
        let mut p = Parents {
            ident: vec![None; file.idents.len()],
            expr: vec![None; file.exprs.len()],
            stmt: vec![None; file.stmts.len()],
            decl: vec![None; file.decl_arena.len()],
            spec: vec![None; file.specs.len()],
            field: vec![None; file.fields.len()],
            field_list: vec![None; file.field_lists.len()],
        };
        each_parent(file, roots(file), |kid, parent| *p.slot(kid) = Some(parent));
        p
    }

    fn slot(&mut self, node: Node) -> &mut Option<Node> {
        match node {
            Node::Ident(id) => &mut self.ident[id.index()],
            Node::Expr(id) => &mut self.expr[id.index()],
            Node::Stmt(id) => &mut self.stmt[id.index()],
            Node::Decl(id) => &mut self.decl[id.index()],
            Node::Spec(id) => &mut self.spec[id.index()],
            Node::Field(id) => &mut self.field[id.index()],
            Node::FieldList(id) => &mut self.field_list[id.index()],
        }
    }

    /// The parent of `node`; `None` for the package name and top-level declarations. The
    /// parent of the `IdentId` of an identifier expression is that `ExprKind::Ident`.
    pub fn parent(&self, node: Node) -> Option<Node> {
        let (table, i) = match node {
            Node::Ident(id) => (&self.ident, id.index()),
            Node::Expr(id) => (&self.expr, id.index()),
            Node::Stmt(id) => (&self.stmt, id.index()),
            Node::Decl(id) => (&self.decl, id.index()),
            Node::Spec(id) => (&self.spec, id.index()),
            Node::Field(id) => (&self.field, id.index()),
            Node::FieldList(id) => (&self.field_list, id.index()),
        };
        table.get(i).copied().flatten()
    }

    /// The ancestors of `node`, nearest first.
    pub fn ancestors(&self, node: Node) -> impl Iterator<Item = Node> + '_ {
        std::iter::successors(self.parent(node), move |&n| self.parent(n))
    }
}

/// A file's parent map, built one top-level declaration at a time: the first question about
/// a node builds the map of the declaration that holds it, so that a check asking about a few
/// function bodies does not walk the whole file. Answers are those of `Parents::new`: a
/// declaration is found by the node's span, which only a file without syntax errors
/// guarantees (spans then nest), so for any other file, and for a node outside every
/// declaration, the whole file's map is built and asked.
pub struct LazyParents<'f> {
    file: &'f File,
    clean: bool,
    /// Per top-level declaration (`file.decls`), the parents of the nodes below it.
    decls: Vec<OnceLock<Box<Ranges>>>,
    whole: OnceLock<Parents>,
}

/// The parents of the nodes below one declaration: per node kind, the parent of each index
/// from `base` on (the parser numbers a declaration's nodes in one run, so the range is
/// short).
#[derive(Default)]
struct Ranges {
    tables: [(u32, Vec<Option<Node>>); 7],
}

impl Ranges {
    fn slot(node: Node) -> (usize, u32) {
        match node {
            Node::Ident(id) => (0, id.index() as u32),
            Node::Expr(id) => (1, id.index() as u32),
            Node::Stmt(id) => (2, id.index() as u32),
            Node::Decl(id) => (3, id.index() as u32),
            Node::Spec(id) => (4, id.index() as u32),
            Node::Field(id) => (5, id.index() as u32),
            Node::FieldList(id) => (6, id.index() as u32),
        }
    }

    /// The parents of the nodes below `decl`, recorded as `Parents::new` records them.
    fn new(file: &File, decl: DeclId) -> Ranges {
        let mut pairs: Vec<(Node, Node)> = Vec::new();
        each_parent(file, vec![Node::Decl(decl)], |kid, parent| {
            pairs.push((kid, parent))
        });
        let mut bounds = [(u32::MAX, 0u32); 7];
        for &(kid, _) in &pairs {
            let (k, i) = Ranges::slot(kid);
            bounds[k] = (bounds[k].0.min(i), bounds[k].1.max(i));
        }
        let mut r = Ranges::default();
        for (table, &(lo, hi)) in r.tables.iter_mut().zip(&bounds) {
            if lo <= hi {
                *table = (lo, vec![None; (hi - lo) as usize + 1]);
            }
        }
        // In the order recorded, so that a node reached twice keeps its last parent.
        for (kid, parent) in pairs {
            let (k, i) = Ranges::slot(kid);
            let (base, table) = &mut r.tables[k];
            table[(i - *base) as usize] = Some(parent);
        }
        r
    }

    fn parent(&self, node: Node) -> Option<Node> {
        let (k, i) = Ranges::slot(node);
        let (base, table) = &self.tables[k];
        let at = i.checked_sub(*base)?;
        table.get(at as usize).copied().flatten()
    }
}

impl<'f> LazyParents<'f> {
    /// The parent map of `file`; `clean` says it parsed without syntax errors.
    pub fn new(file: &'f File, clean: bool) -> LazyParents<'f> {
        LazyParents {
            file,
            clean,
            decls: file.decls.iter().map(|_| OnceLock::new()).collect(),
            whole: OnceLock::new(),
        }
    }

    fn whole(&self) -> &Parents {
        self.whole.get_or_init(|| Parents::new(self.file))
    }

    /// The parent of `node`, as `Parents::parent` gives it.
    pub fn parent(&self, node: Node) -> Option<Node> {
        let f = self.file;
        if !self.clean {
            return self.whole().parent(node);
        }
        if matches!(node, Node::Ident(id) if f.name == Some(id)) {
            return None;
        }
        let start = node.span(f).start;
        let i = f.decls.partition_point(|&d| f[d].span.start <= start);
        let i = i
            .checked_sub(1)
            .filter(|&i| start <= f[f.decls[i]].span.end);
        if let Some(i) = i {
            // A top-level declaration has none.
            if node == Node::Decl(f.decls[i]) {
                return None;
            }
        }
        match i {
            // Spans nest: a node below declaration `i` starts inside it, and one its map does
            // not know is no node of the tree (the parser's arenas keep a few nodes that it
            // built and then did not use), whose parent is none.
            Some(i) => self.decls[i]
                .get_or_init(|| Box::new(Ranges::new(f, f.decls[i])))
                .parent(node),
            None => self.whole().parent(node),
        }
    }

    /// The ancestors of `node`, nearest first.
    pub fn ancestors(&self, node: Node) -> impl Iterator<Item = Node> + '_ {
        std::iter::successors(self.parent(node), move |&n| self.parent(n))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `Parents::new` as first written, each node's children copied through a buffer and
    /// every node visited: the reference the current one must agree with.
    fn reference_parents(file: &File) -> Parents {
        let mut p = Parents {
            ident: vec![None; file.idents.len()],
            expr: vec![None; file.exprs.len()],
            stmt: vec![None; file.stmts.len()],
            decl: vec![None; file.decl_arena.len()],
            spec: vec![None; file.specs.len()],
            field: vec![None; file.fields.len()],
            field_list: vec![None; file.field_lists.len()],
        };
        let mut stack: Vec<Node> = roots(file);
        let mut kids = Vec::new();
        while let Some(node) = stack.pop() {
            kids.clear();
            children(file, node, &mut kids);
            for &kid in &kids {
                *p.slot(kid) = Some(node);
            }
            if let Node::Expr(e) = node {
                if let ExprKind::Ident(ident) = file[e].kind {
                    p.ident[ident.index()] = Some(node);
                }
            }
            stack.extend(kids.iter());
        }
        p
    }

    /// Every `.go` file below `root`, walked with an explicit stack and a depth bound.
    fn go_files(root: &std::path::Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![(root.to_path_buf(), 0usize)];
        while let Some((dir, depth)) = stack.pop() {
            assert!(
                depth < 64,
                "directory tree deeper than 64 at {}",
                dir.display()
            );
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let path = entry.path();
                let Ok(kind) = entry.file_type() else {
                    continue;
                };
                if kind.is_dir() {
                    stack.push((path, depth + 1));
                } else if kind.is_file() && path.extension().is_some_and(|x| x == "go") {
                    out.push(path);
                }
            }
        }
        out.sort();
        out
    }

    /// Every `.go` file of the Go 1.19 source tree (there must be thousands).
    pub(crate) fn goroot_files() -> Vec<std::path::PathBuf> {
        let goroot = std::fs::canonicalize("/usr/lib/go-1.19/src").expect("GOROOT source");
        let files = go_files(&goroot);
        assert!(files.len() > 5000, "only {} GOROOT files", files.len());
        files
    }

    /// A deterministic xorshift generator for mutations, as the robustness tests use:
    /// `next(n)` is a number below `n` (0 for 0).
    pub(crate) fn xorshift(mut seed: u64, mul: u64) -> impl FnMut(usize) -> usize {
        move |n: usize| {
            seed ^= seed >> 12;
            seed ^= seed << 25;
            seed ^= seed >> 27;
            (seed.wrapping_mul(mul) % n.max(1) as u64) as usize
        }
    }

    /// Every node of `file`, of every kind.
    fn all_nodes(file: &File) -> impl Iterator<Item = Node> + '_ {
        let n = |len: usize| 0..len as u32;
        n(file.idents.len())
            .map(|i| Node::Ident(IdentId::new(i)))
            .chain(n(file.exprs.len()).map(|i| Node::Expr(ExprId::new(i))))
            .chain(n(file.stmts.len()).map(|i| Node::Stmt(StmtId::new(i))))
            .chain(n(file.decl_arena.len()).map(|i| Node::Decl(DeclId::new(i))))
            .chain(n(file.specs.len()).map(|i| Node::Spec(SpecId::new(i))))
            .chain(n(file.fields.len()).map(|i| Node::Field(FieldId::new(i))))
            .chain(n(file.field_lists.len()).map(|i| Node::FieldList(FieldListId::new(i))))
    }

    #[test]
    fn lazy_parents_agree_with_the_whole_map_on_goroot_and_mutated_files() {
        let files = goroot_files();
        let mut next = xorshift(0x2545_f491_4f6c_dd1d, 0x9e37_79b9_7f4a_7c15);
        let (mut clean, mut built_whole) = (0, 0);
        for path in &files {
            let src = std::fs::read(path).unwrap();
            let mut m = src.clone();
            m.truncate(next(src.len() + 1));
            for src in [src, m] {
                let (file, errors) = crate::parse(&src);
                let whole = Parents::new(&file);
                // Asked in an order of its own, so that declarations are built by questions
                // about any of their nodes, not their first.
                let mut nodes: Vec<Node> = all_nodes(&file).collect();
                for i in (1..nodes.len()).rev() {
                    nodes.swap(i, next(i + 1));
                }
                let lazy = LazyParents::new(&file, errors.is_empty());
                for &node in &nodes {
                    assert_eq!(
                        lazy.parent(node),
                        whole.parent(node),
                        "{} {node:?}",
                        path.display()
                    );
                }
                if errors.is_empty() {
                    clean += 1;
                    built_whole += usize::from(lazy.whole.get().is_some());
                }
            }
        }
        assert!(clean > 5000, "only {clean} clean files");
        // A clean file is answered from its declarations' maps alone.
        assert_eq!(built_whole, 0, "the whole map was built for clean files");
    }

    #[test]
    fn parents_agree_with_the_reference_on_goroot_and_mutated_files() {
        let files = goroot_files();
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15, 0x2545_f491_4f6c_dd1d);
        const NOISE: &[u8] = b"{}()[]\"'`/*\n;:=.,<-~&|^!0x_\\\x00\xff";
        let mut broken = 0;
        for path in &files {
            let src = std::fs::read(path).unwrap();
            let (file, _) = crate::parse(&src);
            assert_eq!(
                Parents::new(&file),
                reference_parents(&file),
                "{}",
                path.display()
            );
            // A mutated copy: truncated, or with a few bytes of noise inserted, which gives
            // the error recovery's trees (nodes dropped from the tree, or reached twice).
            let mut m = src.clone();
            if next(2) == 0 {
                m.truncate(next(src.len() + 1));
            } else {
                for _ in 0..1 + next(6) {
                    let at = next(m.len() + 1);
                    m.insert(at, NOISE[next(NOISE.len())]);
                }
            }
            let (file, errors) = crate::parse(&m);
            broken += usize::from(!errors.is_empty());
            assert_eq!(
                Parents::new(&file),
                reference_parents(&file),
                "{} mutated",
                path.display()
            );
        }
        assert!(
            broken > 1000,
            "only {broken} mutated files had syntax errors"
        );
    }

    #[test]
    fn preorder_and_parents_agree_with_the_tree() {
        let src = b"package p\n\nfunc f(xs []int) {\n\tfor _, x := range xs {\n\t\tgo func() { use(x) }()\n\t}\n}\n";
        let (file, errors) = crate::parse(src);
        assert!(errors.is_empty(), "{errors:?}");
        let mut kinds = Vec::new();
        preorder(&file, &roots(&file), |n| {
            if let Node::Stmt(id) = n {
                kinds.push(match file[id].kind {
                    StmtKind::Block { .. } => "block",
                    StmtKind::Range { .. } => "range",
                    StmtKind::Go { .. } => "go",
                    StmtKind::Expr(_) => "expr",
                    _ => "other",
                });
            }
            true
        });
        assert_eq!(kinds, ["block", "range", "block", "go", "block", "expr"]);

        let parents = Parents::new(&file);
        let go = (0..file.stmts.len())
            .map(|i| StmtId::new(i as u32))
            .find(|&s| matches!(file[s].kind, StmtKind::Go { .. }))
            .unwrap();
        let chain: Vec<&str> = parents
            .ancestors(Node::Stmt(go))
            .map(|n| match n {
                Node::Stmt(s) => match file[s].kind {
                    StmtKind::Block { .. } => "block",
                    StmtKind::Range { .. } => "range",
                    _ => "stmt",
                },
                Node::Decl(_) => "func",
                _ => "other",
            })
            .collect();
        assert_eq!(chain, ["block", "range", "block", "func"]);
    }

    #[test]
    fn deep_chains_do_not_overflow() {
        // Below go/parser's nesting limit of 100 000, which also counts the operators of a
        // binary chain: a longer chain is a syntax error, as with go/parser.
        let mut src = String::from("package p\nvar x = 1");
        src.push_str(&" + 1".repeat(99_000));
        src.push('\n');
        let (file, _) = crate::parse(src.as_bytes());
        let mut n = 0;
        preorder(&file, &roots(&file), |_| {
            n += 1;
            true
        });
        assert!(n > 198_000);
        let parents = Parents::new(&file);
        let deepest = file
            .exprs
            .iter()
            .position(|e| matches!(e.kind, ExprKind::BasicLit { .. }))
            .unwrap();
        assert!(
            parents
                .ancestors(Node::Expr(ExprId::new(deepest as u32)))
                .count()
                > 99_000
        );
    }
}
