package broker_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

func TestShareableAllows(t *testing.T) {
	s, err := broker.ParseShareable([]byte(`[["products"], ["stock", {"region": "eu"}], []]`))
	if err != nil {
		t.Fatal(err)
	}
	only, _ := broker.ParseShareable([]byte(`[["products"], ["stock", {"region": "eu"}]]`))
	cases := []struct {
		key  string
		want bool
	}{
		{`["products"]`, true},
		{`["products", 7]`, true},
		{`["product"]`, false},
		{`["secret"]`, false},
		{`["stock"]`, false},
		{`["stock", {"region": "eu"}]`, true},
		{`["stock", {"region": "us"}]`, false},
		{`["stock", {"region": "eu"}, "x"]`, true},
		{`["stock", {"region": "eu", "x": 1}]`, false},
		{`[]`, false},
		{`[["products"]]`, false},
	}
	for _, c := range cases {
		key, err := broker.QueryKeyOf([]byte(`{"queryKey":` + c.key + `}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := only.Allows(key); got != c.want {
			t.Errorf("Allows(%s) = %v, want %v", c.key, got, c.want)
		}
		if !s.Allows(key) {
			t.Errorf("the empty prefix must allow every key, not %s", c.key)
		}
	}
	var none broker.Shareable
	if none.Allows([]any{"products"}) {
		t.Error("no prefixes allowed a key")
	}
}

func TestParseShareableRefuses(t *testing.T) {
	for _, text := range []string{`{}`, `"products"`, `[["a"], "b"]`, `[1]`, `[` + strings.Repeat(`["a"],`, broker.MaxShareable) + `["a"]]`, `[`} {
		_, err := broker.ParseShareable([]byte(text))
		if e, ok := errors.AsType[*errcode.Error](err); !ok || e.Code != errcode.InvalidArgument {
			t.Errorf("ParseShareable(%.40s) = %v, want INVALID_ARGUMENT", text, err)
		}
	}
}

func TestQueryKeyOf(t *testing.T) {
	for _, text := range []string{`{}`, `{"queryKey":"a"}`, `[]`, `{`} {
		if _, err := broker.QueryKeyOf([]byte(text)); err == nil {
			t.Errorf("QueryKeyOf(%s) took it", text)
		}
	}
}

// The budgets a receiving tab applies leave room over what a sending tab
// allows itself, so a tab within its own budget is never dropped.
func TestCrossTabRulesLeaveHeadroom(t *testing.T) {
	rules := broker.CrossTabRules(broker.MaxMessageLength)
	rate := func(budget, kind, field string) float64 {
		return rules[budget].(map[string]any)[kind].(map[string]any)[field].(float64)
	}
	for _, kind := range []string{"messages", "characters"} {
		for _, field := range []string{"perSecond", "burst"} {
			send, per, all := rate("send", kind, field), rate("perSender", kind, field), rate("allSenders", kind, field)
			if !(send > 0 && per >= 2*send && all >= per) {
				t.Errorf("%s.%s: send %v, per sender %v, all senders %v", kind, field, send, per, all)
			}
		}
	}
	if burst := rate("send", "characters", "burst"); burst < float64(broker.MaxMessageLength) {
		t.Errorf("a burst of %v characters cannot carry one message of %d", burst, broker.MaxMessageLength)
	}
	if rules["version"] != broker.EnvelopeVersion || rules["maxLength"] != broker.MaxMessageLength {
		t.Errorf("rules = %v", rules)
	}
	err := broker.RateLimited("events.emit", "fedwasm:events")
	if e, ok := errors.AsType[*errcode.Error](err); !ok || e.Code != errcode.CrossTabRateLimited || !strings.Contains(e.Error(), "fedwasm:events") {
		t.Errorf("RateLimited = %v", err)
	}
}
