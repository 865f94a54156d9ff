package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// An update too large to make in place (maxInPlace) is exchanged whole:
// the new folder must hold the whole site. Made from nothing, that folder
// is a hard link of every kept file, and the previous output must be
// removed after the exchange: at 100,000 evaluations some 150,000 links
// and as many removals, for a rebuild that changed a few hundred files.
//
// So the previous output is not removed: it stays beside the output as
// the spare (".public.spare"), and the next such update makes its new
// folder from it. The spare is the site of the build before, and its
// files are hard links of the output's own wherever that build kept
// them, so that bringing it up to the new site touches only what differs:
// the files this build wrote are moved into it, a file the output has
// under another identity is linked again, and what the new site does not
// have is removed. Nothing of the spare is trusted: every file in it is
// checked against the output's identity (Ino) and size, and a file that is
// neither the output's nor written by this build never reaches the site.
// The output itself is not touched until the exchange, so a build killed
// while it prepares the spare leaves the output whole, and the next build
// starts again from the spare as it finds it.
//
// Once the output is in place, the files it changed or removed are taken
// out of the spare at once (trimSpare), after an update in place too: the
// spare never holds a file the site no longer publishes, such as the page
// of an evaluation withdrawn, nor a byte of the disk of its own beyond its
// folders. A full build, which shares no file with the previous output,
// removes the previous output and any spare, and leaves a spare of its
// own files (startLinks, below). An output that is a symlink keeps no
// spare: the folder it leads to is often in a web root, and the spare
// beside it would be published there.

// spareSuffix names the spare beside the output: ".public.spare".
const spareSuffix = ".spare"

// sparePath is the spare of the output final: beside it, on its file
// system, where the lock and the temporary folder are.
func sparePath(final string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+spareSuffix)
}

// takeSpare runs in Track, under the lock, for an output updated in
// place: the spare, when there is one, is moved to the build's own name
// beside its temporary folder (ownSpare), its list is read in the
// background, and its files are checked there once the update is known
// to be too large to make in place (spareCheck.begin), while the pages
// are made, so that Commit need look only at the files this build
// changed. An update made in place does not use the spare's files, and
// does not look at them: at 100,000 evaluations that is 140,000 lstat
// calls, most of a second of CPU on a slow system, for a rebuild after
// one edited title (41 files). Under that name the spare is the build's
// working folder, as its temporary folder is: no other build opens it
// (they wait for the lock), and a hand that changes a file at the
// spare's usual place changes nothing this build publishes. What the
// check found therefore still holds at Commit; a file changed in place,
// through a link the spare shares with the output, is the output's file
// changed, which Kept and takeIdentities deal with as before. A build
// killed before Commit leaves it under that name, and the next build
// puts it back (tidy); Abort and Commit put it back themselves.
func (d *Dir) takeSpare() {
	spare := sparePath(d.final)
	if st, err := os.Lstat(spare); d.symlinked || err != nil || !st.IsDir() {
		return
	}
	if st, err := os.Lstat(filepath.Join(spare, Marker)); err != nil || !st.Mode().IsRegular() {
		return
	}
	own := ownSpare(d.tmp)
	if rename(spare, own) != nil {
		return
	}
	d.spare = own
	d.check = &spareCheck{read: make(chan struct{}), done: make(chan struct{}), spare: own, prev: d.prev}
	go d.check.readList()
}

// ownSpare is where a build keeps the spare while it runs: named after
// its temporary folder, whose name no other build uses.
func ownSpare(tmp string) string { return tmp + spareSuffix }

// returnSpare puts the spare back in its place, if the build still holds
// it; one that cannot go back goes with the trash.
func (d *Dir) returnSpare() {
	if d.spare == "" {
		return
	}
	own := d.spare
	d.spare = ""
	if d.check != nil {
		// The check reads the spare under its own name: moved before it
		// read the list, the spare lost its list (a build faster than
		// the check, as the tests' are on a busy machine).
		d.check.wait()
	}
	if _, err := os.Lstat(own); err != nil {
		return
	}
	// Something put at the spare's place by hand while the build ran
	// goes with the trash, as keepSpare does with it.
	spare := sparePath(d.final)
	if _, err := os.Lstat(spare); err == nil {
		trash := d.trashName() + "1"
		if rename(spare, trash) == nil {
			d.old = append(d.old, trash)
		}
	}
	if rename(own, spare) == nil {
		d.returned = true
		return
	}
	d.discard(own)
}

