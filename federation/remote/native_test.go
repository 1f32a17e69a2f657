package remote_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/limits"
	"github.com/fedwasm/fedwasm/federation/remote"
)

// nativeOK is the remoteEntry.json @softarc/native-federation 4.7.0's
// esbuild adapter writes for fixtures/native-federation (./build.sh builds it
// into dist/fixtures/nf-remote/; the e2e test loads that build).
const nativeOK = `{
  "$version": "v4",
  "name": "nfRemote",
  "shared": [
    {
      "packageName": "react",
      "outFileName": "react.Mc6eYhQ2Ha.js",
      "requiredVersion": "^19.0.0",
      "singleton": true,
      "strictVersion": true,
      "version": "19.3.1"
    }
  ],
  "exposes": [
    {
      "key": "./Button",
      "outFileName": "Button-IH6YOISG.js"
    },
    {
      "key": "./Badge",
      "outFileName": "Badge-SO5YLWBO.js"
    }
  ],
  "integrity": {
    "react.Mc6eYhQ2Ha.js": "sha384-S7SfuVR/NCiDd09mu7j78qUr4eqlA0+p3qab4V6hO7ATnofR3yGZT13EoyaOg0bW",
    "Button-IH6YOISG.js": "sha384-5yarLyCBzUBppS9pEbUqpLFjzF7+qCOfLXClwBzGfV73yCzjus0YDugOhRIdCA3D",
    "Badge-SO5YLWBO.js": "sha384-OH/vLXRNJHJwLRpErjcYFrRPOreD3zLTB3HPu6SOPLqWvER8t2P+6YVqL8qqKenv"
  }
}`

const nativeURL = "http://nf.test/apps/nf/remoteEntry.json?v=2#x"

func TestParseNativeEntry(t *testing.T) {
	m, err := remote.ParseManifest([]byte(nativeOK), nativeURL)
	if err != nil {
		t.Fatal(err)
	}
	n := m.Native
	if n == nil {
		t.Fatalf("remoteEntry.json read as an MF manifest: %+v", m)
	}
	if n.Name != "nfRemote" || m.Name != "nfRemote" || len(n.Exposes) != 2 || len(n.Shared) != 1 || len(n.Integrity) != 3 {
		t.Fatalf("parsed %+v", n)
	}
	want := remote.NativeShared{PackageName: "react", OutFileName: "react.Mc6eYhQ2Ha.js", Version: "19.3.1", RequiredVersion: "^19.0.0", Singleton: true, StrictVersion: true}
	if n.Shared[0] != want {
		t.Errorf("shared[0] = %+v, want %+v", n.Shared[0], want)
	}
	for _, expose := range []string{"./Button", "Button"} {
		e, ok := n.Expose(expose)
		if !ok || e.OutFileName != "Button-IH6YOISG.js" {
			t.Errorf("Expose(%q) = %+v, %v", expose, e, ok)
		}
	}
	if _, ok := n.Expose("Missing"); ok {
		t.Error("Expose(Missing) found an expose")
	}
	got, err := n.FileURL("Button-IH6YOISG.js", nativeURL, resolveRFC3986)
	if err != nil || got != "http://nf.test/apps/nf/Button-IH6YOISG.js" {
		t.Errorf("FileURL = %q, %v", got, err)
	}
}

// The dense form (DenseSharedInfo, features.denseExternals) lists a
// package's entry points under entries: each is one shared file with the
// item's rules.
func TestParseNativeEntryDense(t *testing.T) {
	doc := `{"name":"r","exposes":[],"shared":[{"packageName":"rxjs","singleton":false,"strictVersion":false,"requiredVersion":"^7.8.0","version":"7.8.2",
	  "entries":{"rxjs/operators":"rxjs_operators.js","rxjs":"rxjs.js"}}]}`
	m, err := remote.ParseManifest([]byte(doc), nativeURL)
	if err != nil {
		t.Fatal(err)
	}
	got := m.Native.Shared
	if len(got) != 2 || got[0].PackageName != "rxjs" || got[0].OutFileName != "rxjs.js" || got[1].PackageName != "rxjs/operators" ||
		got[1].OutFileName != "rxjs_operators.js" || got[1].Version != "7.8.2" || got[1].RequiredVersion != "^7.8.0" {
		t.Fatalf("dense item read as %+v", got)
	}
}

