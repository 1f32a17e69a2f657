package broker

import (
	"errors"
	"strconv"

	"github.com/fedwasm/fedwasm/federation/errcode"
	"github.com/fedwasm/fedwasm/federation/jsonv"
)

// Cross-tab limits. Every message between tabs (events, query coordination,
// persisted stores) is posted as {v, tab, text}: text is the message's JSON,
// so the size a tab checks is the size that was posted, and only plain data
// travels (no ArrayBuffer, Blob, Map or Set riding along in a structured
// clone). broker.js applies these rules on both ends of each channel:
//   - the sending tab refuses its own posts beyond its budget, with
//     CROSS_TAB_RATE_LIMITED, so a well-behaved tab never sees its messages
//     dropped;
//   - a receiving tab admits a message only within the sender's budget
//     (twice the sending budget, for the jitter between the two clocks) and
//     within the channel's budget for all senders together (sender ids are
//     whatever a page writes, so a flood under many ids meets this one);
//   - admitted messages wait in a bounded queue and are delivered in slices
//     of at most SliceMs per task, so a burst cannot hold the main thread.
// Everything refused is counted by reason (inspect().broker.dropped).

// Rate is a token bucket: Burst at most, refilled at PerSecond.
type Rate struct {
	PerSecond float64 `json:"perSecond"`
	Burst     float64 `json:"burst"`
}

// Budget bounds one party's messages: how many, and how many characters.
type Budget struct {
	Messages   Rate `json:"messages"`
	Characters Rate `json:"characters"`
}

// times scales a budget.
func (b Budget) times(k float64) Budget {
	return Budget{
		Messages:   Rate{b.Messages.PerSecond * k, b.Messages.Burst * k},
		Characters: Rate{b.Characters.PerSecond * k, b.Characters.Burst * k},
	}
}

// SendBudget is what one tab may post on one channel.
var SendBudget = Budget{Messages: Rate{PerSecond: 50, Burst: 100}, Characters: Rate{PerSecond: 512 << 10, Burst: 1 << 20}}

// The receiving side's limits.
const (
	// MaxSenders bounds the senders a channel keeps a budget for; senders
	// beyond it share one budget (so invented sender ids cost nothing).
	MaxSenders = 64
	// MaxQueued bounds the admitted messages waiting for delivery.
	MaxQueued = 256
	// SliceMs bounds the time one task spends delivering queued messages.
	SliceMs = 8
	// MaxTabLength bounds a sender's tab id.
	MaxTabLength = 128
	// ReportEveryMs is how often drops are reported to the runtime (they are
	// counted as they happen, and reported in batches during a flood).
	ReportEveryMs = 100
)

// CrossTabRules are the rules broker.js applies to every cross-tab channel
// whose messages are at most maxLength characters (MaxMessageLength for
// events and query coordination, MaxPersistLength for persisted stores). The
// runtime hands them to broker.js, so each is defined once, here.
func CrossTabRules(maxLength int) map[string]any {
	return map[string]any{
		"version":        EnvelopeVersion,
		"maxLength":      maxLength,
		"maxTabLength":   MaxTabLength,
		"send":           budgetPlain(SendBudget),
		"perSender":      budgetPlain(SendBudget.times(2)),
		"allSenders":     budgetPlain(SendBudget.times(4)),
		"maxSenders":     MaxSenders,
		"maxQueued":      MaxQueued,
		"sliceMs":        SliceMs,
		"reportEveryMs":  ReportEveryMs,
		"tooLarge":       DropTooLarge,
		"badShape":       DropBadShape,
		"notJSON":        DropNotJSON,
		"unknownVersion": DropBadVersion,
		"rateLimited":    DropRateLimited,
		"queueFull":      DropQueueFull,
	}
}

func budgetPlain(b Budget) map[string]any {
	rate := func(r Rate) map[string]any { return map[string]any{"perSecond": r.PerSecond, "burst": r.Burst} }
	return map[string]any{"messages": rate(b.Messages), "characters": rate(b.Characters)}
}

// RateLimited is the error of a cross-tab post the sending tab refused: it
// went over SendBudget on channel.
func RateLimited(call, channel string) error {
	return errcode.New(errcode.CrossTabRateLimited, map[string]any{"channel": channel,
		"messagesPerSecond": SendBudget.Messages.PerSecond, "burstMessages": SendBudget.Messages.Burst,
		"charactersPerSecond": SendBudget.Characters.PerSecond, "burstCharacters": SendBudget.Characters.Burst},
		call+": this tab posted more on BroadcastChannel "+strconv.Quote(channel)+" than other tabs accept ("+
			strconv.FormatFloat(SendBudget.Messages.PerSecond, 'g', -1, 64)+" messages and "+strconv.Itoa(int(SendBudget.Characters.PerSecond))+
			" characters a second, bursts of "+strconv.FormatFloat(SendBudget.Messages.Burst, 'g', -1, 64)+"); send fewer, larger messages, or share state through a store")
}

// Shareable lists the query key prefixes a connected QueryClient hands to
// other tabs (query.connect's shareable option): a cache request is answered
// with, and a cache answer applied for, only the queries under one of them.
type Shareable [][]any

// MaxShareable bounds the prefixes one connection lists.
const MaxShareable = 256

// ParseShareable reads the JSON form of query.connect's shareable option: a
// list of query key prefixes, each a JSON array such as ["products"].
func ParseShareable(data []byte) (Shareable, error) {
	bad := func(why string) error {
		return errcode.New(errcode.InvalidArgument, map[string]any{"option": "shareable"},
			"fedwasm.query.connect: shareable "+why+"; list the query key prefixes other tabs may receive, such as [['products'], ['stock']]")
	}
	v, err := jsonv.Parse(data)
	if err != nil {
		return nil, bad("is not JSON data")
	}
	list, ok := v.([]any)
	if !ok {
		return nil, bad("must be an array of query key prefixes")
	}
	if len(list) > MaxShareable {
		return nil, bad("lists " + strconv.Itoa(len(list)) + " prefixes, more than " + strconv.Itoa(MaxShareable))
	}
	s := make(Shareable, len(list))
	for i, e := range list {
		prefix, ok := e.([]any)
		if !ok {
			return nil, bad("entry " + strconv.Itoa(i) + " is not an array")
		}
		s[i] = prefix
	}
	return s, nil
}

// Allows reports whether key (a query key as plain values) is under one of
// s's prefixes: each element of the prefix equals the key's element at the
// same place, as TanStack Query matches a queryKey filter.
func (s Shareable) Allows(key []any) bool {
	for _, prefix := range s {
		if len(prefix) <= len(key) && string(jsonv.Marshal(prefix)) == string(jsonv.Marshal(key[:len(prefix)])) {
			return true
		}
	}
	return false
}

// QueryKeyOf reads the queryKey of one cache entry's JSON text; the entry's
// data, which may be most of it, is scanned but not built.
func QueryKeyOf(entry []byte) ([]any, error) {
	v, err := jsonv.ParseOpaque(entry, "data")
	if err != nil {
		return nil, err
	}
	m, _ := v.(map[string]any)
	key, ok := m["queryKey"].([]any)
	if !ok {
		return nil, errors.New("a cache entry needs a queryKey array")
	}
	return key, nil
}
