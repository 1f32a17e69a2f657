package broker_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
)

func TestDecodeQueryMessage(t *testing.T) {
	manyKeys := `[` + strings.TrimSuffix(strings.Repeat(`{"queryKey":["k"]},`, broker.MaxQueryKeys+1), ",") + `]`
	cases := []struct {
		name, json, wantReason string
	}{
		{"invalidate", `{"v":2,"type":"query:invalidate","tab":"t","detail":{"keys":[{"queryKey":["todos",1],"exact":true}]}}`, ""},
		{"invalidate everything", `{"v":2,"type":"query:invalidate","tab":"t","detail":{"keys":[{"queryKey":[]}]}}`, ""},
		{"cache request", `{"v":2,"type":"query:cache-request","tab":"t","detail":{"request":"t:1"}}`, ""},
		{"cache answer", `{"v":2,"type":"query:cache","tab":"t","detail":{"request":"t:1","entries":[{"queryKey":["a"],"data":{"x":1},"dataUpdatedAt":5}]}}`, ""},
		{"empty cache answer", `{"v":2,"type":"query:cache","tab":"t","detail":{"request":"t:1","entries":[]}}`, ""},
		{"bad envelope version", `{"v":3,"type":"query:invalidate","tab":"t","detail":{}}`, broker.DropBadVersion},
		{"unknown type", `{"v":2,"type":"query:explode","tab":"t","detail":{}}`, broker.DropBadQueryMessage},
		{"no detail", `{"v":2,"type":"query:invalidate","tab":"t"}`, broker.DropBadQueryMessage},
		{"detail not an object", `{"v":2,"type":"query:invalidate","tab":"t","detail":"x"}`, broker.DropBadQueryMessage},
		{"string key", `{"v":2,"type":"query:invalidate","tab":"t","detail":{"keys":[{"queryKey":"todos"}]}}`, broker.DropBadQueryMessage},
		{"no keys", `{"v":2,"type":"query:invalidate","tab":"t","detail":{"keys":[]}}`, broker.DropBadQueryMessage},
		{"too many keys", `{"v":2,"type":"query:invalidate","tab":"t","detail":{"keys":` + manyKeys + `}}`, broker.DropBadQueryMessage},
		{"request without id", `{"v":2,"type":"query:cache-request","tab":"t","detail":{}}`, broker.DropBadQueryMessage},
		{"entry without data", `{"v":2,"type":"query:cache","tab":"t","detail":{"request":"r","entries":[{"queryKey":["a"],"dataUpdatedAt":5}]}}`, broker.DropBadQueryMessage},
		{"entry without time", `{"v":2,"type":"query:cache","tab":"t","detail":{"request":"r","entries":[{"queryKey":["a"],"data":1}]}}`, broker.DropBadQueryMessage},
		{"too large", `{"v":2,"type":"query:cache","tab":"t","detail":{"request":"r","entries":[{"queryKey":["a"],"data":"` + strings.Repeat("a", 3*broker.MaxMessageLength) + `","dataUpdatedAt":5}]}}`, broker.DropTooLarge},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, reason, err := broker.DecodeQueryMessage([]byte(c.json))
			if reason != c.wantReason || (err == nil) != (c.wantReason == "") {
				t.Fatalf("reason = %q, err = %v; want reason %q", reason, err, c.wantReason)
			}
			if err != nil {
				return
			}
			switch m.Type {
			case broker.QueryInvalidate:
				if len(m.Keys) == 0 {
					t.Fatalf("no keys decoded from %s", c.json)
				}
			case broker.QueryCacheRequest, broker.QueryCacheAnswer:
				if m.Request == "" {
					t.Fatalf("no request id decoded from %s", c.json)
				}
			}
		})
	}
}

func TestDecodeKeyFiltersKeepsExactness(t *testing.T) {
	keys, err := broker.DecodeKeyFilters([]byte(`[{"queryKey":["a"],"exact":true},{"queryKey":["b",{"page":2}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || !keys[0].Exact || keys[1].Exact || string(jsonv.Marshal(keys[1].QueryKey)) != `["b",{"page":2}]` {
		t.Fatalf("keys = %+v", keys)
	}
}

func TestValidateQueryKeyAndChannel(t *testing.T) {
	if err := broker.ValidateQueryKey("query.invalidate", []byte(`["todos"]`)); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{`"todos"`, `{}`, ``, `[`} {
		err := broker.ValidateQueryKey("query.invalidate", []byte(bad))
		if errcode.As(err, "").Code != errcode.InvalidArgument {
			t.Errorf("%q: err = %v, want INVALID_ARGUMENT", bad, err)
		}
	}
	if err := broker.ValidateChannelName("query.connect", broker.DefaultQueryChannel); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "a b", strings.Repeat("x", 129)} {
		if err := broker.ValidateChannelName("query.connect", bad); err == nil {
			t.Errorf("channel %q accepted", bad)
		}
	}
}
