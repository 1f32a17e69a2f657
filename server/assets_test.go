package server_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/fedwasm/fedwasm/server"
)

func gz(t *testing.T, s string) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, _ = w.Write([]byte(s))
	_ = w.Close()
	return buf.Bytes()
}

func TestPrecompressedAssets(t *testing.T) {
	fsys := fstest.MapFS{
		"runtime.wasm":    {Data: []byte("raw wasm bytes")},
		"runtime.wasm.br": {Data: []byte("brotli bytes")},
		"runtime.wasm.gz": {Data: gz(t, "raw wasm bytes")},
		"loader.js":       {Data: []byte("// loader")},
	}
	h := server.Files(fsys, server.Policy{})
	cases := []struct {
		name, path, accept, wantEncoding, wantType, wantBody string
	}{
		{"brotli preferred", "/runtime.wasm", "gzip, deflate, br", "br", "application/wasm", "brotli bytes"},
		{"gzip when brotli is not accepted", "/runtime.wasm", "gzip", "gzip", "application/wasm", ""},
		{"brotli refused with q=0", "/runtime.wasm", "br;q=0, gzip;q=0.5", "gzip", "application/wasm", ""},
		{"identity when nothing is accepted", "/runtime.wasm", "", "", "application/wasm", "raw wasm bytes"},
		{"no precompressed file: the original", "/loader.js", "br", "", "text/javascript; charset=utf-8", "// loader"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, c.path, nil)
			if c.accept != "" {
				req.Header.Set("Accept-Encoding", c.accept)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if got := rec.Header().Get("Content-Encoding"); got != c.wantEncoding {
				t.Errorf("Content-Encoding %q, want %q", got, c.wantEncoding)
			}
			if got := rec.Header().Get("Content-Type"); got != c.wantType {
				t.Errorf("Content-Type %q, want %q", got, c.wantType)
			}
			if !strings.Contains(rec.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q lacks Accept-Encoding", rec.Header().Get("Vary"))
			}
			if c.wantBody != "" && rec.Body.String() != c.wantBody {
				t.Errorf("body %q, want %q", rec.Body.String(), c.wantBody)
			}
			if c.wantEncoding == "gzip" {
				r, err := gzip.NewReader(rec.Body)
				if err != nil {
					t.Fatal(err)
				}
				if body, _ := io.ReadAll(r); string(body) != "raw wasm bytes" {
					t.Errorf("gunzipped %q", body)
				}
			}
		})
	}
}

func TestLoggedRecordsRequests(t *testing.T) {
	var logs bytes.Buffer
	h := server.Logged(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		_, _ = w.Write([]byte("short and stout"))
	}), slog.New(slog.NewJSONHandler(&logs, nil)))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/pot", nil))
	for _, want := range []string{`"path":"/pot"`, `"status":418`, `"bytes":15`, `"method":"GET"`} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log %s lacks %s", logs.String(), want)
		}
	}
}
