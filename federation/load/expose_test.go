package load_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/load"
)

// The failures below are what real containers reject get(expose) with: the
// texts are webpack 5's (ContainerEntryModule, the JSONP chunk loader) and
// Chromium's for an ES module chunk.
func TestExposeFailed(t *testing.T) {
	r := config.Remote{Name: "wp-var", Entry: "http://127.0.0.1:8081/remoteEntry.js"}
	chunk := "http://127.0.0.1:8081/src_ProductList_js.js"
	tests := []struct {
		name    string
		failure load.GetFailure
		code    string
		details map[string]any // keys that must hold these values
		says    []string       // what the message must contain
	}{
		{
			name:    "an expose the container does not list",
			failure: load.GetFailure{Name: "Error", Message: `Module "./Drawer" does not exist in container.`},
			code:    errcode.RemoteExposeMissing,
			says:    []string{`does not expose "./Drawer"`, "check the id against the remote's exposes"},
		},
		{
			name:    "a chunk that failed (webpack's ChunkLoadError)",
			failure: load.GetFailure{Name: "ChunkLoadError", Message: "Loading chunk src_ProductList_js failed.\n(error: " + chunk + ")", Request: chunk},
			code:    errcode.RemoteLoadFailed,
			details: map[string]any{"error": "ChunkLoadError", "url": chunk, "remote": "wp-var", "expose": "./Drawer"},
			says:    []string{`could not load its expose "./Drawer": its chunk ` + chunk + " did not load (ChunkLoadError: Loading chunk src_ProductList_js failed.)", "publicPath"},
		},
		{
			name:    "an ES module chunk that failed",
			failure: load.GetFailure{Name: "TypeError", Message: "Failed to fetch dynamically imported module: http://127.0.0.1:8081/src_CartSummary_js.mjs"},
			code:    errcode.RemoteLoadFailed,
			details: map[string]any{"error": "TypeError"},
			says:    []string{"TypeError: Failed to fetch dynamically imported module"},
		},
		{
			name:    "a get that threw something that is not an Error",
			failure: load.GetFailure{Message: "string"},
			code:    errcode.RemoteLoadFailed,
			says:    []string{"(string)"},
		},
		{
			name:    "a hostile message is cut short",
			failure: load.GetFailure{Name: "Error", Message: strings.Repeat("é", 10000)},
			code:    errcode.RemoteLoadFailed,
			says:    []string{"…)"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := load.ExposeFailed("wp-var/Drawer", r, "./Drawer", tc.failure)
			if err.Code != tc.code {
				t.Fatalf("code %s, want %s: %s", err.Code, tc.code, err.Message)
			}
			for k, v := range tc.details {
				if err.Details[k] != v {
					t.Errorf("details[%q] = %v, want %v", k, err.Details[k], v)
				}
			}
			for _, s := range tc.says {
				if !strings.Contains(err.Message, s) {
					t.Errorf("message %q does not say %q", err.Message, s)
				}
			}
			if len(err.Message) > 600 || strings.Contains(err.Message, "\n") || !strings.HasPrefix(err.Message, `loadRemote("wp-var/Drawer"): remote "wp-var"`) {
				t.Errorf("message %q: want one line under 600 bytes naming the call and the remote", err.Message)
			}
		})
	}
}
