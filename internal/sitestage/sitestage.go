// Package sitestage lays out a site the way a deploy does, for server.NewSite:
// `fedwasm serve` serves one staged from a registry file, and ./build.sh
// worker splits one for the Cloudflare worker (StageWorker).
package sitestage

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/fedwasm/fedwasm/federation/integrity/sha"
	"github.com/fedwasm/fedwasm/server"
)

// Stage writes a site for server.NewSite into out: runtime's files under
// server.SiteRuntimeDir, each remote file the registry names under
// server.SiteRemotesDir with a content-hashed name (served immutable), and
// the registry pointing at those names (their integrity is computed when the
// site opens). The registry's remotes name their entry file ("file",
// relative to the registry) and the path it is served at ("entry"). Each of
// pages, an HTML file, goes under server.SitePagesDir by its base name: the
// site serves it with the snapshot of the host its loader tag names.
func Stage(runtime, registry, out string, pages ...string) error {
	for _, dir := range []string{server.SiteRuntimeDir, server.SiteRemotesDir, server.SitePagesDir} {
		if err := os.RemoveAll(filepath.Join(out, dir)); err != nil {
			return err
		}
		if dir == server.SitePagesDir && len(pages) == 0 {
			continue
		}
		if err := os.MkdirAll(filepath.Join(out, dir), 0o755); err != nil {
			return err
		}
	}
	for _, page := range pages {
		if filepath.Ext(page) != ".html" {
			return fmt.Errorf("page %s: a host page is an .html file", page)
		}
		if err := copyFile(page, filepath.Join(out, server.SitePagesDir, filepath.Base(page))); err != nil {
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

// StageWorker lays out for the Cloudflare worker a site Stage wrote to site:
// the files a page loads (server.SiteRuntimeDir and server.SiteRemotesDir)
// are copied to assets, which Workers Static Assets (workerd's disk service
// locally) serves; their server.StaticIndex is written to index, an ES module
// worker/entry.mjs imports to answer them without starting Go; and goSite,
// which app.wasm embeds, is emptied (but for its README.md and .gitignore)
// and gets the registry, each remote's file replaced by its integrity, and
// the host pages (server.SitePagesDir), which Go serves with their snapshot.
func StageWorker(site, assets, index, goSite string) error {
	siteFS := os.DirFS(site)
	static, err := server.NewStaticIndex(siteFS)
	if err != nil {
		return err
	}
	if err := os.RemoveAll(assets); err != nil {
		return err
	}
	for _, dir := range []string{server.SiteRuntimeDir, server.SiteRemotesDir} {
		files, err := fs.Sub(siteFS, dir)
		if err == nil {
			err = os.CopyFS(filepath.Join(assets, dir), files)
		}
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	body, err := json.MarshalIndent(static, "", " ")
	if err != nil {
		return err
	}
	module := "// The static files worker/entry.mjs serves (server.StaticIndex), written by ./build.sh worker.\nexport default " + string(body) + ";\n"
	if err := os.WriteFile(index, []byte(module), 0o644); err != nil {
		return err
	}
	entries, err := os.ReadDir(goSite)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	for _, e := range entries {
		if e.Name() != "README.md" && e.Name() != ".gitignore" {
			if err := os.RemoveAll(filepath.Join(goSite, e.Name())); err != nil {
				return err
			}
		}
	}
	registry, err := registryWithIntegrity(site)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(goSite, 0o755); err != nil {
		return err
	}
	pages, err := fs.Sub(siteFS, server.SitePagesDir)
	if err == nil {
		err = os.CopyFS(filepath.Join(goSite, server.SitePagesDir), pages)
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return os.WriteFile(filepath.Join(goSite, server.SiteRegistryFile), registry, 0o644)
}

// registryWithIntegrity is the registry of a staged site with each remote's
// file replaced by its integrity, for a server without the files at hand.
func registryWithIntegrity(site string) ([]byte, error) {
	name := filepath.Join(site, server.SiteRegistryFile)
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var reg server.RegistryFile
	if err := json.Unmarshal(data, &reg); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	for remote, r := range reg.Remotes {
		if r.File == "" {
			continue
		}
		body, err := os.ReadFile(filepath.Join(site, r.File))
		if err != nil {
			return nil, fmt.Errorf("%s: remotes.%s.file: %w", name, remote, err)
		}
		r.Integrity, r.File = sha.Of(body), ""
		reg.Remotes[remote] = r
	}
	out, err := json.MarshalIndent(reg, "", "  ")
	if err != nil {
		return nil, err
	}
	if _, err := server.ParseRegistry(out, site); err != nil {
		return nil, fmt.Errorf("the worker's registry does not parse: %w", err)
	}
	return out, nil
}
