package remote

import (
	"strings"
)

// maxStackLines bounds how much of a stack trace CallerURL reads.
const maxStackLines = 64

// CallerURL returns the script URL of the code that called the innermost
// frame of a JavaScript stack trace (an Error's stack, taken inside a
// wrapper): the first frame whose URL differs from the innermost frame's.
// It reads V8's "    at f (URL:L:C)" and "    at URL:L:C" and Firefox's
// and Safari's "f@URL:L:C" lines. webpack's and MF 2.0's runtimes call a
// share scope entry's get() without saying who they are; the caller's
// script says which remote's code took the entry.
func CallerURL(stack string) (string, bool) {
	var own string
	for i, line := range strings.SplitN(stack, "\n", maxStackLines+1) {
		if i == maxStackLines {
			break
		}
		u, ok := frameURL(line)
		if !ok {
			continue
		}
		if own == "" {
			own = u
			continue
		}
		if u != own {
			return u, true
		}
	}
	return "", false
}

// frameURL is the http(s) script URL of one stack frame line, without its
// line and column.
func frameURL(line string) (string, bool) {
	start := strings.Index(line, "http://")
	if s := strings.Index(line, "https://"); s >= 0 && (start < 0 || s < start) {
		start = s
	}
	if start < 0 {
		return "", false
	}
	u := line[start:]
	if end := strings.IndexAny(u, " \t)"); end >= 0 {
		u = u[:end]
	}
	for range 2 { // ":line:column", either may be missing
		i := strings.LastIndexByte(u, ':')
		if i < 0 || i == len(u)-1 || strings.Trim(u[i+1:], "0123456789") != "" || strings.Count(u[:i], "/") < 3 {
			break
		}
		u = u[:i]
	}
	return u, true
}

// OwnerOfScript returns the remote whose files scriptURL belongs to: the
// remote whose entry's directory is the longest prefix of it (an exact entry
// match first). absolute resolves an entry as the page would.
func (r *Registry) OwnerOfScript(scriptURL string, absolute func(string) string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	best, bestLen := "", -1
	for _, name := range r.order {
		entry := absolute(r.remotes[name].Entry)
		if entry == scriptURL {
			return name, true
		}
		dir := entry[:strings.LastIndexByte(entry, '/')+1]
		if strings.Count(dir, "/") >= 3 && strings.HasPrefix(scriptURL, dir) && len(dir) > bestLen {
			best, bestLen = name, len(dir)
		}
	}
	return best, bestLen >= 0
}

// ByContainerName returns the remote whose name or container global name is
// name (MF 2.0 records consumers by their container's name).
func (r *Registry) ByContainerName(name string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, n := range r.order {
		if rem := r.remotes[n]; rem.Name == name || rem.EntryGlobalName == name {
			return n, true
		}
	}
	return "", false
}
