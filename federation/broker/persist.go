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

// MaxPersistLength bounds the JSON text of a persist envelope posted to other
// tabs, in UTF-16 code units (a JS string's length): a larger state is still
// written to storage, but not broadcast.
const MaxPersistLength = 1 << 20

// PersistWriteFailed is what broker.js reports when a persisted store's state
// could not be written (storage full, state not JSON).
const PersistWriteFailed = "write-failed"

// PersistRules are the limit and report reasons broker.js applies to every
// write and cross-tab message of a persisted store. The runtime hands them to
// broker.js, so each is defined once, here.
func PersistRules() map[string]any {
	return map[string]any{
		"maxLength":      MaxPersistLength,
		"tooLarge":       DropTooLarge,
		"badShape":       DropBadShape,
		"unknownVersion": DropBadVersion,
		"writeFailed":    PersistWriteFailed,
		"crossTab":       CrossTabRules(MaxPersistLength),
	}
}

// PersistError says why a persist envelope cannot be used; Reason is the drop
// reason a cross-tab message with the same text gets (DropBadShape or
// DropBadVersion).
type PersistError struct {
	Reason string
	Why    string
}

func (e *PersistError) Error() string { return e.Why }

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
// PersistUnreadable the error is a *PersistError saying why, in words for a
// warning. An envelope is {schemaVersion: integer, state: object, writtenAt?:
// number, tab?: string}; broker.js's readPersistEnvelope checks the same shape.
func ReadPersisted(raw string, present bool, schemaVersion int, canMigrate bool) (PersistEnvelope, PersistRead, error) {
	if !present {
		return PersistEnvelope{}, PersistAbsent, nil
	}
	v, err := jsonv.Parse([]byte(raw))
	fields, isObject := v.(map[string]any)
	if err != nil || !isObject {
		return PersistEnvelope{}, PersistUnreadable, badShape("it is not a JSON object (" + excerpt(raw) + ")")
	}
	var env PersistEnvelope
	var f jsonv.Fields
	version := fields["schemaVersion"]
	state, hasState := fields["state"]
	env.SchemaVersion = f.Int(version, "schemaVersion")
	if writtenAt, ok := fields["writtenAt"]; ok {
		env.WrittenAt = f.Float(writtenAt, "writtenAt")
	}
	if tab, ok := fields["tab"]; ok {
		env.Tab = f.String(tab, "tab")
	}
	if version == nil || !hasState || f.Err != nil {
		return PersistEnvelope{}, PersistUnreadable, badShape("it is not a fedwasm persist envelope {schemaVersion, state, writtenAt, tab} (" + excerpt(raw) + ")")
	}
	if env.State, isObject = state.(map[string]any); !isObject {
		return PersistEnvelope{}, PersistUnreadable, badShape("its state is not an object (" + excerpt(string(jsonv.Marshal(state))) + ")")
	}
	switch {
	case env.SchemaVersion == schemaVersion:
		return env, PersistCurrent, nil
	case env.SchemaVersion > schemaVersion:
		return env, PersistUnreadable, &PersistError{DropBadVersion, "it was written under schemaVersion " + strconv.Itoa(env.SchemaVersion) + ", newer than this store's " + strconv.Itoa(schemaVersion) + " (a newer version of the app wrote it)"}
	case !canMigrate:
		return env, PersistUnreadable, &PersistError{DropBadVersion, "it was written under schemaVersion " + strconv.Itoa(env.SchemaVersion) + ", older than this store's " + strconv.Itoa(schemaVersion) + ", and no persist.migrate was given"}
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

func badShape(why string) error { return &PersistError{DropBadShape, why} }

func excerpt(s string) string {
	const max = 60
	if len(s) > max {
		return strconv.Quote(s[:max]) + "..."
	}
	return strconv.Quote(s)
}
