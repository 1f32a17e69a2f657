package server

import (
	"strings"
	"testing"
)

func TestLoaderTag(t *testing.T) {
	const tag = `<script src="/fedwasm/loader.js" data-config="/federation.json?host=shell"></script>`
	cases := []struct {
		name, page string
		at         int // -1: none
		config     string
	}{
		{name: "plain", page: `<head>` + tag, at: 6, config: "/federation.json?host=shell"},
		{name: "after a comment holding a look-alike", page: `<!-- <script src="/x/loader.js" data-config="?host=evil"> -->` + tag, at: 61, config: "/federation.json?host=shell"},
		{name: "after a script whose text holds one", page: `<script>let s = '<script src="loader.js" data-config="?host=evil">'</script>` + tag, at: 76, config: "/federation.json?host=shell"},
		{name: "upper case, unquoted, entity", page: `<SCRIPT nonce=x SRC=/fedwasm/loader.js?v=1 DATA-CONFIG="/federation.json?x=1&amp;host=shell"></SCRIPT>`, at: 0, config: "/federation.json?x=1&host=shell"},
		{name: "quoted > in an earlier attribute", page: `<meta content="a>b"><script data-config='c.json?host=h' src='loader.js'>`, at: 20, config: "c.json?host=h"},
		{name: "title text", page: `<title><script src=loader.js></title>` + tag, at: 37, config: "/federation.json?host=shell"},
		{name: "another script first", page: `<script src="/app.js"></script>` + tag, at: 31, config: "/federation.json?host=shell"},
		{name: "not loader.js", page: `<script src="/fedwasm/loader.json"></script><script src="/loader.js.map">`, at: -1},
		{name: "unterminated comment", page: `<!-- ` + tag, at: -1},
		{name: "unterminated tag", page: `<script src="/fedwasm/loader.js"`, at: -1},
		{name: "doctype and end tags", page: `<!doctype html></p><?x?>` + tag, at: 24, config: "/federation.json?host=shell"},
		{name: "a lone <", page: `a < b <3 ` + tag, at: 9, config: "/federation.json?host=shell"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			at, config, ok := loaderTag([]byte(tc.page))
			if tc.at < 0 {
				if ok {
					t.Fatalf("found a loader tag at %d in %q", at, tc.page)
				}
				return
			}
			if !ok || at != tc.at || config != tc.config {
				t.Fatalf("loaderTag = %d, %q, %v; want %d, %q", at, config, ok, tc.at, tc.config)
			}
		})
	}
}

// FuzzLoaderTag: any page; a tag found starts with "<script" where it says.
func FuzzLoaderTag(f *testing.F) {
	f.Add(`<!doctype html><head><script src="/fedwasm/loader.js" data-config="/f.json?host=a"></script>`)
	f.Add(`<!-- x --><style><script src=loader.js></style><script src=loader.js>`)
	f.Fuzz(func(t *testing.T, page string) {
		at, _, ok := loaderTag([]byte(page))
		if ok && (at < 0 || at+7 > len(page) || !strings.EqualFold(page[at:at+7], "<script")) {
			t.Fatalf("loaderTag says %d in %q", at, page)
		}
	})
}
