// Package sha computes Subresource Integrity with Go's SHA-2: the server and
// the Cloudflare worker write a remote's integrity with Of, and tests check
// bodies with Verify. runtime.wasm never imports it: in the browser the
// digest comes from crypto.subtle (jsbridge), so the wasm links no Go crypto.
package sha

import (
	"crypto/sha256"
	"crypto/sha512"

	"github.com/fedwasm/fedwasm/federation/integrity"
)

// Verify reports whether data matches metadata (integrity.Check with the
// digest computed here).
func Verify(data []byte, metadata string) error {
	return integrity.Check(metadata, func(alg string) ([]byte, error) { return Sum(alg, data), nil })
}

// Sum is data's digest with alg ("sha256", "sha384" or "sha512").
func Sum(alg string, data []byte) []byte {
	switch alg {
	case "sha256":
		s := sha256.Sum256(data)
		return s[:]
	case "sha384":
		s := sha512.Sum384(data)
		return s[:]
	default:
		s := sha512.Sum512(data)
		return s[:]
	}
}

// Of returns the sha384 integrity metadata of data.
func Of(data []byte) string {
	return integrity.Format("sha384", Sum("sha384", data))
}
