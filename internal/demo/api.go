package demo

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"
	"time"
)

// product is one item of the demo catalog.
type product struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Price int    `json:"price"`
}

// catalog is what /api/products lists, with each product's starting stock.
var catalog = []struct {
	product
	stock int
}{
	{product{"kb", "Mechanical keyboard", 89}, 12},
	{product{"ms", "Wireless mouse", 39}, 25},
	{product{"hd", "Noise-cancelling headset", 149}, 6},
	{product{"mn", `27" monitor`, 279}, 4},
}

// shopAPI is the products origin's small JSON API: the catalog, stock levels
// and orders, which take items out of stock. It counts the requests it
// served per path, so the page (and the tests) can see how often a query
// really went to the network.
type shopAPI struct {
	allowed []string // origins that may call it (CORS)
	mu      sync.Mutex
	stock   map[string]int
	served  map[string]int
	orders  int
}

func newShopAPI(allowed ...string) *shopAPI {
	a := &shopAPI{allowed: allowed, stock: map[string]int{}, served: map[string]int{}}
	for _, c := range catalog {
		a.stock[c.ID] = c.stock
	}
	return a
}

func (a *shopAPI) routes(mux *http.ServeMux) {
	mux.Handle("GET /api/products", a.cors(a.products))
	mux.Handle("GET /api/stock", a.cors(a.stockLevels))
	mux.Handle("POST /api/orders", a.cors(a.order))
	mux.Handle("OPTIONS /api/", a.cors(nil))
}

// cors lets the allowed origins call h (and answers their preflights).
func (a *shopAPI) cors(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		if origin := r.Header.Get("Origin"); slices.Contains(a.allowed, origin) {
			w.Header().Set("Access-Control-Allow-Origin", origin)
		}
		if h == nil {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type")
			w.Header().Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	})
}

// Served reports how many requests the API answered at path, e.g. "/api/products".
func (a *shopAPI) Served(path string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.served[path]
}

func (a *shopAPI) products(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.served[r.URL.Path]++
	body := map[string]any{"products": productsOf(), "served": a.served[r.URL.Path], "at": time.Now().UnixMilli()}
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

func (a *shopAPI) stockLevels(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.served[r.URL.Path]++
	body := map[string]any{"stock": maps.Clone(a.stock), "served": a.served[r.URL.Path], "at": time.Now().UnixMilli()}
	a.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// order takes {"lines": ["kb", "ms", ...]} out of stock, all or nothing.
func (a *shopAPI) order(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Lines []string `json:"lines"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf(`POST /api/orders: the body is not {"lines": [product ids]}: %v`, err)})
		return
	}
	if len(req.Lines) == 0 {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "POST /api/orders: the order has no lines; add a product first"})
		return
	}
	prices := map[string]int{}
	for _, p := range productsOf() {
		prices[p.ID] = p.Price
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.served[r.URL.Path]++
	want := map[string]int{}
	total := 0
	for _, id := range req.Lines {
		price, ok := prices[id]
		if !ok {
			writeJSON(w, http.StatusBadRequest, map[string]any{"error": fmt.Sprintf("POST /api/orders: no product %q in the catalog", id)})
			return
		}
		want[id]++
		total += price
	}
	for id, n := range want {
		if a.stock[id] < n {
			writeJSON(w, http.StatusConflict, map[string]any{"error": fmt.Sprintf("Only %d of %s left: remove some and check out again.", a.stock[id], id)})
			return
		}
	}
	for id, n := range want {
		a.stock[id] -= n
	}
	a.orders++
	writeJSON(w, http.StatusOK, map[string]any{"order": 1000 + a.orders, "items": len(req.Lines), "total": total, "at": time.Now().UnixMilli()})
}

func productsOf() []product {
	out := make([]product, len(catalog))
	for i, c := range catalog {
		out[i] = c.product
	}
	return out
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
