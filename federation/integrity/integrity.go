// Package integrity checks Subresource Integrity metadata ("sha384-<base64>",
// several separated by spaces) against bytes, as browsers do: the strongest
// algorithm given decides, and any of its digests may match. fedwasm checks a
// remote's entry or manifest here before the browser runs or reads it, so a
// mismatch is a clear INTEGRITY_MISMATCH, fail-closed.
package integrity

import (
	"crypto/sha256"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"hash"
	"strconv"
	"strings"
)

// strength orders the algorithms SRI allows.
var strength = map[string]int{"sha256": 1, "sha384": 2, "sha512": 3}

func newHash(alg string) hash.Hash {
	switch alg {
	case "sha256":
		return sha256.New()
	case "sha384":
		return sha512.New384()
	default:
		return sha512.New()
	}
}

// Parse returns the digests of the strongest algorithm in metadata.
func Parse(metadata string) (alg string, digests [][]byte, err error) {
	for _, token := range strings.Fields(metadata) {
		name, value, ok := strings.Cut(token, "-")
		if !ok || strength[name] == 0 {
			continue // unknown algorithms are ignored, as browsers do
		}
		if i := strings.IndexByte(value, '?'); i >= 0 {
			value = value[:i] // options are not used
		}
		digest, err := base64.StdEncoding.DecodeString(value)
		if err != nil || len(digest) != newHash(name).Size() {
			return "", nil, errors.New("integrity " + strconv.Quote(metadata) + ": " + strconv.Quote(value) + " is not a base64 " + name + " digest")
		}
		switch {
		case strength[name] > strength[alg]:
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

// Verify reports whether data matches metadata.
func Verify(data []byte, metadata string) error {
	alg, digests, err := Parse(metadata)
	if err != nil {
		return err
	}
	h := newHash(alg)
	h.Write(data)
	sum := h.Sum(nil)
	for _, d := range digests {
		if subtle.ConstantTimeCompare(sum, d) == 1 {
			return nil
		}
	}
	return errors.New("the content's " + alg + " digest is " + alg + "-" + base64.StdEncoding.EncodeToString(sum) + ", not the one the integrity names")
}

// Of returns the sha384 integrity metadata of data.
func Of(data []byte) string {
	sum := sha512.Sum384(data)
	return "sha384-" + base64.StdEncoding.EncodeToString(sum[:])
}
