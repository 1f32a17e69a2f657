// Package precompress writes the compressed copies server.Files sends to
// clients that accept them: name.br (brotli, quality 11) and name.gz (gzip,
// level 9) beside name. The build writes them for the runtime's files, the
// startup benchmark for every file it serves.
package precompress

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"

	"github.com/andybalholm/brotli"
)

// Brotli is data compressed with brotli at quality 11.
func Brotli(data []byte) []byte {
	return compress(data, func(w io.Writer) io.WriteCloser { return brotli.NewWriterLevel(w, brotli.BestCompression) })
}

// Gzip is data compressed with gzip at level 9.
func Gzip(data []byte) []byte {
	return compress(data, func(w io.Writer) io.WriteCloser {
		z, _ := gzip.NewWriterLevel(w, gzip.BestCompression) // the level is valid
		return z
	})
}

// WriteBeside writes path.br and path.gz, the compressed copies of data (the
// bytes of path).
func WriteBeside(path string, data []byte) error {
	if err := os.WriteFile(path+".br", Brotli(data), 0o644); err != nil {
		return err
	}
	return os.WriteFile(path+".gz", Gzip(data), 0o644)
}

// compress never fails: writing to a bytes.Buffer does not.
func compress(data []byte, newWriter func(io.Writer) io.WriteCloser) []byte {
	var buf bytes.Buffer
	w := newWriter(&buf)
	_, _ = w.Write(data)
	_ = w.Close()
	return buf.Bytes()
}
