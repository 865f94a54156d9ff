package buildcache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/output"
)

// fill sets every field reachable from v to a value of its own, distinct
// from its zero and from the others (n counts them), with two items in
// each list and map, so that a field the index's format leaves out
// comes back different.
func fill(v reflect.Value, n *int) {
	*n++
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", *n%7) + string(rune('a'+*n%26)) + "-" + string(rune('A'+*n/26%26)))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(*n) * -37)
	case reflect.Uint64:
		v.SetUint(uint64(*n) << 40)
	case reflect.Uint8:
		v.SetUint(uint64(*n))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), n)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i), n)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			fill(v.Index(i), n)
		}
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		for range 2 {
			k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
			fill(k, n)
			fill(e, n)
			v.SetMapIndex(k, e)
		}
	default:
		panic("fill: no rule for " + v.Type().String())
	}
}

// TestIndexFormatKeepsEveryField: an index saved and loaded again is the
// index saved, every field of it: a field added to Index or to what it
// holds, and not to the format (indexcodec.go), fails here.
func TestIndexFormatKeepsEveryField(t *testing.T) {
	var idx Index
	n := 0
	fill(reflect.ValueOf(&idx).Elem(), &n)
	unlinkOne(&idx)
	got, err := decodeIndex(encodeIndex(nil, &idx))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, &idx) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, &idx)
	}
	// What a build without open data or output manifest writes: nil
	// lists and maps stay nil where the build tells nil from empty.
	empty := &Index{Entries: map[string]*Entry{"2023/a/": {Files: []File{{Name: "2023/a/index.html"}}}},
		Segments: map[string]Segment{"docs-0.gob": {Count: 1}}, Groups: map[string]*Entry{}}
	got, err = decodeIndex(encodeIndex(nil, empty))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, empty) {
		t.Errorf("decoded\n%+v\nwant\n%+v", got, empty)
	}
}

// TestIndexFormatManyEntries: an index of more entries and output files
// than encodeIndex encodes on one core is decoded as it was, each entry
// under its own page and each file with its own state, and the head's
// count still leads the file (SizeHint).
func TestIndexFormatManyEntries(t *testing.T) {
	n := 3*minParallel + 17
	idx := &Index{Entries: map[string]*Entry{}, Segments: map[string]Segment{}, Groups: map[string]*Entry{},
		Output: map[string]output.State{}, Unlinked: map[string]bool{}}
	for i := range n {
		page := fmt.Sprintf("2023/p%d/", i)
		name := page + "index.html"
		idx.Entries[page] = &Entry{Key: Sum{byte(i), byte(i >> 8)}, Seg: fmt.Sprintf("docs-%d.gob", i%7), Ord: i,
			Files: []File{{Name: name, Size: int64(i), Sum: Sum{byte(i >> 8), byte(i)}}}}
		idx.Output[name] = output.State{Size: int64(i), ID: output.Identity{Ino: uint64(i), MTime: int64(i) * 3}}
		if i%5 == 0 {
			idx.Unlinked[name] = true
		}
	}
	b := encodeIndex(nil, idx)
	got, err := decodeIndex(b)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, idx) {
		t.Errorf("an index of %d entries and files decoded otherwise", n)
	}
	if hint, _ := binary.Uvarint(b); hint != uint64(n) {
		t.Errorf("the head's count is %d, want %d", hint, n)
	}
}

// unlinkOne makes Unlinked one of the files of idx.Output, as a build
// has it: the format keeps it as a mark on each file of Output.
func unlinkOne(idx *Index) {
	idx.Unlinked = map[string]bool{}
	for name := range idx.Output {
		idx.Unlinked[name] = true
		return
	}
}

// TestIndexFormatCutShort: an index cut anywhere, or with bytes after its
// end, is refused, never misread nor a panic (Load checks the hash
// first; this is what stands behind it).
func TestIndexFormatCutShort(t *testing.T) {
	var idx Index
	n := 0
	fill(reflect.ValueOf(&idx).Elem(), &n)
	unlinkOne(&idx)
	b := encodeIndex(nil, &idx)
	for i := range len(b) {
		if _, err := decodeIndex(b[:i]); err == nil {
			t.Fatalf("an index cut at %d of %d bytes was accepted", i, len(b))
		}
	}
	if _, err := decodeIndex(append(b, 0)); err == nil {
		t.Errorf("an index with a byte after its end was accepted")
	}
}

// TestIndexOfOlderFormat: an index of the format before (gob) is refused
// with an error, which the build reports as a notice before a full
// build; it is not taken for no index at all.
func TestIndexOfOlderFormat(t *testing.T) {
	dir := t.TempDir()
	c, err := Open(filepath.Join(dir, "cache"), "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Save(&Index{Entries: map[string]*Entry{}, Segments: map[string]Segment{}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Load(); err != nil {
		t.Fatalf("an index just saved: %v", err)
	}
	name := filepath.Join(c.Dir(), indexName)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	old := append([]byte("evalpress-cache-index 2\n"), b[len(indexMagic):]...)
	if err := os.WriteFile(name, old, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Load(); err == nil || errors.Is(err, ErrNoIndex) {
		t.Errorf("an index of the older format: %v, want an error that is not ErrNoIndex", err)
	}
}

// TestSizeHint: the head of an index saved tells how many pages it
// holds; no index, another format or a head cut short tells nothing.
func TestSizeHint(t *testing.T) {
	c, err := Open(filepath.Join(t.TempDir(), "cache"), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := c.SizeHint(); ok {
		t.Errorf("a cache without index gave a size")
	}
	var idx Index
	n := 0
	fill(reflect.ValueOf(&idx).Elem(), &n)
	for i := range 300 {
		idx.Entries[fmt.Sprintf("2023/p%d/", i)] = &Entry{}
	}
	if err := c.Save(&idx); err != nil {
		t.Fatal(err)
	}
	if got, ok := c.SizeHint(); !ok || got != len(idx.Entries) {
		t.Errorf("SizeHint = %d, %v; want %d", got, ok, len(idx.Entries))
	}
	name := filepath.Join(c.Dir(), indexName)
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{b[:len(indexMagic)+sumSize], append([]byte("evalpress-cache-index 5\n"), b[len(indexMagic):]...)} {
		if err := os.WriteFile(name, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, ok := c.SizeHint(); ok {
			t.Errorf("an index of %d bytes beginning %q gave %d", len(bad), bad[:len(indexMagic)], got)
		}
	}
}
