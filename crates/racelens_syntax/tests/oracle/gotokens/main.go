// Command gotokens is the oracle of racelens's lexer differential test: it prints what
// Go 1.19's go/scanner (mode ScanComments) and go/parser's comment grouping make of each file.
//
// Usage:
//
//	gotokens -list FILE    # FILE holds one path per line; one block per path on stdout
//	gotokens -unicode      # prints the Rust tables of src/unicode_tables.rs
//
// A block is
//
//	=== PATH
//	T START END TOKEN [nl]     one per non-comment token, "nl" for an inserted semicolon
//	E OFFSET MESSAGE           one per scanner error, in the order reported
//	G START END C1START-C1END ...   one per comment group
//
// Offsets are raw byte offsets (//line directives do not change them). Ends are computed from
// the source: go/scanner strips '\r' from raw strings and comments, so len(lit) may be short.
// Comment groups are computed from the token stream with go/parser's grouping rules on raw
// lines; when go/parser accepts the file and it has no line directives, the groups of
// go/parser itself are checked against them and a line starting with "!" reports a difference.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/parser"
	"go/scanner"
	"go/token"
	"os"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

func main() {
	list := flag.String("list", "", "file holding the paths to scan, one per line")
	uni := flag.Bool("unicode", false, "print the Rust Unicode tables")
	flag.Parse()
	if *uni {
		printTables()
		return
	}
	if *list == "" {
		fmt.Fprintln(os.Stderr, "usage: gotokens -list FILE | -unicode")
		os.Exit(2)
	}
	paths, err := os.ReadFile(*list)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	defer w.Flush()
	for _, path := range strings.Split(string(paths), "\n") {
		if path == "" {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		w.WriteString("=== ")
		w.WriteString(path)
		w.WriteByte('\n')
		dump(w, path, src)
	}
}

type tok struct {
	off int
	tok token.Token
	lit string
}

var escaper = strings.NewReplacer("\\", "\\\\", "\n", "\\n")

func dump(w *bufio.Writer, path string, src []byte) {
	fset := token.NewFileSet()
	file := fset.AddFile(path, -1, len(src))
	var errs []byte
	var s scanner.Scanner
	s.Init(file, src, func(pos token.Position, msg string) {
		errs = append(errs, "E "...)
		errs = strconv.AppendInt(errs, int64(pos.Offset), 10)
		errs = append(errs, ' ')
		errs = append(errs, escaper.Replace(msg)...)
		errs = append(errs, '\n')
	}, scanner.ScanComments)

	var toks []tok
	var buf []byte
	for {
		pos, t, lit := s.Scan()
		off := file.Offset(pos)
		toks = append(toks, tok{off, t, lit})
		if t == token.COMMENT {
			continue // Comments are printed in their groups.
		}
		buf = append(buf[:0], "T "...)
		buf = strconv.AppendInt(buf, int64(off), 10)
		buf = append(buf, ' ')
		buf = strconv.AppendInt(buf, int64(tokEnd(src, off, t, lit)), 10)
		buf = append(buf, ' ')
		buf = append(buf, t.String()...)
		if t == token.SEMICOLON && lit == "\n" {
			buf = append(buf, " nl"...)
		}
		buf = append(buf, '\n')
		w.Write(buf)
		if t == token.EOF {
			break
		}
	}
	w.Write(errs)

	groups := group(file, toks)
	for _, g := range groups {
		buf = append(buf[:0], 'G', ' ')
		buf = strconv.AppendInt(buf, int64(g[0].off), 10)
		buf = append(buf, ' ')
		last := g[len(g)-1]
		buf = strconv.AppendInt(buf, int64(tokEnd(src, last.off, last.tok, last.lit)), 10)
		for _, c := range g {
			buf = append(buf, ' ')
			buf = strconv.AppendInt(buf, int64(c.off), 10)
			buf = append(buf, '-')
			buf = strconv.AppendInt(buf, int64(tokEnd(src, c.off, c.tok, c.lit)), 10)
		}
		buf = append(buf, '\n')
		w.Write(buf)
	}
	checkParser(w, path, src, groups)
}

// tokEnd is the raw end offset of the token at off.
func tokEnd(src []byte, off int, t token.Token, lit string) int {
	switch t {
	case token.EOF:
		return off
	case token.SEMICOLON:
		if lit == "\n" {
			return off
		}
		return off + 1
	case token.ILLEGAL:
		_, n := utf8.DecodeRune(src[off:])
		return off + n
	case token.COMMENT:
		if src[off+1] == '/' {
			if i := bytes.IndexByte(src[off:], '\n'); i >= 0 {
				return off + i
			}
			return len(src)
		}
		if i := bytes.Index(src[off+2:], []byte("*/")); i >= 0 {
			return off + 2 + i + 2
		}
		return len(src)
	case token.STRING:
		if src[off] == '`' {
			if i := bytes.IndexByte(src[off+1:], '`'); i >= 0 {
				return off + 1 + i + 1
			}
			return len(src)
		}
		return off + len(lit)
	case token.IDENT, token.INT, token.FLOAT, token.IMAG, token.CHAR:
		return off + len(lit)
	}
	return off + len(t.String())
}

// group mirrors go/parser's next, consumeCommentGroup and consumeComment on raw lines.
func group(file *token.File, toks []tok) [][]tok {
	line := func(off int) int {
		return file.PositionFor(file.Pos(off), false).Line
	}
	var groups [][]tok
	i := 0
	consume := func(n int) {
		var list []tok
		endline := line(toks[i].off)
		for toks[i].tok == token.COMMENT && line(toks[i].off) <= endline+n {
			c := toks[i]
			endline = line(c.off)
			if c.lit[1] == '*' {
				endline += strings.Count(c.lit, "\n")
			}
			list = append(list, c)
			i++
		}
		groups = append(groups, list)
	}
	prevLine := 0 // the line of token.NoPos
	for i < len(toks) {
		if toks[i].tok == token.COMMENT {
			if line(toks[i].off) == prevLine {
				consume(0)
			}
			for toks[i].tok == token.COMMENT {
				consume(1)
			}
		}
		prevLine = line(toks[i].off)
		i++
	}
	return groups
}

// checkParser compares the groups with go/parser's own where that is meaningful.
func checkParser(w *bufio.Writer, path string, src []byte, groups [][]tok) {
	if bytes.Contains(src, []byte("line ")) && (bytes.Contains(src, []byte("//line ")) || bytes.Contains(src, []byte("/*line "))) {
		return // go/parser counts lines as the directives say
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return // go/parser may stop early and miss comments
	}
	var want, got []string
	for _, g := range groups {
		var s []string
		for _, c := range g {
			s = append(s, strconv.Itoa(c.off))
		}
		want = append(want, strings.Join(s, ","))
	}
	for _, g := range f.Comments {
		var s []string
		for _, c := range g.List {
			s = append(s, strconv.Itoa(fset.Position(c.Slash).Offset))
		}
		got = append(got, strings.Join(s, ","))
	}
	if strings.Join(want, " ") != strings.Join(got, " ") {
		fmt.Fprintf(w, "! go/parser groups comments differently: %v vs %v\n", got, want)
	}
}

// printTables prints the non-ASCII ranges of unicode.IsLetter, unicode.IsDigit and
// strconv.IsPrint as Rust source.
func printTables() {
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	fmt.Fprintf(w, "//! Unicode %s tables of Go's unicode and strconv packages for the lexer, generated by\n", unicode.Version)
	fmt.Fprintln(w, "//! `gotokens -unicode`")
	fmt.Fprintln(w, "//! (crates/racelens_syntax/tests/oracle/gotokens); the differential test checks they are current.")
	fmt.Fprintln(w, "//!")
	fmt.Fprintln(w, "//! Each table holds the sorted, disjoint inclusive ranges of the non-ASCII code points with the")
	fmt.Fprintln(w, "//! property: Go's `unicode.IsLetter`, `unicode.IsDigit` and `strconv.IsPrint`.")
	table := func(name, doc string, pred func(rune) bool) {
		fmt.Fprintf(w, "\n/// %s\n#[rustfmt::skip]\npub(crate) static %s: &[(u32, u32)] = &[\n", doc, name)
		n := 0
		for r := rune(utf8.RuneSelf); r <= unicode.MaxRune; r++ {
			if !pred(r) {
				continue
			}
			lo := r
			for r+1 <= unicode.MaxRune && pred(r+1) {
				r++
			}
			if n%4 == 0 {
				w.WriteString("   ")
			}
			fmt.Fprintf(w, " (0x%X, 0x%X),", lo, r)
			n++
			if n%4 == 0 {
				w.WriteString("\n")
			}
		}
		if n%4 != 0 {
			w.WriteString("\n")
		}
		w.WriteString("];\n")
	}
	table("LETTER", "`unicode.IsLetter`: general category L.", unicode.IsLetter)
	table("DIGIT", "`unicode.IsDigit`: general category Nd.", unicode.IsDigit)
	table("PRINT", "`strconv.IsPrint`: L, M, N, P, S and U+0020.", strconv.IsPrint)
}
