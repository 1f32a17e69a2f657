// Package sitestage lays out a site the way a deploy does, for server.NewSite:
// `fedwasm serve` serves one staged from a registry file, and ./build.sh
// worker embeds one in the Cloudflare worker.
package sitestage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/fedwasm/fedwasm/server"
)

// Stage writes a site for server.NewSite into out: runtime's files under
// server.SiteRuntimeDir, each remote file the registry names under
// server.SiteRemotesDir with a content-hashed name (served immutable), and
// the registry pointing at those names (their integrity is computed when the
// site opens). The registry's remotes name their entry file ("file",
// relative to the registry) and the path it is served at ("entry").
func Stage(runtime, registry, out string) error {
	for _, dir := range []string{server.SiteRuntimeDir, server.SiteRemotesDir} {
		if err := os.RemoveAll(filepath.Join(out, dir)); err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return err
		}
	}
	files, err := os.ReadDir(runtime)
	if err != nil {
		return fmt.Errorf("%w; build the runtime first (fedwasm build)", err)
	}
	for _, f := range files {
		if f.Type().IsRegular() {
			if err := copyFile(filepath.Join(runtime, f.Name()), filepath.Join(out, server.SiteRuntimeDir, f.Name())); err != nil {
				return err
			}
		}
	}
	data, err := os.ReadFile(registry)
	if err != nil {
		return err
	}
	var reg server.RegistryFile
	if err := json.Unmarshal(data, &reg); err != nil {
		return fmt.Errorf("%s: %w", registry, err)
	}
	for name, r := range reg.Remotes {
		if r.File == "" {
			continue
		}
		body, err := os.ReadFile(filepath.Join(filepath.Dir(registry), r.File))
		if err != nil {
			return fmt.Errorf("%s: remotes.%s.file: %w", registry, name, err)
		}
		sum := sha256.Sum256(body)
		ext := path.Ext(r.Entry)
		hashed := strings.TrimSuffix(path.Base(r.Entry), ext) + "." + hex.EncodeToString(sum[:5]) + ext
		if err := os.WriteFile(filepath.Join(out, server.SiteRemotesDir, hashed), body, 0o644); err != nil {
			return err
		}
		r.Entry = path.Join(path.Dir(r.Entry), hashed)
		r.File = path.Join(server.SiteRemotesDir, hashed)
		reg.Remotes[name] = r
	}
	staged, err := json.MarshalIndent(reg, "", "  ")
	if err != nil {
		return err
	}
	if _, err := server.ParseRegistry(staged, out); err != nil {
		return fmt.Errorf("the staged registry does not parse: %w", err)
	}
	return os.WriteFile(filepath.Join(out, server.SiteRegistryFile), staged, 0o644)
}

// copyFile copies a file's contents.
func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o644)
}
