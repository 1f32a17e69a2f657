package runtimebuild

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wabin/binary"
	"github.com/tetratelabs/wabin/leb128"
	"github.com/tetratelabs/wabin/wasm"
)

// segment is a data segment of a test module: bytes copied to an address.
type segment struct {
	at   int32
	data string
}

// moduleWith is a wasm module with one page of memory and these active data
// segments, in this order.
func moduleWith(segments ...segment) []byte {
	m := &wasm.Module{MemorySection: &wasm.Memory{Min: 1, Max: 1}}
	for _, s := range segments {
		m.DataSection = append(m.DataSection, &wasm.DataSegment{
			OffsetExpression: &wasm.ConstantExpression{Opcode: wasm.OpcodeI32Const, Data: leb128.EncodeInt32(s.at)},
			Init:             []byte(s.data),
		})
	}
	return binary.EncodeModule(m)
}

// startingMemory is the memory a module is instantiated with, as the wasm
// spec lays it out: zeroed, then each active segment copied in order. It
// also returns the number of data segments.
func startingMemory(t *testing.T, module []byte) ([]byte, int) {
	t.Helper()
	m, err := binary.DecodeModule(module, wasm.CoreFeaturesV2)
	if err != nil {
		t.Fatalf("decoding the module: %v", err)
	}
	memory := make([]byte, int(m.MemorySection.Min)*65536)
	for i, seg := range m.DataSection {
		if seg.OffsetExpression == nil || seg.OffsetExpression.Opcode != wasm.OpcodeI32Const {
			t.Fatalf("data segment %d is not placed by i32.const", i)
		}
		at, _, err := leb128.DecodeInt32(bytes.NewReader(seg.OffsetExpression.Data))
		if err != nil {
			t.Fatal(err)
		}
		copy(memory[at:], seg.Init)
	}
	return memory, len(m.DataSection)
}

func TestMergeDataSegmentsKeepsTheStartingMemory(t *testing.T) {
	gap := func(n int) int32 { return int32(n) }
	cases := []struct {
		name     string
		segments []segment
		want     int // data segments after
	}{
		{"none", nil, 0},
		{"adjacent", []segment{{0, "ab"}, {2, "cd"}}, 1},
		{"a short gap of zeros", []segment{{0, "ab"}, {11, "cd"}, {40, "ef"}}, 1},
		{"a gap of exactly maxZeroGap", []segment{{0, "a"}, {1 + gap(maxZeroGap), "b"}}, 1},
		{"a gap one longer than maxZeroGap", []segment{{0, "a"}, {2 + gap(maxZeroGap), "b"}}, 2},
		{"an earlier segment's bytes inside the gap", []segment{{100, "xyz"}, {0, "a"}, {200, "b"}}, 2},
		{"a later segment overwriting an earlier one", []segment{{0, "aaaa"}, {2, "bb"}}, 2},
		{"out of address order", []segment{{100, "b"}, {0, "a"}, {50, "c"}}, 2},
		{"a segment of zeros", []segment{{0, "a"}, {8, "\x00\x00\x00"}, {16, "b"}}, 1},
		{"an empty segment", []segment{{0, "a"}, {4, ""}, {8, "b"}}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			module := moduleWith(c.segments...)
			merged, before, after, err := MergeDataSegments(module)
			if err != nil {
				t.Fatal(err)
			}
			wantMemory, n := startingMemory(t, module)
			gotMemory, m := startingMemory(t, merged)
			if before != n || after != m {
				t.Errorf("MergeDataSegments reported %d → %d segments; the modules have %d and %d", before, after, n, m)
			}
			if m != c.want {
				t.Errorf("%d data segments after merging, want %d", m, c.want)
			}
			if !bytes.Equal(gotMemory, wantMemory) {
				t.Errorf("the merged module starts with other memory than the original")
			}
		})
	}
}

func TestMergeDataSegmentsRefusesWhatItCannotPlace(t *testing.T) {
	placedBy := func(e *wasm.ConstantExpression, data string) []byte {
		return binary.EncodeModule(&wasm.Module{
			MemorySection: &wasm.Memory{Min: 1, Max: 1},
			GlobalSection: []*wasm.Global{{Type: &wasm.GlobalType{ValType: wasm.ValueTypeI32}, Init: &wasm.ConstantExpression{Opcode: wasm.OpcodeI32Const, Data: leb128.EncodeInt32(8)}}},
			DataSection:   []*wasm.DataSegment{{OffsetExpression: e, Init: []byte(data)}},
		})
	}
	// wabin does not write data count sections: this one is laid out by hand
	// (section 12 holding the count 1, between the memory and data sections).
	withDataCount := moduleWith(segment{0, "a"})
	memoryEnd := 8 + 2 + int(withDataCount[9])
	withDataCount = append(append(append([]byte{}, withDataCount[:memoryEnd]...), wasm.SectionIDDataCount, 1, 1), withDataCount[memoryEnd:]...)

	cases := []struct {
		name, module, wantErr string
	}{
		{"not wasm", "\x7fELF", "reading the wasm module"},
		{"a passive segment", string(placedBy(nil, "a")), "not placed by i32.const"},
		{"a segment placed by a global", string(placedBy(&wasm.ConstantExpression{Opcode: wasm.OpcodeGlobalGet, Data: []byte{0}}, "a")), "not placed by i32.const"},
		{"a segment beyond the initial memory", string(moduleWith(segment{65535, "ab"})), "beyond the module's initial memory"},
		{"a data count section", string(withDataCount), "data count section"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, _, err := MergeDataSegments([]byte(c.module))
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("MergeDataSegments: %v, want an error saying %q", err, c.wantErr)
			}
		})
	}
}

// TestMergedGoModuleRuns builds a real Go program for GOOS=js GOARCH=wasm,
// merges its data segments, and runs both modules with Go's own wasm_exec
// under Node.js (V8, the engine of Chromium): each must print what the
// native build of the program prints.
func TestMergedGoModuleRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a Go program for wasm")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node not found: the build needs Node.js (apt-get install -y nodejs)")
	}
	dir := t.TempDir()
	original := filepath.Join(dir, "datagen.wasm")
	build := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", original, "./testdata/datagen")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building testdata/datagen for wasm: %v\n%s", err, out)
	}
	want, err := exec.Command("go", "run", "./testdata/datagen").Output()
	if err != nil {
		t.Fatalf("running testdata/datagen natively: %v", err)
	}

	module, err := os.ReadFile(original)
	if err != nil {
		t.Fatal(err)
	}
	merged, before, after, err := MergeDataSegments(module)
	if err != nil {
		t.Fatal(err)
	}
	if before < 1000 || after > before/100 {
		t.Errorf("data segments %d → %d, want Go's thousands joined into a few", before, after)
	}
	wantMemory, _ := startingMemory(t, module)
	gotMemory, _ := startingMemory(t, merged)
	if !bytes.Equal(gotMemory, wantMemory) {
		t.Errorf("the merged module starts with other memory than the original")
	}
	mergedPath := filepath.Join(dir, "merged.wasm")
	if err := os.WriteFile(mergedPath, merged, 0o644); err != nil {
		t.Fatal(err)
	}

	goroot, _, err := goEnv()
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{original, mergedPath} {
		got, err := exec.Command(node, filepath.Join(goroot, "lib", "wasm", "wasm_exec_node.js"), path).CombinedOutput()
		if err != nil {
			t.Fatalf("running %s: %v\n%s", filepath.Base(path), err, got)
		}
		if string(got) != string(want) {
			t.Errorf("%s printed %q, the native build %q", filepath.Base(path), got, want)
		}
	}
}
