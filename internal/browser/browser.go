// Package browser starts headless Chromium for fedwasm's end-to-end tests and
// benchmarks, with the flags this project runs it with, and records what the
// page logs: console errors, uncaught exceptions and failed loads.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// ExecPath is where Debian's chromium package installs the browser.
const ExecPath = "/usr/bin/chromium"

// Flags are the command-line switches every run uses (besides a fresh profile).
var Flags = []string{
	"headless", "no-sandbox", "disable-gpu", "disable-quic", "no-first-run",
	"disable-background-networking", "disable-component-update", "disable-sync",
}

// Browser is one Chromium process with a fresh profile.
type Browser struct {
	ctx      context.Context
	cancel   context.CancelFunc
	profile  string
	mu       sync.Mutex
	problems []string
}

// Start launches Chromium. Close it when done.
func Start(parent context.Context) (*Browser, error) {
	if _, err := os.Stat(ExecPath); err != nil {
		return nil, fmt.Errorf("browser: %s not found; install it with: apt-get install chromium (./build.sh test does this when run as root)", ExecPath)
	}
	profile, err := os.MkdirTemp("", "fedwasm-chromium-")
	if err != nil {
		return nil, err
	}
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath(ExecPath), chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 800)}
	for _, f := range Flags {
		opts = append(opts, chromedp.Flag(f, true))
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(parent, opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	b := &Browser{ctx: ctx, profile: profile}
	b.cancel = func() { cancelCtx(); cancelAlloc() }
	chromedp.ListenTarget(ctx, b.record)
	if err := chromedp.Run(ctx, cdplog.Enable(), runtime.Enable()); err != nil {
		b.Close()
		return nil, fmt.Errorf("browser: starting %s: %w", ExecPath, err)
	}
	return b, nil
}

// Context is the tab's context for chromedp.Run.
func (b *Browser) Context() context.Context { return b.ctx }

// NewTab opens another tab in the same browser (same profile, same origin storage).
func (b *Browser) NewTab() (context.Context, context.CancelFunc, error) {
	ctx, cancel := chromedp.NewContext(b.ctx)
	chromedp.ListenTarget(ctx, b.record)
	if err := chromedp.Run(ctx, cdplog.Enable(), runtime.Enable()); err != nil {
		cancel()
		return nil, nil, err
	}
	return ctx, cancel, nil
}

// Close stops Chromium and removes its profile.
func (b *Browser) Close() {
	b.cancel()
	_ = os.RemoveAll(b.profile)
}

// Problems returns console errors, uncaught exceptions and error log entries
// seen so far, and forgets them.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	p := b.problems
	b.problems = nil
	return p
}

func (b *Browser) record(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.APITypeError || ev.Type == runtime.APITypeAssert {
			var parts []string
			for _, a := range ev.Args {
				if a.Value != nil {
					parts = append(parts, string(a.Value))
				} else {
					parts = append(parts, a.Description)
				}
			}
			problem = "console." + string(ev.Type) + ": " + strings.Join(parts, " ")
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		problem = "uncaught: " + d.Text
		if d.Exception != nil {
			problem += " " + d.Exception.Description
		}
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level == cdplog.LevelError {
			problem = "log: " + ev.Entry.Text + " " + ev.Entry.URL
		}
	}
	if problem != "" {
		b.mu.Lock()
		b.problems = append(b.problems, problem)
		b.mu.Unlock()
	}
}

// Eval evaluates a JS expression in the page, awaiting it when it is a Promise,
// and decodes its JSON value into out (which may be nil).
func Eval(ctx context.Context, expr string, out any) error {
	return chromedp.Run(ctx, chromedp.Evaluate(expr, out, func(p *runtime.EvaluateParams) *runtime.EvaluateParams {
		return p.WithAwaitPromise(true)
	}))
}

// ErrNoNode is returned by Text when the selector matches nothing.
var ErrNoNode = errors.New("browser: no node matches")

// Text returns the text content of the first node matching sel.
func Text(ctx context.Context, sel string) (string, error) {
	var nodes []*cdp.Node
	if err := chromedp.Run(ctx, chromedp.Nodes(sel, &nodes, chromedp.AtLeast(0))); err != nil {
		return "", err
	}
	if len(nodes) == 0 {
		return "", fmt.Errorf("%w %q", ErrNoNode, sel)
	}
	var text string
	err := chromedp.Run(ctx, chromedp.TextContent(sel, &text, chromedp.ByQuery))
	return text, err
}