// spareCheck is what the background check of the spare found: which of
// the files its list names are still the previous output's very files,
// by identity (Ino) and size as the previous build recorded them.
type spareCheck struct {
	read   chan struct{} // closed once the list is read (readList)
	done   chan struct{} // closed once ok is filled, after begin
	spare  string        // where the spare is, under the build's name
	prev   map[string]State
	listed []string       // nil when the spare has no list whole
	lines  [][]byte       // listed[i] as the list has it (spareLine)
	ok     []bool         // ok[i]: listed[i] is the previous output's file
	index  map[string]int // i by listed[i]

	mu     sync.Mutex
	begun  bool // the files' check started (begin)
	closed bool // the spare is going back: no check starts (wait)
}

// checkWorkers share the check of the spare's files: it is lstat calls,
// which wait on the disk as much as they take the processor.
const checkWorkers = 4

// readList reads the list of the spare; read is closed when it has
// finished.
func (c *spareCheck) readList() {
	defer close(c.read)
	names, lines, ok := readSpareList(c.spare)
	if !ok {
		return
	}
	// The index serves an update that keeps files the spare lacks; made
	// here, it costs the commit nothing.
	c.index = make(map[string]int, len(names))
	for i, name := range names {
		c.index[name] = i
	}
	c.listed, c.lines = names, lines
}

// begin starts the check of each file the list names against prev, the
// previous build's Manifest, once, on goroutines of its own; done is
// closed when it has finished. It does nothing once wait was called.
func (c *spareCheck) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.begun || c.closed {
		return
	}
	c.begun = true
	go func() {
		defer close(c.done)
		<-c.read
		names := c.listed
		if names == nil {
			return
		}
		ok := make([]bool, len(names))
		var wg sync.WaitGroup
		per := (len(names) + checkWorkers - 1) / checkWorkers
		for lo := 0; lo < len(names); lo += per {
			hi := min(lo+per, len(names))
			wg.Go(func() {
				for i := lo; i < hi; i++ {
					p, found := c.prev[names[i]]
					ok[i] = found && isPrevFile(filepath.Join(c.spare, filepath.FromSlash(names[i])), p)
				}
			})
		}
		wg.Wait()
		c.ok = ok
	}()
}

// checked begins the check, if it has not begun, and waits for it. It
// must not be called after wait, which lets no check begin.
func (c *spareCheck) checked() {
	c.begin()
	<-c.done
}

// wait waits for what the check does in the spare, before the spare
// goes back to its place: the list's reading, and the files' check if it
// began; none begins after.
func (c *spareCheck) wait() {
	<-c.read
	c.mu.Lock()
	c.closed = true
	begun := c.begun
	c.mu.Unlock()
	if begun {
		<-c.done
	}
}

// isPrevFile reports whether the file at full is the one s records, by
// identity (Ino) and size.
func isPrevFile(full string, s State) bool {
	if s.ID.Ino == 0 {
		return false
	}
	st, err := os.Lstat(full)
	return err == nil && st.Mode().IsRegular() && st.Size() == s.Size && identity(st).Ino == s.ID.Ino
}

