package output

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
)

// manySite is a site of more pages than an update in place may change:
// every page says text, but keep/index.html, which says "kept".
func manySite(text string) map[string]string {
	files := map[string]string{"keep/index.html": "kept"}
	for i := range maxInPlace + 1 {
		files[fmt.Sprintf("p%d/index.html", i)] = text
	}
	return files
}

// isSite checks that the folder at dir holds exactly site and the marker.
func isSite(t *testing.T, what, dir string, site map[string]string) {
	t.Helper()
	want := maps.Clone(site)
	want[Marker] = markerText
	got := snapshot(t, dir)
	for name, v := range got {
		if v == "dir" {
			delete(got, name)
		}
	}
	for name := range got {
		if _, ok := want[filepath.ToSlash(name)]; !ok {
			t.Errorf("%s: %s is there and should not be", what, name)
		}
	}
	for name, data := range want {
		if got[filepath.FromSlash(name)] != data {
			t.Errorf("%s: %s = %q, want %q", what, name, got[filepath.FromSlash(name)], data)
		}
	}
}

// TestWholeUpdatesKeepASpare: an update exchanged whole keeps the previous
// output beside as the spare, holding only the files the new site shares
// with it, and the next such update is made from it: the kept files are
// the output's very files, a file the spare should not have never reaches
// the site, and a full build removes the spare.
func TestWholeUpdatesKeepASpare(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	spare := filepath.Join(root, ".public.spare")
	first := manySite("old")
	first["gone/index.html"] = "withdrawn"
	m := tracked(t, out, nil, first).Manifest()
	kept := stat(t, out, "keep/index.html")

	second := manySite("new")
	d := tracked(t, out, m, second)
	isSite(t, "output", out, second)
	if got := beside(t, root); !slices.Equal(got, []string{".public.spare", "public"}) {
		t.Errorf("beside the output: %v", got)
	}
	// The spare holds nothing the site no longer publishes: not the page
	// withdrawn, not the previous versions of the pages changed.
	isSite(t, "spare", spare, map[string]string{"keep/index.html": "kept", spareList: spareListMagic + "\"keep/index.html\"\n" + spareListEnd})
	if stat(t, spare, "keep/index.html").Ino != kept.Ino {
		t.Error("the spare's kept file is not the output's, linked")
	}

	// What the spare must not pass on: a kept file replaced there by
	// another, a file its list does not name.
	tamper := func() {
		t.Helper()
		if err := os.Remove(filepath.Join(spare, "keep", "index.html")); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(spare, "keep", "index.html"), []byte("tampered"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tamper()
	third := manySite("newer")
	third["added/index.html"] = "added"
	d = tracked(t, out, d.Manifest(), third)
	isSite(t, "output", out, third)
	if now := stat(t, out, "keep/index.html"); now.Ino != kept.Ino || now.MTime != kept.MTime {
		t.Error("the unchanged file was written again rather than linked")
	}
	isSite(t, "spare", spare, map[string]string{"keep/index.html": "kept", spareList: spareListMagic + "\"keep/index.html\"\n" + spareListEnd})

	// Without its list (a build killed before it was written) the spare
	// is read whole: a file put into it is removed, not published.
	if err := os.Remove(filepath.Join(spare, spareList)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(spare, "stray.html"), []byte("stray"), 0o644); err != nil {
		t.Fatal(err)
	}
	tamper()
	fourth := manySite("newest")
	d = tracked(t, out, d.Manifest(), fourth)
	isSite(t, "output", out, fourth)
	if now := stat(t, out, "keep/index.html"); now.Ino != kept.Ino {
		t.Error("the unchanged file was written again rather than linked")
	}
	third = fourth
	for name, s := range d.Manifest() {
		if !d.intact(name, s) {
			t.Errorf("the manifest does not know %s as it is", name)
		}
	}

	// The same site again writes nothing, whether in place or not.
	d = tracked(t, out, d.Manifest(), third)
	if len(d.moves) != 0 {
		t.Errorf("the same site again writes %d files", len(d.moves))
	}
	isSite(t, "output", out, third)

	// A full build shares no file with the previous output: no spare.
	tracked(t, out, nil, third)
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output after a full build: %v", got)
	}
}

// TestUpdateInPlaceTrimsTheSpare: an update small enough to be made in
// place takes the files it changed and removed out of the spare too.
func TestUpdateInPlaceTrimsTheSpare(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	spare := filepath.Join(root, ".public.spare")
	first := manySite("old")
	first["gone/index.html"] = "withdrawn"
	m := tracked(t, out, nil, first).Manifest()
	second := manySite("new")
	second["gone/index.html"] = "withdrawn"
	d := tracked(t, out, m, second)
	// keep and gone are shared with the spare now; an update in place
	// changes the one and removes the other.
	third := maps.Clone(second)
	third["keep/index.html"] = "edited"
	delete(third, "gone/index.html")
	d = tracked(t, out, d.Manifest(), third)
	if !d.inPlace() {
		t.Fatal("an update of two files is not made in place")
	}
	isSite(t, "output", out, third)
	isSite(t, "spare", spare, map[string]string{spareList: spareListMagic + spareListEnd})
}

// TestFailedSpareSwapLeavesTheOutput: when the spare cannot be put in
// place, the output is the previous site, whole, and the next update
// still makes the right one from the spare.
func TestFailedSpareSwapLeavesTheOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, manySite("old")).Manifest()
	second := manySite("new")
	m = tracked(t, out, m, second).Manifest()

	d := open(t, out)
	d.Track(m)
	third := manySite("newer")
	for name, data := range third {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	failed := 0
	withSeam(t, &exchange, func(a, b string) error {
		failed++
		// And the fallback's first rename fails too: where it would
		// move the output aside is taken.
		if err := os.MkdirAll(filepath.Join(d.tmp+".old", "taken"), 0o755); err != nil {
			t.Fatal(err)
		}
		return syscall.EINVAL
	})
	err := d.Commit()
	if failed != 1 || err == nil {
		t.Fatalf("exchange tried %d times, Commit = %v", failed, err)
	}
	isSite(t, "output after the failed swap", out, second)
	withSeam(t, &exchange, exchangeDirs)
	tracked(t, out, m, third)
	isSite(t, "output", out, third)
}
