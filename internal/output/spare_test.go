package output

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// manySite is a site of more pages than an update in place may change:
// every page p*/ says text; as many pages again, keep/index.html and
// k*/index.html, say "kept", so that an update of the p* pages keeps
// more files than it writes (mostRewritten).
func manySite(text string) map[string]string {
	files := keptPages()
	for i := range maxInPlace + 1 {
		files[fmt.Sprintf("p%d/index.html", i)] = text
	}
	return files
}

// keptPages are the pages of manySite that say "kept".
func keptPages() map[string]string {
	files := map[string]string{"keep/index.html": "kept"}
	for i := range maxInPlace + 1 {
		files[fmt.Sprintf("k%d/index.html", i)] = "kept"
	}
	return files
}

// spareOf is what the spare holds when it shares pages with the output:
// those pages and their list.
func spareOf(pages map[string]string) map[string]string {
	spare := maps.Clone(pages)
	list := spareListMagic
	for _, name := range slices.Sorted(maps.Keys(pages)) {
		list += strconv.Quote(name) + "\n"
	}
	spare[spareList] = list + spareListEnd
	return spare
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
	isSite(t, "spare", spare, spareOf(keptPages()))
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
	isSite(t, "spare", spare, spareOf(keptPages()))

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
	manifestIntact(t, d, "")

	// The same site again writes nothing, whether in place or not.
	d = tracked(t, out, d.Manifest(), third)
	if len(d.moves) != 0 {
		t.Errorf("the same site again writes %d files", len(d.moves))
	}
	isSite(t, "output", out, third)

	// A full build shares no file with the previous output: the spare
	// it leaves is its own files, linked.
	tracked(t, out, nil, third)
	if got := beside(t, root); !slices.Equal(got, []string{".public.spare", "public"}) {
		t.Errorf("beside the output after a full build: %v", got)
	}
	isSite(t, "spare after a full build", spare, spareOf(third))
	if stat(t, spare, "keep/index.html").Ino != stat(t, out, "keep/index.html").Ino {
		t.Error("the full build's spare is not the output's files, linked")
	}
}

