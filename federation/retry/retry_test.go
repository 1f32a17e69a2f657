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
			[]retry.Attempt{{URL: "http://127.0.0.1:8081/remoteEntry.js", Timeout: 100}}},
		{"retries double the delay on the same origin", "http://a.test/e.js", config.Retry{Times: 3, DelayMs: 100, TimeoutMs: 50}, false,
			[]retry.Attempt{
				{URL: "http://a.test/e.js", Timeout: 50},
				{URL: "http://a.test/e.js", Delay: 100, Timeout: 50},
				{URL: "http://a.test/e.js", Delay: 200, Timeout: 50},
				{URL: "http://a.test/e.js", Delay: 400, Timeout: 50},
			}},
		{"failover rotates domains after the original's, keeping path and query", "http://cdn1.test/app/e.js?v=2",
			config.Retry{Times: 3, DelayMs: 10, Domains: []string{"http://cdn1.test", "http://cdn2.test", "http://cdn3.test"}}, false,
			[]retry.Attempt{
				{URL: "http://cdn1.test/app/e.js?v=2"},
				{URL: "http://cdn2.test/app/e.js?v=2", Delay: 10},
				{URL: "http://cdn3.test/app/e.js?v=2", Delay: 20},
				{URL: "http://cdn1.test/app/e.js?v=2", Delay: 40},
			}},
		{"an origin not listed fails over to the first domain", "http://origin.test/e.js",
			config.Retry{Times: 1, DelayMs: 5, Domains: []string{"http://backup.test/"}}, false,
			[]retry.Attempt{{URL: "http://origin.test/e.js"}, {URL: "http://backup.test/e.js", Delay: 5}}},
		{"ES module retries bust the cache", "http://a.test/e.mjs", config.Retry{Times: 2, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs"},
				{URL: "http://a.test/e.mjs?fedwasm-retry=1", Delay: 1},
				{URL: "http://a.test/e.mjs?fedwasm-retry=2", Delay: 2},
			}},
		{"the cache-busting parameter joins the query and keeps the fragment", "http://a.test/e.mjs?v=2&x#top", config.Retry{Times: 1, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs?v=2&x#top"},
				{URL: "http://a.test/e.mjs?v=2&x&fedwasm-retry=1#top", Delay: 1},
			}},
		{"a cache-busting parameter already there is replaced", "http://a.test/e.mjs?fedwasm-retry=7&v=2", config.Retry{Times: 1, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs?fedwasm-retry=7&v=2"},
				{URL: "http://a.test/e.mjs?v=2&fedwasm-retry=1", Delay: 1},
			}},
		{"an empty query and fragment", "http://a.test/e.mjs?#", config.Retry{Times: 1, DelayMs: 1}, true,
			[]retry.Attempt{
				{URL: "http://a.test/e.mjs?#"},
				{URL: "http://a.test/e.mjs?fedwasm-retry=1#", Delay: 1},
			}},
		{"failover keeps the port, path, query and fragment", "https://cdn1.test:8443/a/b.mjs?q=1#f",
			config.Retry{Times: 2, DelayMs: 1, Domains: []string{"https://cdn1.test:8443", "http://127.0.0.1:9000/"}}, true,
			[]retry.Attempt{
				{URL: "https://cdn1.test:8443/a/b.mjs?q=1#f"},
				{URL: "http://127.0.0.1:9000/a/b.mjs?q=1&fedwasm-retry=1#f", Delay: 1},
				{URL: "https://cdn1.test:8443/a/b.mjs?q=1&fedwasm-retry=2#f", Delay: 2},
			}},
		{"an origin with nothing after it", "http://a.test", config.Retry{Times: 1, DelayMs: 1, Domains: []string{"http://b.test"}}, false,
			[]retry.Attempt{{URL: "http://a.test"}, {URL: "http://b.test", Delay: 1}}},
		{"a URL without an origin is retried as it is", "/remotes/e.js", config.Retry{Times: 1, DelayMs: 1, Domains: []string{"http://b.test"}}, false,
			[]retry.Attempt{{URL: "/remotes/e.js"}, {URL: "/remotes/e.js", Delay: 1}}},
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

// TestMillisString: Millis prints as time.Duration does, so the runtime's
// messages ("timed out after 8s") read the same without the time package.
func TestMillisString(t *testing.T) {
	values := []int{0, 1, 9, 10, 999, 1000, 1001, 1010, 1100, 1500, 8000, 59_999, 60_000, 61_500,
		119_999, 120_000, 3_599_999, 3_600_000, 3_661_001, 30_720_000, 1<<31 - 1, -1, -1500, -3_600_000}
	for ms := 0; ms < 200_000; ms += 37 {
		values = append(values, ms)
	}
	for _, ms := range values {
		want := (time.Duration(ms) * time.Millisecond).String()
		if got := retry.Millis(ms).String(); got != want {
			t.Errorf("Millis(%d).String() = %q, want %q (time.Duration's)", ms, got, want)
		}
	}
}