// An MF 2.0 manifest is still one, and a document of neither shape is the
// MF manifest's error, as before.
func TestParseManifestTellsNativeFromMF(t *testing.T) {
	m, err := remote.ParseManifest([]byte(manifestOK), nativeURL)
	if err != nil || m.Native != nil {
		t.Fatalf("mf-manifest.json: Native = %v, %v", m.Native, err)
	}
	_, err = remote.ParseManifest([]byte(`{"name":"x"}`), nativeURL)
	if coded := errcode.As(err, ""); coded.Code != errcode.RemoteInvalidManifest || coded.Details["field"] != "metaData.publicPath" {
		t.Fatalf("neither shape: %v", err)
	}
}

// A hostile remoteEntry.json: every field that names a file, a package or a
// version is checked, and the first problem is REMOTE_INVALID_MANIFEST
// naming its field, so no file outside the remoteEntry.json's directory is
// ever resolved, let alone imported.
func TestParseNativeEntryRefuses(t *testing.T) {
	expose := func(key, file string) string {
		return `{"name":"r","shared":[],"exposes":[{"key":` + strconv.Quote(key) + `,"outFileName":` + strconv.Quote(file) + `}]}`
	}
	shared := func(pkg, file, version, required string) string {
		return `{"name":"r","exposes":[],"shared":[{"packageName":` + strconv.Quote(pkg) + `,"outFileName":` + strconv.Quote(file) +
			`,"version":` + strconv.Quote(version) + `,"requiredVersion":` + strconv.Quote(required) + `,"singleton":true,"strictVersion":false}]}`
	}
	long := strings.Repeat("a", 600)
	cases := []struct{ name, doc, field string }{
		{"no name", `{"exposes":[],"shared":[]}`, "name"},
		{"name of the wrong type", `{"name":1,"exposes":[],"shared":[]}`, "name"},
		{"exposes missing", `{"name":"r","shared":[]}`, "exposes"},
		{"shared missing", `{"name":"r","exposes":[]}`, "shared"},
		{"exposes not a list", `{"name":"r","exposes":{"./a":"a.js"},"shared":[]}`, "exposes"},
		{"an expose not an object", `{"name":"r","exposes":["a.js"],"shared":[]}`, "exposes[0]"},
		{"key of the wrong type", `{"name":"r","exposes":[{"key":1,"outFileName":"a.js"}],"shared":[]}`, "exposes[0].key"},
		{"key without ./", expose("Button", "b.js"), "exposes[0].key"},
		{"key ./ alone", expose("./", "b.js"), "exposes[0].key"},
		{"key too long", expose("./"+long, "b.js"), "exposes[0].key"},
		{"an expose twice", `{"name":"r","shared":[],"exposes":[{"key":"./a","outFileName":"a.js"},{"key":"./a","outFileName":"b.js"}]}`, "exposes[1].key"},
		{"file missing", expose("./a", ""), "exposes[0].outFileName"},
		{"parent directory", expose("./a", "../other-app/a.js"), "exposes[0].outFileName"},
		{"parent directory inside the path", expose("./a", "chunks/../../a.js"), "exposes[0].outFileName"},
		{"dot segment", expose("./a", "./a.js"), "exposes[0].outFileName"},
		{"absolute URL", expose("./a", "https://evil.test/a.js"), "exposes[0].outFileName"},
		{"protocol-relative URL", expose("./a", "//evil.test/a.js"), "exposes[0].outFileName"},
		{"root path", expose("./a", "/a.js"), "exposes[0].outFileName"},
		{"data URL", expose("./a", "data:text/javascript,alert(1)"), "exposes[0].outFileName"},
		{"javascript URL", expose("./a", "javascript:alert(1)"), "exposes[0].outFileName"},
		{"backslash", expose("./a", `..\a.js`), "exposes[0].outFileName"},
		{"percent-encoded dots", expose("./a", "%2e%2e/a.js"), "exposes[0].outFileName"},
		{"query", expose("./a", "a.js?x=1"), "exposes[0].outFileName"},
		{"tab the URL parser drops", expose("./a", ".\t./a.js"), "exposes[0].outFileName"},
		{"file name too long", expose("./a", long+".js"), "exposes[0].outFileName"},
		{"shared item not an object", `{"name":"r","exposes":[],"shared":[1]}`, "shared[0]"},
		{"package name missing", shared("", "p.js", "1.0.0", "^1.0.0"), "shared[0].packageName"},
		{"package name that is a path", shared("./react", "p.js", "1.0.0", "^1.0.0"), "shared[0].packageName"},
		{"package name that is a URL", shared("https://evil.test/react.js", "p.js", "1.0.0", "^1.0.0"), "shared[0].packageName"},
		{"shared file outside", shared("react", "../react.js", "1.0.0", "^1.0.0"), "shared[0].outFileName"},
		{"shared file cross-origin", shared("react", "https://evil.test/react.js", "1.0.0", "^1.0.0"), "shared[0].outFileName"},
		{"version missing", shared("react", "react.js", "", "^1.0.0"), "shared[0].version"},
		{"version absurdly long", shared("react", "react.js", "1.0.0-"+long, "^1.0.0"), "shared[0].version"},
		{"requiredVersion absurdly long", shared("react", "react.js", "1.0.0", "^1.0.0 || "+long), "shared[0].requiredVersion"},
		{"singleton of the wrong type", `{"name":"r","exposes":[],"shared":[{"packageName":"a","outFileName":"a.js","version":"1.0.0","singleton":"yes"}]}`, "shared[0].singleton"},
		{"dense entries of the wrong type", `{"name":"r","exposes":[],"shared":[{"packageName":"a","version":"1.0.0","entries":["a.js"]}]}`, "shared[0].entries"},
		{"dense entry outside", `{"name":"r","exposes":[],"shared":[{"packageName":"a","version":"1.0.0","entries":{"a":"../a.js"}}]}`, "shared[0].outFileName"},
		{"integrity not an object", `{"name":"r","exposes":[],"shared":[],"integrity":["sha384-x"]}`, "integrity"},
		{"integrity that is not SRI", `{"name":"r","exposes":[],"shared":[],"integrity":{"a.js":"md5-abc"}}`, "integrity.a.js"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := remote.ParseManifest([]byte(c.doc), nativeURL)
			if err == nil {
				t.Fatalf("ParseManifest accepted it: %+v", m.Native)
			}
			coded := errcode.As(err, "")
			if coded.Code != errcode.RemoteInvalidManifest || coded.Details["field"] != c.field {
				t.Fatalf("ParseManifest = %+v, %v (field %v); want REMOTE_INVALID_MANIFEST naming %q", m.Native, err, coded.Details["field"], c.field)
			}
			if coded.Details["manifest"] != nativeURL {
				t.Errorf("details = %v, want the remoteEntry.json's URL", coded.Details)
			}
		})
	}
}

