// Command mergeexec runs a GOOS=js GOARCH=wasm binary in the form runtime.wasm
// ships in: it joins the binary's data segments in place, as the runtime
// build does (runtimebuild.MergeDataSegments), then runs the command it is
// given with the binary and the rest of its arguments. ./build.sh runs the
// wasm tests in Chromium through it:
//
//	go test -exec="mergeexec wasmbrowsertest" ./jsbridge/
package main

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/fedwasm/fedwasm/internal/runtimebuild"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: mergeexec COMMAND WASM-BINARY [ARGUMENTS...]  (as go test -exec=\"mergeexec COMMAND\")")
		os.Exit(2)
	}
	if err := runtimebuild.MergeDataSegmentsOf(os.Args[2], os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "mergeexec: %s: %v\n", os.Args[2], err)
		os.Exit(1)
	}
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		if exit, ok := err.(*exec.ExitError); ok {
			os.Exit(exit.ExitCode())
		}
		fmt.Fprintf(os.Stderr, "mergeexec: running %s: %v\n", os.Args[1], err)
		os.Exit(1)
	}
}
