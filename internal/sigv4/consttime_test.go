package sigv4

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConstantTimeComparisons reads the package's source: the client's signature and
// session token are compared only through hmac.Equal and subtle.ConstantTimeCompare, never
// with == or !=, so a timing attack cannot guess them byte by byte.
func TestConstantTimeComparisons(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	calls := map[string]map[string]bool{} // function → called selectors
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, name, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			called := map[string]bool{}
			calls[fn.Name.Name] = called
			ast.Inspect(fn, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
						if x, ok := sel.X.(*ast.Ident); ok {
							called[x.Name+"."+sel.Sel.Name] = true
						}
					} else if id, ok := n.Fun.(*ast.Ident); ok {
						called[id.Name] = true
					}
				case *ast.BinaryExpr:
					if n.Op != token.EQL && n.Op != token.NEQ {
						return true
					}
					for _, side := range []ast.Expr{n.X, n.Y} {
						if sel, ok := side.(*ast.SelectorExpr); ok && (sel.Sel.Name == "signature" || sel.Sel.Name == "SessionToken" && isCompared(n)) {
							t.Errorf("%s: %s compared with %s", fset.Position(n.Pos()), sel.Sel.Name, n.Op)
						}
					}
				}
				return true
			})
		}
	}
	if !calls["signatureEqual"]["hmac.Equal"] {
		t.Error("signatureEqual does not use hmac.Equal")
	}
	if !calls["checkToken"]["subtle.ConstantTimeCompare"] {
		t.Error("checkToken does not use subtle.ConstantTimeCompare")
	}
	if !calls["verify"]["signatureEqual"] {
		t.Error("verify does not compare through signatureEqual")
	}
}

// isCompared: SessionToken == "" (is it set?) is no secret comparison.
func isCompared(b *ast.BinaryExpr) bool {
	for _, side := range []ast.Expr{b.X, b.Y} {
		if lit, ok := side.(*ast.BasicLit); ok && lit.Value == `""` {
			return false
		}
	}
	return true
}
