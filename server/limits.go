package server

import (
	"net/http"
	"time"
)

// Limits bound what one connection to a fedwasm server may take: without
// them a client that sends its headers a byte at a time holds a connection
// (and its goroutine) for ever.
type Limits struct {
	// ReadHeaderTimeout is how long a client has to send the request line and headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout is how long a client has to send a whole request (the site
	// answers GET, HEAD and OPTIONS, so requests carry no body worth waiting for).
	ReadTimeout time.Duration
	// IdleTimeout closes a keep-alive connection that sends no next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes bounds the request line and headers; net/http answers
	// 431 above it. It is well above MaxURIBytes, so a long URI gets the
	// site's 414 rather than a 431.
	MaxHeaderBytes int
}

// DefaultLimits are the limits of every server the project starts. There is
// no write timeout on purpose: runtime.wasm over a slow link may take minutes
// to send, and a write deadline would cut it off.
var DefaultLimits = Limits{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       30 * time.Second,
	IdleTimeout:       2 * time.Minute,
	MaxHeaderBytes:    64 << 10,
}

// NewHTTPServer is the http.Server every fedwasm command and test server
// runs h with: limits' fields, each zero field taking DefaultLimits' value
// (so no server is ever left without one).
func NewHTTPServer(h http.Handler, limits Limits) *http.Server {
	pick := func(v, fallback time.Duration) time.Duration {
		if v > 0 {
			return v
		}
		return fallback
	}
	maxHeader := limits.MaxHeaderBytes
	if maxHeader <= 0 {
		maxHeader = DefaultLimits.MaxHeaderBytes
	}
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: pick(limits.ReadHeaderTimeout, DefaultLimits.ReadHeaderTimeout),
		ReadTimeout:       pick(limits.ReadTimeout, DefaultLimits.ReadTimeout),
		IdleTimeout:       pick(limits.IdleTimeout, DefaultLimits.IdleTimeout),
		MaxHeaderBytes:    maxHeader,
	}
}
