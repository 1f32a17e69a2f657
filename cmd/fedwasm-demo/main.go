// Command fedwasm-demo serves the demo shop: the host, the cart remote and
// the products remote each on its own loopback port (separate origins, as in
// production).
//
//	fedwasm-demo -root . -host 127.0.0.1:8080 -remote 127.0.0.1:8081 -products 127.0.0.1:8082
//
// FEDWASM_HOST_ADDR, FEDWASM_REMOTE_ADDR and FEDWASM_PRODUCTS_ADDR set the
// defaults of the three flags. It prints one line when it starts and then
// only errors; -v adds one line per HTTP request.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/fedwasm/fedwasm/internal/demo"
)

func main() {
	root := flag.String("root", ".", "repository root holding index.html, demo-host/, demo-remote/ and dist/")
	host := flag.String("host", envOr("FEDWASM_HOST_ADDR", "127.0.0.1:8080"), "host origin address (loopback only)")
	remote := flag.String("remote", envOr("FEDWASM_REMOTE_ADDR", "127.0.0.1:8081"), "cart remote origin address (loopback only)")
	products := flag.String("products", envOr("FEDWASM_PRODUCTS_ADDR", "127.0.0.1:8082"), "products remote and API origin address (loopback only)")
	verbose := flag.Bool("v", false, "log every HTTP request (one line each)")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	d, err := demo.Start(demo.Options{Root: *root, HostAddr: *host, RemoteAddr: *remote, ProductsAddr: *products, Log: log, LogRequests: *verbose})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fedwasm-demo:", err)
		os.Exit(1)
	}
	fmt.Printf("fedwasm demo: open %s (remote 'cart' on %s, remote 'products' and the API on %s; registry %s); Ctrl-C stops\n",
		d.HostURL, d.RemoteURL, d.ProductsURL, d.RegistryFile())
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	select {
	case <-stop:
	case err := <-d.Err():
		fmt.Fprintln(os.Stderr, "fedwasm-demo:", err)
	}
	_ = d.Close()
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
