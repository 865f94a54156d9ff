package linkcheck

import (
	"bytes"
	"encoding/gob"
	"io/fs"
	"os"
	"slices"
	"testing"
)

// TestFactsCheckAsTheFile adds each file of the bad site once as it is
// and once by the facts of its parse, kept through gob as a build's cache
// keeps them: the problems found are the same, whichever files come by
// their facts and in whichever order.
func TestFactsCheckAsTheFile(t *testing.T) {
	fsys := os.DirFS("testdata/bad")
	var names []string
	data := map[string][]byte{}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		names, data[name] = append(names, name), b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	whole := NewSite("/jxgk")
	facts := map[string]*Facts{}
	whole.Capture(func(string) bool { return true }, func(name string, f *Facts) {
		var buf bytes.Buffer
		if err := gob.NewEncoder(&buf).Encode(f); err != nil {
			t.Fatal(err)
		}
		var back Facts
		if err := gob.NewDecoder(&buf).Decode(&back); err != nil {
			t.Fatal(err)
		}
		facts[name] = &back
	})
	for _, n := range names {
		if err := whole.Write(n, data[n]); err != nil {
			t.Fatal(err)
		}
	}
	want := whole.Problems()
	if len(want) == 0 || len(facts) == 0 {
		t.Fatalf("the bad site gave %d problems and %d files' facts", len(want), len(facts))
	}
	for _, reversed := range []bool{false, true} {
		order := slices.Clone(names)
		if reversed {
			slices.Reverse(order)
		}
		for i := range order {
			s := NewSite("/jxgk")
			for j, n := range order {
				if f := facts[n]; f != nil && j%2 == i%2 {
					s.AddFacts(n, f)
				} else if err := s.Write(n, data[n]); err != nil {
					t.Fatal(err)
				}
			}
			if got := s.Problems(); !slices.Equal(got, want) {
				t.Errorf("reversed=%v, every other file by its facts from %d:\ngot  %s\nwant %s", reversed, i%2, joinLines(got), joinLines(want))
			}
		}
	}
}
