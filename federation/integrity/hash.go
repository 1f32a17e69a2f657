//go:build !(js && wasm)

package integrity

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
)

// Verify reports whether data matches metadata, hashing it in Go (servers and
// tests; the browser's runtime hashes with crypto.subtle and calls Check).
func Verify(data []byte, metadata string) error {
	return Check(metadata, func(alg string) ([]byte, error) { return Sum(alg, data), nil })
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
	return "sha384-" + base64.StdEncoding.EncodeToString(Sum("sha384", data))
}
