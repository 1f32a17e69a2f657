package errcode_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

func TestNew(t *testing.T) {
	tests := []struct {
		name        string
		code        string
		details     map[string]any
		message     string
		wantMessage string
		wantDetails map[string]any
	}{
		{
			name:        "nil details become an empty map",
			code:        errcode.ShareNotFound,
			message:     `shared "react" missing`,
			wantMessage: `shared "react" missing`,
			wantDetails: map[string]any{},
		},
		{
			name:        "details are kept",
			code:        errcode.ConfigInvalid,
			details:     map[string]any{"field": "name"},
			message:     "field name is required",
			wantMessage: "field name is required",
			wantDetails: map[string]any{"field": "name"},
		},
		{
			name:        "the message is kept as is, percent signs too",
			code:        errcode.InternalPanic,
			message:     "100%d done",
			wantMessage: "100%d done",
			wantDetails: map[string]any{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := errcode.New(tt.code, tt.details, tt.message)
			if e.Code != tt.code {
				t.Errorf("Code = %q, want %q", e.Code, tt.code)
			}
			if e.Message != tt.wantMessage {
				t.Errorf("Message = %q, want %q", e.Message, tt.wantMessage)
			}
			if e.Details == nil || !reflect.DeepEqual(e.Details, tt.wantDetails) {
				t.Errorf("Details = %#v, want %#v", e.Details, tt.wantDetails)
			}
			if got, want := e.Error(), tt.code+": "+tt.wantMessage+" (see docs/errors.md#"+strings.ToLower(tt.code)+")"; got != want {
				t.Errorf("Error() = %q, want %q", got, want)
			}
		})
	}
}

func TestAs(t *testing.T) {
	coded := errcode.New(errcode.StoreOwned, map[string]any{"store": "cart"}, "owned")
	tests := []struct {
		name     string
		err      error
		fallback string
		wantCode string
		wantMsg  string
		wantSame bool
	}{
		{name: "coded error is returned as is", err: coded, fallback: errcode.InternalPanic, wantCode: errcode.StoreOwned, wantMsg: "owned", wantSame: true},
		{name: "wrapped coded error is unwrapped", err: fmt.Errorf("context: %w", coded), fallback: errcode.InternalPanic, wantCode: errcode.StoreOwned, wantMsg: "owned", wantSame: true},
		{name: "plain error gets the fallback code", err: errors.New("boom"), fallback: errcode.RemoteLoadFailed, wantCode: errcode.RemoteLoadFailed, wantMsg: "boom"},
		{name: "plain error with percent", err: errors.New("50% off"), fallback: errcode.JSException, wantCode: errcode.JSException, wantMsg: "50% off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := errcode.As(tt.err, tt.fallback)
			if got.Code != tt.wantCode || got.Message != tt.wantMsg {
				t.Errorf("As = {%q %q}, want {%q %q}", got.Code, got.Message, tt.wantCode, tt.wantMsg)
			}
			if tt.wantSame && got != coded {
				t.Errorf("As returned a copy, want the original *Error")
			}
			if got.Details == nil {
				t.Errorf("Details is nil")
			}
		})
	}
}

func TestErrorJSON(t *testing.T) {
	e := errcode.New(errcode.ShareSingletonMismatch, map[string]any{"package": "react", "available": []string{"18.0.0 from a"}}, "mismatch")
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"code", "message", "details"} {
		if _, ok := m[k]; !ok {
			t.Errorf("JSON %s lacks key %q", b, k)
		}
	}
	var back errcode.Error
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Code != e.Code || back.Text() != e.Text() || back.Details["package"] != "react" {
		t.Errorf("round trip = %+v, want %+v", back, e)
	}
	// An empty-details error marshals details as {} (never null), which JS code can index.
	b, _ = json.Marshal(errcode.New(errcode.InternalPanic, nil, "x"))
	if want := `{"code":"INTERNAL_PANIC","details":{},"message":"x (see docs/errors.md#internal_panic)"}`; string(b) != want {
		t.Errorf("JSON = %s, want %s", b, want)
	}
}

// TestTextEndsWithAnchor: what people see (Error, the JS message via Plain and
// Text) ends with the code's section in docs/errors.md, once, while Message
// stays bare so messages quoting it do not repeat the anchor.
func TestTextEndsWithAnchor(t *testing.T) {
	e := errcode.New(errcode.StoreTimeout, nil, `store "cart" was not provided within 50 ms`)
	const want = `store "cart" was not provided within 50 ms (see docs/errors.md#store_timeout)`
	if got := e.Text(); got != want {
		t.Errorf("Text() = %q, want %q", got, want)
	}
	if got := e.Plain()["message"]; got != want {
		t.Errorf("Plain()[message] = %q, want %q", got, want)
	}
	if got := e.Error(); got != "STORE_TIMEOUT: "+want {
		t.Errorf("Error() = %q", got)
	}
	if e.Message != `store "cart" was not provided within 50 ms` {
		t.Errorf("Message = %q, want it without the anchor", e.Message)
	}
	again := errcode.New(errcode.StoreTimeout, nil, e.Text())
	if got := again.Text(); got != want {
		t.Errorf("Text() of a message that already ends with the anchor = %q, want it once: %q", got, want)
	}
}
