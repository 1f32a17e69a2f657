//go:build js && wasm

// Package jsbridge is the only place fedwasm touches syscall/js and the DOM.
// It publishes the window.fedwasm API, turns every Go panic and JS exception
// inside a call into a coded Error (a rejected Promise for async calls), and
// converts values between Go and JS. Decisions are made by the federation core;
// this package only carries them across.
package jsbridge
