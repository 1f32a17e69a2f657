package share_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/share"
)

// A step of a share scope's life: register a provider (optionally loaded),
// hand out what a consumer resolved to, or resolve and check.
type inUseStep struct {
	register *share.Provider
	handOut  *share.Consumer // resolve c, then hand the choice out to it
	take     string          // a container named take takes the active entry of last registered provider
	resolve  *share.Consumer // resolve c and check what it got

	wantVersion, wantFrom string
	wantRule              share.Rule
	wantErr, wantWarning  string
	wantReason            []string
}

func reg(p share.Provider) inUseStep     { return inUseStep{register: &p} }
func handOut(c share.Consumer) inUseStep { return inUseStep{handOut: &c} }
func resolveTo(c share.Consumer, version, from string, rule share.Rule, reason ...string) inUseStep {
	return inUseStep{resolve: &c, wantVersion: version, wantFrom: from, wantRule: rule, wantReason: reason}
}

// TestSingletonHandedOutStays: once a consumer has received a singleton's
// module, every later singleton consumer gets that module — a later
// registration of a higher (even loaded) version never displaces it, and a
// consumer whose range it does not satisfy gets SHARE_SINGLETON_MISMATCH
// under strictVersion, else the instance in use with a warning.
func TestSingletonHandedOutStays(t *testing.T) {
	libX := func(version, from string) share.Provider { return prov("lib-x", version, from) }
	host := singleton(consumer("lib-x", "shell", ""))
	cases := []struct {
		name  string
		steps []inUseStep
	}{
		{"the issue's case: a loaded 17.0.2 registered after 16.0.0 was handed out", []inUseStep{
			reg(libX("16.0.0", "shell")),
			handOut(host),
			reg(loaded(libX("17.0.2", "cart"))),
			{resolve: ptr(strict(singleton(consumer("lib-x", "cart", "^17.0.0")))), wantErr: errcode.ShareSingletonMismatch,
				wantReason: []string{"16.0.0", `"shell"`, `"^17.0.0"`}},
			{resolve: ptr(singleton(consumer("lib-x", "cart", "^17.0.0"))), wantVersion: "16.0.0", wantFrom: "shell",
				wantRule: share.RuleMismatchAllowed, wantWarning: errcode.ShareSingletonMismatch},
			resolveTo(singleton(consumer("lib-x", "checkout", "")), "16.0.0", "shell", share.RuleInUse,
				"singleton in use", "16.0.0 from shell was handed to shell first"),
		}},
		{"without a handout, the highest loaded is chosen", []inUseStep{
			reg(libX("16.0.0", "shell")),
			reg(loaded(libX("17.0.2", "cart"))),
			resolveTo(singleton(consumer("lib-x", "checkout", "")), "17.0.2", "cart", share.RuleAlreadyLoaded),
		}},
		{"two loaded, none handed out: the highest, whatever the order", []inUseStep{
			reg(loaded(libX("17.0.2", "cart"))),
			reg(loaded(libX("16.0.0", "shell"))),
			resolveTo(singleton(consumer("lib-x", "checkout", "")), "17.0.2", "cart", share.RuleAlreadyLoaded),
		}},
		{"a handout to a non-singleton consumer does not fix the instance", []inUseStep{
			reg(libX("16.0.0", "shell")),
			reg(libX("17.0.2", "cart")),
			handOut(consumer("lib-x", "legacy", "^16.0.0")),
			// 16.0.0 is now loaded (handed out), 17.0.2 is not: loaded wins for a singleton.
			resolveTo(singleton(consumer("lib-x", "checkout", "")), "16.0.0", "shell", share.RuleAlreadyLoaded),
			handOut(singleton(consumer("lib-x", "checkout", ""))),
			reg(loaded(libX("18.0.0", "late"))),
			resolveTo(singleton(consumer("lib-x", "other", "")), "16.0.0", "shell", share.RuleInUse),
		}},
		{"the instance in use stays for an eager consumer too", []inUseStep{
			reg(libX("16.0.0", "shell")),
			handOut(host),
			reg(eager(loaded(libX("17.0.2", "cart")))),
			resolveTo(eagerConsumer(singleton(consumer("lib-x", "cart", ""))), "16.0.0", "shell", share.RuleInUse),
		}},
		{"a container that took an entry fixes the instance", []inUseStep{
			reg(libX("16.0.0", "shell")),
			{take: "wp_var"},
			reg(loaded(libX("17.0.2", "cart"))),
			resolveTo(singleton(consumer("lib-x", "checkout", "")), "16.0.0", "shell", share.RuleInUse, "handed to wp_var first"),
		}},
		{"scopes are apart: an instance in one scope does not bind another", []inUseStep{
			reg(libX("16.0.0", "shell")),
			handOut(host),
			reg(inScope(libX("17.0.2", "cart"), "legacy")),
			resolveTo(inConsumerScope(singleton(consumer("lib-x", "cart", "")), "legacy"), "17.0.2", "cart", share.RuleHighest),
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := share.NewScopes("")
			var last share.ProviderID
			for i, st := range tc.steps {
				switch {
				case st.register != nil:
					id, _, err := s.Register(*st.register)
					if err != nil {
						t.Fatalf("step %d: Register: %v", i, err)
					}
					last = id
				case st.handOut != nil:
					ch, err := s.Resolve(*st.handOut)
					if err != nil {
						t.Fatalf("step %d: Resolve: %v", i, err)
					}
					s.HandOut(ch.ID, st.handOut.From, st.handOut.Singleton)
				case st.take != "":
					s.Took(last, st.take, true)
				default:
					ch, err := s.Resolve(*st.resolve)
					if got := errcode.CodeOf(err); got != st.wantErr {
						t.Fatalf("step %d: err = %v, want code %q", i, err, st.wantErr)
					}
					text := ch.Reason
					if err != nil {
						text = err.Error()
					} else if ch.Provider.Version != st.wantVersion || ch.Provider.From != st.wantFrom || ch.Rule != st.wantRule {
						t.Errorf("step %d: got %s from %s by %q, want %s from %s by %q", i,
							ch.Provider.Version, ch.Provider.From, ch.Rule, st.wantVersion, st.wantFrom, st.wantRule)
					}
					gotWarning := ""
					if ch.Warning != nil {
						gotWarning = ch.Warning.Code
					}
					if err == nil && gotWarning != st.wantWarning {
						t.Errorf("step %d: warning %v, want code %q", i, ch.Warning, st.wantWarning)
					}
					for _, w := range st.wantReason {
						if !strings.Contains(text, w) {
							t.Errorf("step %d: %q lacks %q", i, text, w)
						}
					}
				}
			}
		})
	}
}