// fillSpare brings the spare up to the new site, for an update exchanged
// whole, from what its check found. It reports false, having changed
// nothing, when there is no spare it can use (none yet, or not an output
// of evalpress's).
func (d *Dir) fillSpare() (bool, error) {
	if d.spare == "" {
		return false, nil
	}
	spare := d.spare
	d.check.checked()
	moved := d.moved()
	made := map[string]bool{}
	fill := func(name string) error {
		rel := filepath.FromSlash(name)
		dst := filepath.Join(spare, rel)
		if dir := filepath.Dir(dst); !made[dir] {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			made[dir] = true
		}
		if moved[name] {
			return rename(filepath.Join(d.tmp, rel), dst)
		}
		// Whatever is at dst is not the output's file: it goes before a
		// byte is written there, since it may be another file's link.
		if err := os.Remove(dst); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return d.linkOrCopy(name, filepath.Join(d.final, rel), dst)
	}
	// The list goes before the spare changes: a spare changed is read
	// whole by the next build, should this one be killed.
	err := os.Remove(filepath.Join(spare, spareList))
	if c := d.check; c.listed != nil && err == nil {
		in := d.pruneListed(spare, c)
		// The kept files the spare lacks: usually none, or those the
		// previous update wrote and this one kept. The names listed are
		// distinct, so a count tells.
		// They are looked for beside the moves into the spare: the look
		// goes through every file's state, which nothing changes now.
		var found chan []string
		if count(in) != len(d.states)-len(d.moves) {
			found = make(chan []string, 1)
			go func() {
				var names []string
				for name, s := range d.states {
					// A kept file's state is the previous build's, with its
					// identity; a file written anew has none yet.
					if i, ok := c.index[name]; s.ID.Ino != 0 && (!ok || !in[i]) {
						names = append(names, name)
					}
				}
				slices.Sort(names)
				found <- names
			}()
		}
		for _, name := range d.moves {
			if err := fill(name); err != nil {
				return true, err
			}
		}
		var lacking []string
		if found != nil {
			lacking = <-found
		}
		for _, name := range lacking {
			if err := fill(name); err != nil {
				return true, err
			}
		}
		// The spare of the next update is the files kept, in name order:
		// those of the list, and those the spare lacked.
		d.keptLines = mergeLines(c, in, lacking)
		return true, nil
	}
	have := map[string]bool{}
	if _, err := d.pruneSpare(spare, "", moved, have); err != nil {
		return true, err
	}
	for name := range d.states {
		if !have[name] {
			if err := fill(name); err != nil {
				return true, err
			}
		}
	}
	return true, nil
}

// The spare's list (spareList, in the spare's root) names the files it
// holds, so that an update need not read its 100,000 folders (at 100,000
// evaluations, 3.8 s of CPU in os.ReadDir) to know them. It is written
// once the spare is trimmed, and removed before the spare changes again:
// it then becomes the output, where the list must not be. A spare without
// its list (a build killed in between, a file the trim could not remove)
// is read whole, by pruneSpare, which removes anything the site does not
// make. With the list, every file it names is still checked (spareCheck),
// but a file put into the spare by hand, beside those it names, is not
// looked for: like the cache beside the output, the spare is evalpress's
// own, and the README says so.
const (
	spareList      = ".evalpress-spare"
	spareListMagic = "evalpress-spare 1\n"
	spareListEnd   = "end\n"
)

// readSpareList reads the spare's list, and its lines as they are; ok is
// false when there is none whole, or its names are not each once in
// order, as writeSpareList writes them. The caller removes it before the
// spare changes.
func readSpareList(spare string) (names []string, lines [][]byte, ok bool) {
	b, err := os.ReadFile(filepath.Join(spare, spareList))
	if err != nil {
		return nil, nil, false
	}
	rest, ok := bytes.CutPrefix(b, []byte(spareListMagic))
	if !ok || !bytes.HasSuffix(rest, []byte(spareListEnd)) {
		return nil, nil, false
	}
	rest = rest[:len(rest)-len(spareListEnd)]
	for line := range bytes.Lines(rest) {
		name, err := strconv.Unquote(string(bytes.TrimSuffix(line, []byte("\n"))))
		if err != nil || checkName(name) != nil || len(names) > 0 && names[len(names)-1] >= name {
			return nil, nil, false
		}
		names = append(names, name)
		lines = append(lines, line)
	}
	return names, lines, true
}

// spareLine is name as the spare's list has it.
func spareLine(name string) []byte {
	return append(strconv.AppendQuote(nil, name), '\n')
}

// mergeLines returns the lines of c's names that in marks, with those of
// more (in name order, none of them marked), in name order.
func mergeLines(c *spareCheck, in []bool, more []string) [][]byte {
	lines := make([][]byte, 0, count(in)+len(more))
	j := 0
	for i, name := range c.listed {
		if !in[i] {
			continue
		}
		for ; j < len(more) && more[j] < name; j++ {
			lines = append(lines, spareLine(more[j]))
		}
		lines = append(lines, c.lines[i])
	}
	for ; j < len(more); j++ {
		lines = append(lines, spareLine(more[j]))
	}
	return lines
}

