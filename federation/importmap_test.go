package federation

import (
	"reflect"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

func TestImportMapDisagreements(t *testing.T) {
	const react18, react19 = "https://shop.example/vendor/react-18.js", "https://shop.example/vendor/react-19.js"
	for _, c := range []struct {
		name          string
		decided, page map[string]string
		want          []string // the packages reported
	}{
		{"no page map", map[string]string{"react": react19}, nil, nil},
		{"the same URL", map[string]string{"react": react19}, map[string]string{"react": react19}, nil},
		{"a package the page does not map", map[string]string{"react": react19, "zustand": "z.js"}, map[string]string{"react": react19}, nil},
		{"a package the runtime does not map", map[string]string{}, map[string]string{"react": react18}, nil},
		{"another URL", map[string]string{"react": react19}, map[string]string{"react": react18}, []string{"react"}},
		{"two, in package order", map[string]string{"zustand": "b.js", "react": react19, "react-dom": "d.js"},
			map[string]string{"zustand": "a.js", "react": react18, "react-dom": "d.js"}, []string{"react", "zustand"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			for _, w := range ImportMapDisagreements(c.decided, c.page) {
				if w.Code != errcode.SnapshotDisagrees {
					t.Errorf("code %s, want %s", w.Code, errcode.SnapshotDisagrees)
				}
				pkg := w.Details["package"].(string)
				if w.Details["page"] != c.page[pkg] || w.Details["runtime"] != c.decided[pkg] {
					t.Errorf("details %v, want page %s and runtime %s", w.Details, c.page[pkg], c.decided[pkg])
				}
				got = append(got, pkg)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("reported %v, want %v", got, c.want)
			}
		})
	}
}

func TestEarlyEntryDisagreement(t *testing.T) {
	cases := []struct {
		name, page, runtime string
		want                bool
	}{
		{"same entry", "https://cart.example/cart.js", "https://cart.example/cart.js", false},
		{"another URL", "https://cart.example/cart.js", "https://cart.example/v2/cart.js", true},
		{"a query differs", "https://cart.example/cart.js?stale", "https://cart.example/cart.js", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := EarlyEntryDisagreement("cart", c.page, c.runtime)
			if (w != nil) != c.want {
				t.Fatalf("warning %v, want one: %v", w, c.want)
			}
			if w != nil && (w.Code != errcode.SnapshotDisagrees || w.Details["remote"] != "cart" || w.Details["page"] != c.page || w.Details["runtime"] != c.runtime) {
				t.Errorf("warning %+v, want SNAPSHOT_DISAGREES naming the remote and both URLs", w)
			}
		})
	}
}
