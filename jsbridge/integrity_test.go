//go:build js && wasm

package jsbridge

import (
	"errors"
	"syscall/js"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Known digests of "abc" (FIPS 180-2 test vectors), base64.
const (
	abcSHA256   = "sha256-ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
	abcSHA384   = "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
	abcSHA512   = "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
	otherSHA384 = "sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb" // of ""
)

// TestCheckIntegrityWithSubtle: bodies are digested by the browser's
// crypto.subtle; the strongest algorithm decides, as in browsers.
func TestCheckIntegrityWithSubtle(t *testing.T) {
	body := js.Global().Get("TextEncoder").New().Call("encode", "abc")
	cases := []struct {
		name, integrity, code string // code "" when it matches
	}{
		{"sha256", abcSHA256, ""},
		{"sha384", abcSHA384, ""},
		{"sha512", abcSHA512, ""},
		{"one of two sha384 digests", otherSHA384 + " " + abcSHA384, ""},
		{"a matching sha256 does not save a failing sha384", abcSHA256 + " " + otherSHA384, errcode.IntegrityMismatch},
		{"mismatch", otherSHA384, errcode.IntegrityMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := checkIntegrity(config.Remote{Name: "cart", Integrity: c.integrity}, "https://cdn.test/cart.js", "", body)
			if c.code == "" {
				if err != nil {
					t.Fatalf("checkIntegrity = %v, want a match", err)
				}
				return
			}
			var final finalError
			if !errors.As(err, &final) || errcode.CodeOf(err) != c.code {
				t.Fatalf("checkIntegrity = %v, want a final %s", err, c.code)
			}
		})
	}
}

// TestCheckIntegrityWithoutSubtle: a page without crypto.subtle (not a secure
// context) cannot check an integrity, so the remote is refused, with a code
// that says why.
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
	body := js.Global().Get("TextEncoder").New().Call("encode", "abc")
	err := checkIntegrity(config.Remote{Name: "cart", Integrity: abcSHA384}, "http://cdn.test/cart.js", "", body)
	if errcode.CodeOf(err) != errcode.IntegrityUnavailable {
		t.Fatalf("checkIntegrity = %v, want %s", err, errcode.IntegrityUnavailable)
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
