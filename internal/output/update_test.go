package output

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// tracked writes files into the output at dir, updating it in place with
// prev when it is not nil, and returns the committed output.
func tracked(t *testing.T, dir string, prev map[string]State, files map[string]string) *Dir {
	t.Helper()
	d := open(t, dir)
	if inPlace := d.Track(prev); inPlace != (prev != nil) {
		t.Fatalf("Track(%d files) = %v", len(prev), inPlace)
	}
	for name, data := range files {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	return d
}

// stat returns the identity of the output's file name.
func stat(t *testing.T, out, name string) Identity {
	t.Helper()
	st, err := os.Lstat(filepath.Join(out, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return identity(st)
}

func TestUpdateInPlaceWritesOnlyWhatChanged(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	first := tracked(t, out, nil, map[string]string{
		"index.html": "home", "2023/index.html": "year 2023", "2022/index.html": "year 2022",
		"2021/gone/index.html": "gone", "data/big.csv": "x"})
	m := first.Manifest()
	if len(m) != 5 {
		t.Fatalf("manifest of 5 files has %d", len(m))
	}
	for name, s := range m {
		if !first.intact(name, s) {
			t.Errorf("manifest's identity of %s is not the file's", name)
		}
	}
	// A file of the user's in the output is not the build's to remove.
	if err := os.WriteFile(filepath.Join(out, "2021", "mine.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := stat(t, out, "2022/index.html")

	d := open(t, out)
	if !d.Track(m) {
		t.Fatal("an output with its manifest is not updated in place")
	}
	for name, data := range map[string]string{"index.html": "home", "2023/index.html": "year 2023, edited",
		"2022/index.html": "year 2022", "2024/index.html": "new year"} {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	w, err := d.Create("data/big.csv")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprint(w, "x")
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}

	// The unchanged files are the very files the first build wrote.
	for _, name := range []string{"index.html", "2022/index.html", "data/big.csv"} {
		if got := stat(t, out, name); got.Ino != m[name].ID.Ino || got.MTime != m[name].ID.MTime {
			t.Errorf("%s is unchanged and was written again", name)
		}
	}
	if stat(t, out, "2022/index.html") != before {
		t.Error("another year's page was rewritten")
	}
	want := map[string]string{"index.html": "home", "2023/index.html": "year 2023, edited", "2022/index.html": "year 2022",
		"2024/index.html": "new year", "data/big.csv": "x", "2021/mine.txt": "mine", Marker: markerText}
	got := snapshot(t, out)
	for name, data := range want {
		if got[name] != data {
			t.Errorf("%s = %q, want %q", name, got[name], data)
		}
	}
	if _, ok := got["2021/gone/index.html"]; ok {
		t.Error("a page the build no longer makes is still there")
	}
	if _, err := os.Stat(filepath.Join(out, "2021", "gone")); !os.IsNotExist(err) {
		t.Errorf("the folder it emptied is still there: %v", err)
	}
	files := 0
	for _, v := range got {
		if v != "dir" {
			files++
		}
	}
	if files != len(want) {
		t.Errorf("output holds %d files, want %d: %v", files, len(want), got)
	}
	// The manifest describes the output as it is now, and nothing of the
	// update is left beside it.
	m2 := d.Manifest()
	if len(m2) != 5 {
		t.Errorf("manifest of 5 files has %d", len(m2))
	}
	for name, s := range m2 {
		if !d.intact(name, s) {
			t.Errorf("new manifest's identity of %s is not the file's", name)
		}
	}
	// The spare the first build left stays, trimmed.
	if left := beside(t, root); !slices.Equal(left, []string{".public.spare", "public"}) {
		t.Errorf("left beside the output: %v", left)
	}
}

func TestUpdateInPlaceRewritesAFileEditedInTheOutput(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, map[string]string{"a.html": "a", "b.html": "b"}).Manifest()
	// Someone edits the output, keeping the size; and replaces a page the
	// build will no longer make: neither is taken for the build's own.
	if err := os.WriteFile(filepath.Join(out, "a.html"), []byte("A"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(out, "b.html")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "b.html"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := open(t, out)
	d.Track(m)
	if d.Kept("a.html") {
		t.Error("an edited file is taken as kept")
	}
	if err := d.Reuse("c.html", nil); err == nil {
		t.Error("Reuse kept a file the previous build did not write")
	}
	if err := d.Write("a.html", []byte("a")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, out)
	if got["a.html"] != "a" {
		t.Errorf("the edited file was not written again: %q", got["a.html"])
	}
	if got["b.html"] != "mine" {
		t.Errorf("a file the build did not write was removed")
	}
	if !strings.Contains(strings.Join(d.Notices(), "\n"), "b.html") {
		t.Errorf("no notice names the file left: %q", d.Notices())
	}
}

func TestUpdateInPlaceFailedBuildChangesNothing(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, map[string]string{"a.html": "a", "b.html": "b"}).Manifest()
	before := snapshot(t, out)
	d := open(t, out)
	d.Track(m)
	if err := d.Write("a.html", []byte("changed")); err != nil {
		t.Fatal(err)
	}
	d.Abort()
	sameTree(t, "after a failed update", before, snapshot(t, out))
	if left := beside(t, root); !slices.Equal(left, []string{".public.spare", "public"}) {
		t.Errorf("left beside the output: %v", left)
	}
}

func TestDamagedJournalIsNotFollowed(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, map[string]string{"a.html": "a"}).Manifest()
	before := snapshot(t, out)
	j := &journal{tmp: ".public.new-1", removes: []removal{{"a.html", m["a.html"].ID}}}
	b := j.encode()
	for _, bad := range [][]byte{b[:len(b)-2], bytes.Replace(b, []byte(".public.new-1"), []byte("../elsewhere"), 1)} {
		if err := os.WriteFile(journalPath(out), bad, 0o644); err != nil {
			t.Fatal(err)
		}
		d := open(t, out)
		if d.Track(m) {
			t.Error("an output whose journal could not be finished is updated in place")
		}
		d.Abort()
		sameTree(t, "after a damaged journal", before, snapshot(t, out))
		if _, err := os.Stat(journalPath(out)); !os.IsNotExist(err) {
			t.Errorf("the damaged journal is still there: %v", err)
		}
	}
}

// TestUpdateOfManyFilesIsExchangedWhole: an update that changes more than
// maxInPlace files is not made in place, where a build killed between
// two moves would leave the output half updated, but exchanged whole:
// the kept files are linked into the new folder (not written again), and
// the next build still knows them as its own.
func TestUpdateOfManyFilesIsExchangedWhole(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	files := map[string]string{"keep/index.html": "kept"}
	for i := range maxInPlace + 1 {
		files[fmt.Sprintf("p%d/index.html", i)] = "old"
	}
	m := tracked(t, out, nil, files).Manifest()
	kept := stat(t, out, "keep/index.html")
	// The second site: every page new but one.
	second := map[string]string{}
	for name := range files {
		second[name] = "new"
	}
	second["keep/index.html"] = "kept"
	update := func(prev map[string]State) *Dir {
		d := open(t, out)
		d.Track(prev)
		for name, data := range second {
			if err := d.Write(name, []byte(data)); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}

	d := update(m)
	if d.inPlace() {
		t.Fatalf("an update of %d files is made in place", len(files)-1)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, out)
	for name, data := range second {
		if got[name] != data {
			t.Errorf("%s = %q, want %q", name, got[name], data)
		}
	}
	if now := stat(t, out, "keep/index.html"); now.Ino != kept.Ino || now.MTime != kept.MTime {
		t.Error("the unchanged file was written again rather than linked")
	}
	// The previous output, which shares one file with the new site, is
	// not kept as a spare (mostRewritten): the spare is the new site's
	// files, linked, and nothing else is left beside. The manifest still
	// knows every file as it is.
	isSite(t, "spare", filepath.Join(root, ".public.spare"), spareOf(second))
	if left := beside(t, root); !slices.Equal(left, []string{".public.spare", "public"}) {
		t.Errorf("left beside the output: %v", left)
	}
	m2 := d.Manifest()
	manifestIntact(t, d, "after the exchange")
	// So the next build with the same files writes none of them.
	d = update(m2)
	if len(d.moves) != 0 {
		t.Errorf("the next build of the same files writes %d of them again", len(d.moves))
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
}

// A file kept as checked (ReuseChecked) that someone edits after the
// build's look stays as they left it, and the next build, finding it
// not as the manifest records it, does not take it.
func TestFileKeptAsCheckedIsLookedAtByTheNextBuild(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, map[string]string{"a.html": "a", "b.html": "b"}).Manifest()
	d := open(t, out)
	d.Track(m)
	if !d.Kept("a.html") {
		t.Fatal("an untouched file is not kept")
	}
	if err := os.WriteFile(filepath.Join(out, "a.html"), []byte("edited"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := d.ReuseChecked("a.html"); err != nil {
		t.Fatal(err)
	}
	if err := d.ReuseChecked("c.html"); err == nil {
		t.Error("ReuseChecked kept a file the previous build did not write")
	}
	if err := d.ReuseChecked("a.html"); err == nil {
		t.Error("ReuseChecked kept a file twice")
	}
	if err := d.Write("b.html", []byte("b")); err != nil {
		t.Fatal(err)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, out)["a.html"]; got != "edited" {
		t.Errorf("the kept file is %q, not as its editor left it", got)
	}
	next := open(t, out)
	next.Track(d.Manifest())
	if next.Kept("a.html") {
		t.Error("the next build takes a file edited during the previous one as kept")
	}
	if !next.Kept("b.html") {
		t.Error("the next build does not keep a file nobody touched")
	}
	if err := next.Commit(); err != nil {
		t.Fatal(err)
	}
	fresh := open(t, filepath.Join(root, "other"))
	if err := fresh.ReuseChecked("a.html"); err == nil {
		t.Error("ReuseChecked kept a file in an output not updated in place")
	}
}

// Files kept as checked in one call (ReuseCheckedAll) are in the new site
// as if kept one by one; a name refused stops the call there, the names
// before it kept, and a later call cannot keep one of them again.
func TestFilesKeptAsCheckedTogether(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := tracked(t, out, nil, map[string]string{"a.html": "a", "b/index.html": "b", "c.html": "c", "d.html": "d"}).Manifest()
	d := open(t, out)
	d.Track(m)
	if err := d.ReuseCheckedAll([]string{"a.html", "b/index.html"}); err != nil {
		t.Fatal(err)
	}
	if err := d.ReuseCheckedAll([]string{"c.html", "gone.html", "d.html"}); err == nil {
		t.Error("ReuseCheckedAll kept a file the previous build did not write")
	}
	if err := d.ReuseCheckedAll([]string{"b/index.html"}); err == nil {
		t.Error("ReuseCheckedAll kept a file twice")
	}
	if files, bytes := d.Count(); files != 3 || bytes != 3 {
		t.Errorf("the new site counts %d files of %d bytes, want the 3 kept before the refused name, of 3 bytes", files, bytes)
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	got := snapshot(t, out)
	for name, want := range map[string]string{"a.html": "a", "b/index.html": "b", "c.html": "c"} {
		if got[name] != want {
			t.Errorf("%s is %q after the update, want %q", name, got[name], want)
		}
	}
	if _, ok := got["d.html"]; ok {
		t.Error("a file after the refused name is in the new site")
	}
	if _, ok := d.Manifest()["c.html"]; !ok {
		t.Error("the manifest misses a file kept before the refused name")
	}
}

// yearsSite is a site of evaluation pages in year folders, YEAR/SLUG/
// index.html, that say "kept", and more pages than an update in place
// may change, p*/index.html, that say text. The years have unlike
// numbers of evaluations, as the work on their folders is split.
func yearsSite(text string) map[string]string {
	files := map[string]string{}
	for y := range 3 {
		for i := range 37 + 3*y {
			files[fmt.Sprintf("y%d/e%d/index.html", y, i)] = "kept"
		}
	}
	for i := range maxInPlace + 1 {
		files[fmt.Sprintf("p%d/index.html", i)] = text
	}
	return files
}

// withoutSpare builds the site "old" of yearsSite at out and returns its
// manifest, with no spare beside it: the next update exchanged whole
// links its kept files into a new folder (linkKept).
func withoutSpare(t *testing.T, out string) map[string]State {
	t.Helper()
	m := tracked(t, out, nil, yearsSite("old")).Manifest()
	if err := os.RemoveAll(sparePath(out)); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestKeptFilesAreLinkedOnTheWorkers: an update exchanged whole without
// a spare links its kept files on several workers at once, and makes
// each folder of the new output once, after its parent.
func TestKeptFilesAreLinkedOnTheWorkers(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := withoutSpare(t, out)
	kept := stat(t, out, "y1/e7/index.html")

	var mu sync.Mutex
	made := map[string]int{}
	withSeam(t, &mkdir, func(p string, perm os.FileMode) error {
		mu.Lock()
		made[p]++
		mu.Unlock()
		if _, err := os.Stat(filepath.Dir(p)); err != nil {
			t.Errorf("%s made before its parent: %v", p, err)
		}
		return os.Mkdir(p, perm)
	})
	// A link waits for a second one to start, once: links made one after
	// another never see two at a time.
	inFlight, most := 0, 0
	together := make(chan struct{})
	var once sync.Once
	withSeam(t, &link, func(src, dst string) error {
		mu.Lock()
		inFlight++
		most = max(most, inFlight)
		if inFlight > 1 {
			once.Do(func() { close(together) })
		}
		mu.Unlock()
		select {
		case <-together:
		case <-time.After(2 * time.Second):
			once.Do(func() { close(together) })
		}
		mu.Lock()
		inFlight--
		mu.Unlock()
		return os.Link(src, dst)
	})
	second := yearsSite("new")
	d := tracked(t, out, m, second)
	isSite(t, "output", out, second)
	if most < 2 {
		t.Errorf("at most %d links at a time", most)
	}
	for p, n := range made {
		if n != 1 {
			t.Errorf("%s made %d times", p, n)
		}
	}
	if now := stat(t, out, "y1/e7/index.html"); now.Ino != kept.Ino {
		t.Error("a kept file was written again rather than linked")
	}
	manifestIntact(t, d, "")
}

// manifestIntact checks that d's manifest knows each file of the output
// as it is (when says at what point of the test, "" for none).
func manifestIntact(t *testing.T, d *Dir, when string) {
	t.Helper()
	for name, s := range d.Manifest() {
		if !d.intact(name, s) {
			t.Errorf("the manifest does not know %s as it is %s", name, when)
		}
	}
}

// TestKeptFolderThatCannotBeMadeFailsTheUpdate: when a folder of the new
// output cannot be made, the build fails, the output is the previous site
// whole and nothing is left beside it; the next update succeeds.
func TestKeptFolderThatCannotBeMadeFailsTheUpdate(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := withoutSpare(t, out)
	withSeam(t, &mkdir, func(p string, perm os.FileMode) error {
		if strings.HasSuffix(p, filepath.Join("y2", "e5")) {
			return syscall.EACCES
		}
		return os.Mkdir(p, perm)
	})
	d := open(t, out)
	d.Track(m)
	for name, data := range yearsSite("new") {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	err := d.Commit()
	if !errors.Is(err, syscall.EACCES) || !strings.Contains(err.Error(), "未改动") {
		t.Fatalf("Commit = %v, want the folder's error and the output unchanged", err)
	}
	isSite(t, "output after the failed update", out, yearsSite("old"))
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("beside the output: %v", got)
	}
	withSeam(t, &mkdir, os.Mkdir)
	tracked(t, out, m, yearsSite("new"))
	isSite(t, "output", out, yearsSite("new"))
}

// TestKeptFilesAreCopiedWhereLinksAreRefused: on a file system without
// hard links, the kept files are copied, and the manifest knows each
// copy as it is, so that the next build writes none of them again.
func TestKeptFilesAreCopiedWhereLinksAreRefused(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	m := withoutSpare(t, out)
	withSeam(t, &link, func(string, string) error { return syscall.EXDEV })
	second := yearsSite("new")
	d := tracked(t, out, m, second)
	isSite(t, "output", out, second)
	if len(d.copied) != len(second)-(maxInPlace+1) {
		t.Errorf("%d files copied, want %d", len(d.copied), len(second)-(maxInPlace+1))
	}
	d = tracked(t, out, d.Manifest(), second)
	if len(d.moves) != 0 {
		t.Errorf("the next build of the same files writes %d of them again", len(d.moves))
	}
}

// TestUpdateSetsLargeFilesAside: an update in place that replaces a
// large file first links the previous one into the trash, so that the
// replacement does not free its blocks inside the update; the trash goes
// with RemoveOld, and the output is the new site. A small file is
// replaced as it is.
func TestUpdateSetsLargeFilesAside(t *testing.T) {
	root := t.TempDir()
	out := filepath.Join(root, "public")
	big := strings.Repeat("x", asideSize)
	first := tracked(t, out, nil, map[string]string{"data/big.json": big, "small.html": "s", "keep.html": "k"})
	d := open(t, out)
	d.DeferRemoval()
	if !d.Track(first.Manifest()) {
		t.Fatal("not an update in place")
	}
	next := map[string]string{"data/big.json": big + "y", "small.html": "t", "keep.html": "k"}
	for name, data := range next {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := d.Commit(); err != nil {
		t.Fatal(err)
	}
	isSite(t, "output", out, next)
	var aside []string
	trashes, _ := filepath.Glob(filepath.Join(root, ".public.old-*"))
	for _, trash := range trashes {
		entries, err := os.ReadDir(trash)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(trash, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			aside = append(aside, string(b))
		}
	}
	if len(aside) != 1 || aside[0] != big {
		t.Errorf("the trash holds %d files before RemoveOld, want the previous big.json alone", len(aside))
	}
	d.RemoveOld()
	if left, _ := filepath.Glob(filepath.Join(root, ".public.old-*")); len(left) > 0 {
		t.Errorf("RemoveOld left %q", left)
	}
	isSite(t, "output", out, next)
}

// TestWriteSummedIsWrite: a file written with its SHA-256 is recorded as
// Write records it, in a new output and in one updated in place, where a
// file whose bytes did not change is kept as it is on disk.
func TestWriteSummedIsWrite(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{"index.html": "home", "2023/index.html": "year 2023"}
	summed := func(d *Dir, files map[string]string) {
		t.Helper()
		for name, data := range files {
			if err := d.WriteSummed(name, []byte(data), sha256.Sum256([]byte(data))); err != nil {
				t.Fatal(err)
			}
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	want := tracked(t, filepath.Join(root, "written"), nil, files).Manifest()
	out := filepath.Join(root, "summed")
	first := open(t, out)
	first.Track(nil)
	summed(first, files)
	m := first.Manifest()
	for name, s := range want {
		if m[name].Size != s.Size || m[name].Sum != s.Sum {
			t.Errorf("%s: recorded %d bytes %x, Write records %d bytes %x", name, m[name].Size, m[name].Sum, s.Size, s.Sum)
		}
	}
	kept := stat(t, out, "index.html")
	d := open(t, out)
	if !d.Track(m) {
		t.Fatal("an output with its manifest is not updated in place")
	}
	summed(d, map[string]string{"index.html": "home", "2023/index.html": "year 2023, edited"})
	if got := stat(t, out, "index.html"); got != kept {
		t.Errorf("the unchanged index.html was written again: %+v, was %+v", got, kept)
	}
	if b, err := os.ReadFile(filepath.Join(out, "2023", "index.html")); err != nil || string(b) != "year 2023, edited" {
		t.Errorf("2023/index.html = %q, %v; want the edit", b, err)
	}
	if s := d.Manifest()["2023/index.html"]; s.Sum != sha256.Sum256([]byte("year 2023, edited")) {
		t.Errorf("the edited file's recorded sum is %x", s.Sum)
	}
}
