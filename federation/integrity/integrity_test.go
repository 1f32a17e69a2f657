package integrity_test

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/fedwasm/fedwasm/federation/integrity"
	"github.com/fedwasm/fedwasm/federation/integrity/sha"
)

// TestCheck: the digest comes from the caller (crypto.subtle in the browser);
// Check asks for the strongest algorithm only and tells a mismatch from a
// content it could not digest.
func TestCheck(t *testing.T) {
	data := []byte("export const x = 1;")
	metadata := "sha256-" + base64.StdEncoding.EncodeToString(sha.Sum("sha256", data)) + " " + sha.Of(data)
	var asked []string
	digest := func(alg string) ([]byte, error) { asked = append(asked, alg); return sha.Sum(alg, data), nil }
	if err := integrity.Check(metadata, digest); err != nil || len(asked) != 1 || asked[0] != "sha384" {
		t.Fatalf("Check = %v after asking for %v; want nil after asking for sha384 only", err, asked)
	}

	err := integrity.Check(sha.Of([]byte("other")), digest)
	var mismatch *integrity.MismatchError
	if !errors.As(err, &mismatch) || mismatch.Alg != "sha384" || mismatch.Digest != sha.Of(data)[len("sha384-"):] {
		t.Errorf("mismatch: err = %#v, want a MismatchError with data's sha384", err)
	}

	unavailable := errors.New("this page has no crypto.subtle")
	err = integrity.Check(sha.Of(data), func(string) ([]byte, error) { return nil, unavailable })
	var unchecked *integrity.DigestError
	if !errors.As(err, &unchecked) || !errors.Is(err, unavailable) {
		t.Errorf("digest failure: err = %#v, want a DigestError wrapping it", err)
	}
	if errors.As(err, &mismatch) {
		t.Errorf("digest failure reported as a mismatch: %v", err)
	}
}
