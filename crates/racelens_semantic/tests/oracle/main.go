// Command oracle prints go/types' name bindings for the racelens_semantic differential test.
//
// For each package directory given as an argument it type-checks the files go/build selects
// for the host: the package with its internal test files, then its external test package
// (`_test`), and for each prints:
//
//	P <dir> <number of type errors>
//	F <file path>                            (in order; files are numbered from 0)
//	B <file> <offset> <target>               (one per identifier go/types binds)
//
// where target is `u:<name>` for a universe object, `d:<file>:<offset>` for an object
// declared at that identifier in this package (for an import without name, the offset of its
// path), `x` for an object of another package (such as a dot-imported name), and `-` for
// what scoping alone cannot bind (fields, methods, the symbolic variable of a type switch)
// and blank identifiers, which go/types gives objects but racelens never binds.
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
)

func main() {
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	fset := token.NewFileSet()
	imp := importer.Default()
	for _, dir := range os.Args[1:] {
		bp, err := build.ImportDir(dir, 0)
		if err != nil {
			continue
		}
		// The package with its internal tests, then its external test package.
		pkgFiles := append(append(append([]string{}, bp.GoFiles...), bp.CgoFiles...), bp.TestGoFiles...)
		check(out, fset, imp, dir, bp.ImportPath, pkgFiles)
		check(out, fset, imp, dir, bp.ImportPath+"_test", bp.XTestGoFiles)
	}
}

func check(out *bufio.Writer, fset *token.FileSet, imp types.Importer, dir, importPath string, names []string) {
	if len(names) == 0 {
		return
	}
	var files []*ast.File
	index := map[*token.File]int{}
	for _, name := range names {
		path := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		index[fset.File(f.Pos())] = len(files)
		files = append(files, f)
	}
	errors := 0
	conf := types.Config{Importer: imp, FakeImportC: true, Error: func(error) { errors++ }}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	conf.Check(importPath, fset, files, info)
	// go/types records nothing for parts of expressions it could not type-check.
	fmt.Fprintf(out, "P %s %d\n", dir, errors)
	for _, f := range files {
		fmt.Fprintf(out, "F %s\n", fset.File(f.Pos()).Name())
	}
	target := func(obj types.Object) string {
		if obj == nil || obj.Name() == "_" {
			// Blank identifiers declare nothing racelens can refer to.
			return "-"
		}
		if obj.Parent() == types.Universe {
			return "u:" + obj.Name()
		}
		switch o := obj.(type) {
		case *types.Var:
			if o.IsField() {
				return "-"
			}
		case *types.Func:
			if o.Type().(*types.Signature).Recv() != nil {
				return "-"
			}
		}
		if obj.Pkg() != nil && obj.Pkg().Path() != importPath && !isLocal(obj) {
			return "x"
		}
		tf := fset.File(obj.Pos())
		fi, ok := index[tf]
		if !ok {
			return "x"
		}
		return fmt.Sprintf("d:%d:%d", fi, tf.Offset(obj.Pos()))
	}
	methodDecls := map[*ast.Ident]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil {
				methodDecls[fd.Name] = true
			}
		}
	}
	seen := map[*ast.Ident]bool{}
	emit := func(id *ast.Ident, obj types.Object) {
		if seen[id] {
			return
		}
		seen[id] = true
		tf := fset.File(id.Pos())
		fi, ok := index[tf]
		if !ok {
			return
		}
		fmt.Fprintf(out, "B %d %d %s\n", fi, tf.Offset(id.Pos()), target(obj))
	}
	// An embedded field's identifier is in both maps: the type it uses wins.
	for id, obj := range info.Uses {
		emit(id, obj)
	}
	for id, obj := range info.Defs {
		if methodDecls[id] {
			// A method declaration: racelens_semantic gives its name a Method def; an
			// interface method's name is a member, like a field's.
			tf := fset.File(id.Pos())
			if fi, ok := index[tf]; ok && !seen[id] {
				seen[id] = true
				fmt.Fprintf(out, "B %d %d d:%d:%d\n", fi, tf.Offset(id.Pos()), fi, tf.Offset(id.Pos()))
			}
			continue
		}
		emit(id, obj)
	}
}

// isLocal reports whether obj is a package name (imports belong to the importing file).
func isLocal(obj types.Object) bool {
	_, ok := obj.(*types.PkgName)
	return ok
}
