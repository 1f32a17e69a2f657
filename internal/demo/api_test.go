package demo

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestShopAPI(t *testing.T) {
	const host = "http://127.0.0.1:8080"
	a := newShopAPI(host)
	mux := http.NewServeMux()
	a.routes(mux)
	do := func(method, path, body, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		return w
	}
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
		{"an order takes items out of stock", "POST", "/api/orders", `{"lines":["kb","kb","ms"]}`, host, 200, `"total":217`, host},
		{"the stock after it", "GET", "/api/stock", "", host, 200, `"kb":10`, host},
		{"more than is left is refused", "POST", "/api/orders", `{"lines":["mn","mn","mn","mn","mn"]}`, host, 409, "Only 4 of mn left", host},
		{"an unknown product", "POST", "/api/orders", `{"lines":["zz"]}`, host, 400, `no product \"zz\"`, host},
		{"an empty order", "POST", "/api/orders", `{"lines":[]}`, host, 400, "has no lines", host},
		{"a body that is not JSON", "POST", "/api/orders", `lines=kb`, host, 400, "is not {", host},
		{"a refused order changed nothing", "GET", "/api/stock", "", host, 200, `"mn":4`, host},
	}
	for _, c := range cases {
		w := do(c.method, c.path, c.body, c.origin)
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
