package plugin

import (
	"os"
	"strings"
	"testing"
)

// TestDocsTable keeps docs/mf-compatibility.md's Hooks table equal to the
// Catalog: one row per hook, with its owner, kind and support.
func TestDocsTable(t *testing.T) {
	text, err := os.ReadFile("../../docs/mf-compatibility.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(text), "\n## Hooks\n")
	if !found {
		t.Fatal("docs/mf-compatibility.md has no ## Hooks section")
	}
	if next := strings.Index(section, "\n## "); next >= 0 {
		section = section[:next] // the next section is another's
	}
	rows := map[string][]string{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(line, " | ")
		rows[strings.Trim(cells[0], "|` ")] = cells
	}
	for _, h := range Catalog {
		cells, ok := rows[h.Name]
		if !ok {
			t.Errorf("docs/mf-compatibility.md has no row for %s", h.Name)
			continue
		}
		support := h.Support.String()
		if h.Support == Unsupported {
			support = "warned (`PLUGIN_HOOK_UNSUPPORTED`)"
		}
		if len(cells) < 5 || cells[1] != h.Owner || cells[2] != h.Kind.String() || !strings.HasPrefix(cells[3], support) ||
			strings.Contains(cells[3], "security.plugins") != h.ChangesLoad || !strings.HasPrefix(cells[4], h.Stage) {
			t.Errorf("docs row for %s: %q; want owner %s, kind %s, %s, gated %v, stage %q", h.Name, cells, h.Owner, h.Kind, support, h.ChangesLoad, h.Stage)
		}
		delete(rows, h.Name)
	}
	for name := range rows {
		t.Errorf("docs/mf-compatibility.md lists %s, which the Catalog does not", name)
	}
}
