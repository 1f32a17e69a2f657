//go:build e2e

package e2e

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdpio "github.com/chromedp/cdproto/io"
	"github.com/chromedp/cdproto/tracing"
	"github.com/chromedp/chromedp"
)

// traceCategories are the DevTools trace categories a main-thread breakdown
// needs: tasks, script, event dispatch, message (de)serialisation and GC.
var traceCategories = []string{
	"toplevel", "devtools.timeline", "disabled-by-default-devtools.timeline", "v8", "v8.execute", "blink", "blink.user_timing", "disabled-by-default-v8.gc", "__metadata",
}

// traceEvent is one event of a Chromium trace in its JSON format (times in µs).
type traceEvent struct {
	Name string  `json:"name"`
	Cat  string  `json:"cat"`
	Ph   string  `json:"ph"`
	Pid  int     `json:"pid"`
	Tid  int     `json:"tid"`
	Ts   float64 `json:"ts"`
	Dur  float64 `json:"dur"`
	// Tts and Tdur are the thread's CPU clock: the time it ran, not the
	// time it waited for a core.
	Tts  float64 `json:"tts"`
	Tdur float64 `json:"tdur"`
	Args struct {
		Name string          `json:"name"`
		Data json.RawMessage `json:"data"`
	} `json:"args"`
}

// startTrace starts a DevTools trace of the whole browser that ctx's tab
// belongs to (every process, not only the tab's), and returns the function
// that ends it and returns its events.
func startTrace(t *testing.T, ctx context.Context) func() []traceEvent {
	t.Helper()
	c := chromedp.FromContext(ctx)
	browser := cdp.WithExecutor(ctx, c.Browser)
	complete := make(chan *tracing.EventTracingComplete, 1)
	listen, stopListening := context.WithCancel(ctx)
	chromedp.ListenBrowser(listen, func(ev any) {
		if done, ok := ev.(*tracing.EventTracingComplete); ok {
			select {
			case complete <- done:
			default:
			}
		}
	})
	err := tracing.Start().WithTransferMode(tracing.TransferModeReturnAsStream).WithStreamFormat(tracing.StreamFormatJSON).
		WithTraceConfig(&tracing.TraceConfig{RecordMode: tracing.RecordModeRecordUntilFull, TraceBufferSizeInKb: 400 << 10, IncludedCategories: traceCategories}).Do(browser)
	if err != nil {
		stopListening()
		t.Fatalf("starting the trace: %v", err)
	}
	return func() []traceEvent {
		t.Helper()
		defer stopListening()
		if err := tracing.End().Do(browser); err != nil {
			t.Fatalf("ending the trace: %v", err)
		}
		var done *tracing.EventTracingComplete
		select {
		case done = <-complete:
		case <-time.After(2 * time.Minute):
			t.Fatal("the trace did not complete within 2 minutes")
		}
		if done.DataLossOccurred {
			t.Log("the trace buffer overflowed: some events are missing")
		}
		var text strings.Builder
		for {
			data, eof, err := cdpio.Read(done.Stream).WithSize(1 << 20).Do(browser)
			if err != nil {
				t.Fatalf("reading the trace: %v", err)
			}
			text.WriteString(data)
			if eof {
				break
			}
		}
		_ = cdpio.Close(done.Stream).Do(browser)
		var trace struct {
			TraceEvents []traceEvent `json:"traceEvents"`
		}
		if err := json.Unmarshal([]byte(text.String()), &trace); err != nil {
			t.Fatalf("decoding the trace (%d bytes): %v", text.Len(), err)
		}
		return trace.TraceEvents
	}
}

// mainThread is one renderer's main thread in a trace.
type mainThread struct {
	Pid, Tid int
	// Tasks are its outermost events: what the thread ran, one at a time.
	Tasks []*traceSpan
}

// traceSpan is a complete event with the events nested in it.
type traceSpan struct {
	traceEvent
	Children []*traceSpan
}