// Versions that are not versions pass parsing (the share scope refuses each
// with SHARE_INVALID_VERSION when it is registered, as an MF manifest's);
// the parser only bounds their length.
func TestParseNativeEntryLeavesVersionsToTheShareScope(t *testing.T) {
	doc := `{"name":"r","exposes":[],"shared":[{"packageName":"a","outFileName":"a.js","version":"not-a-version","requiredVersion":">>>"}]}`
	m, err := remote.ParseManifest([]byte(doc), nativeURL)
	if err != nil || m.Native.Shared[0].Version != "not-a-version" {
		t.Fatalf("ParseManifest = %+v, %v", m.Native, err)
	}
}

// FileURL checks the resolved URL too: whatever the name, the file must be
// below the remoteEntry.json's directory.
func TestNativeFileURLStaysInTheDirectory(t *testing.T) {
	n := remote.NativeEntry{Name: "r"}
	for _, c := range []struct {
		file string
		ok   bool
		want string
	}{
		{"a.js", true, "http://nf.test/apps/nf/a.js"},
		{"chunks/a.js", true, "http://nf.test/apps/nf/chunks/a.js"},
		{"../a.js", false, ""},
		{"//evil.test/a.js", false, ""},
		{"https://evil.test/apps/nf/a.js", false, ""},
		{"", false, ""},
	} {
		got, err := n.FileURL(c.file, nativeURL, resolveRFC3986)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("FileURL(%q) = %q, %v; want %q (ok %v)", c.file, got, err, c.want, c.ok)
		}
		if err != nil && errcode.CodeOf(err) != errcode.RemoteInvalidManifest {
			t.Errorf("FileURL(%q): %v, want REMOTE_INVALID_MANIFEST", c.file, err)
		}
	}
}

