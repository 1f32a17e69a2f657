package retry_test

import (
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/retry"
)

func TestPlan(t *testing.T) {
	cases := []struct {
		name     string
		url      string
		policy   config.Retry
		esModule bool
		want     []retry.Attempt
	}{
		{"no retries", "http://127.0.0.1:8081/remoteEntry.js", config.Retry{TimeoutMs: 100}, false,
			[]retry.Attempt{{URL: "http://127.0.0.1:8081/remoteEntry.js", Timeout: 100 * time.Millisecond}}},
		{"retries double the delay on the same origin", "http://a.test/e.js", config.Retry{Times: 3, DelayMs: 100, TimeoutMs: 50}, false,
			[]retry.Attempt{
				{URL: "http://a.test/e.js", Timeout: 50 * time.Millisecond},
				{URL: "http://a.test/e.js", Delay: 100 * time.Millisecond, Timeout: 50 * time.Millisecond},
				{URL: "http://a.test/e.js", Delay: 200 * time.Millisecond, Timeout: 50 * time.Millisecond},
				{URL: "http://a.test/e.js", Delay: 400 * time.Millisecond, Timeout: 50 * time.Millisecond},
			}},
		{"failover rotates domains after the original's, keeping path and query", "http://cdn1.test/app/e.js?v=2",
			config.Retry{Times: 3, DelayMs: 10, Domains: []string{"http://cdn1.test", "http://cdn2.test", "http://cdn3.test"}}, false,
			[]retry.Attempt{
				{URL: "http://cdn1.test/app/e.js?v=2"},
				{URL: "http://cdn2.test/app/e.js?v=2", Delay: 10 * time.Millisecond},
				{URL: "http://cdn3.test/app/e.js?v=2", Delay: 20 * time.Millisecond},
				{URL: "http://cdn1.test/app/e.js?v=2", Delay: 40 * time.Millisecond},
			}},
		{"an origin not listed fails over to the first domain", "http://origin.test/e.js",
			config.Retry{Times: 1, DelayMs: 5, Domains: []string{"http://backup.test/"}}, false,
			[]retry.Attempt{{URL: "http://origin.test/e.js"}, {URL: "http://backup.test/e.js", Delay: 5 * time.Millisecond}}},
		{"ES module retries bust the cache", "http://a.test/e.mjs", config.Retry{Times: 2, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs"},
				{URL: "http://a.test/e.mjs?fedwasm-retry=1", Delay: time.Millisecond},
				{URL: "http://a.test/e.mjs?fedwasm-retry=2", Delay: 2 * time.Millisecond},
			}},
		{"the cache-busting parameter joins the query and keeps the fragment", "http://a.test/e.mjs?v=2&x#top", config.Retry{Times: 1, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs?v=2&x#top"},
				{URL: "http://a.test/e.mjs?v=2&x&fedwasm-retry=1#top", Delay: time.Millisecond},
			}},
		{"a cache-busting parameter already there is replaced", "http://a.test/e.mjs?fedwasm-retry=7&v=2", config.Retry{Times: 1, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs?fedwasm-retry=7&v=2"},
				{URL: "http://a.test/e.mjs?v=2&fedwasm-retry=1", Delay: time.Millisecond},
			}},
		{"an empty query and fragment", "http://a.test/e.mjs?#", config.Retry{Times: 1, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs?#"},
				{URL: "http://a.test/e.mjs?fedwasm-retry=1#", Delay: time.Millisecond},
			}},
		{"failover keeps the port, path, query and fragment", "https://cdn1.test:8443/a/b.mjs?q=1#f",
			config.Retry{Times: 2, DelayMs: 1, Domains: []string{"https://cdn1.test:8443", "http://127.0.0.1:9000/"}}, true,
			[]retry.Attempt{
				{URL: "https://cdn1.test:8443/a/b.mjs?q=1#f"},
				{URL: "http://127.0.0.1:9000/a/b.mjs?q=1&fedwasm-retry=1#f", Delay: time.Millisecond},
				{URL: "https://cdn1.test:8443/a/b.mjs?q=1&fedwasm-retry=2#f", Delay: 2 * time.Millisecond},
			}},
		{"an origin with nothing after it", "http://a.test", config.Retry{Times: 1, DelayMs: 1, Domains: []string{"http://b.test"}}, false,
			[]retry.Attempt{{URL: "http://a.test"}, {URL: "http://b.test", Delay: time.Millisecond}}},
		{"a URL without an origin is retried as it is", "/remotes/e.js", config.Retry{Times: 1, DelayMs: 1, Domains: []string{"http://b.test"}}, false,
			[]retry.Attempt{{URL: "/remotes/e.js"}, {URL: "/remotes/e.js", Delay: time.Millisecond}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := retry.Plan(c.url, c.policy, c.esModule)
			if len(got) != len(c.want) {
				t.Fatalf("%d attempts %+v, want %d", len(got), got, len(c.want))
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Errorf("attempt %d = %+v, want %+v", i, got[i], c.want[i])
				}
			}
		})
	}
}
