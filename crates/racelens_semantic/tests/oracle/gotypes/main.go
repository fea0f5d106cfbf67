// Command gotypes is the go/types oracle of racelens's type checker: for each standard
// library import path given on stdin (one per line), it type-checks the package's files for
// linux/amd64 without cgo and dumps, for every identifier use and every selector, call,
// index and composite-literal expression, the object it denotes and its type.
//
// Output, one record per line:
//
//	P <import path> <dir>                  a package that type-checked without error
//	S <import path> <reason>               a package that was skipped
//	F <file name>                          a file of the last P package, in order
//	E <start> <end> <kind> <objkind> <objkey> <type>
//
// Kinds: ident (uses, objkind var/const/type/func/pkgname/builtin/label/nil/field),
// sel (objkind field/method/qualified, type of the selector), selrecv (type of the
// selector's operand, for non-qualified selectors), call (result type), index (type of the
// indexed operand), composite (type of the literal). Types are printed by typeString
// below: go/types' TypeString with full package paths, but without parameter names,
// struct tags and with byte/rune spelled uint8/int32, so that the comparison is about
// types and not about spelling.
package main

import (
	"bufio"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	ctx := build.Default
	ctx.GOOS = "linux"
	ctx.GOARCH = "amd64"
	ctx.CgoEnabled = false
	build.Default = ctx
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "source", nil)
	out := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer out.Flush()
	in := bufio.NewScanner(os.Stdin)
	for in.Scan() {
		path := strings.TrimSpace(in.Text())
		if path == "" {
			continue
		}
		check(fset, imp, &ctx, path, out)
		out.Flush()
	}
}

func check(fset *token.FileSet, imp types.Importer, ctx *build.Context, path string, out *bufio.Writer) {
	bp, err := ctx.Import(path, "", 0)
	if err != nil {
		fmt.Fprintf(out, "S %s %s\n", path, oneLine(err.Error()))
		return
	}
	if len(bp.GoFiles) == 0 {
		fmt.Fprintf(out, "S %s no Go files\n", path)
		return
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(bp.Dir, name), nil, parser.ParseComments)
		if err != nil {
			fmt.Fprintf(out, "S %s %s\n", path, oneLine(err.Error()))
			return
		}
		files = append(files, f)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{},
		Uses:  map[*ast.Ident]types.Object{},
		Defs:  map[*ast.Ident]types.Object{},
	}
	var firstErr error
	conf := types.Config{Importer: imp, Error: func(err error) {
		if firstErr == nil {
			firstErr = err
		}
	}}
	conf.Check(path, fset, files, info)
	if firstErr != nil {
		fmt.Fprintf(out, "S %s %s\n", path, oneLine(firstErr.Error()))
		return
	}
	fmt.Fprintf(out, "P %s %s\n", path, bp.Dir)
	for _, f := range files {
		fmt.Fprintf(out, "F %s\n", filepath.Base(fset.Position(f.Pos()).Filename))
		dumpFile(fset, info, f, out)
	}
}

func oneLine(s string) string {
	return strings.ReplaceAll(s, "\n", " ")
}

type rec struct {
	start, end int
	line       string
}

func dumpFile(fset *token.FileSet, info *types.Info, f *ast.File, out *bufio.Writer) {
	var recs []rec
	off := func(p token.Pos) int { return fset.Position(p).Offset }
	emit := func(n ast.Node, kind, objkind, key string, t types.Type) {
		recs = append(recs, rec{off(n.Pos()), off(n.End()),
			fmt.Sprintf("E %d %d %s %s %s %s", off(n.Pos()), off(n.End()), kind, objkind, key, typeString(t))})
	}
	selIdents := map[*ast.Ident]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		switch e := n.(type) {
		case *ast.SelectorExpr:
			selIdents[e.Sel] = true
			obj := info.Uses[e.Sel]
			kind := "qualified"
			if x, ok := e.X.(*ast.Ident); ok {
				if _, ok := info.Uses[x].(*types.PkgName); ok {
					kind = "qualified"
				} else {
					kind = selKind(obj)
				}
			} else {
				kind = selKind(obj)
			}
			var st types.Type = info.TypeOf(e)
			if _, ok := obj.(*types.Builtin); ok {
				st = nil
			}
			emit(e, "sel", kind, objKey(fset, obj), st)
			if kind != "qualified" {
				emit(e.X, "selrecv", "-", "-", info.TypeOf(e.X))
			}
		case *ast.CallExpr:
			emit(e, "call", "-", "-", info.TypeOf(e))
		case *ast.IndexExpr:
			emit(e, "index", "-", "-", info.TypeOf(e.X))
		case *ast.IndexListExpr:
			emit(e, "index", "-", "-", info.TypeOf(e.X))
		case *ast.CompositeLit:
			emit(e, "composite", "-", "-", info.TypeOf(e))
		}
		return true
	})
	for id, obj := range info.Uses {
		if selIdents[id] || fset.File(id.Pos()) != fset.File(f.Pos()) {
			continue
		}
		emit(id, "ident", objKind(obj), objKey(fset, obj), objType(obj))
	}
	sort.SliceStable(recs, func(i, j int) bool {
		if recs[i].start != recs[j].start {
			return recs[i].start < recs[j].start
		}
		if recs[i].end != recs[j].end {
			return recs[i].end > recs[j].end
		}
		return recs[i].line < recs[j].line
	})
	for _, r := range recs {
		out.WriteString(r.line)
		out.WriteByte('\n')
	}
}

func objType(obj types.Object) types.Type {
	switch obj.(type) {
	case *types.PkgName, *types.Builtin, *types.Label:
		return nil
	}
	return obj.Type()
}

