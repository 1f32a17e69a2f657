// Package retry plans how a remote's entry or manifest is fetched: the URL of
// each attempt (the original, then the failover domains in turn, as the MF
// retry plugin rotates them), the delay before it (doubling from the first
// retry's), and a cache-busting query on retries of ES modules: the HTML
// standard keeps a failed import() in the page's module map, so a browser
// may answer a retry of the same URL with the same failure (the Chromium the
// tests run fetches it again).
package retry

import (
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/config"
)

// Attempt is one try at loading a URL.
type Attempt struct {
	URL     string
	Delay   Millis // wait before this attempt
	Timeout Millis
}

// Millis is a span of time in whole milliseconds, the unit of the config's
// retry policy and of the browser's timers. The runtime keeps time this way
// rather than as a time.Duration: linking the time package brings its
// GODEBUG settings and their parser into runtime.wasm.
type Millis int

// String writes m as time.Duration's String does ("0s", "500ms", "1.5s",
// "2m0s", "1h0m0s"), so messages read as before.
func (m Millis) String() string {
	ms := int64(m)
	if ms == 0 {
		return "0s"
	}
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	if ms < 1000 {
		return sign + strconv.FormatInt(ms, 10) + "ms"
	}
	s := strconv.FormatInt(ms/1000%60, 10)
	if frac := ms % 1000; frac != 0 {
		digits := strconv.FormatInt(1000+frac, 10)[1:]
		s += "." + strings.TrimRight(digits, "0")
	}
	s += "s"
	minutes := ms / 60_000
	if minutes == 0 {
		return sign + s
	}
	s = strconv.FormatInt(minutes%60, 10) + "m" + s
	if hours := minutes / 60; hours > 0 {
		s = strconv.FormatInt(hours, 10) + "h" + s
	}
	return sign + s
}

// Plan returns the attempts for rawURL under policy: 1 + policy.Times of
// them. esModule adds a "fedwasm-retry=<n>" query to every retry.
func Plan(rawURL string, policy config.Retry, esModule bool) []Attempt {
	attempts := make([]Attempt, 0, 1+policy.Times)
	timeout := Millis(policy.TimeoutMs)
	attempts = append(attempts, Attempt{URL: rawURL, Timeout: timeout})
	delay := Millis(policy.DelayMs)
	current := rawURL
	for n := 1; n <= policy.Times; n++ {
		current = nextDomain(current, policy.Domains)
		u := current
		if esModule {
			u = withQuery(u, "fedwasm-retry", strconv.Itoa(n))
		}
		attempts = append(attempts, Attempt{URL: u, Delay: delay, Timeout: timeout})
		delay *= 2
	}
	return attempts
}

// nextDomain moves rawURL to the next origin in domains after its own (or to
// the first when its origin is not listed), keeping path and query.
func nextDomain(rawURL string, domains []string) string {
	if len(domains) == 0 {
		return rawURL
	}
	origin, rest, ok := splitOrigin(rawURL)
	if !ok {
		return rawURL
	}
	next := 0
	for i := len(domains) - 1; i >= 0; i-- {
		if trimSlash(domains[i]) == origin {
			next = (i + 1) % len(domains)
			break
		}
	}
	return trimSlash(domains[next]) + rest
}

// splitOrigin splits an absolute URL into its origin ("scheme://host[:port]")
// and the rest (path, query and fragment, as written); ok is false for a URL
// that does not start with a scheme and "://".
func splitOrigin(rawURL string) (origin, rest string, ok bool) {
	i := strings.Index(rawURL, "://")
	if i <= 0 || strings.ContainsAny(rawURL[:i], "/?#") {
		return "", "", false
	}
	end := strings.IndexAny(rawURL[i+3:], "/?#")
	if end < 0 {
		return rawURL, "", true
	}
	return rawURL[:i+3+end], rawURL[i+3+end:], true
}

// withQuery sets key=value in rawURL's query, in place of any key= already
// there, keeping the rest of the query and the fragment as written. key and
// value must need no escaping.
func withQuery(rawURL, key, value string) string {
	base, fragment := rawURL, ""
	if i := strings.IndexByte(rawURL, '#'); i >= 0 {
		base, fragment = rawURL[:i], rawURL[i:]
	}
	path, query, _ := strings.Cut(base, "?")
	params := []string{}
	for _, p := range strings.Split(query, "&") {
		if name, _, _ := strings.Cut(p, "="); p != "" && name != key {
			params = append(params, p)
		}
	}
	return path + "?" + strings.Join(append(params, key+"="+value), "&") + fragment
}

func trimSlash(s string) string {
	for len(s) > 0 && s[len(s)-1] == '/' {
		s = s[:len(s)-1]
	}
	return s
}
