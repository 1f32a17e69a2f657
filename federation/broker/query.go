package broker

import (
	"errors"
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
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

// KeyFilter is one invalidated key: a TanStack Query key (a JSON array, as
// plain values) and whether only that exact key is meant, or every key it prefixes.
type KeyFilter struct {
	QueryKey []any `json:"queryKey"`
	Exact    bool  `json:"exact"`
}

// CacheEntry is one successful query handed to another tab, as plain values.
type CacheEntry struct {
	QueryKey      []any   `json:"queryKey"`
	Data          any     `json:"data"`
	DataUpdatedAt float64 `json:"dataUpdatedAt"`
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
	env, reason, err := decodeEnvelope(data, false)
	if err != nil {
		return QueryMessage{}, reason, err
	}
	m := QueryMessage{Envelope: env}
	detail, ok := env.Detail.(map[string]any)
	if !ok {
		return QueryMessage{}, DropBadQueryMessage, errors.New(env.Type + " message has no detail object")
	}
	var f jsonv.Fields
	request := f.String(detail["request"], "detail.request")
	entries := f.Array(detail["entries"], "detail.entries")
	if f.Err != nil {
		return QueryMessage{}, DropBadQueryMessage, errors.New(env.Type + " message: " + f.Err.Error())
	}
	switch env.Type {
	case QueryInvalidate:
		if m.Keys, err = keyFilters(detail["keys"]); err != nil {
			return QueryMessage{}, DropBadQueryMessage, err
		}
	case QueryCacheRequest, QueryCacheAnswer:
		if request == "" || len(request) > 256 {
			return QueryMessage{}, DropBadQueryMessage, errors.New(env.Type + " message has no request id of 1 to 256 characters")
		}
		m.Request = request
		if env.Type == QueryCacheAnswer {
			m.Entries = make([]CacheEntry, len(entries))
			for i, e := range entries {
				entry, _ := e.(map[string]any)
				key, isArray := entry["queryKey"].([]any)
				data, hasData := entry["data"]
				at, _ := entry["dataUpdatedAt"].(float64)
				if !isArray || !hasData || at <= 0 {
					return QueryMessage{}, DropBadQueryMessage, errors.New("cache entry " + strconv.Itoa(i) + " needs a queryKey array, data and a positive dataUpdatedAt")
				}
				m.Entries[i] = CacheEntry{QueryKey: key, Data: data, DataUpdatedAt: at}
			}
		}
	default:
		return QueryMessage{}, DropBadQueryMessage, errors.New("unknown query message type " + strconv.Quote(env.Type))
	}
	return m, "", nil
}

// DecodeKeyFilters validates the JSON form of invalidated keys: a list of 1 to
// MaxQueryKeys {queryKey, exact} objects whose queryKey is an array.
func DecodeKeyFilters(data []byte) ([]KeyFilter, error) {
	v, err := jsonv.Parse(data)
	if err != nil {
		return nil, errors.New("keys are not a list of {queryKey, exact}: " + err.Error())
	}
	return keyFilters(v)
}

func keyFilters(v any) ([]KeyFilter, error) {
	var f jsonv.Fields
	list := f.Array(v, "keys")
	keys := make([]KeyFilter, len(list))
	for i, e := range list {
		at := jsonv.Index("keys", i)
		k := f.Object(e, at)
		keys[i].Exact = f.Bool(k["exact"], at+".exact")
		key, isArray := k["queryKey"].([]any)
		if f.Err == nil && !isArray {
			return nil, errors.New("key " + strconv.Itoa(i) + ": queryKey must be an array, not " + string(jsonv.Marshal(k["queryKey"])))
		}
		keys[i].QueryKey = key
	}
	if f.Err != nil {
		return nil, errors.New("keys are not a list of {queryKey, exact}: " + f.Err.Error())
	}
	if len(keys) == 0 || len(keys) > MaxQueryKeys {
		return nil, errors.New(strconv.Itoa(len(keys)) + " keys; send 1 to " + strconv.Itoa(MaxQueryKeys))
	}
	return keys, nil
}

// ValidateQueryKey checks the JSON form of one query key given to an API call.
func ValidateQueryKey(call string, data []byte) error {
	if v, err := jsonv.Parse(data); err != nil || jsonv.Kind(v) != "array" {
		return errcode.New(errcode.InvalidArgument, map[string]any{"call": call},
			"fedwasm."+call+": the query key must be a JSON-serializable array such as ['todos', 1], as in TanStack Query v5")
	}
	return nil
}

// ValidateChannelName checks a BroadcastChannel name: 1 to 128 characters, no whitespace.
func ValidateChannelName(call, name string) error {
	if name == "" || len(name) > 128 || strings.ContainsAny(name, " \t\r\n") {
		return errcode.New(errcode.InvalidArgument, map[string]any{"call": call, "channel": name},
			"fedwasm."+call+": channel "+strconv.Quote(name)+" is not valid: use 1 to 128 characters without whitespace, such as "+strconv.Quote(DefaultQueryChannel))
	}
	return nil
}
