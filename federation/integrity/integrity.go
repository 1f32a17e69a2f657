// Package integrity checks Subresource Integrity metadata ("sha384-<base64>",
// several separated by spaces) against a digest, as browsers do: the strongest
// algorithm given decides, and any of its digests may match. fedwasm checks a
// remote's entry or manifest here before the browser runs or reads it, so a
// mismatch is a clear INTEGRITY_MISMATCH, fail-closed.
//
// The digest comes from the caller: in the browser jsbridge asks
// crypto.subtle, so runtime.wasm links none of Go's crypto; servers and tests
// compute it with Go's SHA-2 (package integrity/sha).
package integrity

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
)

// algorithms are the ones SRI allows, weakest first, with their digest sizes.
var algorithms = []struct {
	name string
	size int
}{{"sha256", 32}, {"sha384", 48}, {"sha512", 64}}

func strength(alg string) (rank, size int) {
	for i, a := range algorithms {
		if a.name == alg {
			return i + 1, a.size
		}
	}
	return 0, 0
}

// Parse returns the digests of the strongest algorithm in metadata.
func Parse(metadata string) (alg string, digests [][]byte, err error) {
	for _, token := range strings.Fields(metadata) {
		name, value, ok := strings.Cut(token, "-")
		rank, size := strength(name)
		if !ok || rank == 0 {
			continue // unknown algorithms are ignored, as browsers do
		}
		if i := strings.IndexByte(value, '?'); i >= 0 {
			value = value[:i] // options are not used
		}
		digest, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(digest) != size {
			return "", nil, errors.New("integrity " + strconv.Quote(metadata) + ": " + strconv.Quote(value) + " is not a base64 " + name + " digest")
		}
		current, _ := strength(alg)
		switch {
		case rank > current:
			alg, digests = name, [][]byte{digest}
		case name == alg:
			digests = append(digests, digest)
		}
	}
	if alg == "" {
		return "", nil, errors.New("integrity " + strconv.Quote(metadata) + " names no sha256, sha384 or sha512 digest")
	}
	return alg, digests, nil
}

// Format is the integrity metadata of one digest: "sha384-<base64>".
func Format(alg string, digest []byte) string {
	return alg + "-" + base64.StdEncoding.EncodeToString(digest)
}

// Digester returns the content's digest with alg ("sha256", "sha384" or
// "sha512").
type Digester func(alg string) ([]byte, error)

// Check reports whether the content digest describes matches metadata. An
// error from digest comes back as a *DigestError. Digests are public (they are
// in the config), so they are compared plainly.
func Check(metadata string, digest Digester) error {
	alg, digests, err := Parse(metadata)
	if err != nil {
		return err
	}
	sum, err := digest(alg)
	if err != nil {
		return &DigestError{Err: err}
	}
	for _, d := range digests {
		if bytes.Equal(sum, d) {
			return nil
		}
	}
	return &MismatchError{Alg: alg, Digest: base64.StdEncoding.EncodeToString(sum)}
}

// MismatchError is a content whose digest is not one the metadata names.
type MismatchError struct {
	Alg    string
	Digest string // base64 of the content's digest
}

func (e *MismatchError) Error() string {
	return "the content's " + e.Alg + " digest is " + e.Alg + "-" + e.Digest + ", not the one the integrity names"
}

// DigestError is a content that could not be digested, so it is unchecked.
type DigestError struct{ Err error }

func (e *DigestError) Error() string { return e.Err.Error() }
func (e *DigestError) Unwrap() error { return e.Err }
