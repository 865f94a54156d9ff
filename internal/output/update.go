package output

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// An output updated in place (Track with the previous build's Manifest)
// is not replaced whole: at 100,000 evaluations the swap alone, a new tree
// of hard links and the removal of the old one, took half a minute for a
// rebuild that changed a handful of files. Instead a build writes only
// the files whose bytes changed, into its temporary folder beside the
// output, and Commit moves each into place with a rename, under a journal,
// then removes the files of the previous build that this one did not
// write. A reader of the site never sees a file missing or cut short: a
// file is either the old one or the new one. A build that fails or is
// killed before the journal is written has changed nothing; one killed
// after it is finished by the next build (tidy), before anything else.
// Only files the previous build wrote (its Manifest) are ever removed.

// State is what the output keeps of a file it wrote, to know it again in
// the next build without reading it.
type State struct {
	Size int64
	Sum  [sha256.Size]byte
	ID   Identity
}

// Identity is what the system tells of a file as it is on disk (see
// identity): a file written, replaced or touched since no longer has the
// identity recorded, and is written again.
type Identity struct {
	Ino          uint64
	MTime, CTime int64
}

// IdentityOf returns the identity of a file as the system tells it (st
// from os.Lstat): for the files of evalpress's own beside the output
// (the cache's), known again the same way as the output's.
func IdentityOf(st fs.FileInfo) Identity { return identity(st) }

// journalMagic starts a journal; journalEnd ends a whole one.
const (
	journalMagic = "evalpress-output-journal 1\n"
	journalEnd   = "end\n"
)

// Track makes the output keep the State of every file of the new site,
// for Manifest. prev, when not nil, is the Manifest of the output as the
// previous build left it, and the output is then updated in place (see
// above): a file written with the very bytes prev records, whose copy in
// the output still has the identity recorded, is left as it is. Track
// returns whether the output is updated in place: not without prev, nor
// when the output has no marker (it is new, or not the one prev
// describes). It must be called before the first file is written.
func (d *Dir) Track(prev map[string]State) bool {
	// Most of the previous site is this one's: the table is made at
	// its size once rather than doubled a dozen times over 140,000
	// files at 100,000 evaluations.
	d.states = make(map[string]State, len(prev))
	if prev == nil || d.noUpdate {
		d.startLinks()
		return false
	}
	if st, err := os.Lstat(filepath.Join(d.final, Marker)); err != nil || !st.Mode().IsRegular() {
		return false
	}
	d.prev = prev
	d.takeSpare()
	return true
}

// Manifest returns the state of every file of the site (not the marker),
// by slash path, once Commit has put it in place; nil when Track was not
// called.
func (d *Dir) Manifest() map[string]State { return d.states }

// Kept reports whether the previous output's file name is still as the
// previous build left it, in an output updated in place: Reuse then keeps
// it without reading or writing a byte of it.
func (d *Dir) Kept(name string) bool {
	p, ok := d.prev[name]
	return ok && d.intact(name, p)
}

// KeptAs reports whether the output's file name is still as prev, the
// Manifest of the previous build, records it: Kept before Track, so that
// a build can look at the files beside other work. Reuse looks again.
func (d *Dir) KeptAs(prev map[string]State, name string) bool {
	p, ok := prev[name]
	return ok && d.intact(name, p)
}

// look returns the size and identity of the output's regular file name
// (a slash path), as identity gives them from os.Lstat; ok is false when
// it is not there or not a regular file.
func (d *Dir) look(name string) (size int64, id Identity, ok bool) {
	st, held, err := d.folder.Lstat(name)
	if held {
		return st.Size, Identity{MTime: st.MTime, Ino: st.Ino, CTime: st.CTime}, err == nil
	}
	fi, err := os.Lstat(filepath.Join(d.final, filepath.FromSlash(name)))
	if err != nil || !fi.Mode().IsRegular() {
		return 0, Identity{}, false
	}
	return fi.Size(), identity(fi), true
}

// intact reports whether the output's file name still has the size and
// identity p records.
func (d *Dir) intact(name string, p State) bool {
	size, id, ok := d.look(name)
	if !ok || size != p.Size {
		return false
	}
	if p.ID.CTime == 0 {
		// Not recorded: see takeIdentities.
		id.CTime = 0
	}
	return id == p.ID
}

