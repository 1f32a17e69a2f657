package remote_test

import (
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/remote"
)

func TestCallerURL(t *testing.T) {
	cases := []struct {
		name, stack, want string
	}{
		{"V8, a webpack container's consume runtime calls the wrapper", `Error
    at Object.get (http://127.0.0.1:8080/fedwasm/broker.abc.js:301:18)
    at get (http://127.0.0.1:8081/fixtures/wp-var/remoteEntry.js:420:31)
    at loadSingletonVersion (http://127.0.0.1:8081/fixtures/wp-var/remoteEntry.js:455:9)`,
			"http://127.0.0.1:8081/fixtures/wp-var/remoteEntry.js"},
		{"V8, anonymous frames and async frames", `Error
    at http://127.0.0.1:8080/fedwasm/broker.abc.js:301:18
    at async Promise.all (index 0)
    at async http://127.0.0.1:8081/mf/__federation_expose_Recommendations.js:2:7`,
			"http://127.0.0.1:8081/mf/__federation_expose_Recommendations.js"},
		{"the wrapper's file repeats before the caller", `Error
    at reportingGet (https://cdn.example/fedwasm/broker.js:10:3)
    at wrapped (https://cdn.example/fedwasm/broker.js:12:3)
    at https://shop.example/app.js:1:2`,
			"https://shop.example/app.js"},
		{"Firefox and Safari", "get_@http://127.0.0.1:8080/fedwasm/broker.js:301:18\nget@http://127.0.0.1:8081/cart/remoteEntry.js:4:2\n",
			"http://127.0.0.1:8081/cart/remoteEntry.js"},
		{"no line and column", "get_@http://h/broker.js\nf@http://h/x.js", "http://h/x.js"},
		{"a URL with a query keeps it", "    at f (http://h/b.js:1:1)\n    at g (http://h/x.js?v=2:3:4)", "http://h/x.js?v=2"},
		{"only the wrapper", "Error\n    at f (http://h/b.js:1:1)", ""},
		{"no URLs (stackTraceLimit = 0)", "Error", ""},
		{"wasm and native frames are not scripts", "Error\n    at f (http://h/b.js:1:1)\n    at wasm://wasm/0012:wasm-function[1]:0x1\n    at new Promise (<anonymous>)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := remote.CallerURL(c.stack)
			if got != c.want || ok != (c.want != "") {
				t.Errorf("CallerURL = %q, %v; want %q", got, ok, c.want)
			}
		})
	}
	t.Run("a huge stack is read only so far", func(t *testing.T) {
		stack := strings.Repeat("    at f (http://h/b.js:1:1)\n", 100000) + "    at g (http://h/x.js:1:1)"
		if got, ok := remote.CallerURL(stack); ok {
			t.Errorf("CallerURL read past its bound: %q", got)
		}
	})
}

func TestOwnerOfScript(t *testing.T) {
	r := remote.NewRegistry()
	if err := r.Register([]config.Remote{
		{Name: "wp-var", Entry: "http://127.0.0.1:8081/fixtures/wp-var/remoteEntry.js", Type: "var", EntryGlobalName: "wp_var"},
		{Name: "cart", Entry: "http://127.0.0.1:8081/cart.js", Type: "esm"},
		{Name: "badge", Entry: "http://127.0.0.1:8081/badge.js", Type: "esm"},
		{Name: "local", Entry: "/remotes/local/entry.js", Type: "esm"},
	}, false); err != nil {
		t.Fatal(err)
	}
	absolute := func(u string) string {
		if strings.HasPrefix(u, "/") {
			return "http://127.0.0.1:8080" + u
		}
		return u
	}
	cases := []struct{ url, want string }{
		{"http://127.0.0.1:8081/fixtures/wp-var/remoteEntry.js", "wp-var"},
		{"http://127.0.0.1:8081/fixtures/wp-var/src_ProductList_js.js", "wp-var"},
		{"http://127.0.0.1:8081/badge.js", "badge"},                  // exact entry beats the shared directory
		{"http://127.0.0.1:8081/fixtures/other/x.js", "cart"},        // the origin's root: the first remote there
		{"http://127.0.0.1:8080/remotes/local/chunk.js", "local"},    // relative entries resolve as the page would
		{"http://127.0.0.1:8080/demo-host/bootstrap.js", ""},         // the host's own code
		{"http://127.0.0.1:8082/fixtures/wp-var/remoteEntry.js", ""}, // another origin
	}
	for _, c := range cases {
		got, ok := r.OwnerOfScript(c.url, absolute)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("OwnerOfScript(%s) = %q, %v; want %q", c.url, got, ok, c.want)
		}
	}
	for name, want := range map[string]string{"wp_var": "wp-var", "wp-var": "wp-var", "cart": "cart", "mf_enhanced": ""} {
		if got, ok := r.ByContainerName(name); got != want || ok != (want != "") {
			t.Errorf("ByContainerName(%s) = %q, %v; want %q", name, got, ok, want)
		}
	}
}
