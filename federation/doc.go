// Package federation is fedwasm's control plane in pure Go: it decides which
// shared module version, store instance and remote each consumer gets. It never
// imports syscall/js; the jsbridge package drives it from the browser and the
// server package uses it natively.
package federation

// Version is the fedwasm runtime version window.fedwasm.version reports.
const Version = "0.1.0"
