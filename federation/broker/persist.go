package broker

import (
	"errors"
	"math"
	"strconv"

	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// Persisted stores: fedwasm.stores.provide(name, store, {persist: {key,
// schemaVersion, migrate}}) keeps the store's state in storage under key as a
// PersistEnvelope. Reading it back happens once per provide and is decided
// here; writing on every change is broker.js's.

// PersistEnvelope is what a persisted store writes under its key; State is
// the store's state as plain values.
type PersistEnvelope struct {
	SchemaVersion int            `json:"schemaVersion"`
	State         map[string]any `json:"state"`
	WrittenAt     float64        `json:"writtenAt"`
	Tab           string         `json:"tab"`
}

// PersistRead is what to do with what storage held under a key.
type PersistRead int

// The outcomes of ReadPersisted.
const (
	PersistAbsent     PersistRead = iota // nothing stored: keep the store's state
	PersistCurrent                       // stored under our schemaVersion: restore State
	PersistMigrate                       // stored under an older schemaVersion: migrate State, then restore
	PersistUnreadable                    // corrupt, foreign or newer: keep the store's state, keep the data aside
)

// ReadPersisted decides what to do with raw, the text storage held under a
// key (present false: nothing was there), for a store whose schema version is
// schemaVersion and which can (canMigrate) or cannot migrate older state. For
// PersistUnreadable the error says why, in words for a warning.
func ReadPersisted(raw string, present bool, schemaVersion int, canMigrate bool) (PersistEnvelope, PersistRead, error) {
	if !present {
		return PersistEnvelope{}, PersistAbsent, nil
	}
	v, err := jsonv.Parse([]byte(raw))
	fields, isObject := v.(map[string]any)
	if err != nil || !isObject {
		return PersistEnvelope{}, PersistUnreadable, errors.New("it is not a JSON object (" + excerpt(raw) + ")")
	}
	var env PersistEnvelope
	var f jsonv.Fields
	version, hasVersion := fields["schemaVersion"]
	state, hasState := fields["state"]
	if env.SchemaVersion = f.Int(version, "schemaVersion"); !hasVersion || !hasState || f.Err != nil {
		return PersistEnvelope{}, PersistUnreadable, errors.New("it is not a fedwasm persist envelope {schemaVersion, state, writtenAt, tab} (" + excerpt(raw) + ")")
	}
	if env.State, isObject = state.(map[string]any); !isObject {
		return PersistEnvelope{}, PersistUnreadable, errors.New("its state is not an object (" + excerpt(string(jsonv.Marshal(state))) + ")")
	}
	env.WrittenAt, _ = fields["writtenAt"].(float64)
	env.Tab, _ = fields["tab"].(string)
	switch {
	case env.SchemaVersion == schemaVersion:
		return env, PersistCurrent, nil
	case env.SchemaVersion > schemaVersion:
		return env, PersistUnreadable, errors.New("it was written under schemaVersion " + strconv.Itoa(env.SchemaVersion) + ", newer than this store's " + strconv.Itoa(schemaVersion) + " (a newer version of the app wrote it)")
	case !canMigrate:
		return env, PersistUnreadable, errors.New("it was written under schemaVersion " + strconv.Itoa(env.SchemaVersion) + ", older than this store's " + strconv.Itoa(schemaVersion) + ", and no persist.migrate was given")
	}
	return env, PersistMigrate, nil
}

// ValidateSchemaVersion checks a persist.schemaVersion: an integer from 0 to 2^31-1.
func ValidateSchemaVersion(v float64) (int, error) {
	if v < 0 || v > math.MaxInt32 || v != math.Trunc(v) {
		return 0, errors.New("persist.schemaVersion must be a whole number from 0 to " + strconv.Itoa(math.MaxInt32) + ", not " + strconv.FormatFloat(v, 'g', -1, 64))
	}
	return int(v), nil
}

// UnreadableKey names where unreadable data under key is kept, stamped with
// the time (ms since the epoch) it was moved aside.
func UnreadableKey(key string, at int64) string {
	return key + ":unreadable:" + strconv.FormatInt(at, 10)
}

func excerpt(s string) string {
	const max = 60
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
