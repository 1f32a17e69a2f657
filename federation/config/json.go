//go:build !(js && wasm)

package config

import "encoding/json"

// encoding/json users (the server's registry file, the commands) decode a
// Config with the same decoder as runtime.wasm: one decoder, one set of
// errors (CONFIG_INVALID naming the field). runtime.wasm never links
// encoding/json.

// UnmarshalJSON decodes data with Decode (without validating it).
func (c *Config) UnmarshalJSON(data []byte) error {
	decoded, err := Decode(data)
	if err != nil {
		return err
	}
	*c = decoded
	return nil
}

// MarshalJSON writes the range string, or false when disabled.
func (r RequiredVersion) MarshalJSON() ([]byte, error) {
	if r.Disabled {
		return []byte("false"), nil
	}
	return json.Marshal(r.Range)
}
