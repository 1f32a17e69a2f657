// Command fedwasm builds, checks and serves a fedwasm federation.
//
//	fedwasm build    write the runtime (dist/fedwasm) with Go only
//	fedwasm check    resolve a config's share scope as the page will and print why each version was chosen
//	fedwasm migrate  write federation.json and ES modules of the shared packages from a webpack project
//	fedwasm serve    serve the runtime, the remotes' files and the registry over HTTP
//	fedwasm version  print the version
//	fedwasm help     print this, or a command's help
//
// Every command takes -h. Exit status: 0 success, 1 failure (a build error,
// a strict share mismatch), 2 bad usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// command is one subcommand: its arguments, purpose, an example, and flags,
// which declares its flags and returns what it does with the arguments left.
type command struct {
	name, args, purpose, example string
	flags                        func(fs *flag.FlagSet) func(args []string, stdout io.Writer) error
}

// commands are filled by each command's file.
var commands []command

// usageError is bad usage: its message is shown with the command's help and
// the exit status is 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errFailed is a failure already reported on stdout (check's table says what
// failed); only the exit status is left to set.
var errFailed = errors.New("failed")

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		if len(args) == 1 {
			usage(stdout)
			return 0
		}
		if c, ok := lookup(args[1]); ok && len(args) == 2 {
			fs := c.flagSet(stdout)
			c.flags(fs)
			c.usage(stdout, fs)
			return 0
		}
		fmt.Fprintf(stderr, "fedwasm help: no command %q\n\n", strings.Join(args[1:], " "))
		usage(stderr)
		return 2
	}
	c, ok := lookup(args[0])
	if !ok {
		fmt.Fprintf(stderr, "fedwasm: no command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	fs := c.flagSet(stderr)
	do := c.flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			c.usage(stdout, fs)
			return 0
		}
		return 2 // the flag package printed the error and the usage
	}
	err := do(fs.Args(), stdout)
	var bad usageError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &bad):
		fmt.Fprintf(stderr, "fedwasm %s: %s\n\n", c.name, bad.msg)
		c.usage(stderr, fs)
		return 2
	case errors.Is(err, errFailed):
		return 1
	default:
		fmt.Fprintf(stderr, "fedwasm %s: %v\n", c.name, err)
		return 1
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// flagSet is an empty flag set for c whose errors and usage go to output.
func (c command) flagSet(output io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("fedwasm "+c.name, flag.ContinueOnError)
	fs.SetOutput(output)
	fs.Usage = func() { c.usage(output, fs) }
	return fs
}

// usage prints c's synopsis, purpose, example and flags.
func (c command) usage(w io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: fedwasm %s [flags] %s\n\n%s\n\nexample:\n  %s\n", c.name, c.args, c.purpose, c.example)
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// usage prints the list of commands.
func usage(w io.Writer) {
	fmt.Fprint(w, "fedwasm builds, checks and serves a fedwasm micro-frontend federation.\n\nusage: fedwasm <command> [flags] [arguments]\n\ncommands:\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, strings.SplitN(c.purpose, "\n", 2)[0])
	}
	fmt.Fprint(w, "\n`fedwasm help <command>` or `fedwasm <command> -h` shows a command's flags and an example.\nExit status: 0 success, 1 failure, 2 bad usage.\n")
}

// noArgs refuses stray arguments of a command that takes none.
func noArgs(args []string) error {
	if len(args) > 0 {
		return usageError{"unexpected arguments: " + strings.Join(args, " ")}
	}
	return nil
}
