// Package benchdemo starts the demo and a headless Chromium on it, for the
// page-level benchmarks in bench/.
package benchdemo

import (
	"context"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/fedwasm/fedwasm/internal/browser"
	"github.com/fedwasm/fedwasm/internal/demo"
)

// Start serves the demo (built by ./build.sh build under root) on free
// loopback ports and starts Chromium. close stops both.
func Start(root string) (d *demo.Demo, b *browser.Browser, close func(), err error) {
	d, err = demo.Start(demo.Options{Root: root, HostAddr: "127.0.0.1:0", RemoteAddr: "127.0.0.1:0"})
	if err != nil {
		return nil, nil, nil, err
	}
	b, err = browser.Start(context.Background())
	if err != nil {
		_ = d.Close()
		return nil, nil, nil, err
	}
	return d, b, func() { b.Close(); _ = d.Close() }, nil
}

// Open navigates ctx's tab to the demo at url and waits until its bootstrap
// has run (window.demo), or reports the loader's error banner.
func Open(ctx context.Context, b *browser.Browser, url string) error {
	var booted bool
	if err := chromedp.Run(ctx,
		chromedp.Navigate(url+"/"),
		chromedp.Poll(`window.demo !== undefined || document.querySelector('#fedwasm-error') !== null`, &booted, chromedp.WithPollingTimeout(60*time.Second)),
	); err != nil {
		return fmt.Errorf("the demo did not boot: %v; page problems: %v", err, b.Problems())
	}
	if banner, err := browser.Text(ctx, "#fedwasm-error"); err == nil {
		return fmt.Errorf("the loader reported: %s", banner)
	}
	return nil
}
