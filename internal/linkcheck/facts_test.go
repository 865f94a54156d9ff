package linkcheck

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"slices"
	"testing"
)

// TestFactsCheckAsTheFile adds each file of the bad site once as it is
// and once by its facts, kept through a FactsWriter as a build's cache
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
	var stream bytes.Buffer
	fw := NewFactsWriter(&stream)
	whole.Capture(func(string) bool { return true }, func(name string, f *Facts) {
		if err := fw.Write(name, f); err != nil {
			t.Fatal(err)
		}
	})
	for _, n := range names {
		if err := whole.Write(n, data[n]); err != nil {
			t.Fatal(err)
		}
	}
	facts := map[string]*Facts{}
	fr := NewFactsReader(&stream)
	for {
		name, f, err := fr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		c := *f
		c.IDs, c.Problems, c.Links = slices.Clone(f.IDs), slices.Clone(f.Problems), slices.Clone(f.Links)
		facts[name] = &c
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
