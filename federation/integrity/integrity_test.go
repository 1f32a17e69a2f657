package integrity_test

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/fedwasm/fedwasm/federation/integrity"
)

func TestVerify(t *testing.T) {
	data := []byte("window.cart = { init() {}, get() {} };")
	good := integrity.Of(data)
	s256 := sha256.Sum256(data)
	good256 := "sha256-" + base64.StdEncoding.EncodeToString(s256[:])
	other := integrity.Of([]byte("something else"))
	cases := []struct {
		name, metadata string
		ok             bool
	}{
		{"sha384 matches", good, true},
		{"sha256 matches", good256, true},
		{"one of several strongest matches", other + " " + good, true},
		{"the strongest decides: a matching sha256 does not help a failing sha384", good256 + " " + other, false},
		{"mismatch", other, false},
		{"unknown algorithms are ignored", "md5-abc " + good, true},
		{"no known algorithm", "md5-abc", false},
		{"bad base64", "sha384-!!!", false},
		{"wrong digest length", "sha384-" + base64.StdEncoding.EncodeToString([]byte("short")), false},
		{"options after ? are ignored", good + "?ct=application/javascript", true},
		{"empty", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := integrity.Verify(data, c.metadata); (err == nil) != c.ok {
				t.Fatalf("Verify = %v, want ok=%v", err, c.ok)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("x"), integrity.Of([]byte("x")))
	f.Add([]byte(""), "sha512-")
	f.Fuzz(func(t *testing.T, data []byte, metadata string) {
		_ = integrity.Verify(data, metadata) // never panics
		if integrity.Verify(data, integrity.Of(data)) != nil {
			t.Fatal("Of(data) does not verify data")
		}
	})
}

// TestCheck: the digest comes from the caller (crypto.subtle in the browser);
// Check asks for the strongest algorithm only and tells a mismatch from a
// content it could not digest.
func TestCheck(t *testing.T) {
	data := []byte("export const x = 1;")
	metadata := "sha256-" + base64.StdEncoding.EncodeToString(integrity.Sum("sha256", data)) + " " + integrity.Of(data)
	var asked []string
	digest := func(alg string) ([]byte, error) { asked = append(asked, alg); return integrity.Sum(alg, data), nil }
	if err := integrity.Check(metadata, digest); err != nil || len(asked) != 1 || asked[0] != "sha384" {
		t.Fatalf("Check = %v after asking for %v; want nil after asking for sha384 only", err, asked)
	}

	err := integrity.Check(integrity.Of([]byte("other")), digest)
	var mismatch *integrity.MismatchError
	if !errors.As(err, &mismatch) || mismatch.Alg != "sha384" || mismatch.Digest != integrity.Of(data)[len("sha384-"):] {
		t.Errorf("mismatch: err = %#v, want a MismatchError with data's sha384", err)
	}

	unavailable := errors.New("this page has no crypto.subtle")
	err = integrity.Check(integrity.Of(data), func(string) ([]byte, error) { return nil, unavailable })
	var unchecked *integrity.DigestError
	if !errors.As(err, &unchecked) || !errors.Is(err, unavailable) {
		t.Errorf("digest failure: err = %#v, want a DigestError wrapping it", err)
	}
	if errors.As(err, &mismatch) {
		t.Errorf("digest failure reported as a mismatch: %v", err)
	}
}
