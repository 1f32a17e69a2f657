package demo

import (
	"encoding/json"
	"testing"

	"github.com/fedwasm/fedwasm/federation/config"
)

// The demo's config, as a file and as its registry writes it, has no key
// that has no effect (CONFIG_UNKNOWN_KEY).
func TestConfigHasNoUnknownKeys(t *testing.T) {
	cfg := Config("http://127.0.0.1:8081", "http://127.0.0.1:8082", map[string]string{
		"react": "19.1.0", "react-dom": "19.1.0", "zustand": "5.0.8", "@tanstack/query-core": "5.0.0", "@tanstack/react-query": "5.0.0"})
	file, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	registry, err := json.Marshal(registryOf(cfg, t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	var reg struct {
		Hosts map[string]struct {
			Config json.RawMessage `json:"config"`
		} `json:"hosts"`
	}
	if err := json.Unmarshal(registry, &reg); err != nil {
		t.Fatal(err)
	}
	for name, doc := range map[string][]byte{"the config": file, "the registry's host config": reg.Hosts["shell"].Config} {
		decoded, err := config.Parse(doc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(decoded.Warnings) != 0 {
			t.Errorf("%s warns: %v\n%s", name, decoded.Warnings, doc)
		}
	}
}
