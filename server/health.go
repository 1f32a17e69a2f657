package server

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// healthReport is /healthz's body.
type healthReport struct {
	// Status is "ok", or "degraded" while the registry serves its last good
	// version because an edit was refused.
	Status   string          `json:"status"`
	Version  string          `json:"version"`
	Registry *registryHealth `json:"registry,omitempty"`
}

// registryHealth is a refused registry edit as /healthz reports it.
type registryHealth struct {
	Status    string         `json:"status"` // "refused"
	Error     *errcode.Error `json:"error"`
	RefusedAt time.Time      `json:"refusedAt"`
}

// Health answers GET /healthz with {"status":"ok","version":...}. When
// registry (which may be nil) refused its file's latest edit, the status is
// "degraded" and "registry" says why, with the error's code; the response
// stays 200, since the server still serves the last good registry (a failing
// health check would take every instance out at once for one bad edit). On a
// Workers isolate, which starts a fresh Go instance per request, the embedded
// registry never changes and the status is always "ok".
func Health(version string, registry *Registry) http.Handler {
	return Policy{}.wrap(func(w http.ResponseWriter, _ *http.Request) {
		report := healthReport{Status: "ok", Version: version}
		if registry != nil {
			if refused := registry.Refused(); refused != nil {
				report.Status = "degraded"
				report.Registry = &registryHealth{Status: "refused", Error: refused.Err, RefusedAt: refused.At.UTC()}
			}
		}
		body, _ := json.Marshal(report)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = w.Write(body)
	})
}
