//go:build js && wasm

// Package jsutil is the bridge's raw syscall/js toolkit: entry points that
// turn panics and JS exceptions into coded Errors (AsyncFunc, SyncFunc,
// Guard), Promise interop (NewPromise, Await), guarded property reads, value
// and argument conversion, and the page's built-ins captured at start. It
// decides nothing: what a call means is the core's, how it reaches the page
// is jsbridge's.
package jsutil
