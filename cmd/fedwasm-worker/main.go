//go:build js && wasm

// Command fedwasm-worker is fedwasm's server on Cloudflare Workers: the same
// server package handlers, run by github.com/syumai/workers.
package main

import (
	"net/http"

	"github.com/syumai/workers"

	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/server"
)

func main() {
	mux := http.NewServeMux()
	mux.Handle("/healthz", server.Health(federation.Version))
	workers.Serve(mux)
}