// keep notes name as kept from the previous output.
func (d *Dir) keep(name string, p State) {
	d.mu.Lock()
	d.keepLocked([]string{name}, []State{p})
	d.mu.Unlock()
}

// keepLocked is keep for each of names, at states; d.mu must be held.
func (d *Dir) keepLocked(names []string, states []State) {
	var size int64
	for i, name := range names {
		p := states[i]
		d.states[name] = p
		if p.ID.CTime != 0 {
			d.ctimed = append(d.ctimed, name)
		}
		size += p.Size
	}
	d.shared += len(names)
	d.files.Add(int64(len(names)))
	d.bytes.Add(size)
}

// unchanged reports whether data, about to be written at name, is the
// previous output's file as it still is.
func (d *Dir) unchanged(name string, size int64, sum [sha256.Size]byte) bool {
	p, ok := d.prev[name]
	return ok && p.Size == size && p.Sum == sum && d.intact(name, p)
}

// staged notes name as written to the temporary folder, to be moved into
// the output on Commit; its identity is taken there.
func (d *Dir) staged(name string, size int64, sum [sha256.Size]byte) {
	_, had := d.prev[name]
	d.mu.Lock()
	d.states[name] = State{Size: size, Sum: sum}
	d.moves = append(d.moves, name)
	if had {
		d.shared++
	}
	if len(d.moves) == maxInPlace+1 && d.check != nil {
		// Too many for an update in place: the spare's files will be
		// used (see takeSpare).
		d.check.begin()
	}
	d.mu.Unlock()
	d.files.Add(1)
	d.bytes.Add(size)
}

// noted notes the state of name, written at full in the new output of a
// build that replaces the output whole, and links it into the spare the
// build makes (linkSpare). A file the spare shares has its change time
// not recorded, as a kept file's (takeIdentities): it changes when the
// spare's link goes, as an update or a hand may remove it.
func (d *Dir) noted(name, full string, size int64, sum [sha256.Size]byte) error {
	shared := d.linkSpare(name, full)
	st, err := os.Lstat(full)
	if err != nil {
		return err
	}
	id := identity(st)
	if shared {
		id.CTime = 0
	}
	d.mu.Lock()
	d.states[name] = State{Size: size, Sum: sum, ID: id}
	d.mu.Unlock()
	return nil
}

// writeUpdate is Write for an output updated in place.
func (d *Dir) writeUpdate(name string, data []byte, given *[sha256.Size]byte) error {
	if err := d.claimName(name); err != nil {
		return err
	}
	sum := sumOf(data, given)
	if d.unchanged(name, int64(len(data)), sum) {
		d.keep(name, d.prev[name])
		return nil
	}
	if err := d.ensure(filepath.Dir(filepath.FromSlash(name))); err != nil {
		return err
	}
	if err := sysfile.WriteFile(filepath.Join(d.tmp, filepath.FromSlash(name)), data); err != nil {
		return err
	}
	d.staged(name, int64(len(data)), sum)
	return nil
}

// journal is what Commit is about to do to an output updated in place:
// move the files written (moves) from the temporary folder tmp into the
// output, and remove the previous build's files it did not write
// (removes, with their identity: a file changed since is left alone).
type journal struct {
	tmp     string
	moves   []string
	removes []removal
}

type removal struct {
	name string
	id   Identity
}

// journalPath is where the journal of an output updated in place is kept:
// beside it, like its lock.
func journalPath(final string) string {
	return filepath.Join(filepath.Dir(final), "."+filepath.Base(final)+".journal")
}

func (j *journal) encode() []byte {
	var b bytes.Buffer
	b.WriteString(journalMagic)
	fmt.Fprintf(&b, "tmp %s\n", strconv.Quote(j.tmp))
	for _, m := range j.moves {
		fmt.Fprintf(&b, "move %s\n", strconv.Quote(m))
	}
	for _, r := range j.removes {
		fmt.Fprintf(&b, "remove %d %d %d %s\n", r.id.Ino, r.id.MTime, r.id.CTime, strconv.Quote(r.name))
	}
	b.WriteString(journalEnd)
	return b.Bytes()
}

