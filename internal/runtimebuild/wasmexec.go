package runtimebuild

import "bytes"

// sealWasmExec wraps Go's wasm_exec.js so that the built-ins it calls while
// Go runs (setTimeout for Go's timers, Reflect for every crossing,
// performance.now and Date for Go's clocks, DataView and Uint8Array for its
// memory, console for its output, crypto for its random bytes, …) are the ones
// the page had when wasm_exec.js loaded, before page code could replace them.
// Unwrapped, a page that later set window.setTimeout to a throwing function
// stopped the Go runtime for good ("Go program has already exited"). The file
// itself is Go's, unchanged inside the wrapper: its functions read these names
// as parameters instead of globals.
func sealWasmExec(src []byte) []byte {
	var out bytes.Buffer
	out.WriteString(wasmExecPrologue)
	out.Write(src)
	out.WriteString(wasmExecEpilogue)
	return out.Bytes()
}

const wasmExecPrologue = `// wasm_exec.js from the Go distribution, run with the built-ins it needs
// taken now (fedwasm: a page that replaces one later cannot stop Go).
((setTimeout, clearTimeout, Reflect, performance, Date, console, crypto, Promise, Error, Map, Object, DataView, Uint8Array) => {
`

const wasmExecEpilogue = `
})(
  globalThis.setTimeout.bind(globalThis),
  globalThis.clearTimeout.bind(globalThis),
  Object.freeze(Object.fromEntries(Object.getOwnPropertyNames(Reflect).map((k) => [k, Reflect[k]]))),
  Object.freeze({ now: performance.now.bind(performance) }),
  (() => { const now = Date.now; return class extends Date { static now() { return now(); } }; })(),
  Object.freeze({ log: console.log.bind(console), warn: console.warn.bind(console), error: console.error.bind(console) }),
  globalThis.crypto && Object.freeze({ getRandomValues: globalThis.crypto.getRandomValues.bind(globalThis.crypto) }),
  Promise, Error, Map, Object, DataView, Uint8Array,
);
`