// TestTookIsReported: a container that took an entry from the live scope is
// listed among the package's consumers with what it got, and its provider
// is marked loaded and in use; a consumer that also asked through fedwasm
// keeps that fuller report.
func TestTookIsReported(t *testing.T) {
	s := share.NewScopes("")
	id, _, _ := s.Register(prov("react", "19.1.0", "shell"))
	s.Took(id, "wp_var", true)
	s.Took(id, "wp_var", true) // twice: one report
	if _, err := s.Resolve(singleton(consumer("react", "shell", "^19.0.0"))); err != nil {
		t.Fatal(err)
	}
	s.Took(id, "shell", true) // asked through fedwasm first: that report stays
	reports := s.Snapshot()
	if len(reports) != 1 || len(reports[0].Consumers) != 2 {
		t.Fatalf("snapshot = %+v", reports)
	}
	shell, wpVar := reports[0].Consumers[0], reports[0].Consumers[1]
	if wpVar.From != "wp_var" || wpVar.Got != "19.1.0" || wpVar.GotFrom != "shell" || wpVar.Rule != share.RuleTakenFromScope ||
		!strings.Contains(wpVar.Reason, "wp_var took 19.1.0 from shell") {
		t.Errorf("wp_var's report = %+v", wpVar)
	}
	if shell.From != "shell" || shell.Rule != share.RuleInUse {
		t.Errorf("shell's report = %+v", shell)
	}
	p := reports[0].Providers[0]
	if !p.Loaded || !p.InUse {
		t.Errorf("provider = %+v, want loaded and in use", p)
	}
	s.Took(share.ProviderID(999), "ghost", true) // unknown id: nothing happens
}

func ptr[T any](v T) *T { return &v }

func inConsumerScope(c share.Consumer, scope string) share.Consumer { c.Scope = scope; return c }

// TestSettled: a singleton consumer's answer is settled once it is the
// instance in use inside the consumer's range; anything else may still change.
func TestSettled(t *testing.T) {
	s := share.NewScopes("")
	v16, _, _ := s.Register(prov("lib-x", "16.0.0", "shell"))
	v17, _, _ := s.Register(prov("lib-x", "17.0.2", "cart"))
	host := singleton(consumer("lib-x", "shell", "^16.0.0"))
	if s.Settled(host, v16) {
		t.Errorf("settled before anything was handed out")
	}
	s.HandOut(v16, "shell", true)
	cases := []struct {
		name string
		c    share.Consumer
		id   share.ProviderID
		want bool
	}{
		{"the instance, inside the range", host, v16, true},
		{"the instance, no range", singleton(consumer("lib-x", "cart", "")), v16, true},
		{"the instance, range *", singleton(consumer("lib-x", "cart", "*")), v16, true},
		{"the instance, outside the range (a warning each time)", singleton(consumer("lib-x", "cart", "^17.0.0")), v16, false},
		{"another provider", singleton(consumer("lib-x", "cart", "")), v17, false},
		{"not a singleton consumer", consumer("lib-x", "cart", ""), v16, false},
		{"a consumer with a fallback", withFallback(singleton(consumer("lib-x", "cart", ""))), v16, false},
		{"a bad range", singleton(consumer("lib-x", "cart", "not a range")), v16, false},
		{"another scope", inConsumerScope(singleton(consumer("lib-x", "cart", "")), "other"), v16, false},
	}
	for _, tc := range cases {
		if got := s.Settled(tc.c, tc.id); got != tc.want {
			t.Errorf("%s: Settled = %v, want %v", tc.name, got, tc.want)
		}
	}
}
