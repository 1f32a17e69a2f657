package share_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/share"
)

// Every choice says in words why it was made, and Snapshot reports it.
func TestReasonExplainsTheChoice(t *testing.T) {
	two := []share.Provider{prov("react", "18.2.0", "shell"), prov("react", "19.1.0", "checkout")}
	cases := []struct {
		name       string
		providers  []share.Provider
		markLoaded []int
		consumer   share.Consumer
		want       []string
	}{
		{"highest satisfying", two, nil, consumer("react", "cart", "^18.0.0"),
			[]string{"highest of 1 version(s) satisfying ^18.0.0", "18.2.0 from shell", "2 provided", "19.1.0 from checkout"}},
		{"no range", two, nil, consumer("react", "cart", ""), []string{"no range asked for", "19.1.0 from checkout"}},
		{"singleton none loaded", two, nil, singleton(consumer("react", "cart", "")), []string{"singleton, none loaded yet", "19.1.0"}},
		{"singleton loaded stays", two, []int{0}, singleton(consumer("react", "cart", "")), []string{"singleton already loaded", "18.2.0 from shell stays"}},
		{"mismatch allowed", two, []int{0}, singleton(consumer("react", "cart", "^19.0.0")),
			[]string{"18.2.0 from shell does not satisfy ^19.0.0", "strictVersion is off", "warning"}},
		{"fallback", two, nil, withFallback(consumer("react", "cart", "^20.0.0")), []string{"no version satisfies ^20.0.0", "fallback"}},
		{"fallback, not provided", nil, nil, withFallback(consumer("react", "cart", "")), []string{"none provided", "fallback"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := setup(t, "", c.providers, c.markLoaded)
			ch, err := s.Resolve(c.consumer)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range c.want {
				if !strings.Contains(ch.Reason, w) {
					t.Errorf("reason %q lacks %q", ch.Reason, w)
				}
			}
			for _, r := range s.Snapshot() {
				for _, cr := range r.Consumers {
					if cr.From == c.consumer.From && cr.Reason != ch.Reason {
						t.Errorf("Snapshot reason %q, Choice reason %q", cr.Reason, ch.Reason)
					}
				}
			}
		})
	}
}
