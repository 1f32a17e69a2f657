package main

import (
	"flag"
	"io"

	"github.com/fedwasm/fedwasm/internal/runtimebuild"
)

func init() {
	commands = append(commands, command{
		name: "build",
		purpose: "Write the runtime to dist/fedwasm, with Go only.\n\n" +
			"It writes loader.js, runtime.<hash>.wasm, wasm_exec.<hash>.js, broker.<hash>.js (with .br\n" +
			"and .gz copies) and fedwasm.d.ts. An unchanged tree is not rebuilt; otherwise it names the\n" +
			"inputs that changed.",
		example: "fedwasm build -root .",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer) error {
			root := fs.String("root", ".", "the fedwasm repository (its go.mod, wasm/ and loader/)")
			return func(args []string, stdout io.Writer) error {
				if err := noArgs(args); err != nil {
					return err
				}
				return runtimebuild.Build(*root, stdout)
			}
		},
	})
}
