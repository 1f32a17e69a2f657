package server

import (
	"encoding/json"
	"net/http"
)

// Health answers GET /healthz with {"status":"ok","version":...}. It holds no
// state, so it behaves the same on net/http and on a Workers isolate that
// starts a fresh Go instance per request.
func Health(version string) http.Handler {
	body, _ := json.Marshal(map[string]string{"status": "ok", "version": version})
	return Policy{}.wrap(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})
}
