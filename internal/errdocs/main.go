// Command errdocs writes what users read about error codes from
// federation/errcode's Catalog: docs/errors.md, and the FedwasmErrorCode union
// in loader/fedwasm.d.ts. Run it with `go generate ./federation/errcode`; the
// package's test fails when either file is out of date.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

const (
	docsPath  = "docs/errors.md"
	typesPath = "loader/fedwasm.d.ts"
	// The union sits between these lines in fedwasm.d.ts; the rest of the
	// file is written by hand.
	unionBegin = "// BEGIN FedwasmErrorCode: written by go generate ./federation/errcode from federation/errcode/catalog.go"
	unionEnd   = "// END FedwasmErrorCode"
)

func main() {
	root := flag.String("root", ".", "the repository root")
	flag.Parse()
	if err := write(*root); err != nil {
		fmt.Fprintln(os.Stderr, "errdocs:", err)
		os.Exit(1)
	}
}

// write renders both files under root.
func write(root string) error {
	if err := os.WriteFile(filepath.Join(root, docsPath), markdown(errcode.Catalog), 0o644); err != nil {
		return err
	}
	types, err := os.ReadFile(filepath.Join(root, typesPath))
	if err != nil {
		return err
	}
	updated, err := withUnion(types, errcode.Catalog)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(root, typesPath), updated, 0o644)
}

// markdown is docs/errors.md: an index, then one section per code whose
// heading is the anchor errcode.Anchor names.
func markdown(catalog []errcode.Entry) []byte {
	var b bytes.Buffer
	b.WriteString("<!-- Written by `go generate ./federation/errcode` from federation/errcode/catalog.go; edit that file, not this one. -->\n")
	b.WriteString("# Error codes\n\n")
	b.WriteString("Every failure fedwasm reports is a `FedwasmError` (or a warning in `fedwasm.inspect().warnings` and the\n")
	b.WriteString("`fedwasm:warning` event) with a stable `code`, a `message` that says what happened, where and what to do,\n")
	b.WriteString("and `details` for code. Each message ends with its code's section here, e.g.\n")
	b.WriteString("`(see " + errcode.Anchor(errcode.ShareNotFound) + ")`. In TypeScript, `code` is the `FedwasmErrorCode` union.\n\n")
	b.WriteString("| code | what happened |\n|---|---|\n")
	for _, e := range catalog {
		fmt.Fprintf(&b, "| [`%s`](#%s) | %s |\n", e.Code, strings.ToLower(e.Code), firstSentence(e.Happened))
	}
	for _, e := range catalog {
		fmt.Fprintf(&b, "\n## %s\n\n", e.Code)
		fmt.Fprintf(&b, "**What happened.** %s\n\n", e.Happened)
		b.WriteString("**Usual causes.**\n\n")
		for _, c := range e.Causes {
			fmt.Fprintf(&b, "- %s\n", c)
		}
		fmt.Fprintf(&b, "\n**Fix.** %s\n\n", e.Fix)
		example := errcode.New(e.Code, nil, e.Example)
		fmt.Fprintf(&b, "**Example.**\n\n```text\n%s\n```\n", example.Error())
	}
	return b.Bytes()
}

// firstSentence is text up to and including its first ". ", for the index.
func firstSentence(text string) string {
	if i := strings.Index(text, ". "); i >= 0 {
		return text[:i+1]
	}
	return text
}

// withUnion is types with the lines between unionBegin and unionEnd replaced
// by the union of catalog's codes.
func withUnion(types []byte, catalog []errcode.Entry) ([]byte, error) {
	text := string(types)
	begin := strings.Index(text, unionBegin)
	end := strings.Index(text, unionEnd)
	if begin < 0 || end < begin {
		return nil, fmt.Errorf("%s has no %q ... %q block for the error code union", typesPath, unionBegin, unionEnd)
	}
	var b strings.Builder
	b.WriteString(unionBegin + "\n")
	b.WriteString("/** Every code fedwasm's errors and warnings carry; each is documented in docs/errors.md. */\n")
	b.WriteString("export type FedwasmErrorCode =\n")
	for i, e := range catalog {
		b.WriteString("  | '" + e.Code + "'")
		if i == len(catalog)-1 {
			b.WriteString(";")
		}
		b.WriteString("\n")
	}
	return []byte(text[:begin] + b.String() + text[end:]), nil
}
