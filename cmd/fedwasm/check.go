package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
	"github.com/fedwasm/fedwasm/federation/remote"
	"github.com/fedwasm/fedwasm/federation/share"
	"github.com/fedwasm/fedwasm/server"
)

func init() {
	commands = append(commands, command{
		name: "check",
		args: "[federation.json]",
		purpose: "Resolve a config's share scope as the page will and print why each version was chosen.\n\n" +
			"It validates the config as fedwasm.init does, registers its shared packages and the shared\n" +
			"packages of its manifest remotes (mf-manifest.json, fetched or given with -manifest) in the\n" +
			"runtime's own share scope, resolves every consumer with every provider present (as once\n" +
			"the page has read all manifests), and prints one row per consumer:\n" +
			"package, scope, the version chosen, its provider, the consumer, the rule and any warning\n" +
			"or error. It exits 1 when a consumer gets an error (a strictVersion mismatch, a missing\n" +
			"package), so CI can run it before a deploy. The config comes from a file, or with -registry\n" +
			"from a registry: a URL serving the host's config (/federation.json?host=<name>), or a\n" +
			"registry file with -host.",
		example: "fedwasm check federation.json\n" +
			"  fedwasm check -registry registry.json -host shell\n" +
			"  fedwasm check -registry https://edge.example.com/federation.json?host=shell -manifest cart=dist/cart/mf-manifest.json",
		flags: func(fs *flag.FlagSet) func([]string, io.Writer) error {
			registry := fs.String("registry", "", "read the config from a registry: a URL serving it, or a registry file (with -host)")
			host := fs.String("host", "", "the host to check in a registry file (default: its only host)")
			var manifests manifestFlags
			fs.Var(&manifests, "manifest", "`name=file`: read remote name's mf-manifest.json from file instead of fetching it (repeatable)")
			offline := fs.Bool("offline", false, "fetch no manifests over the network; remotes without -manifest are left out")
			return func(args []string, stdout io.Writer) error {
				cfg, err := checkedConfig(args, *registry, *host)
				for _, w := range cfg.Warnings {
					fmt.Fprintln(stdout, "warning:", w.Error())
				}
				if err != nil {
					return err
				}
				rows, notes, err := resolve(cfg, manifests, *offline)
				if err != nil {
					return err
				}
				failures := printTable(stdout, rows)
				for _, n := range notes {
					fmt.Fprintln(stdout, "note:", n)
				}
				if failures > 0 {
					fmt.Fprintf(stdout, "%d consumer(s) would fail on the page\n", failures)
					return errFailed
				}
				return nil
			}
		},
	})
}

// manifestFlags are the -manifest name=file flags.
type manifestFlags map[string]string

func (m *manifestFlags) String() string { return "" }

func (m *manifestFlags) Set(v string) error {
	name, file, ok := strings.Cut(v, "=")
	if !ok || name == "" || file == "" {
		return fmt.Errorf("want name=file, got %q", v)
	}
	if *m == nil {
		*m = manifestFlags{}
	}
	(*m)[name] = file
	return nil
}

// checkedConfig reads and validates the config from the file argument or the
// registry (a URL or a file). A config that does not validate comes with
// its warnings: a key that has no effect may be why.
func checkedConfig(args []string, registry, host string) (config.Config, error) {
	switch {
	case registry == "" && len(args) == 1:
		data, err := os.ReadFile(args[0])
		if err != nil {
			return config.Config{}, err
		}
		return parsed(data)
	case registry != "" && len(args) == 0:
	default:
		return config.Config{}, usageError{"give one config: a federation.json argument, or -registry"}
	}
	if strings.HasPrefix(registry, "http://") || strings.HasPrefix(registry, "https://") {
		data, err := fetch(registry)
		if err != nil {
			return config.Config{}, err
		}
		return parsed(data)
	}
	data, err := os.ReadFile(registry)
	if err != nil {
		return config.Config{}, err
	}
	hosts, err := server.ParseRegistry(data, filepath.Dir(registry))
	if err != nil {
		return config.Config{}, err
	}
	if host == "" && len(hosts) == 1 {
		for name := range hosts {
			host = name
		}
	}
	cfg, ok := hosts[host]
	if !ok {
		names := slices.Sorted(maps.Keys(hosts))
		return config.Config{}, usageError{fmt.Sprintf("the registry %s has no host %q; name one with -host (it lists %s)", registry, host, strings.Join(names, ", "))}
	}
	return cfg, nil
}

// parsed is config.Parse, with the warnings of a config that decodes but
// does not validate.
func parsed(data []byte) (config.Config, error) {
	cfg, err := config.Decode(data)
	if err == nil {
		err = cfg.Validate()
	}
	return cfg, err
}

