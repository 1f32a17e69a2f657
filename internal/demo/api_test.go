package demo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// testHost is the origin the test API lets call it.
const testHost = "http://127.0.0.1:8080"

// newTestAPI is a fresh shop API (full stock) and the mux serving it.
func newTestAPI() (*shopAPI, *http.ServeMux) {
	a := newShopAPI(testHost)
	mux := http.NewServeMux()
	a.routes(mux)
	return a, mux
}

func TestShopAPI(t *testing.T) {
	const host = testHost
	a, mux := newTestAPI()
	cases := []struct {
		name, method, path, body, origin string
		status                           int
		want                             string // in the body
		cors                             string // Access-Control-Allow-Origin
	}{
		{"the catalog, for the host", "GET", "/api/products", "", host, 200, `"name":"Mechanical keyboard"`, host},
		{"another origin gets no CORS header", "GET", "/api/products", "", "http://evil.test", 200, `"served":2`, ""},
		{"stock levels", "GET", "/api/stock", "", host, 200, `"kb":12`, host},
		{"a preflight for the order", "OPTIONS", "/api/orders", "", host, 204, "", host},
		{"an order takes items out of stock", "POST", "/api/orders", `{"items":[{"id":"kb","qty":2},{"id":"ms","qty":1}]}`, host, 200, `"total":217`, host},
		{"the stock after it", "GET", "/api/stock", "", host, 200, `"kb":10`, host},
		{"more than is left is refused, naming the product", "POST", "/api/orders", `{"items":[{"id":"mn","qty":5}]}`, host, 409,
			`"code":"ORDER_OUT_OF_STOCK","message":"Only 4 × 27\" monitor left, 5 in the cart`, host},
		{"an unknown product", "POST", "/api/orders", `{"items":[{"id":"zz","qty":1}]}`, host, 400, `no product \"zz\"`, host},
		{"a quantity below one", "POST", "/api/orders", `{"items":[{"id":"kb","qty":0}]}`, host, 400, "has quantity 0", host},
		{"an empty order", "POST", "/api/orders", `{"items":[]}`, host, 400, "has no items", host},
		{"a body that is not JSON", "POST", "/api/orders", `lines=kb`, host, 400, `"code":"ORDER_INVALID"`, host},
		{"a refused order changed nothing", "GET", "/api/stock", "", host, 200, `"mn":4`, host},
	}
	for _, c := range cases {
		w := serveAPI(mux, c.method, c.path, c.body, c.origin, "")
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.want) || w.Header().Get("Access-Control-Allow-Origin") != c.cors {
			t.Errorf("%s: %s %s = %d %q (CORS %q); want %d containing %q (CORS %q)",
				c.name, c.method, c.path, w.Code, w.Body.String(), w.Header().Get("Access-Control-Allow-Origin"), c.status, c.want, c.cors)
		}
		if c.status == 200 && !json.Valid(w.Body.Bytes()) {
			t.Errorf("%s: the body is not JSON: %q", c.name, w.Body.String())
		}
	}
	if got := a.Served("/api/products"); got != 2 {
		t.Errorf("Served(/api/products) = %d, want 2", got)
	}
}

// serveAPI sends one request to mux (with an Idempotency-Key when key is set).
func serveAPI(mux *http.ServeMux, method, path, body, origin, key string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	return w
}

// An order sent again with its Idempotency-Key (a reload or a retry after a
// lost answer) returns the first order and takes nothing more out of stock;
// the key cannot place different items; a refused order can be sent again.
func TestShopAPIOrdersAreIdempotent(t *testing.T) {
	const host = testHost
	a, mux := newTestAPI()
	cases := []struct {
		name, key, body string
		status          int
		want            string // in the body
		replayed        string // the Idempotent-Replayed header
	}{
		{"the first order", "k1", `{"items":[{"id":"hd","qty":2}]}`, 200, `"order":1001`, ""},
		{"the same key again: the same order", "k1", `{"items":[{"id":"hd","qty":2}]}`, 200, `"order":1001`, "true"},
		{"the same items in other lines", "k1", `{"items":[{"id":"hd","qty":1},{"id":"hd","qty":1}]}`, 200, `"order":1001`, "true"},
		{"the key with other items", "k1", `{"items":[{"id":"hd","qty":3}]}`, 422, `"code":"ORDER_KEY_REUSED"`, ""},
		{"a refused order", "k2", `{"items":[{"id":"hd","qty":5}]}`, 409, `Only 4 × Noise-cancelling headset left`, ""},
		{"its key again, with what is left", "k2", `{"items":[{"id":"hd","qty":4}]}`, 200, `"order":1002`, ""},
		{"no key: a new order each time", "", `{"items":[{"id":"ms","qty":1}]}`, 200, `"order":1003`, ""},
		{"no key again", "", `{"items":[{"id":"ms","qty":1}]}`, 200, `"order":1004`, ""},
	}
	for _, c := range cases {
		w := serveAPI(mux, "POST", "/api/orders", c.body, host, c.key)
		if w.Code != c.status || !strings.Contains(w.Body.String(), c.want) || w.Header().Get("Idempotent-Replayed") != c.replayed {
			t.Errorf("%s: %d %q (replayed %q); want %d containing %q (replayed %q)",
				c.name, w.Code, w.Body.String(), w.Header().Get("Idempotent-Replayed"), c.status, c.want, c.replayed)
		}
	}
	if got := a.Orders(); got != 4 {
		t.Errorf("Orders() = %d, want 4", got)
	}
	if w := serveAPI(mux, "GET", "/api/stock", "", host, ""); !strings.Contains(w.Body.String(), `"hd":0`) || !strings.Contains(w.Body.String(), `"ms":23`) {
		t.Errorf("the stock after the orders: %s, want hd 0 (6 - 2 - 4) and ms 23", w.Body.String())
	}
}
