package server

import "time"

// SetCheckEvery makes r look at its file every d instead of every second.
func SetCheckEvery(r *Registry, d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.checkEvery = d
}