// TestWholeUpdateWithdrawsSpareFiles: a file the spare shares with the
// output that the new site no longer makes is not published by an
// update exchanged whole, whether the spare's copy is still the output's
// file or was changed, and the spare keeps neither.
func TestWholeUpdateWithdrawsSpareFiles(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	spare := filepath.Join(root, ".public.spare")
	// More files kept than written, so that the spare is used.
	kept := keptPages()
	for i := range maxInPlace + 1 {
		kept[fmt.Sprintf("e%d/index.html", i)] = "kept"
	}
	site := func(text string) map[string]string {
		files := manySite(text)
		maps.Copy(files, kept)
		return files
	}
	m := tracked(t, out, nil, site("old")).Manifest()
	d := tracked(t, out, m, site("new"))
	isSite(t, "spare", spare, spareOf(kept))

	// k1's copy in the spare is changed; k0's is still the output's.
	if err := os.Remove(filepath.Join(spare, "k1", "index.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(spare, "k1", "index.html"), []byte("tampered"), 0o644); err != nil {
		t.Fatal(err)
	}
	third := site("newer")
	for _, name := range []string{"k0/index.html", "k1/index.html"} {
		delete(third, name)
		delete(kept, name)
	}
	tracked(t, out, d.Manifest(), third)
	isSite(t, "output", out, third)
	isSite(t, "spare", spare, spareOf(kept))
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
	rest := keptPages()
	delete(rest, "keep/index.html")
	isSite(t, "spare", spare, spareOf(rest))
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

// TestSpareChangedDuringTheBuildIsNotPublished: the spare is checked
// while the pages are made, not at Commit; what is put at its place by
// hand in the meantime never reaches the site, and the spare left after
// is the right one.
func TestSpareChangedDuringTheBuildIsNotPublished(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	spare := filepath.Join(root, ".public.spare")
	m := tracked(t, out, nil, manySite("old")).Manifest()
	m = tracked(t, out, m, manySite("new")).Manifest()

	d := open(t, out)
	d.Track(m)
	third := manySite("newer")
	for name, data := range third {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	// By hand, after the check began: a kept page replaced, and a page
	// the site does not have.
	for name, data := range map[string]string{"keep/index.html": "tampered", "stray.html": "stray"} {
		p := filepath.Join(spare, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	d.RemoveOld()
	isSite(t, "output", out, third)
	isSite(t, "spare", spare, spareOf(keptPages()))
	if got := beside(t, root); !slices.Equal(got, []string{".public.spare", "public"}) {
		t.Errorf("beside the output: %v", got)
	}

	// The same by an update made in place: the spare goes back to its
	// place, less the page changed, and what was put there goes.
	fourth := maps.Clone(third)
	fourth["keep/index.html"] = "edited"
	m = d.Manifest()
	d = open(t, out)
	d.Track(m)
	for name, data := range fourth {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(spare, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(spare, "stray.html"), []byte("stray"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !d.inPlace() {
		t.Fatal("an update of one file is not made in place")
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	// It uses none of the spare's files, and looked at none of them
	// (140,000 lstat calls at 100,000 evaluations).
	if d.check == nil || d.check.begun {
		t.Error("an update made in place checked the spare's files, or held no spare")
	}
	isSite(t, "output", out, fourth)
	rest := keptPages()
	delete(rest, "keep/index.html")
	isSite(t, "spare", spare, spareOf(rest))
}

// TestKilledBuildGivesTheSpareBack: a build killed while it holds the
// spare leaves it to the next build, which puts it back and uses it.
func TestKilledBuildGivesTheSpareBack(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, manySite("old")).Manifest()
	m = tracked(t, out, m, manySite("new")).Manifest()
	held := stat(t, root, ".public.spare")

	d := open(t, out)
	d.Track(m)
	d.check.checked()
	d.close() // killed: the lock is free, nothing else was done
	if got := beside(t, root); slices.Contains(got, ".public.spare") {
		t.Fatalf("the build did not hold the spare: %v", got)
	}

	third := manySite("newer")
	tracked(t, out, m, third)
	isSite(t, "output", out, third)
	isSite(t, "spare", filepath.Join(root, ".public.spare"), spareOf(keptPages()))
	// The spare, filled, became the output.
	if now := stat(t, root, "public"); now.Ino != held.Ino {
		t.Error("the output was made anew rather than from the spare")
	}
	if got := beside(t, root); !slices.Equal(got, []string{".public.spare", "public"}) {
		t.Errorf("beside the output: %v", got)
	}
}

// TestRewrittenSiteDropsTheSpare: an update that writes most of the site
// anew (a template edited, a new version of evalpress) does not trim the
// previous output into a spare, which would remove almost every file of
// it one by one under the lock: the previous output and the spare go
// with the trash, and the new site's files, linked, are the spare, from
// which the next update is made as every other.
func TestRewrittenSiteDropsTheSpare(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, manySite("old")).Manifest()
	m = tracked(t, out, m, manySite("new")).Manifest()

	rewritten := map[string]string{}
	for name := range manySite("") {
		rewritten[name] = "rewritten"
	}
	rewritten["keep/index.html"] = "kept"
	d := open(t, out)
	d.Track(m)
	for name, data := range rewritten {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	d.DeferRemoval()
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	isSite(t, "output", out, rewritten)
	// Both the previous output and the spare wait, moved aside, for
	// RemoveOld, after the report.
	if got := beside(t, root); len(got) != 4 || got[2] != ".public.spare" || got[3] != "public" {
		t.Errorf("beside the output before RemoveOld: %v", got)
	}
	d.RemoveOld()
	if got := beside(t, root); !slices.Equal(got, []string{".public.spare", "public"}) {
		t.Errorf("beside the output: %v", got)
	}
	isSite(t, "spare", filepath.Join(root, ".public.spare"), spareOf(rewritten))
	if stat(t, filepath.Join(root, ".public.spare"), "p3/index.html").Ino != stat(t, out, "p3/index.html").Ino {
		t.Error("the spare is not the output's files, linked")
	}

	next := maps.Clone(rewritten)
	for i := range maxInPlace + 1 {
		next[fmt.Sprintf("p%d/index.html", i)] = "next"
	}
	var linked atomic.Int32 // the seam is called from several goroutines
	withSeam(t, &link, func(src, dst string) error {
		linked.Add(1)
		return os.Link(src, dst)
	})
	d = tracked(t, out, d.Manifest(), next)
	isSite(t, "output", out, next)
	if linked.Load() != 0 {
		t.Errorf("the update after the rewrite linked %d files", linked.Load())
	}
	kept := map[string]string{}
	for name, data := range next {
		if data == rewritten[name] {
			kept[name] = data
		}
	}
	isSite(t, "spare", filepath.Join(root, ".public.spare"), spareOf(kept))

	// Rewritten again, then the spare removed by hand: that costs the
	// next update its speed, never a file written again for nothing.
	again := map[string]string{}
	for name := range next {
		again[name] = "again"
	}
	d = tracked(t, out, d.Manifest(), again)
	if err := os.RemoveAll(filepath.Join(root, ".public.spare")); err != nil {
		t.Fatal(err)
	}
	manifestIntact(t, d, "once the spare is gone")
	if d = tracked(t, out, d.Manifest(), again); len(d.moves) != 0 {
		t.Errorf("the same site again writes %d files", len(d.moves))
	}
}

// TestSpareLacksWhatTheLastUpdateWrote: the files an update wrote are not
// in the spare it leaves (they were the previous output's other
// versions); the next update, which keeps them, links them into the
// spare, and the spare it leaves lists every file it keeps.
func TestSpareLacksWhatTheLastUpdateWrote(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	site := func(p, q string) map[string]string {
		files := keptPages()
		for i := range maxInPlace + 1 {
			files[fmt.Sprintf("p%d/index.html", i)] = p
			files[fmt.Sprintf("q%d/index.html", i)] = q
		}
		return files
	}
	m := tracked(t, out, nil, site("old", "old")).Manifest()
	m = tracked(t, out, m, site("new", "old")).Manifest()
	third := site("new", "new")
	d := tracked(t, out, m, third)
	isSite(t, "output", out, third)
	kept := keptPages()
	for i := range maxInPlace + 1 {
		kept[fmt.Sprintf("p%d/index.html", i)] = "new"
	}
	isSite(t, "spare", filepath.Join(root, ".public.spare"), spareOf(kept))
	fourth := site("newer", "new")
	tracked(t, out, d.Manifest(), fourth)
	isSite(t, "output", out, fourth)
}

// TestFullBuildLeavesASpare: a full build leaves a spare of its own
// files, so that the update after it is made from the spare like the
// next: it links none of the files it keeps.
func TestFullBuildLeavesASpare(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	first := manySite("old")
	m := tracked(t, out, nil, first).Manifest()
	isSite(t, "spare after the full build", filepath.Join(root, ".public.spare"), spareOf(first))

	var linked atomic.Int32 // the seam is called from several goroutines
	withSeam(t, &link, func(src, dst string) error {
		linked.Add(1)
		return os.Link(src, dst)
	})
	second := manySite("new")
	d := tracked(t, out, m, second)
	isSite(t, "output", out, second)
	if linked.Load() != 0 {
		t.Errorf("the update after a full build linked %d files", linked.Load())
	}
	isSite(t, "spare", filepath.Join(root, ".public.spare"), spareOf(keptPages()))
	manifestIntact(t, d, "")
}

// TestFullBuildWithoutLinksLeavesNoSpare: where the spare cannot be
// linked whole, the full build still succeeds and leaves nothing beside
// the output, and the next update is right.
func TestFullBuildWithoutLinksLeavesNoSpare(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	withSeam(t, &link, func(src, dst string) error {
		if strings.HasSuffix(dst, filepath.Join("p7", "index.html")) {
			return syscall.EMLINK
		}
		return os.Link(src, dst)
	})
	first := manySite("old")
	d := tracked(t, out, nil, first)
	isSite(t, "output", out, first)
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: %v", got)
	}
	second := manySite("new")
	tracked(t, out, d.Manifest(), second)
	isSite(t, "output", out, second)
}

// TestSymlinkedOutputKeepsNoSpare: an output that is a symlink, often
// into a web root, has no spare beside the folder it leads to, after a
// full build as after an update.
func TestSymlinkedOutputKeepsNoSpare(t *testing.T) {
	root := t.TempDir()
	www := filepath.Join(root, "www", "html")
	if err := os.MkdirAll(filepath.Dir(www), 0o755); err != nil {
		t.Fatal(err)
	}
	commit(t, www, map[string]string{"index.html": "old"})
	out := filepath.Join(root, "public")
	if err := os.Symlink(www, out); err != nil {
		t.Fatal(err)
	}
	d := tracked(t, out, nil, manySite("old"))
	if got := beside(t, filepath.Dir(www)); !slices.Equal(got, []string{"html"}) {
		t.Errorf("beside the web root after a full build: %v", got)
	}
	tracked(t, out, d.Manifest(), manySite("new"))
	isSite(t, "output", www, manySite("new"))
	if got := beside(t, filepath.Dir(www)); !slices.Equal(got, []string{"html"}) {
		t.Errorf("beside the web root after an update: %v", got)
	}
}

// TestFailedFullBuildLeavesNoSpare: a full build whose new site cannot be
// put in place leaves the output as it was and nothing beside it, not
// the spare it was making.
func TestFailedFullBuildLeavesNoSpare(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, manySite("old"))
	d := open(t, out)
	d.Track(nil)
	for name, data := range manySite("new") {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	withSeam(t, &exchange, func(a, b string) error {
		// And the fallback's first rename fails too.
		if err := os.MkdirAll(filepath.Join(d.tmp+".old", "taken"), 0o755); err != nil {
			t.Fatal(err)
		}
		return syscall.EINVAL
	})
	if err := d.Commit(); err == nil {
		t.Fatal("Commit succeeded")
	}
	isSite(t, "output", out, manySite("old"))
	// The fallback's folder in the way is the test's, removed by the
	// next build as debris.
	if err := os.RemoveAll(d.tmp + ".old"); err != nil {
		t.Fatal(err)
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: %v", got)
	}
}
