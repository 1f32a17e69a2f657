package precompress_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"

	"github.com/fedwasm/fedwasm/internal/precompress"
)

func TestWriteBesideRoundTrips(t *testing.T) {
	cases := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"text", bytes.Repeat([]byte("export const x = 1;\n"), 500)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "runtime.wasm")
			if err := precompress.WriteBeside(path, c.data); err != nil {
				t.Fatal(err)
			}
			br, err := os.ReadFile(path + ".br")
			if err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(br))); err != nil || !bytes.Equal(got, c.data) {
				t.Errorf(".br decodes to %d bytes (%v), want the %d written", len(got), err, len(c.data))
			}
			gz, err := os.ReadFile(path + ".gz")
			if err != nil {
				t.Fatal(err)
			}
			r, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			if got, err := io.ReadAll(r); err != nil || !bytes.Equal(got, c.data) {
				t.Errorf(".gz decodes to %d bytes (%v), want the %d written", len(got), err, len(c.data))
			}
		})
	}
}