// parseJournal reads a journal; one cut short or not of this format is an
// error, and nothing of it is done.
func parseJournal(b []byte, base string) (*journal, error) {
	rest, ok := bytes.CutPrefix(b, []byte(journalMagic))
	if !ok || !bytes.HasSuffix(rest, []byte(journalEnd)) {
		return nil, errors.New("记录不完整")
	}
	rest = rest[:len(rest)-len(journalEnd)]
	j := &journal{}
	sc := bufio.NewScanner(bytes.NewReader(rest))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		kind, arg, _ := strings.Cut(sc.Text(), " ")
		var err error
		switch kind {
		case "tmp":
			j.tmp, err = strconv.Unquote(arg)
			if err == nil && !debrisName(base).MatchString(j.tmp) {
				err = fmt.Errorf("临时文件夹名 %q 不对", j.tmp)
			}
		case "move":
			var name string
			if name, err = strconv.Unquote(arg); err == nil {
				if err = checkName(name); err == nil {
					j.moves = append(j.moves, name)
				}
			}
		case "remove":
			var r removal
			var quoted string
			if _, err = fmt.Sscanf(arg, "%d %d %d", &r.id.Ino, &r.id.MTime, &r.id.CTime); err == nil {
				f := strings.SplitN(arg, " ", 4)
				if len(f) == 4 {
					quoted = f[3]
				}
				if r.name, err = strconv.Unquote(quoted); err == nil {
					if err = checkName(r.name); err == nil {
						j.removes = append(j.removes, r)
					}
				}
			}
		default:
			err = fmt.Errorf("不认识的一行 %q", sc.Text())
		}
		if err != nil {
			return nil, err
		}
	}
	if j.tmp == "" {
		return nil, errors.New("没有临时文件夹名")
	}
	return j, sc.Err()
}

// writeJournal writes j at p in one rename: once it is there, the update
// is done to the end, by this build or the next. It is not synced, no more
// than the files it moves: what it guards against is a build killed, and
// a journal cut short by a crash of the system is refused whole (it lacks
// its end), and the next build then replaces the output whole.
func writeJournal(p string, j *journal) error {
	tmp := p + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(j.encode())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = rename(tmp, p)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

// apply does what j says to the output final, whose temporary folder is
// in final's parent: first the removals (a folder they leave empty goes
// too), then the moves. A move already done (its file is no longer in the
// temporary folder) is skipped, so that apply may run again after it was
// cut short. It returns the files it left alone and the first error of
// each kind.
func apply(final string, j *journal) (left []string, err error) {
	tmp := filepath.Join(filepath.Dir(final), j.tmp)
	var errs []error
	for _, r := range j.removes {
		p := filepath.Join(final, filepath.FromSlash(r.name))
		st, lerr := os.Lstat(p)
		if lerr != nil {
			// Removed already, by a build killed before its folders.
			pruneDirs(final, r.name)
			continue
		}
		id := identity(st)
		if r.id.CTime == 0 {
			// Not recorded: see takeIdentities.
			id.CTime = 0
		}
		if !st.Mode().IsRegular() || id != r.id {
			left = append(left, r.name)
			continue
		}
		if rerr := removeFile(final, r.name); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			errs = append(errs, rerr)
		}
	}
	made := map[string]bool{}
	for _, name := range j.moves {
		src := filepath.Join(tmp, filepath.FromSlash(name))
		if _, lerr := os.Lstat(src); errors.Is(lerr, fs.ErrNotExist) {
			continue // moved already
		}
		dst := filepath.Join(final, filepath.FromSlash(name))
		if dir := filepath.Dir(dst); !made[dir] {
			if merr := os.MkdirAll(dir, 0o755); merr != nil {
				errs = append(errs, merr)
				continue
			}
			made[dir] = true
		}
		if rerr := rename(src, dst); rerr != nil {
			errs = append(errs, rerr)
		}
		stage("moving")
	}
	if len(errs) > 0 {
		err = errs[0]
	}
	return left, err
}

// removeFile removes the file name (a slash path) under root, then the
// folders above it that this leaves empty.
func removeFile(root, name string) error {
	if err := os.Remove(filepath.Join(root, filepath.FromSlash(name))); err != nil {
		return err
	}
	pruneDirs(root, name)
	return nil
}

// pruneDirs removes the empty folders above name under root, up to the
// first that is not empty.
func pruneDirs(root, name string) {
	for dir := path.Dir(name); dir != "."; dir = path.Dir(dir) {
		if os.Remove(filepath.Join(root, filepath.FromSlash(dir))) != nil {
			break // not empty, or gone
		}
	}
}

