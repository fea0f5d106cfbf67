// Command godump is racelens's differential oracle: it parses Go files with go/parser and
// prints, for each, a dump of every node's kind and byte span (or a hash of that dump) in
// the exact format that racelens_syntax's dump module produces from its own tree.
//
// Usage:
//
//	godump -hash < paths     one line per path: "OK <hash> <nodecount> <path>" or
//	                         "ERR <path>\t<offset>:<message>", in input order
//	godump FILE              the full dump of one file
//	godump -bench FILE...    (or paths on stdin) time go/parser on one thread over all files
//
// The dump has one line per node, pre-order, in ast.Walk's child order, comments skipped:
// "<Kind> <start> <end>[ <detail>]", offsets 0-based (-1 for NoPos). Then one line per
// comment group and comment of File.Comments. The hash is FNV-1a 64 over the dump bytes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"hash/fnv"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

const mode = parser.ParseComments | parser.SkipObjectResolution

func main() {
	hashMode := flag.Bool("hash", false, "read paths from stdin, print one hash line per file")
	benchMode := flag.Bool("bench", false, "time go/parser single-threaded over the files")
	resolve := flag.Bool("resolve", false, "with -bench: also resolve identifiers, go/parser's default mode")
	flag.Parse()
	switch {
	case *hashMode:
		hashAll(readPaths())
	case *benchMode:
		paths := flag.Args()
		if len(paths) == 0 {
			paths = readPaths()
		}
		benchMode := mode
		if *resolve {
			benchMode = parser.ParseComments
		}
		bench(paths, benchMode)
	case flag.NArg() == 1:
		src, err := os.ReadFile(flag.Arg(0))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, flag.Arg(0), src, mode)
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s\n", firstError(fset, err))
		}
		if f != nil {
			out := bufio.NewWriter(os.Stdout)
			// The file is the first and only one of its FileSet, so its base is 1.
			d := &dumper{buf: make([]byte, 0, 1<<16), base: 1}
			d.file(f)
			out.Write(d.buf)
			out.Flush()
		}
		if err != nil {
			os.Exit(1)
		}
	default:
		fmt.Fprintln(os.Stderr, "usage: godump -hash < paths | godump FILE | godump -bench FILE...")
		os.Exit(2)
	}
}

func readPaths() []string {
	var paths []string
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		if line := sc.Text(); line != "" {
			paths = append(paths, line)
		}
	}
	return paths
}

// firstError renders the first parse error as "offset:message".
func firstError(fset *token.FileSet, err error) string {
	if list, ok := err.(scanner.ErrorList); ok && len(list) > 0 {
		return strconv.Itoa(list[0].Pos.Offset) + ":" + list[0].Msg
	}
	return "-1:" + err.Error()
}

// hashOne parses one file and returns its result line (without the trailing newline).
func hashOne(path string) string {
	src, err := os.ReadFile(path)
	if err != nil {
		return "ERR " + path + "\t-1:" + err.Error()
	}
	fset := token.NewFileSet()
	// The file is the first and only one of its FileSet, so its base is 1.
	f, err := parser.ParseFile(fset, path, src, mode)
	if err != nil {
		return "ERR " + path + "\t" + firstError(fset, err)
	}
	d := &dumper{buf: make([]byte, 0, len(src)*2), base: 1}
	d.file(f)
	h := fnv.New64a()
	h.Write(d.buf)
	return fmt.Sprintf("OK %016x %d %s", h.Sum64(), d.nodes, path)
}

// hashAll hashes the files with a few goroutines and prints the lines in input order.
func hashAll(paths []string) {
	results := make([]string, len(paths))
	done := make([]chan struct{}, len(paths))
	for i := range done {
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i] = hashOne(paths[i])
				close(done[i])
			}
		}()
	}
	go func() {
		for i := range paths {
			next <- i
		}
		close(next)
	}()
	out := bufio.NewWriter(os.Stdout)
	for i := range paths {
		<-done[i]
		out.WriteString(results[i])
		out.WriteByte('\n')
	}
	out.Flush()
	wg.Wait()
}

func bench(paths []string, mode parser.Mode) {
	srcs := make([][]byte, len(paths))
	total := 0
	for i, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			continue
		}
		srcs[i] = src
		total += len(src)
	}
	runtime.GOMAXPROCS(1)
	runtime.GC()
	start := time.Now()
	for i, src := range srcs {
		if src == nil {
			continue
		}
		fset := token.NewFileSet()
		parser.ParseFile(fset, paths[i], src, mode)
	}
	secs := time.Since(start).Seconds()
	fmt.Printf("%d bytes, %.3f s, %.1f MB/s\n", total, secs, float64(total)/1e6/secs)
}

type dumper struct {
	buf   []byte
	base  int
	nodes int
}

func (d *dumper) offset(p token.Pos) int {
	if !p.IsValid() {
		return -1
	}
	return int(p) - d.base
}

