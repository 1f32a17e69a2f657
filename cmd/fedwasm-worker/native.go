//go:build !(js && wasm)

// fedwasm-worker runs only as GOOS=js GOARCH=wasm on Cloudflare Workers
// (main.go); built for this machine it says so instead of failing to build.
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "fedwasm-worker is fedwasm's server for Cloudflare Workers and runs only as GOOS=js GOARCH=wasm there;\n"+
		"build it with ./build.sh worker (worker/build/app.wasm), or serve locally with: fedwasm serve")
	os.Exit(2)
}