// maxInPlace is the most files an update in place may move or remove.
// Between the first move and the last, a build killed (SIGKILL, a power
// cut) leaves the output partly updated, each file whole, until the next
// build finishes the journal: a few dozen renames take a millisecond or
// two. An update that changes more files (a template edited, a title
// shown on every page, the search index's shards) is made whole instead,
// in the spare or a new folder (spare.go), and the two folders are
// exchanged, so that a killed build leaves the previous output whole.
const maxInPlace = 64

// inPlace reports whether Commit updates the output in place rather than
// exchanging it for a whole new one (see maxInPlace).
func (d *Dir) inPlace() bool {
	return len(d.moves)+len(d.removals()) <= maxInPlace
}

// mostRewritten reports whether an update exchanged whole wrote more
// files anew than it kept, as a build does after a new version of
// evalpress or a template edited: trimming the previous output into the
// spare would then remove more files than the spare would give the next
// update, and filling the spare would move them all a second time. The
// previous output and the spare are removed instead, with the trash (out
// of the lock, and after the report with DeferRemoval), and the new
// site's files, linked, are the spare of the next update (linkAll).
func (d *Dir) mostRewritten() bool {
	return len(d.moves) > len(d.states)-len(d.moves)
}

// removals are the files of the previous output that this build did not
// make, in name order. They are known once every file is written, and
// found once: each look goes through the previous build's every file.
func (d *Dir) removals() []removal {
	if d.removed != nil {
		return *d.removed
	}
	var out []removal
	if d.shared == len(d.prev) {
		// Every file of the previous output is one of the new site's:
		// nothing to look for.
		d.removed = &out
		return out
	}
	for name, p := range d.prev {
		if _, ok := d.states[name]; !ok {
			out = append(out, removal{name, p.ID})
		}
	}
	slices.SortFunc(out, func(a, b removal) int { return strings.Compare(a.name, b.name) })
	d.removed = &out
	return out
}

// Gone returns the files of the previous output that the new site does
// not have, in name order, for an output updated in place (Track); it
// must be called once every file of the site is written. Commit knows
// them already, from the count of files the two sites share, without
// going through every file of the previous site when none went.
func (d *Dir) Gone() []string {
	var names []string
	for _, r := range d.removals() {
		names = append(names, r.name)
	}
	return names
}

// moved reports which files this build wrote to its temporary folder.
func (d *Dir) moved() map[string]bool {
	m := make(map[string]bool, len(d.moves))
	for _, name := range d.moves {
		m[name] = true
	}
	return m
}

// linkKept puts the files kept in place into the new folder, as hard
// links where the file system allows them (no byte is written), copies
// otherwise, so that the new folder is the whole site. Each link and each
// folder is a system call that waits on the file system as much as it
// computes, and at 100,000 evaluations there are as many folders and more
// files: both are spread over the workers (makeDirs, par.Ranges). The first
// error stops the work, and Commit then removes the new folder.
func (d *Dir) linkKept() error {
	moved := d.moved()
	names := make([]string, 0, len(d.states)-len(d.moves))
	for name := range d.states {
		if !moved[name] {
			names = append(names, name)
		}
	}
	return d.linkInto(d.tmp, d.dirs, names, func(name, rel string) error {
		return d.linkOrCopy(name, filepath.Join(d.final, rel), filepath.Join(d.tmp, rel))
	})
}

// linkInto makes under root the folders of the files names (makeDirs,
// dirs), then calls put for each name and its path, on the workers; it
// returns the first error.
func (d *Dir) linkInto(root string, dirs map[string]*dirOnce, names []string, put func(name, rel string) error) error {
	if err := d.makeDirs(root, dirs, names); err != nil {
		return err
	}
	return par.Ranges(context.Background(), len(names), func(lo, hi int) error {
		for _, name := range names[lo:hi] {
			if err := put(name, filepath.FromSlash(name)); err != nil {
				return err
			}
		}
		return nil
	})
}

