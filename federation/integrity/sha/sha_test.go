package sha_test

import (
	"crypto/sha256"
	"encoding/base64"
	"testing"

	"github.com/fedwasm/fedwasm/federation/integrity/sha"
)

func TestVerify(t *testing.T) {
	data := []byte("window.cart = { init() {}, get() {} };")
	good := sha.Of(data)
	s256 := sha256.Sum256(data)
	good256 := "sha256-" + base64.StdEncoding.EncodeToString(s256[:])
	other := sha.Of([]byte("something else"))
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
			if err := sha.Verify(data, c.metadata); (err == nil) != c.ok {
				t.Fatalf("Verify = %v, want ok=%v", err, c.ok)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	f.Add([]byte("x"), sha.Of([]byte("x")))
	f.Add([]byte(""), "sha512-")
	f.Fuzz(func(t *testing.T, data []byte, metadata string) {
		_ = sha.Verify(data, metadata) // never panics
		if sha.Verify(data, sha.Of(data)) != nil {
			t.Fatal("Of(data) does not verify data")
		}
	})
}
