// Command datagen prints a digest of data the Go linker lays out in many
// data segments: a sparse table, a map literal, Unicode and strconv tables.
// The runtimebuild tests build it for GOOS=js GOARCH=wasm, join its data
// segments and check that it prints what the native build prints.
package main

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"unicode"
)

// sparse has runs of zeros of many lengths between its values, so the linker
// cuts it into segments with gaps both shorter and longer than the ones
// MergeDataSegments fills.
var sparse = [...]uint64{
	1, 0, 2, 0, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 5,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 6,
	1023: 7,
	9000: 8,
}

var capitals = map[string]string{"France": "Paris", "Japan": "Tokyo", "Peru": "Lima", "Kenya": "Nairobi"}

func main() {
	h := sha256.New()
	for _, v := range sparse {
		h.Write(strconv.AppendUint(nil, v, 10))
	}
	for _, country := range []string{"France", "Japan", "Peru", "Kenya", "Chad"} {
		h.Write([]byte(country + "=" + capitals[country] + ";"))
	}
	upper := 0
	for r := rune(0); r < 0x20000; r++ {
		if unicode.IsUpper(r) {
			upper++
		}
	}
	fmt.Printf("sparse+capitals %x, %d upper-case runes, %s\n", h.Sum(nil), upper, strconv.FormatFloat(1.0/3, 'g', -1, 64))
}
