package demo

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fedwasm/fedwasm/federation/errcode"
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

// The shop API's error codes (the "code" of its JSON errors).
const (
	codeOrderInvalid    = "ORDER_INVALID"
	codeOrderOutOfStock = "ORDER_OUT_OF_STOCK"
	codeOrderKeyReused  = "ORDER_KEY_REUSED"
)

// shopAPI is the products origin's small JSON API: the catalog, stock levels
// and orders, which take items out of stock. It counts the requests it
// served per path, so the page (and the tests) can see how often a query
// really went to the network. Orders are idempotent: an order sent again
// with the same Idempotency-Key gets the first one's answer.
type shopAPI struct {
	allowed []string // origins that may call it (CORS)
	mu      sync.Mutex
	stock   map[string]int
	served  map[string]int
	orders  int
	placed  map[string]placedOrder // by idempotency key
}

// placedOrder is what an idempotency key was answered with.
type placedOrder struct {
	items string // the order's items, canonical: a key reused for other items is refused
	body  map[string]any
}

func newShopAPI(allowed ...string) *shopAPI {
	a := &shopAPI{allowed: allowed, stock: map[string]int{}, served: map[string]int{}, placed: map[string]placedOrder{}}
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
			w.Header().Set("Access-Control-Expose-Headers", "Idempotent-Replayed")
		}
		if h == nil {
			w.Header().Set("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
			w.Header().Set("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key")
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

// Orders reports how many orders were placed (a replayed one counts once).
func (a *shopAPI) Orders() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.orders
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

// orderItem is one line of an order: a product and how many.
type orderItem struct {
	ID  string `json:"id"`
	Qty int    `json:"qty"`
}

// order takes {"items": [{"id": "kb", "qty": 2}, ...]} out of stock, all or
// nothing. With an Idempotency-Key header, the first answer that placed an
// order is kept: the same key again returns that order (Idempotent-Replayed:
// true) and changes nothing, so a client that lost the answer (a reload, a
// double click, a dropped connection) can send the order again safely.
func (a *shopAPI) order(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Items []orderItem `json:"items"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, errcode.New(codeOrderInvalid, nil,
			fmt.Sprintf(`POST /api/orders: the body is not {"items": [{"id", "qty"}]}: %v; send the cart's items as JSON`, err)))
		return
	}
	if len(req.Items) == 0 {
		writeError(w, http.StatusBadRequest, errcode.New(codeOrderInvalid, nil, "POST /api/orders: the order has no items; add a product first"))
		return
	}
	key := r.Header.Get("Idempotency-Key")
	byID := map[string]product{}
	for _, p := range productsOf() {
		byID[p.ID] = p
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.served[r.URL.Path]++
	want := map[string]int{}
	total, count := 0, 0
	for _, it := range req.Items {
		p, ok := byID[it.ID]
		if !ok {
			writeError(w, http.StatusBadRequest, errcode.New(codeOrderInvalid, map[string]any{"id": it.ID},
				fmt.Sprintf("POST /api/orders: no product %q in the catalog; reload the page for the current catalog", it.ID)))
			return
		}
		if it.Qty < 1 {
			writeError(w, http.StatusBadRequest, errcode.New(codeOrderInvalid, map[string]any{"id": it.ID},
				fmt.Sprintf("POST /api/orders: %s has quantity %d; each item needs at least 1", p.Name, it.Qty)))
			return
		}
		want[it.ID] += it.Qty
		total += p.Price * it.Qty
		count += it.Qty
	}
	items := canonicalItems(want)
	if key != "" {
		if prev, ok := a.placed[key]; ok {
			if prev.items != items {
				writeError(w, http.StatusUnprocessableEntity, errcode.New(codeOrderKeyReused, map[string]any{"key": key},
					"POST /api/orders: this Idempotency-Key already placed a different order; use a new key for a new order"))
				return
			}
			w.Header().Set("Idempotent-Replayed", "true")
			writeJSON(w, http.StatusOK, prev.body)
			return
		}
	}
	for _, id := range slices.Sorted(maps.Keys(want)) {
		if left := a.stock[id]; left < want[id] {
			p := byID[id]
			writeError(w, http.StatusConflict, errcode.New(codeOrderOutOfStock, map[string]any{"id": id, "name": p.Name, "left": left, "wanted": want[id]},
				fmt.Sprintf("Only %d × %s left, %d in the cart: lower the quantity and check out again.", left, p.Name, want[id])))
			return
		}
	}
	for id, n := range want {
		a.stock[id] -= n
	}
	a.orders++
	body := map[string]any{"order": 1000 + a.orders, "items": count, "total": total, "at": time.Now().UnixMilli()}
	if key != "" {
		a.placed[key] = placedOrder{items: items, body: body}
	}
	writeJSON(w, http.StatusOK, body)
}

// canonicalItems writes quantities by product in one order, so two requests
// for the same items compare equal however their lines were ordered.
func canonicalItems(qty map[string]int) string {
	var b strings.Builder
	for _, id := range slices.Sorted(maps.Keys(qty)) {
		fmt.Fprintf(&b, "%s×%d;", id, qty[id])
	}
	return b.String()
}

func productsOf() []product {
	out := make([]product, len(catalog))
	for i, c := range catalog {
		out[i] = c.product
	}
	return out
}

// writeError answers with {"error": {code, message, details}}. The shop's
// codes are the demo's own, not fedwasm's, so the body is not errcode's JSON
// form (whose message points into fedwasm's error catalog).
func writeError(w http.ResponseWriter, status int, err *errcode.Error) {
	type apiError struct {
		Code    string         `json:"code"`
		Message string         `json:"message"`
		Details map[string]any `json:"details"`
	}
	writeJSON(w, status, map[string]any{"error": apiError{err.Code, err.Message, err.Details}})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
