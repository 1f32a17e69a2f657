package plugin

import (
	"strings"
	"testing"
)

// FuzzRun drives every hook with a hostile sequence of listener returns and
// throws (one byte each) and plugin keys: the rules never panic, a run ends
// once it is done, the verdict names a listener that returned, a waterfall's
// result always holds its data's keys, and Check stays bounded.
func FuzzRun(f *testing.F) {
	f.Add(uint8(0), []byte{0, 1, 2, 3, 4, 5, 6, 7}, "name\x00fecth\x00onLoad")
	f.Add(uint8(6), []byte{4, 4, 6, 4}, "apply")
	f.Add(uint8(12), []byte{2, 7, 3}, strings.Repeat("x\x00", 300))
	f.Fuzz(func(t *testing.T, hookIndex uint8, seq []byte, keys string) {
		h := Catalog[int(hookIndex)%len(Catalog)]
		if len(seq) > 200 {
			seq = seq[:200]
		}
		keyList := strings.Split(keys, "\x00")
		data := obj(keyList...)
		r := Start(h, data, 1+int(hookIndex)%3)
		var returned []Value
		for i, b := range seq {
			if r.Done() {
				break
			}
			var v Value
			switch b % 8 {
			case 0:
				v = undef
			case 1:
				v = null
			case 2:
				v = falseV
			case 3:
				v = fn
			case 4:
				v = obj(keyList...)
			case 5:
				v = obj(keyList[:len(keyList)/2]...)
			case 6:
				v = argsBack
			case 7:
				returned = append(returned, undef)
				r.Threw(i, "p", strings.Repeat("e", int(b)))
				continue
			}
			returned = append(returned, v)
			r.Returned(i, "p", v)
		}
		v := r.Verdict()
		if v.From >= len(returned) || v.From < -1 {
			t.Fatalf("From %d out of %d returns", v.From, len(returned))
		}
		if v.From >= 0 {
			got := returned[v.From]
			if got.Kind == Undefined {
				t.Fatalf("an undefined return is the result")
			}
			if h.Kind.Waterfall() && got.Kind != Object {
				t.Fatalf("a waterfall's result is no object: %+v", got)
			}
			if v.Abort != (got.Kind == False) && h.Kind == Async {
				t.Fatalf("Abort %v for %+v", v.Abort, got)
			}
		}
		if v.Failed != nil && !h.Kind.Waterfall() {
			t.Fatalf("a %s failed the run: %v", h.Kind, v.Failed)
		}
		_ = Recover(OnLoad, data)
		hook := func(name string) string {
			if strings.Contains(keys, name) {
				return "function"
			}
			return ""
		}
		rep, err := Check(keyList[0], len(seq) > 0, keyList, hook)
		if err == nil && len(rep.Warnings) > maxKeyWarnings+len(Catalog) {
			t.Fatalf("%d warnings", len(rep.Warnings))
		}
	})
}
