package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"

	"github.com/fedwasm/fedwasm/federation"
)

func init() {
	commands = append(commands, command{
		name:    "version",
		purpose: "Print fedwasm's version (the runtime's fedwasm.version) and the Go it was built with.",
		example: "fedwasm version",
		flags: func(*flag.FlagSet) func([]string, io.Writer) error {
			return func(args []string, stdout io.Writer) error {
				if err := noArgs(args); err != nil {
					return err
				}
				_, err := fmt.Fprintf(stdout, "fedwasm %s (%s)\n", federation.Version, runtime.Version())
				return err
			}
		},
	})
}
