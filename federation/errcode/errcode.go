// Package errcode defines the coded error every fedwasm failure carries: a
// stable code, a message that says what happened, where and what to do, and
// JSON-able details. The bridge turns it into a JS Error with the same fields.
// Every code is documented in docs/errors.md (see Catalog), and the text
// people see ends with the code's anchor there.
package errcode

import (
	"errors"
	"strings"

	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// Codes shared by the core and the bridge. Each names one kind of failure.
const (
	ConfigInvalid           = "CONFIG_INVALID"
	ConfigUnknownKey        = "CONFIG_UNKNOWN_KEY"
	NotInitialized          = "NOT_INITIALIZED"
	SnapshotDisagrees       = "SNAPSHOT_DISAGREES"
	AlreadyInitialized      = "ALREADY_INITIALIZED"
	InvalidArgument         = "INVALID_ARGUMENT"
	LimitExceeded           = "LIMIT_EXCEEDED"
	InternalPanic           = "INTERNAL_PANIC"
	JSException             = "JS_EXCEPTION"
	ShareNotFound           = "SHARE_NOT_FOUND"
	ShareSingletonMismatch  = "SHARE_SINGLETON_MISMATCH"
	ShareNoSatisfying       = "SHARE_NO_SATISFYING"
	ShareInvalidVersion     = "SHARE_INVALID_VERSION"
	ShareInvalidEntry       = "SHARE_INVALID_ENTRY"
	ShareInvalidRange       = "SHARE_INVALID_RANGE"
	ShareLoadFailed         = "SHARE_LOAD_FAILED"
	ShareNotLoaded          = "SHARE_NOT_LOADED"
	ShareNotImportable      = "SHARE_NOT_IMPORTABLE"
	StoreOwned              = "STORE_OWNED"
	StoreTimeout            = "STORE_TIMEOUT"
	StoreVersionMismatch    = "STORE_VERSION_MISMATCH"
	StoreInvalid            = "STORE_INVALID"
	RemoteUnknown           = "REMOTE_UNKNOWN"
	RemoteInvalid           = "REMOTE_INVALID"
	RemoteLoadFailed        = "REMOTE_LOAD_FAILED"
	RemoteExposeMissing     = "REMOTE_EXPOSE_MISSING"
	ImportUnavailable       = "IMPORT_UNAVAILABLE"
	EventNotSerializable    = "EVENT_NOT_SERIALIZABLE"
	EventListenerThrew      = "EVENT_LISTENER_THREW"
	CrossTabMessageDropped  = "CROSS_TAB_MESSAGE_DROPPED"
	CrossTabRateLimited     = "CROSS_TAB_RATE_LIMITED"
	ScopeDisposed           = "SCOPE_DISPOSED"
	OwnerClaimed            = "OWNER_CLAIMED"
	OwnerNotHeld            = "OWNER_NOT_HELD"
	EventOwned              = "EVENT_OWNED"
	PluginNotAllowed        = "PLUGIN_NOT_ALLOWED"
	PluginHookUnsupported   = "PLUGIN_HOOK_UNSUPPORTED"
	PluginHookFailed        = "PLUGIN_HOOK_FAILED"
	RemoteContainerMissing  = "REMOTE_CONTAINER_MISSING"
	RemoteInitFailed        = "REMOTE_INIT_FAILED"
	RemoteInvalidManifest   = "REMOTE_INVALID_MANIFEST"
	IntegrityMismatch       = "INTEGRITY_MISMATCH"
	IntegrityRequired       = "INTEGRITY_REQUIRED"
	IntegrityUnavailable    = "INTEGRITY_UNAVAILABLE"
	OriginNotAllowed        = "ORIGIN_NOT_ALLOWED"
	MountFailed             = "MOUNT_FAILED"
	QueryClientInvalid      = "QUERY_CLIENT_INVALID"
	QueryHandoffPartial     = "QUERY_HANDOFF_PARTIAL"
	PersistUnreadable       = "PERSIST_UNREADABLE"
	PersistMigrateFailed    = "PERSIST_MIGRATE_FAILED"
	PersistWriteFailed      = "PERSIST_WRITE_FAILED"
	DevtoolsOverride        = "DEVTOOLS_OVERRIDE"
	DevtoolsOverrideRefused = "DEVTOOLS_OVERRIDE_REFUSED"
	InitNameMismatch        = "INIT_NAME_MISMATCH"
)

// Error is a failure with a stable Code, a Message for people and Details for code.
type Error struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

// New returns an *Error with message. details may be nil.
func New(code string, details map[string]any, message string) *Error {
	if details == nil {
		details = map[string]any{}
	}
	return &Error{Code: code, Message: message, Details: details}
}

func (e *Error) Error() string { return e.Code + ": " + e.Text() }

// Clip shortens text a message quotes (a key, a URL, a page's error message:
// any of them may be megabytes long) to its first most bytes and "…".
func Clip(text string, most int) string {
	if len(text) <= most {
		return text
	}
	return text[:most] + "…"
}

// Text is Message followed by where the code is documented, as people see it
// (the JS Error's message, console lines, inspect() warnings). Message stays
// without it, so messages that quote another error's Message do not repeat it.
func (e *Error) Text() string {
	suffix := " (see " + Anchor(e.Code) + ")"
	if strings.HasSuffix(e.Message, suffix) {
		return e.Message
	}
	return e.Message + suffix
}

// CodeOf returns err's code: "" for nil, and "uncoded: <text>" for an error
// that carries none (a fedwasm bug: every failure should have a code).
func CodeOf(err error) string {
	if err == nil {
		return ""
	}
	if coded, ok := errors.AsType[*Error](err); ok {
		return coded.Code
	}
	return "uncoded: " + err.Error()
}

// As returns err as an *Error, wrapping an uncoded error under fallbackCode.
func As(err error, fallbackCode string) *Error {
	if coded, ok := errors.AsType[*Error](err); ok {
		return coded
	}
	return New(fallbackCode, nil, err.Error())
}

// Plain is e's form for JS as plain values (see jsonv.Plainer), its message
// being Text; nil for a nil e.
func (e *Error) Plain() map[string]any {
	if e == nil {
		return nil
	}
	return map[string]any{"code": e.Code, "message": e.Text(), "details": e.Details}
}

// MarshalJSON writes e's Plain form, so JSON readers (the registry's error
// bodies, snapshots) see the same message as JS does.
func (e *Error) MarshalJSON() ([]byte, error) { return jsonv.Marshal(e.Plain()), nil }