// makeDirs creates under root the folders of the files names that are
// not there yet (dirs, guarded by d.mu), each once and its parent first: the tree a level at a time,
// each level on all the workers. The system locks a folder while a folder
// is made in it, so that the folders of one parent are made one after
// another however many workers ask: the work is dealt out in runs of one
// parent's folders, round the parents (an evaluation's folder is in its
// year's), so that the workers at one time are mostly in different
// parents.
func (d *Dir) makeDirs(root string, dirs map[string]*dirOnce, names []string) error {
	var levels [][]string
	seen := map[string]bool{}
	d.mu.Lock()
	for _, name := range names {
		for dir := filepath.Dir(filepath.FromSlash(name)); dir != "." && !seen[dir]; dir = filepath.Dir(dir) {
			seen[dir] = true
			if mk := dirs[dir]; mk != nil {
				// Made while the files were written, and its parents
				// before it; none is being made now.
				if mk.err != nil {
					d.mu.Unlock()
					return mk.err
				}
				break
			}
			depth := strings.Count(dir, string(filepath.Separator))
			for len(levels) <= depth {
				levels = append(levels, nil)
			}
			levels[depth] = append(levels[depth], dir)
		}
	}
	d.mu.Unlock()
	made := &dirOnce{}
	made.once.Do(func() {})
	for _, level := range levels {
		runs := dealByParent(level)
		err := par.Each(context.Background(), len(runs), func(_ context.Context, i int) error {
			for _, dir := range runs[i] {
				if err := mkdir(filepath.Join(root, dir), 0o755); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		d.mu.Lock()
		for _, dir := range level {
			dirs[dir] = made
		}
		d.mu.Unlock()
	}
	return nil
}

// dealByParent splits dirs, folders of one level of the tree, into runs
// of one parent's folders, each of at most a share of the work (as
// par.Ranges makes them), and orders them round the parents: the first run
// of every parent, then the second, and so on.
func dealByParent(dirs []string) [][]string {
	slices.Sort(dirs)
	size := par.RangeSize(len(dirs))
	var byParent [][][]string
	for lo := 0; lo < len(dirs); {
		parent := filepath.Dir(dirs[lo])
		hi := lo + 1
		for hi < len(dirs) && filepath.Dir(dirs[hi]) == parent {
			hi++
		}
		var runs [][]string
		for i := lo; i < hi; i += size {
			runs = append(runs, dirs[i:min(i+size, hi)])
		}
		byParent = append(byParent, runs)
		lo = hi
	}
	var dealt [][]string
	for round := 0; ; round++ {
		n := len(dealt)
		for _, runs := range byParent {
			if round < len(runs) {
				dealt = append(dealt, runs[round])
			}
		}
		if len(dealt) == n {
			return dealt
		}
	}
}

// linkOrCopy puts the output's file name, at src, at dst, where nothing
// is: a hard link where the file system allows one (no byte is written),
// else a copy, which takeIdentities then looks at. It is safe for
// concurrent use.
func (d *Dir) linkOrCopy(name, src, dst string) error {
	if link(src, dst) == nil {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	d.mu.Lock()
	if d.copied == nil {
		d.copied = map[string]bool{}
	}
	d.copied[name] = true
	d.mu.Unlock()
	return sysfile.WriteFile(dst, data)
}

// takeIdentities records the identity of every file of an output that
// was exchanged whole. A kept file's change time is not recorded: it
// changed when linkKept linked it, and changes again when the previous
// output, which holds its other link, is removed; its inode, size and
// modification time still tell an edit.
//
// A kept file that was linked, not copied, is the very file whose
// identity the previous build recorded and this one checked (Kept): it
// keeps that identity without a look. At 100,000 evaluations the look
// was 140,000 calls to lstat, a second of a rebuild; and should the file
// change in between, the identity recorded is the older one, so that
// the next build writes it again.
//
// So only the files moved or copied are looked at, and the kept files
// whose change time was recorded (keep notes them): at Commit the work
// follows the files this build changed, not the site's size.
func (d *Dir) takeIdentities() {
	for _, name := range d.ctimed {
		if s := d.states[name]; s.ID.Ino != 0 && !d.copied[name] {
			s.ID.CTime = 0
			d.states[name] = s
		}
	}
	look := func(name string, moved bool) {
		s := d.states[name]
		st, err := os.Lstat(filepath.Join(d.final, filepath.FromSlash(name)))
		switch {
		case err != nil:
			// Unknown: the next build writes the file again.
			s.ID = Identity{}
		case moved:
			s.ID = identity(st)
		default:
			s.ID = identity(st)
			s.ID.CTime = 0
		}
		d.states[name] = s
	}
	for _, name := range d.moves {
		// A file the spare shares (linkAll) may lose that link, and
		// with it its change time, at any time.
		look(name, !d.linkedAll)
	}
	for name := range d.copied {
		look(name, false)
	}
}

func (d *Dir) commitUpdate() error {
	j := &journal{tmp: filepath.Base(d.tmp), removes: d.removals()}
	j.moves = slices.Clone(d.moves)
	slices.Sort(j.moves)
	jp := journalPath(d.final)
	if len(j.moves)+len(j.removes) > 0 {
		if err := writeJournal(jp, j); err != nil {
			_ = sysfile.RemoveAll(d.tmp)
			return fmt.Errorf("无法在 %s 旁边写入更新记录，网站未改动：%w", d.named, err)
		}
		stage("journal")
		d.setAside(j.moves)
		left, err := apply(d.final, j)
		if err != nil {
			return fmt.Errorf("网站 %s 只更新了一部分（%w）；下次构建会先把这次更新做完", d.named, err)
		}
		for _, name := range left {
			d.notices = append(d.notices, fmt.Sprintf("未删除 %s：它在上次构建之后被改动过，不再是 evalpress 生成的原样；不需要就请手动删除",
				filepath.Join(d.named, filepath.FromSlash(name))))
		}
	}
	// A file's identity is taken once it is in place: the rename changes
	// its change time.
	for _, name := range j.moves {
		st, err := os.Lstat(filepath.Join(d.final, filepath.FromSlash(name)))
		if err != nil {
			return err
		}
		s := d.states[name]
		s.ID = identity(st)
		d.states[name] = s
	}
	stage("updated")
	d.returnSpare()
	d.trimSpare(true)
	d.committed()
	if err := os.Remove(jp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.notices = append(d.notices, fmt.Sprintf("未能删除更新记录 %s：%v", jp, err))
	}
	_ = sysfile.RemoveAll(d.tmp)
	return nil
}

// asideSize is the size from which a file an update replaces is first
// linked into the trash (setAside).
const asideSize = 1 << 20

// setAside links the large files of the output that an update's moves
// are about to replace into a folder of the trash, so that their last
// link does not go inside the update: the system frees a file's blocks
// as its last link goes, and the open data's files of all years
// (evaluations.json alone is 237 MB at 100,000 evaluations), replaced
// on every rebuild, took a fifth of a second of the commit in their
// renames. The trash is removed with the rest (RemoveOld: after the
// report, out of the build's time). A file that cannot be linked is
// replaced as before. Only moves: a file to be removed is checked
// against its identity first, and a link changes its change time.
func (d *Dir) setAside(moves []string) {
	trash := ""
	for i, name := range moves {
		p := filepath.Join(d.final, filepath.FromSlash(name))
		st, err := os.Lstat(p)
		if err != nil || !st.Mode().IsRegular() || st.Size() < asideSize {
			continue
		}
		if trash == "" {
			trash = d.trashName() + "4"
			if os.Mkdir(trash, 0o700) != nil {
				return
			}
			d.old = append(d.old, trash)
		}
		_ = os.Link(p, filepath.Join(trash, strconv.Itoa(i)))
	}
}

// finish does what the journal of a build killed while it updated the
// output in place left to do. It runs under the lock, before the debris
// is removed: the temporary folder it moves files from is such debris.
func (d *Dir) finish() {
	jp := journalPath(d.final)
	_ = os.Remove(jp + ".tmp") // a journal not yet written: nothing was done
	b, err := os.ReadFile(jp)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err == nil {
		var j *journal
		if j, err = parseJournal(b, filepath.Base(d.final)); err == nil {
			_, err = apply(d.final, j)
		}
	}
	if err != nil {
		d.noUpdate = true
		d.notices = append(d.notices, fmt.Sprintf("上次构建在更新 %s 时中断，未能把更新做完（%v）；本次构建整体替换它", d.named, err))
	} else {
		d.notices = append(d.notices, fmt.Sprintf("上次构建在更新 %s 时中断，已把那次更新做完", d.named))
	}
	if err := os.Remove(jp); err != nil && !errors.Is(err, fs.ErrNotExist) {
		d.notices = append(d.notices, fmt.Sprintf("未能删除更新记录 %s：%v；请手动删除", jp, err))
	}
}