func selKind(obj types.Object) string {
	switch obj.(type) {
	case *types.Var:
		return "field"
	case *types.Func:
		return "method"
	}
	return "unknown"
}

func objKind(obj types.Object) string {
	switch o := obj.(type) {
	case *types.Var:
		if o.IsField() {
			return "field"
		}
		return "var"
	case *types.Const:
		return "const"
	case *types.TypeName:
		return "type"
	case *types.Func:
		return "func"
	case *types.PkgName:
		return "pkgname"
	case *types.Builtin:
		return "builtin"
	case *types.Label:
		return "label"
	case *types.Nil:
		return "nil"
	}
	return "unknown"
}

// objKey names an object by its package path and the byte offset of its declaring
// identifier; universe objects are `universe`.
func objKey(fset *token.FileSet, obj types.Object) string {
	if obj == nil {
		return "none"
	}
	if obj.Pkg() == nil || !obj.Pos().IsValid() {
		return "universe"
	}
	return fmt.Sprintf("%s:%d", obj.Pkg().Path(), fset.Position(obj.Pos()).Offset)
}

func typeString(t types.Type) string {
	if t == nil {
		return "-"
	}
	var b strings.Builder
	writeType(&b, t, 0)
	return strings.ReplaceAll(b.String(), " ", "_")
}

func writeType(b *strings.Builder, t types.Type, depth int) {
	if depth > 50 {
		b.WriteString("...")
		return
	}
	switch t := t.(type) {
	case *types.Basic:
		switch t.Kind() {
		case types.Byte:
			b.WriteString("uint8")
		case types.Rune:
			b.WriteString("int32")
		case types.Invalid:
			b.WriteString("invalid")
		case types.UnsafePointer:
			b.WriteString("unsafe.Pointer")
		default:
			b.WriteString(t.Name())
		}
	case *types.Pointer:
		b.WriteString("*")
		writeType(b, t.Elem(), depth+1)
	case *types.Slice:
		b.WriteString("[]")
		writeType(b, t.Elem(), depth+1)
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		writeType(b, t.Elem(), depth+1)
	case *types.Map:
		b.WriteString("map[")
		writeType(b, t.Key(), depth+1)
		b.WriteString("]")
		writeType(b, t.Elem(), depth+1)
	case *types.Chan:
		switch t.Dir() {
		case types.SendRecv:
			b.WriteString("chan ")
		case types.SendOnly:
			b.WriteString("chan<- ")
		case types.RecvOnly:
			b.WriteString("<-chan ")
		}
		if c, ok := t.Elem().(*types.Chan); ok && t.Dir() == types.SendRecv && c.Dir() == types.RecvOnly {
			b.WriteString("(")
			writeType(b, c, depth+1)
			b.WriteString(")")
		} else {
			writeType(b, t.Elem(), depth+1)
		}
	case *types.Signature:
		b.WriteString("func")
		writeSig(b, t, depth)
	case *types.Tuple:
		writeTuple(b, t, false, depth)
	case *types.Struct:
		b.WriteString("struct{")
		for i := 0; i < t.NumFields(); i++ {
			if i > 0 {
				b.WriteString("; ")
			}
			f := t.Field(i)
			if !f.Embedded() {
				b.WriteString(f.Name())
				b.WriteString(" ")
			}
			writeType(b, f.Type(), depth+1)
		}
		b.WriteString("}")
	case *types.Interface:
		var parts []string
		for i := 0; i < t.NumExplicitMethods(); i++ {
			m := t.ExplicitMethod(i)
			var mb strings.Builder
			mb.WriteString(m.Name())
			writeSig(&mb, m.Type().(*types.Signature), depth+1)
			parts = append(parts, mb.String())
		}
		sort.Strings(parts)
		for i := 0; i < t.NumEmbeddeds(); i++ {
			var eb strings.Builder
			writeType(&eb, t.EmbeddedType(i), depth+1)
			parts = append(parts, eb.String())
		}
		b.WriteString("interface{")
		b.WriteString(strings.Join(parts, "; "))
		b.WriteString("}")
	case *types.Union:
		for i := 0; i < t.Len(); i++ {
			if i > 0 {
				b.WriteString(" | ")
			}
			term := t.Term(i)
			if term.Tilde() {
				b.WriteString("~")
			}
			writeType(b, term.Type(), depth+1)
		}
	case *types.Named:
		obj := t.Obj()
		if obj.Pkg() != nil {
			b.WriteString(obj.Pkg().Path())
			b.WriteString(".")
		}
		b.WriteString(obj.Name())
		if args := t.TypeArgs(); args != nil && args.Len() > 0 {
			b.WriteString("[")
			for i := 0; i < args.Len(); i++ {
				if i > 0 {
					b.WriteString(", ")
				}
				writeType(b, args.At(i), depth+1)
			}
			b.WriteString("]")
		}
	case *types.TypeParam:
		b.WriteString(t.Obj().Name())
	default:
		b.WriteString("?")
	}
}

func writeTuple(b *strings.Builder, t *types.Tuple, variadic bool, depth int) {
	b.WriteString("(")
	for i := 0; i < t.Len(); i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		ty := t.At(i).Type()
		if variadic && i == t.Len()-1 {
			b.WriteString("...")
			if s, ok := ty.(*types.Slice); ok {
				ty = s.Elem()
			}
		}
		writeType(b, ty, depth+1)
	}
	b.WriteString(")")
}

func writeSig(b *strings.Builder, s *types.Signature, depth int) {
	writeTuple(b, s.Params(), s.Variadic(), depth)
	if r := s.Results(); r.Len() == 1 {
		b.WriteString(" ")
		writeType(b, r.At(0).Type(), depth+1)
	} else if r.Len() > 1 {
		b.WriteString(" ")
		writeTuple(b, r, false, depth)
	}
}
