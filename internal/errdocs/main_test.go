package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

const root = "../.."

// TestFilesCurrent fails when docs/errors.md or the union in fedwasm.d.ts
// differs from what the catalog renders.
func TestFilesCurrent(t *testing.T) {
	docs, err := os.ReadFile(filepath.Join(root, docsPath))
	if err != nil {
		t.Fatal(err)
	}
	if string(docs) != string(markdown(errcode.Catalog)) {
		t.Errorf("%s is out of date with federation/errcode/catalog.go; run go generate ./federation/errcode", docsPath)
	}
	types, err := os.ReadFile(filepath.Join(root, typesPath))
	if err != nil {
		t.Fatal(err)
	}
	want, err := withUnion(types, errcode.Catalog)
	if err != nil {
		t.Fatal(err)
	}
	if string(types) != string(want) {
		t.Errorf("the FedwasmErrorCode union in %s is out of date; run go generate ./federation/errcode", typesPath)
	}
}

// TestEveryCodeHasEntry reads the code constants from errcode's source, so a
// code added there without a catalog entry fails here.
func TestEveryCodeHasEntry(t *testing.T) {
	declared := declaredCodes(t)
	var cataloged []string
	for _, e := range errcode.Catalog {
		cataloged = append(cataloged, e.Code)
		if e.Happened == "" || e.Fix == "" || e.Example == "" || len(e.Causes) == 0 {
			t.Errorf("catalog entry %s lacks what happened, causes, fix or example: %+v", e.Code, e)
		}
		if strings.Contains(e.Example, "docs/errors.md") {
			t.Errorf("catalog entry %s: the example should be the message without its anchor, which is added when shown", e.Code)
		}
	}
	for _, code := range declared {
		if !slices.Contains(cataloged, code) {
			t.Errorf("code %s is declared in federation/errcode but has no entry in Catalog (federation/errcode/catalog.go)", code)
		}
	}
	if !slices.Equal(declared, cataloged) {
		t.Errorf("Catalog codes = %v,\nwant the declared codes in their order: %v", cataloged, declared)
	}
}

// declaredCodes is the values of errcode's string constants, in source order.
func declaredCodes(t *testing.T) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), filepath.Join(root, "federation/errcode/errcode.go"), nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, decl := range file.Decls {
		gen, ok := decl.(*ast.GenDecl)
		if !ok || gen.Tok != token.CONST {
			continue
		}
		for _, spec := range gen.Specs {
			for _, v := range spec.(*ast.ValueSpec).Values {
				if lit, ok := v.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					code, _ := strconv.Unquote(lit.Value)
					codes = append(codes, code)
				}
			}
		}
	}
	if len(codes) == 0 {
		t.Fatal("found no code constants in federation/errcode/errcode.go")
	}
	return codes
}

// TestMessagesPointInsideRepository: a message that sends its reader to a
// document outside the repository (the design notes) cannot be followed by
// users; they get docs/errors.md instead.
func TestMessagesPointInsideRepository(t *testing.T) {
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") && path != root || d.Name() == "node_modules" || d.Name() == "dist") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && (strings.Contains(lit.Value, "DESIGN") || strings.Contains(lit.Value, "../shared")) {
				t.Errorf("%s: string %s points to a document outside the repository", path, lit.Value)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
