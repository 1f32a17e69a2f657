//go:build js && wasm

// Command wasm is runtime.wasm: it publishes window.fedwasm and keeps the Go
// runtime alive to serve it. Everything it does lives in jsbridge and federation.
package main

import (
	"github.com/fedwasm/fedwasm/federation"
	"github.com/fedwasm/fedwasm/jsbridge"
)

func main() {
	jsbridge.Publish(federation.New(federation.Version))
	select {}
}