// Lists longer than limits.SharedEntries are LIMIT_EXCEEDED before their
// items are read; so is a dense item whose entries take the total over.
func TestParseNativeEntryLimits(t *testing.T) {
	item := func(i int) string {
		return `{"packageName":"p` + strconv.Itoa(i) + `","outFileName":"p.js","version":"1.0.0"}`
	}
	list := func(n int, each func(int) string) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = each(i)
		}
		return strings.Join(parts, ",")
	}
	entries := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = `"p` + strconv.Itoa(i) + `":"p.js"`
		}
		return `{"packageName":"p","version":"1.0.0","entries":{` + strings.Join(parts, ",") + `}}`
	}
	cases := []struct {
		name, doc, want string
	}{
		{"shared at the limit", `{"name":"r","exposes":[],"shared":[` + list(limits.SharedEntries, item) + `]}`, ""},
		{"shared over the limit", `{"name":"r","exposes":[],"shared":[` + list(limits.SharedEntries+1, item) + `]}`, errcode.LimitExceeded},
		{"exposes over the limit", `{"name":"r","shared":[],"exposes":[` + list(limits.SharedEntries+1, func(i int) string {
			return `{"key":"./e` + strconv.Itoa(i) + `","outFileName":"e.js"}`
		}) + `]}`, errcode.LimitExceeded},
		{"dense entries over the limit", `{"name":"r","exposes":[],"shared":[` + entries(limits.SharedEntries+1) + `]}`, errcode.LimitExceeded},
		{"dense entries taking the total over", `{"name":"r","exposes":[],"shared":[` + item(0) + `,` + entries(limits.SharedEntries) + `]}`, errcode.LimitExceeded},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := remote.ParseManifest([]byte(c.doc), nativeURL)
			if errcode.CodeOf(err) != c.want {
				t.Fatalf("ParseManifest = %v, want code %q", err, c.want)
			}
		})
	}
}

func FuzzParseNativeEntry(f *testing.F) {
	f.Add([]byte(nativeOK))
	f.Add([]byte(`{"name":"r","exposes":[{"key":"./a","outFileName":"../a.js"}],"shared":[]}`))
	f.Add([]byte(`{"name":"r","exposes":[],"shared":[{"packageName":"a","version":"1","entries":{"a":"a.js","a/b":"//x"}}],"integrity":{"a.js":"sha384-x"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := remote.ParseManifest(data, nativeURL)
		if err != nil {
			if errcode.CodeOf(err) == "" {
				t.Fatalf("uncoded error: %v", err)
			}
			return
		}
		if m.Native == nil {
			return
		}
		if len(m.Native.Shared) > limits.SharedEntries || len(m.Native.Exposes) > limits.SharedEntries {
			t.Fatalf("accepted %d shared, %d exposes", len(m.Native.Shared), len(m.Native.Exposes))
		}
		const dir = "http://nf.test/apps/nf/"
		check := func(file string) {
			u, err := m.Native.FileURL(file, nativeURL, resolveRFC3986)
			if err != nil || !strings.HasPrefix(u, dir) || len(u) == len(dir) {
				t.Fatalf("accepted file %q resolves to %q (%v), outside %s", file, u, err, dir)
			}
		}
		for _, e := range m.Native.Exposes {
			check(e.OutFileName)
		}
		for _, s := range m.Native.Shared {
			check(s.OutFileName)
			if s.PackageName == "" || strings.ContainsAny(s.PackageName, ":\\") {
				t.Fatalf("accepted package name %q", s.PackageName)
			}
		}
	})
}