// self is the span's duration less its children's, in wall time and in
// the thread's CPU time.
func (s *traceSpan) self() (wall, cpu float64) {
	wall, cpu = s.Dur, s.Tdur
	for _, c := range s.Children {
		wall -= c.Dur
		cpu -= c.Tdur
	}
	return max(wall, 0), max(cpu, 0)
}

// rendererMainThreads returns each renderer main thread's tasks, nested from
// the trace's complete ("X") and begin/end ("B"/"E") events.
func rendererMainThreads(events []traceEvent) []*mainThread {
	type key struct{ pid, tid int }
	mains := map[key]bool{}
	for _, e := range events {
		if e.Ph == "M" && e.Name == "thread_name" && e.Args.Name == "CrRendererMain" {
			mains[key{e.Pid, e.Tid}] = true
		}
	}
	spans := map[key][]*traceSpan{}
	open := map[key][]*traceSpan{}
	for _, e := range events {
		k := key{e.Pid, e.Tid}
		if !mains[k] {
			continue
		}
		switch e.Ph {
		case "X":
			spans[k] = append(spans[k], &traceSpan{traceEvent: e})
		case "B":
			open[k] = append(open[k], &traceSpan{traceEvent: e})
		case "E":
			if n := len(open[k]); n > 0 {
				s := open[k][n-1]
				open[k] = open[k][:n-1]
				s.Dur = e.Ts - s.Ts
				s.Tdur = e.Tts - s.Tts
				spans[k] = append(spans[k], s)
			}
		}
	}
	var threads []*mainThread
	for k, list := range spans {
		// Outer spans first: by start, then the longer one.
		slices.SortStableFunc(list, func(a, b *traceSpan) int {
			if c := cmp.Compare(a.Ts, b.Ts); c != 0 {
				return c
			}
			return cmp.Compare(b.Dur, a.Dur)
		})
		th := &mainThread{Pid: k.pid, Tid: k.tid}
		var stack []*traceSpan
		for _, s := range list {
			for len(stack) > 0 && s.Ts >= stack[len(stack)-1].Ts+stack[len(stack)-1].Dur {
				stack = stack[:len(stack)-1]
			}
			if len(stack) == 0 {
				th.Tasks = append(th.Tasks, s)
			} else {
				parent := stack[len(stack)-1]
				parent.Children = append(parent.Children, s)
			}
			stack = append(stack, s)
		}
		threads = append(threads, th)
	}
	slices.SortFunc(threads, func(a, b *mainThread) int { return cmp.Compare(a.Pid, b.Pid) })
	return threads
}

// threadSummary is where a main thread's time went in tasks of at least
// some length, in wall time and in the thread's CPU time (ms).
type threadSummary struct {
	Tasks, LongTasks, LongCPUTasks int
	Busy, BusyCPU                  float64
	Longest, LongestCPU            float64
	// Self is the time spent in each event (by label) itself over the tasks
	// counted, the nested events' own time taken out; SelfCPU the same in
	// CPU time.
	Self, SelfCPU map[string]float64
	// Calls counts each label's occurrences over those tasks.
	Calls map[string]int
}

// label names a span for the breakdown: a script call by its script and
// function, anything else by its event name.
func (s *traceSpan) label() string {
	if s.Name != "FunctionCall" {
		return s.Name
	}
	var data struct {
		URL          string `json:"url"`
		FunctionName string `json:"functionName"`
	}
	_ = json.Unmarshal(s.Args.Data, &data)
	if i := strings.LastIndexByte(data.URL, '/'); i >= 0 {
		data.URL = data.URL[i+1:]
	}
	return "FunctionCall " + data.URL + " " + data.FunctionName
}

