package broker_test

import (
	"testing"

	"github.com/fedwasm/fedwasm/federation/broker"
	"github.com/fedwasm/fedwasm/federation/jsonv"
)

func TestReadPersisted(t *testing.T) {
	cases := []struct {
		name       string
		raw        string
		present    bool
		canMigrate bool
		want       broker.PersistRead
	}{
		{"absent", "", false, false, broker.PersistAbsent},
		{"current", `{"schemaVersion":2,"state":{"n":1},"writtenAt":5,"tab":"t"}`, true, false, broker.PersistCurrent},
		{"current without stamp", `{"schemaVersion":2,"state":{}}`, true, false, broker.PersistCurrent},
		{"older with migrate", `{"schemaVersion":1,"state":{"count":1}}`, true, true, broker.PersistMigrate},
		{"older without migrate", `{"schemaVersion":1,"state":{"count":1}}`, true, false, broker.PersistUnreadable},
		{"newer", `{"schemaVersion":3,"state":{}}`, true, true, broker.PersistUnreadable},
		{"corrupt JSON", `{"schemaVersion":2,"sta`, true, true, broker.PersistUnreadable},
		{"not an object", `[1,2]`, true, true, broker.PersistUnreadable},
		{"null", `null`, true, true, broker.PersistUnreadable},
		{"foreign shape (zustand persist)", `{"state":{"n":1},"version":0}`, true, true, broker.PersistUnreadable},
		{"schemaVersion not a number", `{"schemaVersion":"2","state":{}}`, true, true, broker.PersistUnreadable},
		{"state not an object", `{"schemaVersion":2,"state":"x"}`, true, true, broker.PersistUnreadable},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env, got, err := broker.ReadPersisted(c.raw, c.present, 2, c.canMigrate)
			if got != c.want {
				t.Fatalf("outcome = %d (err %v), want %d", got, err, c.want)
			}
			if (err != nil) != (got == broker.PersistUnreadable) {
				t.Fatalf("err = %v for outcome %d: only unreadable data has an error", err, got)
			}
			if got == broker.PersistCurrent && env.State == nil {
				t.Fatal("no state returned")
			}
		})
	}
	env, _, _ := broker.ReadPersisted(`{"schemaVersion":2,"state":{"n":1},"writtenAt":5,"tab":"t"}`, true, 2, false)
	if env.WrittenAt != 5 || env.Tab != "t" || string(jsonv.Marshal(env.State)) != `{"n":1}` {
		t.Fatalf("envelope = %+v", env)
	}
}

func TestValidateSchemaVersion(t *testing.T) {
	for _, ok := range []float64{0, 1, 42} {
		if v, err := broker.ValidateSchemaVersion(ok); err != nil || float64(v) != ok {
			t.Errorf("%v: %d, %v", ok, v, err)
		}
	}
	for _, bad := range []float64{-1, 1.5, 1e12} {
		if _, err := broker.ValidateSchemaVersion(bad); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
	if got := broker.UnreadableKey("cart", 17); got != "cart:unreadable:17" {
		t.Errorf("UnreadableKey = %q", got)
	}
}