// fetch GETs url and returns the body of a 200 response.
func fetch(url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// resolve initializes a runtime with cfg, adds what each manifest remote's
// manifest shares, and resolves every consumer the config and the manifests
// declare. notes say which remotes were left out and why.
func resolve(cfg config.Config, manifests manifestFlags, offline bool) ([]share.PackageReport, []string, error) {
	rt := federation.New(federation.Version)
	if _, _, err := rt.Init(cfg); err != nil {
		return nil, nil, err
	}
	var notes []string
	var remoteConsumers []share.Consumer
	for _, r := range cfg.Remotes {
		if r.Type != "manifest" {
			continue
		}
		m, err := readManifest(r, manifests[r.Name], offline)
		if err != nil {
			notes = append(notes, fmt.Sprintf("remote %q: its manifest was not read (%v); the packages it shares are not in the table", r.Name, err))
			continue
		}
		if m.Native != nil { // a Native Federation remoteEntry.json: the same, with the rules it declares
			shares := make([]load.NativeShare, len(m.Native.Shared))
			for i, s := range m.Native.Shared {
				shares[i] = load.NativeShareOf(r, s)
				shares[i].File.URL = s.OutFileName // nothing is imported here: the name stands for the file
				remoteConsumers = append(remoteConsumers, shares[i].Consumer)
			}
			_, errs := rt.ProvideNative(shares)
			for _, err := range errs {
				notes = append(notes, fmt.Sprintf("remote %q: %v", r.Name, err))
			}
			continue
		}
		// As the page does when it reads the manifest: each shared version is
		// provided by the remote; its container then asks with its own rules.
		_, errs := rt.ProvideFromManifest(r, m)
		for _, err := range errs {
			notes = append(notes, fmt.Sprintf("remote %q: %v", r.Name, err))
		}
		for _, s := range m.Shared {
			remoteConsumers = append(remoteConsumers, share.Consumer{Package: s.Name, Scope: r.ShareScope, From: r.Name, RequiredVersion: s.RequiredVersion, Singleton: s.Singleton})
		}
	}
	for pkg, entries := range cfg.Shared {
		for _, args := range entries {
			if _, err := rt.Resolve(rt.Consumer(pkg, args.Scope, args.From)); err != nil && !reported(err) {
				return nil, nil, err
			}
		}
	}
	for _, c := range remoteConsumers {
		if _, err := rt.Resolve(c); err != nil && !reported(err) {
			notes = append(notes, err.Error())
		}
	}
	return rt.Snapshot().Shares, notes, nil
}

// reported says whether Resolve recorded err in the snapshot (a resolution
// failure) rather than refusing the request itself (a bad range).
func reported(err error) bool {
	return errcode.CodeOf(err) != errcode.ShareInvalidRange
}

// readManifest reads r's manifest from file, or fetches r.Entry.
func readManifest(r config.Remote, file string, offline bool) (remote.Manifest, error) {
	var data []byte
	var err error
	switch {
	case file != "":
		data, err = os.ReadFile(file)
	case offline:
		return remote.Manifest{}, fmt.Errorf("-offline, and no -manifest %s=file", r.Name)
	case strings.HasPrefix(r.Entry, "http://") || strings.HasPrefix(r.Entry, "https://"):
		data, err = fetch(r.Entry)
	default:
		return remote.Manifest{}, fmt.Errorf("its entry %s is not an absolute URL; give -manifest %s=file", r.Entry, r.Name)
	}
	if err != nil {
		return remote.Manifest{}, err
	}
	return remote.ParseManifest(data, r.Entry)
}

// printTable writes one row per consumer, then the warnings and errors the
// rows point to, and returns how many consumers got an error.
func printTable(w io.Writer, reports []share.PackageReport) int {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PACKAGE\tSCOPE\tCHOSEN\tPROVIDER\tCONSUMER\tREQUIRES\tRULE\tRESULT")
	var footnotes []string
	failures := 0
	for _, p := range reports {
		if len(p.Consumers) == 0 {
			fmt.Fprintf(tw, "%s\t%s\t-\t%s\t(no consumer)\t-\t-\tok\n", p.Package, p.Scope, providers(p.Providers))
		}
		for _, c := range p.Consumers {
			chosen, from, rule, result := "-", "-", string(c.Rule), "ok"
			if c.Got != "" {
				chosen, from = c.Got, c.GotFrom
			}
			if rule == "" {
				rule = "-"
			}
			requires := c.RequiredVersion
			if requires == "" {
				requires = "*"
			}
			if c.Singleton {
				requires += " singleton"
			}
			if c.StrictVersion {
				requires += " strict"
			}
			switch {
			case c.Error != nil:
				failures++
				footnotes = append(footnotes, c.Error.Error())
				result = fmt.Sprintf("ERROR [%d]", len(footnotes))
			case c.Warning != nil:
				footnotes = append(footnotes, c.Warning.Error())
				result = fmt.Sprintf("warning [%d]", len(footnotes))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", p.Package, p.Scope, chosen, from, c.From, requires, rule, result)
		}
	}
	tw.Flush()
	for i, f := range footnotes {
		fmt.Fprintf(w, "[%d] %s\n", i+1, f)
	}
	return failures
}

// providers lists who provides which version.
func providers(list []share.Provider) string {
	var parts []string
	for _, p := range list {
		parts = append(parts, p.Version+" from "+p.From)
	}
	return strings.Join(parts, ", ")
}
