package server_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/fedwasm/fedwasm/server"
)

func TestNewHTTPServerLimits(t *testing.T) {
	srv := server.NewHTTPServer(http.NotFoundHandler(), server.Limits{ReadHeaderTimeout: time.Second})
	d := server.DefaultLimits
	if srv.ReadHeaderTimeout != time.Second || srv.ReadTimeout != d.ReadTimeout || srv.IdleTimeout != d.IdleTimeout || srv.MaxHeaderBytes != d.MaxHeaderBytes {
		t.Errorf("server limits %v %v %v %d; want the one given and DefaultLimits for the rest", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.IdleTimeout, srv.MaxHeaderBytes)
	}
	if d.ReadHeaderTimeout <= 0 || d.ReadTimeout <= 0 || d.IdleTimeout <= 0 || d.MaxHeaderBytes <= server.MaxURIBytes {
		t.Errorf("DefaultLimits %+v: every limit set, headers above MaxURIBytes", d)
	}
}

// serveLimited serves h on loopback with limits and returns its address.
func serveLimited(t *testing.T, h http.Handler, limits server.Limits) string {
	t.Helper()
	ln, err := server.ListenLoopback("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.NewHTTPServer(h, limits)
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}

// TestSlowHeaderClientIsDisconnected trickles a header line every 50 ms, for
// ever: the server must hang up once ReadHeaderTimeout has passed.
func TestSlowHeaderClientIsDisconnected(t *testing.T) {
	const timeout = 300 * time.Millisecond
	addr := serveLimited(t, server.Site{Runtime: siteFS}.Handler(), server.Limits{ReadHeaderTimeout: timeout})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	closed := make(chan error, 1)
	go func() {
		_, err := io.Copy(io.Discard, conn) // returns when the server closes the connection
		closed <- err
	}()
	_, _ = io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-closed:
			if took := time.Since(start); took < timeout || took > timeout+2*time.Second {
				t.Fatalf("closed after %v; want about %v", took, timeout)
			}
			return
		case <-tick.C:
			if _, err := io.WriteString(conn, "X-Slow: 1\r\n"); err != nil && time.Since(start) < timeout {
				t.Fatalf("the server refused a header before the timeout: %v", err)
			}
			if time.Since(start) > 10*time.Second {
				t.Fatal("the slow-header connection is still open after 10 s")
			}
		}
	}
}

// TestHeaderFloodIsRefused sends more header bytes than MaxHeaderBytes: 431.
func TestHeaderFloodIsRefused(t *testing.T) {
	addr := serveLimited(t, server.Site{Runtime: siteFS}.Handler(), server.Limits{MaxHeaderBytes: 8 << 10})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	go func() {
		_, _ = io.WriteString(conn, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"+strings.Repeat("X-Flood: 0123456789abcdef\r\n", 4000)+"\r\n")
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("no response to the flood: %v", err)
	}
	if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("status %d, want 431", resp.StatusCode)
	}
}
