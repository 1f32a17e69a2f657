package runtimebuild

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/tetratelabs/wabin/binary"
	"github.com/tetratelabs/wabin/leb128"
	"github.com/tetratelabs/wabin/wasm"
)

// Go's wasm linker writes the program's data as one active segment per run of
// bytes, cutting wherever more than 8 zero bytes lie between two
// (cmd/link/internal/wasm, writeDataSec): runtime.wasm has about 44,000
// segments of a few dozen bytes. Each has a header (flags, i32.const offset,
// end, length) whose ever-growing offsets brotli cannot compress, while the
// zero bytes a cut saves compress to almost nothing. So the build joins
// segments across short runs of zeros, which leaves the memory the module
// starts with byte for byte the same.

// maxZeroGap is the longest run of zero bytes MergeDataSegments writes out
// to join the data on either side into one segment. Measured on runtime.wasm
// with brotli 11: joining across up to 8 zero bytes saved 2 KB, 16: 11 KB,
// 64: 52 KB, 4096: 54.6 KB (4 segments left, 438 KB more raw bytes); the
// three longer runs are large zeroed areas.
const maxZeroGap = 4096

// MergeDataSegments returns module with each data segment that starts at
// most maxZeroGap bytes after the end of the one before it joined to that
// one, and the number of data segments before and after. The bytes between
// the two are written as the segments before them left them (zeros where
// none wrote), so the memory the module starts with is byte for byte the
// same, whatever the order or overlap of its segments; and the segments keep
// Go's order, which groups like data (brotli 11 on runtime.wasm: 778.7 KB,
// against 781.6 KB for the same bytes in address order).
//
// It fails on a module that is not valid wasm, on one with a data count
// section (its code may name segments by index), and on one with a data
// segment it cannot place (a passive one, or one placed by a global) or that
// lies beyond the module's initial memory. Go writes only active segments
// placed by i32.const, and no data count section.
func MergeDataSegments(module []byte) (merged []byte, before, after int, err error) {
	// wabin (by wazero's authors) reads and writes the whole binary format;
	// the code section passes through it byte for byte.
	m, err := binary.DecodeModule(module, wasm.CoreFeaturesV2)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("reading the wasm module: %w", err)
	}
	if m.DataCountSection != nil {
		return nil, 0, 0, errors.New("the wasm module has a data count section, so its code may refer to data segments by index, which joining them would change")
	}
	if m.MemorySection == nil && len(m.DataSection) > 0 {
		return nil, 0, 0, errors.New("the wasm module has data segments but defines no memory")
	}
	var (
		memory  []byte // what the segments so far have written, from address 0
		joined  []*wasm.DataSegment
		lastEnd int // where the last segment of joined ends
	)
	for i, seg := range m.DataSection {
		start, err := segmentStart(m, i)
		if err != nil {
			return nil, 0, 0, err
		}
		end := start + len(seg.Init)
		if len(joined) > 0 && start >= lastEnd && start-lastEnd <= maxZeroGap {
			last := joined[len(joined)-1]
			last.Init = append(last.Init, memoryAt(memory, lastEnd, start)...)
			last.Init = append(last.Init, seg.Init...)
		} else {
			joined = append(joined, seg)
		}
		lastEnd = end
		if end > len(memory) {
			memory = append(memory, make([]byte, end-len(memory))...)
		}
		copy(memory[start:end], seg.Init)
	}
	before, after = len(m.DataSection), len(joined)
	m.DataSection = joined
	return binary.EncodeModule(m), before, after, nil
}

// MergeDataSegmentsOf merges the data segments of the wasm module in the file
// at path, in place, and tells log how many it joined.
func MergeDataSegmentsOf(path string, log io.Writer) error {
	module, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	merged, before, after, err := MergeDataSegments(module)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, merged, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(log, "%s: %d data segments joined into %d\n", filepath.Base(path), before, after)
	return nil
}

// segmentStart is the address data segment i of m is copied to; it fails
// unless the segment is placed by i32.const within m's initial memory.
func segmentStart(m *wasm.Module, i int) (int, error) {
	seg := m.DataSection[i]
	e := seg.OffsetExpression
	if e == nil || e.Opcode != wasm.OpcodeI32Const {
		return 0, fmt.Errorf("data segment %d of the wasm module is not placed by i32.const, so it cannot be joined to others", i)
	}
	offset, _, err := leb128.DecodeInt32(bytes.NewReader(e.Data))
	if err != nil {
		return 0, fmt.Errorf("data segment %d of the wasm module: reading its offset: %w", i, err)
	}
	start, limit := uint64(uint32(offset)), uint64(m.MemorySection.Min)*65536
	if end := start + uint64(len(seg.Init)); end > limit {
		return 0, fmt.Errorf("data segment %d of the wasm module ends at byte %d, beyond the module's initial memory of %d bytes", i, end, limit)
	}
	return int(start), nil
}

// memoryAt is memory[from:to], with zeros past its end.
func memoryAt(memory []byte, from, to int) []byte {
	out := make([]byte, to-from)
	if from < len(memory) {
		copy(out, memory[from:min(to, len(memory))])
	}
	return out
}