// summarize sums th's tasks that end after from (µs) and start before to,
// with the self time by label over the tasks of at least minMs.
func (th *mainThread) summarize(from, to, minMs float64) threadSummary {
	s := threadSummary{Self: map[string]float64{}, SelfCPU: map[string]float64{}, Calls: map[string]int{}}
	var walk func(*traceSpan)
	walk = func(sp *traceSpan) {
		wall, cpu := sp.self()
		l := sp.label()
		s.Self[l] += wall / 1000
		s.SelfCPU[l] += cpu / 1000
		s.Calls[l]++
		for _, c := range sp.Children {
			walk(c)
		}
	}
	for _, task := range th.Tasks {
		if task.Ts+task.Dur < from || task.Ts > to {
			continue
		}
		ms, cpu := task.Dur/1000, task.Tdur/1000
		s.Tasks++
		s.Busy += ms
		s.BusyCPU += cpu
		s.Longest = max(s.Longest, ms)
		s.LongestCPU = max(s.LongestCPU, cpu)
		if ms >= 50 {
			s.LongTasks++
		}
		if cpu >= 50 {
			s.LongCPUTasks++
		}
		if ms >= minMs {
			walk(task)
		}
	}
	return s
}

// traceKinds sorts event labels into the kinds of main-thread work a
// breakdown reports; the first matching prefix or substring wins.
var traceKinds = []struct{ kind, match string }{
	{"message deserialisation", "SerializedScriptValueFactory::deserialize"},
	{"message serialisation", "SerializedScriptValueFactory::create"},
	{"fedwasm broker.js", "FunctionCall broker."},
	{"fedwasm runtime (wasm_exec.js)", "FunctionCall wasm_exec."},
	{"fedwasm loader.js", "FunctionCall loader.js"},
	{"other script", "FunctionCall"},
	{"GC", "GC"}, {"GC", "Evacuat"}, {"GC", "VisitMarked"}, {"GC", "RememberedSet"}, {"GC", "Scavenge"}, {"GC", "Sweep"},
	{"receiving IPC (mojo)", "Receive mojo message"},
	{"script (not in a traced call)", "v8."}, {"script (not in a traced call)", "V8."},
	{"task scheduling", "RunTask"}, {"task scheduling", "Microtask"},
}

// kindOf returns the kind of work label is.
func kindOf(label string) string {
	for _, k := range traceKinds {
		if strings.HasPrefix(label, k.match) || strings.Contains(label, k.match) {
			return k.kind
		}
	}
	return "other (rendering, …)"
}

// kinds sums s's self time (wall and CPU) by kind of work.
func (s threadSummary) kinds() (wall, cpu map[string]float64) {
	wall, cpu = map[string]float64{}, map[string]float64{}
	for l, ms := range s.Self {
		wall[kindOf(l)] += ms
		cpu[kindOf(l)] += s.SelfCPU[l]
	}
	return wall, cpu
}

// breakdownCPU formats s's CPU time by kind of work, the most first.
func (s threadSummary) breakdownCPU() string {
	_, cpu := s.kinds()
	names := make([]string, 0, len(cpu))
	for k := range cpu {
		names = append(names, k)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(cpu[b], cpu[a]) })
	var b strings.Builder
	for _, k := range names {
		fmt.Fprintf(&b, "\n\t%8.1f ms  %s", cpu[k], k)
	}
	return b.String()
}

// markTab puts a TimeStamp event labelled label in the trace from ctx's tab,
// so that tabOf finds the tab's renderer process.
func markTab(t *testing.T, ctx context.Context, label string) {
	t.Helper()
	eval[bool](t, ctx, `(console.timeStamp(`+strconv.Quote(label)+`), true)`)
}

// tabOf returns the process id of the renderer whose tab markTab labelled
// label, or 0.
func tabOf(events []traceEvent, label string) int {
	for _, e := range events {
		if e.Name != "TimeStamp" {
			continue
		}
		var data struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(e.Args.Data, &data) == nil && data.Message == label {
			return e.Pid
		}
	}
	return 0
}

// longestTasks formats the n tasks of th with the most CPU time, each with
// the labels that took the most of it.
func (th *mainThread) longestTasks(n, labels int) string {
	tasks := slices.Clone(th.Tasks)
	slices.SortFunc(tasks, func(a, b *traceSpan) int { return cmp.Compare(b.Tdur, a.Tdur) })
	var b strings.Builder
	for i, task := range tasks {
		if i == n {
			break
		}
		b.WriteString("\n\t" + task.breakdown(labels))
	}
	return b.String()
}

