//go:build !(js && wasm)

package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"slices"

	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// The JSON methods below serve native users that decode and encode a Config
// with encoding/json (the server's registry file and documents); runtime.wasm
// decodes with Decode instead and never links encoding/json.

// UnmarshalJSON accepts a ShareArgs object or an array of them.
func (e *ShareEntries) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '[' {
		var list []ShareArgs
		if err := json.Unmarshal(data, &list); err != nil {
			return err
		}
		*e = list
		return nil
	}
	var one ShareArgs
	if err := json.Unmarshal(data, &one); err != nil {
		return err
	}
	*e = ShareEntries{one}
	return nil
}

// UnmarshalJSON accepts an array of remotes or an object of "global@url"
// strings by remote name.
func (l *RemoteList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '{' {
		var byName map[string]string
		if err := json.Unmarshal(data, &byName); err != nil {
			return errors.New(`remotes given as an object must map each name to a "global@url" string`)
		}
		list := make(RemoteList, 0, len(byName))
		for _, name := range slices.Sorted(maps.Keys(byName)) {
			if err := checkGlobalEntry(jsonv.Key("remotes", name), byName[name]); err != nil {
				return err
			}
			list = append(list, Remote{Name: name, Entry: byName[name]})
		}
		*l = list
		return nil
	}
	var list []Remote
	if err := json.Unmarshal(data, &list); err != nil {
		return err
	}
	*l = list
	return nil
}

// UnmarshalJSON accepts a range string or false.
func (r *RequiredVersion) UnmarshalJSON(data []byte) error {
	switch string(bytes.TrimSpace(data)) {
	case "false":
		*r = RequiredVersion{Disabled: true}
		return nil
	case "null":
		*r = RequiredVersion{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return errors.New("requiredVersion must be a range string or false")
	}
	*r = RequiredVersion{Range: s}
	return nil
}

// MarshalJSON writes the range string, or false when disabled.
func (r RequiredVersion) MarshalJSON() ([]byte, error) {
	if r.Disabled {
		return []byte("false"), nil
	}
	return json.Marshal(r.Range)
}