func count(bs []bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// writeSpareList writes the list of the spare's files, lines (spareLine,
// in name order); nil for the spare of an update exchanged whole: the
// output's files this build did not write, which the spare shares with
// it.
func (d *Dir) writeSpareList(spare string, lines [][]byte) {
	if lines == nil {
		lines = d.keptLines
	}
	if lines == nil {
		moved := d.moved()
		names := make([]string, 0, len(d.states))
		for name := range d.states {
			if !moved[name] {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		lines = make([][]byte, len(names))
		for i, name := range names {
			lines[i] = spareLine(name)
		}
	}
	n := len(spareListMagic) + len(spareListEnd)
	for _, line := range lines {
		n += len(line)
	}
	b := make([]byte, 0, n)
	b = append(b, spareListMagic...)
	for _, line := range lines {
		b = append(b, line...)
	}
	b = append(b, spareListEnd...)
	// A list not written whole is refused when read: the spare is then
	// read whole.
	_ = sysfile.WriteFile(filepath.Join(spare, spareList), b)
}

// pruneListed is pruneSpare for a spare whose list was read and checked
// (c): it removes the files listed that the new site does not have, and
// reports which files listed are kept files still the output's very
// file. A file listed that is not (it was changed or replaced) is left to
// be replaced.
//
// A file the check found the previous output's is in the previous
// manifest, and the new site either kept it, with the state the check
// compared it with, wrote it anew (a move, with no identity yet), or
// does not make it (a removal): so only the moves, the removals and the
// files the check refused are looked up, not every file listed. At
// 100,000 evaluations the spare lists 140,000 files, for an update that
// wrote a few hundred.
func (d *Dir) pruneListed(spare string, c *spareCheck) (in []bool) {
	in = slices.Clone(c.ok)
	for _, name := range d.moves {
		if i, ok := c.index[name]; ok {
			in[i] = false
		}
	}
	for _, r := range d.removals() {
		if i, ok := c.index[r.name]; ok && c.ok[i] {
			in[i] = false
			_ = removeFile(spare, r.name) // one left is the next update's
		}
	}
	for i, ok := range c.ok {
		if ok {
			continue
		}
		if _, made := d.states[c.listed[i]]; !made {
			_ = removeFile(spare, c.listed[i])
		}
	}
	return in
}

// pruneSpare walks the spare's folder dir (slash path, "" for its root)
// and removes what the new site must not have from it: files it does not
// make, files this build wrote anew, and a kept file that is not the
// output's very file. It notes in have the kept files that may stay, and
// removes the folders it leaves empty. It reports whether dir is empty.
func (d *Dir) pruneSpare(spare, dir string, moved, have map[string]bool) (bool, error) {
	entries, err := os.ReadDir(filepath.Join(spare, filepath.FromSlash(dir)))
	if err != nil {
		return false, err
	}
	left := 0
	for _, e := range entries {
		name := path.Join(dir, e.Name())
		full := filepath.Join(spare, filepath.FromSlash(name))
		if e.IsDir() {
			empty, err := d.pruneSpare(spare, name, moved, have)
			if err != nil {
				return false, err
			}
			if !empty {
				left++
			} else if err := os.Remove(full); err != nil {
				return false, err
			}
			continue
		}
		if e.Type().IsRegular() && (name == Marker || d.linked(name, full, moved)) {
			if name != Marker {
				have[name] = true
			}
			left++
			continue
		}
		if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return false, err
		}
	}
	return left == 0, nil
}

// linked reports whether the spare's file full is the output's file name
// as this build keeps it: the same file, by identity and size.
func (d *Dir) linked(name, full string, moved map[string]bool) bool {
	s, ok := d.states[name]
	if !ok || moved[name] || s.ID.Ino == 0 {
		return false
	}
	st, err := os.Lstat(full)
	return err == nil && st.Mode().IsRegular() && st.Size() == s.Size && identity(st).Ino == s.ID.Ino
}

// swapSpare puts the spare, filled with the new site, in the place of the
// output, which becomes the spare of the next update; the temporary
// folder, whose files went into the spare, is removed.
func (d *Dir) swapSpare() error {
	own := d.spare
	defer sysfile.RemoveAll(d.tmp)
	stage("swap")
	if err := exchange(own, d.final); err == nil {
		// own holds the previous output now: a build killed from here
		// on leaves it there, and the next build takes it as the spare
		// (tidy), without a list, so that it is read whole.
		d.spare = ""
		stage("swapped")
		d.placed()
		d.keepSpare(own)
		return nil
	}
	// The two-rename fallback: the output goes where a killed build's
	// is put back from (tidy), then the spare takes its place.
	old := d.tmp + ".old"
	if err := rename(d.final, old); err != nil {
		return fmt.Errorf("无法把原来的 %s 移开以换上新网站：%w%s", d.named, err, busyHint(err))
	}
	stage("between")
	if err := rename(own, d.final); err != nil {
		if rerr := rename(old, d.final); rerr != nil {
			return fmt.Errorf("无法把新网站放到 %s：%w；原来的网站在 %s，下次构建会把它放回原处", d.named, err, old)
		}
		return fmt.Errorf("无法把新网站放到 %s：%w", d.named, err)
	}
	d.spare = ""
	stage("swapped")
	d.placed()
	d.keepSpare(old)
	return nil
}

// keepSpare makes the previous output, moved aside at old by an update
// exchanged whole, the spare; a spare that was there and could not be
// used goes with the trash.
func (d *Dir) keepSpare(old string) {
	spare := sparePath(d.final)
	if _, err := os.Lstat(spare); err == nil {
		trash := d.trashName() + "0"
		if rename(spare, trash) != nil {
			d.discard(old)
			return
		}
		d.old = append(d.old, trash)
	}
	if rename(old, spare) != nil {
		d.discard(old)
		return
	}
	d.trimSpare(false)
}

// trimSpare removes from the spare the files this build wrote anew or no
// longer makes, once the output is in place: what is left of it are the
// output's own files, linked. The folders it empties go too. A file that
// cannot be removed stays; the next update exchanged whole prunes it
// before anything of the spare is used. inPlace says the output was
// updated in place, the spare left as it was.
func (d *Dir) trimSpare(inPlace bool) {
	spare := sparePath(d.final)
	if st, err := os.Lstat(spare); err != nil || !st.IsDir() {
		return
	}
	names := slices.Clone(d.moves)
	for _, r := range d.removals() {
		names = append(names, r.name)
	}
	// The files go to a folder of the trash rather than being removed:
	// most are the last link of a previous version, and removing it
	// frees its blocks (the search index's shards are megabytes each),
	// which RemoveOld does out of the lock and after the report.
	trash := d.trashName() + "2"
	if len(names) > 0 && os.Mkdir(trash, 0o700) == nil {
		d.old = append(d.old, trash)
	} else {
		trash = ""
	}
	whole := true
	for i, name := range names {
		var err error
		if trash != "" {
			err = rename(filepath.Join(spare, filepath.FromSlash(name)), filepath.Join(trash, strconv.Itoa(i)))
			if err == nil {
				pruneDirs(spare, name)
			}
		}
		if trash == "" || err != nil && !errors.Is(err, fs.ErrNotExist) {
			err = removeFile(spare, name)
		}
		if err != nil {
			// A file left that the list would not name: without a
			// list, the next update reads the spare whole.
			whole = whole && errors.Is(err, fs.ErrNotExist)
		}
	}
	if trash != "" {
		d.removeEarly(trash)
	}
	if !whole {
		return
	}
	if !inPlace {
		d.writeSpareList(spare, nil)
		return
	}
	// Updated in place, the spare is as it was, less what was removed
	// above: so is its list, when it has one. The check read it already.
	var listed []string
	var lines [][]byte
	if c := d.check; c != nil && d.returned {
		<-c.read
		listed, lines = c.listed, c.lines
	} else {
		listed, lines, _ = readSpareList(spare)
	}
	if listed == nil {
		return
	}
	gone := map[string]bool{}
	for _, name := range names {
		gone[name] = true
	}
	kept := make([][]byte, 0, len(lines))
	for i, name := range listed {
		if !gone[name] {
			kept = append(kept, lines[i])
		}
	}
	d.writeSpareList(spare, kept)
}

// dropSpare sends the spare with the trash: after a full build it holds
// only files the output no longer has.
func (d *Dir) dropSpare() {
	if d.spare != "" {
		d.discard(d.spare)
		d.spare = ""
	}
	spare := sparePath(d.final)
	if _, err := os.Lstat(spare); err != nil {
		return
	}
	trash := d.trashName() + "0"
	if rename(spare, trash) == nil {
		d.old = append(d.old, trash)
	}
}

// A build that replaces the output whole (a full build, the first one, a
// new version of evalpress) leaves a spare too, so that the update after
// it is made from the spare like every other: without one, that update
// links every file it keeps into a new folder, at 100,000 evaluations
// 100,000 folders and 140,000 links, the most of its time. The spare is
// made as the files are written, each linked there by the worker that
// wrote it (noted): the spare's files are then the output's very files,
// as the check of the next update requires. It is made at the build's
// own name beside its temporary folder (startLinks), a folder the next
// build removes should this one be killed, and put in the spare's place
// once the output is (leaveSpare). A file that cannot be linked costs the
// build nothing but the spare.

// linksSuffix names the spare a build makes as it writes: beside its
// temporary folder, like its working folder (Scratch).
const linksSuffix = ".links"

// startLinks starts the spare of a build that replaces the output whole;
// an output that is a symlink keeps none.
func (d *Dir) startLinks() {
	if d.symlinked || d.links != "" {
		return
	}
	links := d.tmp + linksSuffix
	if os.Mkdir(links, 0o755) != nil {
		return
	}
	done := &dirOnce{}
	done.once.Do(func() {})
	d.links, d.linkDirs = links, map[string]*dirOnce{".": done}
}

// linkSpare links the file name of the new output, just written at full,
// into the spare being made, if there is one, and reports whether it did.
func (d *Dir) linkSpare(name, full string) bool {
	if d.links == "" || d.linksFailed.Load() {
		return false
	}
	rel := filepath.FromSlash(name)
	err := d.ensureIn(d.links, d.linkDirs, filepath.Dir(rel))
	if err == nil {
		err = link(full, filepath.Join(d.links, rel))
	}
	if err != nil {
		d.linksFailed.Store(true)
		return false
	}
	return true
}

// leaveSpare puts the spare made as the files were written in the
// spare's place, once the new output is in place and any spare before it
// is gone with the trash (aside); one not whole goes with the trash.
func (d *Dir) leaveSpare() {
	links := d.links
	if links == "" {
		return
	}
	if d.linksFailed.Load() || sysfile.WriteFile(filepath.Join(links, Marker), []byte(markerText)) != nil {
		return // dropLinks
	}
	names := make([]string, 0, len(d.states))
	for name := range d.states {
		names = append(names, name)
	}
	slices.Sort(names)
	lines := make([][]byte, len(names))
	for i, name := range names {
		lines[i] = spareLine(name)
	}
	d.writeSpareList(links, lines)
	spare := sparePath(d.final)
	if _, err := os.Lstat(spare); err == nil {
		// A spare left beside an output that was removed by hand.
		trash := d.trashName() + "0"
		if rename(spare, trash) != nil {
			return
		}
		d.old = append(d.old, trash)
	}
	if rename(links, spare) == nil {
		d.links = ""
	}
}

// dropLinks sends the spare being made with the trash: the build failed,
// or the spare is not whole.
func (d *Dir) dropLinks() {
	if d.links == "" {
		return
	}
	trash := d.trashName() + "3"
	if rename(d.links, trash) != nil {
		trash = d.links
	}
	d.old = append(d.old, trash)
	d.links = ""
}

// linkAll makes the spare of an update exchanged whole that rewrote most
// files (mostRewritten): its new folder, complete, is linked into the
// spare, on the workers, before it is exchanged. Trimming the previous
// output into the spare instead would remove nearly every file of it
// under the lock. Without a spare, the next update links every file it
// keeps into a new folder; this way the one after a template edit is
// made from the spare like the others. A spare not linked whole is
// dropped (dropLinks).
func (d *Dir) linkAll() {
	d.startLinks()
	if d.links == "" {
		return
	}
	names := make([]string, 0, len(d.states))
	for name := range d.states {
		names = append(names, name)
	}
	err := d.linkInto(d.links, d.linkDirs, names, func(_, rel string) error {
		return link(filepath.Join(d.tmp, rel), filepath.Join(d.links, rel))
	})
	if err != nil {
		d.linksFailed.Store(true)
		return
	}
	d.linkedAll = true
}