// line appends "<kind> <start> <end>[ <detail>]\n".
func (d *dumper) line(kind string, n ast.Node, detail string) {
	d.buf = append(d.buf, kind...)
	d.buf = append(d.buf, ' ')
	d.buf = strconv.AppendInt(d.buf, int64(d.offset(n.Pos())), 10)
	d.buf = append(d.buf, ' ')
	d.buf = strconv.AppendInt(d.buf, int64(d.offset(n.End())), 10)
	if detail != "" {
		d.buf = append(d.buf, ' ')
		d.buf = append(d.buf, detail...)
	}
	d.buf = append(d.buf, '\n')
}

func (d *dumper) file(f *ast.File) {
	ast.Walk(d, f)
	for _, g := range f.Comments {
		d.line("CommentGroup", g, "")
		for _, c := range g.List {
			d.line("Comment", c, "")
		}
	}
}

// Visit implements ast.Visitor: it prints the node and returns d to walk its children,
// except for comments, which are printed after the tree from File.Comments.
func (d *dumper) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		return nil
	}
	var kind, detail string
	switch n := n.(type) {
	case *ast.Comment, *ast.CommentGroup:
		return nil
	case *ast.File:
		kind = "File"
	case *ast.Field:
		kind = "Field"
	case *ast.FieldList:
		kind = "FieldList"
	case *ast.BadExpr:
		kind = "BadExpr"
	case *ast.Ident:
		kind, detail = "Ident", n.Name
	case *ast.Ellipsis:
		kind = "Ellipsis"
	case *ast.BasicLit:
		kind, detail = "BasicLit", n.Kind.String()
	case *ast.FuncLit:
		kind = "FuncLit"
	case *ast.CompositeLit:
		kind = "CompositeLit"
	case *ast.ParenExpr:
		kind = "ParenExpr"
	case *ast.SelectorExpr:
		kind = "SelectorExpr"
	case *ast.IndexExpr:
		kind = "IndexExpr"
	case *ast.IndexListExpr:
		kind = "IndexListExpr"
	case *ast.SliceExpr:
		kind, detail = "SliceExpr", "2"
		if n.Slice3 {
			detail = "3"
		}
	case *ast.TypeAssertExpr:
		kind = "TypeAssertExpr"
	case *ast.CallExpr:
		kind = "CallExpr"
	case *ast.StarExpr:
		kind = "StarExpr"
	case *ast.UnaryExpr:
		kind, detail = "UnaryExpr", n.Op.String()
	case *ast.BinaryExpr:
		kind, detail = "BinaryExpr", n.Op.String()
	case *ast.KeyValueExpr:
		kind = "KeyValueExpr"
	case *ast.ArrayType:
		kind = "ArrayType"
	case *ast.StructType:
		kind = "StructType"
	case *ast.FuncType:
		kind = "FuncType"
	case *ast.InterfaceType:
		kind = "InterfaceType"
	case *ast.MapType:
		kind = "MapType"
	case *ast.ChanType:
		kind, detail = "ChanType", strconv.Itoa(int(n.Dir))
	case *ast.BadStmt:
		kind = "BadStmt"
	case *ast.DeclStmt:
		kind = "DeclStmt"
	case *ast.EmptyStmt:
		kind, detail = "EmptyStmt", "explicit"
		if n.Implicit {
			detail = "implicit"
		}
	case *ast.LabeledStmt:
		kind = "LabeledStmt"
	case *ast.ExprStmt:
		kind = "ExprStmt"
	case *ast.SendStmt:
		kind = "SendStmt"
	case *ast.IncDecStmt:
		kind, detail = "IncDecStmt", n.Tok.String()
	case *ast.AssignStmt:
		kind, detail = "AssignStmt", n.Tok.String()
	case *ast.GoStmt:
		kind = "GoStmt"
	case *ast.DeferStmt:
		kind = "DeferStmt"
	case *ast.ReturnStmt:
		kind = "ReturnStmt"
	case *ast.BranchStmt:
		kind, detail = "BranchStmt", n.Tok.String()
	case *ast.BlockStmt:
		kind = "BlockStmt"
	case *ast.IfStmt:
		kind = "IfStmt"
	case *ast.CaseClause:
		kind, detail = "CaseClause", "case"
		if n.List == nil {
			detail = "default"
		}
	case *ast.SwitchStmt:
		kind = "SwitchStmt"
	case *ast.TypeSwitchStmt:
		kind = "TypeSwitchStmt"
	case *ast.CommClause:
		kind, detail = "CommClause", "case"
		if n.Comm == nil {
			detail = "default"
		}
	case *ast.SelectStmt:
		kind = "SelectStmt"
	case *ast.ForStmt:
		kind = "ForStmt"
	case *ast.RangeStmt:
		kind, detail = "RangeStmt", n.Tok.String()
	case *ast.ImportSpec:
		kind = "ImportSpec"
	case *ast.ValueSpec:
		kind = "ValueSpec"
	case *ast.TypeSpec:
		kind, detail = "TypeSpec", "type"
		if n.Assign.IsValid() {
			detail = "alias"
		}
	case *ast.BadDecl:
		kind = "BadDecl"
	case *ast.GenDecl:
		kind, detail = "GenDecl", n.Tok.String()
	case *ast.FuncDecl:
		kind = "FuncDecl"
	default:
		kind = fmt.Sprintf("%T", n)
	}
	d.nodes++
	d.line(kind, n, detail)
	return d
}
