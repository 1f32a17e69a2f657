// Package buildstamp lets a build step skip its work when nothing it reads
// has changed: it records each input's sha256 (and the outputs it wrote) in a
// stamp file, and on the next run names the inputs that changed, or says
// there are none.
package buildstamp

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
)

// Stamp is what one build read and wrote.
type Stamp struct {
	// Inputs maps each input (a path, or a named value such as "go version")
	// to its sha256.
	Inputs map[string]string `json:"inputs"`
	// Outputs are the files the build wrote; a missing one forces a rebuild.
	Outputs []string `json:"outputs"`
}

// New returns a stamp of the files (paths relative to root, or absolute) and
// named values in values.
func New(root string, files []string, values map[string]string) (Stamp, error) {
	s := Stamp{Inputs: map[string]string{}}
	for _, f := range files {
		path := f
		if !filepath.IsAbs(path) {
			path = filepath.Join(root, f)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return Stamp{}, err
		}
		s.Inputs[f] = digest(data)
	}
	for name, v := range values {
		s.Inputs[name] = digest([]byte(v))
	}
	return s, nil
}

func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Changed lists why the build recorded in the stamp file at path cannot be
// reused for s: the inputs added, removed or changed since, sorted, or a
// missing stamp or output. Empty means the earlier build is current.
func Changed(path string, s Stamp) ([]string, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return []string{"no earlier build"}, nil
	}
	if err != nil {
		return nil, err
	}
	var prev Stamp
	if err := json.Unmarshal(data, &prev); err != nil {
		return []string{"the stamp " + path + " is unreadable"}, nil
	}
	var changed []string
	for _, name := range slices.Sorted(maps.Keys(s.Inputs)) {
		if prev.Inputs[name] != s.Inputs[name] {
			changed = append(changed, name)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(prev.Inputs)) {
		if _, ok := s.Inputs[name]; !ok {
			changed = append(changed, name+" (removed)")
		}
	}
	for _, out := range prev.Outputs {
		if _, err := os.Stat(out); err != nil {
			changed = append(changed, out+" (output missing)")
		}
	}
	return changed, nil
}

// Write records s, with the outputs the build wrote, at path.
func Write(path string, s Stamp, outputs []string) error {
	s.Outputs = outputs
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}

// Rebuild runs build, which returns the files it wrote, unless the build
// recorded at path is current for s; either way it says so on log, naming
// what (such as "dist/fedwasm") and what changed.
func Rebuild(path string, s Stamp, what string, log io.Writer, build func() ([]string, error)) error {
	changed, err := Changed(path, s)
	if err != nil {
		return err
	}
	if len(changed) == 0 {
		fmt.Fprintf(log, "%s is up to date: none of its %d inputs changed\n", what, len(s.Inputs))
		return nil
	}
	fmt.Fprintf(log, "building %s: %s\n", what, Summary(changed))
	outputs, err := build()
	if err != nil {
		return err
	}
	return Write(path, s, outputs)
}

// Summary is changed for a log line: the first few names and how many more.
func Summary(changed []string) string {
	const shown = 8
	text := ""
	for i, c := range changed {
		if i == shown {
			return text + ", and " + strconv.Itoa(len(changed)-shown) + " more"
		}
		if i > 0 {
			text += ", "
		}
		text += c
	}
	return text
}
