package broker

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// Query coordination messages: what connected QueryClients of different tabs
// send each other on their BroadcastChannel, inside an Envelope.
const (
	// QueryInvalidate carries invalidated keys: {"keys": [{"queryKey": [...], "exact": bool}]}.
	QueryInvalidate = "query:invalidate"
	// QueryCacheRequest asks other tabs for their cache: {"request": id}.
	QueryCacheRequest = "query:cache-request"
	// QueryCacheAnswer answers a request: {"request": id, "entries": [{"queryKey", "data", "dataUpdatedAt"}]}.
	QueryCacheAnswer = "query:cache"
)

// DefaultQueryChannel is the BroadcastChannel connected clients use unless told otherwise.
const DefaultQueryChannel = "fedwasm:query"

// MaxQueryKeys bounds the keys one invalidation message carries.
const MaxQueryKeys = 256

// DropBadQueryMessage is the drop reason of a query message whose type or detail is wrong.
const DropBadQueryMessage = "bad-query-message"

// KeyFilter is one invalidated key: a TanStack Query key (a JSON array) and
// whether only that exact key is meant, or every key it prefixes.
type KeyFilter struct {
	QueryKey json.RawMessage `json:"queryKey"`
	Exact    bool            `json:"exact"`
}

// CacheEntry is one successful query handed to another tab.
type CacheEntry struct {
	QueryKey      json.RawMessage `json:"queryKey"`
	Data          json.RawMessage `json:"data"`
	DataUpdatedAt float64         `json:"dataUpdatedAt"`
}

// QueryMessage is a validated query coordination message.
type QueryMessage struct {
	Envelope
	Keys    []KeyFilter  // QueryInvalidate
	Request string       // QueryCacheRequest, QueryCacheAnswer
	Entries []CacheEntry // QueryCacheAnswer
}

// DecodeQueryMessage validates a query coordination message given as JSON:
// the envelope (version, size, sending tab), then its type and detail. It
// returns the message, or the drop reason and an error saying what was wrong.
func DecodeQueryMessage(data []byte) (QueryMessage, string, error) {
	env, reason, err := DecodeEnvelope(data)
	if err != nil {
		return QueryMessage{}, reason, err
	}
	m := QueryMessage{Envelope: env}
	var detail struct {
		Keys    json.RawMessage `json:"keys"`
		Request string          `json:"request"`
		Entries []CacheEntry    `json:"entries"`
	}
	if len(env.Detail) == 0 || json.Unmarshal(env.Detail, &detail) != nil {
		return QueryMessage{}, DropBadQueryMessage, fmt.Errorf("%s message has no detail object", env.Type)
	}
	switch env.Type {
	case QueryInvalidate:
		if m.Keys, err = DecodeKeyFilters(detail.Keys); err != nil {
			return QueryMessage{}, DropBadQueryMessage, err
		}
	case QueryCacheRequest, QueryCacheAnswer:
		if detail.Request == "" || len(detail.Request) > 256 {
			return QueryMessage{}, DropBadQueryMessage, fmt.Errorf("%s message has no request id of 1 to 256 characters", env.Type)
		}
		m.Request = detail.Request
		if env.Type == QueryCacheAnswer {
			for i, e := range detail.Entries {
				if !isArray(e.QueryKey) || len(e.Data) == 0 || e.DataUpdatedAt <= 0 {
					return QueryMessage{}, DropBadQueryMessage, fmt.Errorf("cache entry %d needs a queryKey array, data and a positive dataUpdatedAt", i)
				}
			}
			m.Entries = detail.Entries
		}
	default:
		return QueryMessage{}, DropBadQueryMessage, fmt.Errorf("unknown query message type %q", env.Type)
	}
	return m, "", nil
}

// DecodeKeyFilters validates the JSON form of invalidated keys: a list of 1 to
// MaxQueryKeys {queryKey, exact} objects whose queryKey is an array.
func DecodeKeyFilters(data []byte) ([]KeyFilter, error) {
	var keys []KeyFilter
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, fmt.Errorf("keys are not a list of {queryKey, exact}: %v", err)
	}
	if len(keys) == 0 || len(keys) > MaxQueryKeys {
		return nil, fmt.Errorf("%d keys; send 1 to %d", len(keys), MaxQueryKeys)
	}
	for i, k := range keys {
		if !isArray(k.QueryKey) {
			return nil, fmt.Errorf("key %d: queryKey must be an array, not %s", i, strings.TrimSpace(string(k.QueryKey)))
		}
	}
	return keys, nil
}

// ValidateQueryKey checks the JSON form of one query key given to an API call.
func ValidateQueryKey(call string, data []byte) error {
	if !isArray(data) {
		return errcode.New(errcode.InvalidArgument, map[string]any{"call": call},
			"fedwasm.%s: the query key must be a JSON-serializable array such as ['todos', 1], as in TanStack Query v5", call)
	}
	return nil
}

// ValidateChannelName checks a BroadcastChannel name: 1 to 128 characters, no whitespace.
func ValidateChannelName(call, name string) error {
	if name == "" || len(name) > 128 || strings.ContainsAny(name, " \t\r\n") {
		return errcode.New(errcode.InvalidArgument, map[string]any{"call": call, "channel": name},
			"fedwasm.%s: channel %q is not valid: use 1 to 128 characters without whitespace, such as %q", call, name, DefaultQueryChannel)
	}
	return nil
}

func isArray(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) >= 2 && t[0] == '[' && json.Valid(t)
}
