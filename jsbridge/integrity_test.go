//go:build js && wasm

package jsbridge

import (
	"errors"
	"strings"
	"syscall/js"
	"testing"

	"github.com/fedwasm/fedwasm/federation/integrity"
)

// Known digests of "abc" (FIPS 180-2 test vectors), base64.
const (
	abcSHA256   = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
	abcSHA384   = "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
	abcSHA512   = "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
	otherSHA384 = "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb" // of ""
)

// TestCheckIntegrityWithSubtle: bodies are digested by the browser's
// crypto.subtle (the platform's Digest); the strongest algorithm decides, as
// in browsers.
func TestCheckIntegrityWithSubtle(t *testing.T) {
	abc := body{bytes: js.Global().Get("TextEncoder").New().Call("encode", "abc")}
	p := platform{}
	cases := []struct {
		name, integrity, code string // code "" when it matches
	}{
		{"sha256", abcSHA256, ""},
		{"sha384", abcSHA384, ""},
		{"sha512", abcSHA512, ""},
		{"one of two sha384 digests", otherSHA384 + " " + abcSHA384, ""},
		{"a matching sha256 does not save a failing sha384", abcSHA256 + " " + otherSHA384, "mismatch"},
		{"mismatch", otherSHA384, "mismatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := integrity.Check(c.integrity, func(alg string) ([]byte, error) { return p.Digest(abc, alg) })
			if c.code == "" {
				if err != nil {
					t.Fatalf("integrity.Check = %v, want a match", err)
				}
				return
			}
			var mismatch *integrity.MismatchError
			if !errors.As(err, &mismatch) {
				t.Fatalf("integrity.Check = %v, want a mismatch", err)
			}
		})
	}
}

// TestCheckIntegrityWithoutSubtle: a page without crypto.subtle (not a secure
// context) cannot check an integrity, so the remote is refused (the loader's
// IntegrityUnavailable, tested natively), because the digest fails.
func TestCheckIntegrityWithoutSubtle(t *testing.T) {
	window, object := js.Global(), js.Global().Get("Object")
	// crypto is the window's own property (a global object's attributes are):
	// put the original back afterwards, the other tests need it.
	original := object.Call("getOwnPropertyDescriptor", window, "crypto")
	object.Call("defineProperty", window, "crypto", obj("value", obj(), "configurable", true))
	defer func() {
		if original.IsUndefined() {
			window.Call("eval", "delete globalThis.crypto")
			return
		}
		object.Call("defineProperty", window, "crypto", original)
	}()
	abc := body{bytes: js.Global().Get("TextEncoder").New().Call("encode", "abc")}
	err := integrity.Check(abcSHA384, func(alg string) ([]byte, error) { return platform{}.Digest(abc, alg) })
	var unchecked *integrity.DigestError
	if !errors.As(err, &unchecked) || !strings.Contains(err.Error(), "no crypto.subtle") {
		t.Fatalf("integrity.Check = %v, want a digest error saying there is no crypto.subtle", err)
	}
}

// TestCryptoIsBackAfterTheSubtleTest guards the test above: it must leave
// the page's crypto as it was (events and queries use crypto.randomUUID).
func TestCryptoIsBackAfterTheSubtleTest(t *testing.T) {
	TestCheckIntegrityWithoutSubtle(t)
	if got := js.Global().Get("crypto").Get("subtle").Type(); got != js.TypeObject {
		t.Fatalf("crypto.subtle is %v after the test, want an object", got)
	}
}
