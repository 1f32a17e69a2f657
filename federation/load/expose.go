package load

import (
	"strconv"
	"strings"

	"github.com/fedwasm/fedwasm/federation/config"
	"github.com/fedwasm/fedwasm/federation/errcode"
)

// GetFailure is what a container's get(expose) failed with: the JS error's
// name and message, and the URL of the chunk it names where it gives one
// (webpack's ChunkLoadError carries it as request).
type GetFailure struct {
	Name, Message, Request string
}

// missingInContainer is the end of the message webpack's container
// (ContainerEntryModule, which MF 2.0's containers are built on) rejects
// get(expose) with for an expose it does not list:
// `Module "./X" does not exist in container.`
const missingInContainer = "does not exist in container."

// ExposeFailed is the coded error for container.get(expose) of remote r,
// asked for by loadRemote(id), failing with f. A container that does not
// list the expose says so (REMOTE_EXPOSE_MISSING); any other failure is the
// expose failing to load, most often one of its chunks (webpack's
// ChunkLoadError, an ES module chunk's failed import): REMOTE_LOAD_FAILED
// with the error and the chunk's URL, as Module Federation passes the
// ChunkLoadError on rather than calling the expose missing.
func ExposeFailed(id string, r config.Remote, expose string, f GetFailure) *errcode.Error {
	if strings.HasSuffix(f.Message, missingInContainer) {
		return ExposeMissing(id, r, expose, f.Message)
	}
	cause := firstLine(f.Message)
	if f.Name != "" && f.Name != "Error" {
		cause = f.Name + ": " + cause
	}
	details := map[string]any{"remote": r.Name, "expose": expose, "cause": cause}
	if f.Name != "" {
		details["error"] = f.Name
	}
	what := ""
	if f.Request != "" {
		details["url"] = clip(f.Request)
		what = ": its chunk " + clip(f.Request) + " did not load"
	}
	return errcode.New(errcode.RemoteLoadFailed, details,
		"loadRemote("+strconv.Quote(id)+"): remote "+strconv.Quote(r.Name)+" could not load its expose "+strconv.Quote(expose)+what+" ("+
			cause+"). Check that the remote's chunk files are served where its build puts them (publicPath) and allow CORS from this origin; the next loadRemote tries again")
}

// ExposeMissing is REMOTE_EXPOSE_MISSING for loadRemote(id): remote r has no
// expose named expose, for the reason cause.
func ExposeMissing(id string, r config.Remote, expose, cause string) *errcode.Error {
	cause = firstLine(cause)
	return errcode.New(errcode.RemoteExposeMissing, map[string]any{"remote": r.Name, "expose": expose, "cause": cause},
		"loadRemote("+strconv.Quote(id)+"): remote "+strconv.Quote(r.Name)+" does not expose "+strconv.Quote(expose)+" ("+cause+"); check the id against the remote's exposes")
}

// firstLine is the first line of a message from the page, shortened: the
// rest of a ChunkLoadError's is "(error: <the chunk's URL>)", which the
// error gives apart.
func firstLine(message string) string {
	if i := strings.IndexByte(message, '\n'); i >= 0 {
		message = message[:i]
	}
	return clip(message)
}