// breakdown formats a task's wall and CPU time with the labels that took
// the most of its CPU time.
func (s *traceSpan) breakdown(labels int) string {
	one := &mainThread{Tasks: []*traceSpan{s}}
	sum := one.summarize(0, math.Inf(1), 0)
	names := make([]string, 0, len(sum.SelfCPU))
	for name := range sum.SelfCPU {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(sum.SelfCPU[b], sum.SelfCPU[a]) })
	var b strings.Builder
	fmt.Fprintf(&b, "task of %.0f ms wall, %.0f ms cpu:", s.Dur/1000, s.Tdur/1000)
	for j, name := range names {
		if j == labels {
			break
		}
		fmt.Fprintf(&b, " %s %.1f ms cpu ×%d;", name, sum.SelfCPU[name], sum.Calls[name])
	}
	return b.String()
}

// scriptURL is the script a FunctionCall span calls into, or "".
func (s *traceSpan) scriptURL() string {
	if s.Name != "FunctionCall" {
		return ""
	}
	var data struct {
		URL string `json:"url"`
	}
	_ = json.Unmarshal(s.Args.Data, &data)
	return data.URL
}

// scriptCPU returns the CPU time (ms) s spent in calls into the scripts
// ours says are ours, and how much of that was V8's garbage collection run
// inside them (the heap's, not only those scripts' garbage).
func (s *traceSpan) scriptCPU(ours func(url string) bool) (cpu, gc float64) {
	if ours(s.scriptURL()) {
		return s.Tdur / 1000, s.gcCPU()
	}
	for _, c := range s.Children {
		a, b := c.scriptCPU(ours)
		cpu, gc = cpu+a, gc+b
	}
	return cpu, gc
}

// gcCPU is the CPU time (ms) of the outermost GC events in s.
func (s *traceSpan) gcCPU() float64 {
	if kindOf(s.label()) == "GC" {
		return s.Tdur / 1000
	}
	n := 0.0
	for _, c := range s.Children {
		n += c.gcCPU()
	}
	return n
}

// scriptTasks is the CPU time a thread's tasks spent in some scripts.
type scriptTasks struct {
	Tasks int     // tasks that called into them
	Total float64 // ms, over all those tasks
	// Longest is the most CPU time one task spent in them; LongestNoGC the
	// most with V8's garbage collection run inside them taken out.
	Longest, LongestNoGC float64
	// Over50 counts the tasks with 50 ms or more of it, GC taken out.
	Over50 int
	// Worst is the task of LongestNoGC.
	Worst *traceSpan
}

// scriptTasks sums, per task of th, the CPU time spent in the scripts ours
// names.
func (th *mainThread) scriptTasks(ours func(url string) bool) scriptTasks {
	var st scriptTasks
	for _, task := range th.Tasks {
		cpu, gc := task.scriptCPU(ours)
		if cpu == 0 {
			continue
		}
		st.Tasks++
		st.Total += cpu
		st.Longest = max(st.Longest, cpu)
		if cpu-gc > st.LongestNoGC {
			st.LongestNoGC, st.Worst = cpu-gc, task
		}
		if cpu-gc >= 50 {
			st.Over50++
		}
	}
	return st
}

// threadOf returns the main thread of renderer pid, or nil.
func threadOf(threads []*mainThread, pid int) *mainThread {
	for _, th := range threads {
		if th.Pid == pid {
			return th
		}
	}
	return nil
}

// fedwasmScript reports whether url is one of fedwasm's own scripts.
func fedwasmScript(url string) bool {
	path := url[strings.LastIndexByte(url, '/')+1:]
	return strings.Contains(url, "/fedwasm/") && (path == "loader.js" || strings.HasPrefix(path, "broker.") || strings.HasPrefix(path, "wasm_exec."))
}
