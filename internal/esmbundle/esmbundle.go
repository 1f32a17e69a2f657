// Package esmbundle turns npm packages into ES modules a browser imports,
// with esbuild's Go API: one bundle per package, CommonJS packages (React)
// given named exports, and the other shared packages left as bare imports so
// every bundle uses the one shared copy. The demo's build step and
// `fedwasm migrate` use it.
package esmbundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"

	"github.com/evanw/esbuild/pkg/api"
)

// Build bundles opts as production ES modules for browsers, whitespace
// minified, and writes them; an error is the first esbuild reports, with
// where it is, after what.
func Build(what string, opts api.BuildOptions) error {
	opts.Define = map[string]string{"process.env.NODE_ENV": `"production"`}
	opts.Bundle, opts.Format, opts.Platform, opts.Target = true, api.FormatESModule, api.PlatformBrowser, api.ES2020
	opts.MinifyWhitespace, opts.Write, opts.LogLevel = true, true, api.LogLevelWarning
	result := api.Build(opts)
	if len(result.Errors) == 0 {
		return nil
	}
	e := result.Errors[0]
	where := ""
	if e.Location != nil {
		where = fmt.Sprintf("%s:%d: ", e.Location.File, e.Location.Line)
	}
	return fmt.Errorf("%s: esbuild: %s%s", what, where, e.Text)
}

// Identifier matches a JavaScript identifier in ASCII: the export names an
// ES module can declare with const, a global a script can define.
var Identifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

// CJSEntry generates an ES module entry for the CommonJS module spec: the
// module object as default export plus each of its keys as a named export,
// so both `import React from 'react'` and `import { useState } from 'react'`
// work. The keys are those of the production build, read with node.
func CJSEntry(root, spec string) (string, error) {
	cmd := exec.Command("node", "-e", "process.stdout.write(JSON.stringify(Object.keys(require(process.argv[1]))))", spec)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "NODE_ENV=production")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("reading the exports of %s with node: %w: %s", spec, err, strings.TrimSpace(stderr.String()))
	}
	var keys []string
	if err := json.Unmarshal(out, &keys); err != nil {
		return "", fmt.Errorf("reading the exports of %s with node: %w", spec, err)
	}
	var names []string
	for _, k := range keys {
		if Identifier.MatchString(k) && k != "default" && k != "__esModule" {
			names = append(names, k)
		}
	}
	if len(names) == 0 {
		return "", fmt.Errorf("%s has no named exports", spec)
	}
	return fmt.Sprintf("import m from %q;\nexport default m;\nexport const { %s } = m;\n", spec, strings.Join(names, ", ")), nil
}

// Externals keeps the given specifiers out of the bundle. An ES import of one
// stays a bare import; a CommonJS require() of one (which esbuild cannot turn
// into an import by itself) goes through a small shim module that re-exports
// the bare import, so the required object has the same members.
func Externals(specs []string, aliases map[string]string) []api.Plugin {
	if len(specs) == 0 && len(aliases) == 0 {
		return nil
	}
	filter := "^("
	for i, s := range specs {
		if i > 0 {
			filter += "|"
		}
		filter += regexp.QuoteMeta(s)
	}
	filter += ")$"
	const ns = "fedwasm-external"
	return []api.Plugin{{
		Name: "fedwasm-externals",
		Setup: func(b api.PluginBuild) {
			for from, to := range aliases {
				b.OnResolve(api.OnResolveOptions{Filter: "^" + regexp.QuoteMeta(from) + "$"}, func(api.OnResolveArgs) (api.OnResolveResult, error) {
					return api.OnResolveResult{Path: to, External: true}, nil
				})
			}
			if len(specs) == 0 {
				return
			}
			b.OnResolve(api.OnResolveOptions{Filter: filter}, func(args api.OnResolveArgs) (api.OnResolveResult, error) {
				if args.Kind == api.ResolveJSRequireCall {
					return api.OnResolveResult{Path: args.Path, Namespace: ns}, nil
				}
				return api.OnResolveResult{Path: args.Path, External: true}, nil
			})
			b.OnLoad(api.OnLoadOptions{Filter: ".*", Namespace: ns}, func(args api.OnLoadArgs) (api.OnLoadResult, error) {
				contents := fmt.Sprintf("export * from %q;\n", args.Path)
				return api.OnLoadResult{Contents: &contents, Loader: api.LoaderJS}, nil
			})
		},
	}}
}
