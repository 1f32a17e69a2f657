// Command stage lays out the Cloudflare worker's files (./build.sh worker):
// it stages the site as `fedwasm serve -out` does, then splits it with
// sitestage.StageWorker into the static assets, their index for
// worker/entry.mjs and the registry app.wasm embeds.
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/fedwasm/fedwasm/internal/sitestage"
)

func main() {
	runtime := flag.String("runtime", "dist/fedwasm", "the runtime's files (fedwasm build writes them)")
	registry := flag.String("registry", "worker/registry.json", "the registry: hosts, and remotes with their files")
	site := flag.String("site", "worker/build/site", "the whole site, as net/http serves it")
	assets := flag.String("assets", "worker/build/assets", "the files Workers Static Assets (or workerd's disk service) serves")
	index := flag.String("index", "worker/build/assets.mjs", "the ES module listing them for worker/entry.mjs")
	embed := flag.String("embed", "cmd/fedwasm-worker/site", "what app.wasm embeds: the registry and the host pages")
	var pages []string
	flag.Func("page", "a host page (.html) Go serves with its snapshot; repeat for more", func(p string) error {
		pages = append(pages, p)
		return nil
	})
	flag.Parse()
	err := sitestage.Stage(*runtime, *registry, *site, pages...)
	if err == nil {
		err = sitestage.StageWorker(*site, *assets, *index, *embed)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "stage:", err)
		os.Exit(1)
	}
}
