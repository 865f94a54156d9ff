package output

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// Options say what Open must keep safe and how it waits.
type Options struct {
	// Content is the content folder: the output may not be it, contain
	// it or lie inside it.
	Content string
	// Replace takes over a non-empty folder that has no Marker, deleting
	// what is in it (the -replace-out flag).
	Replace bool
	// Waiting, when set, is called with the lock file's path once Open
	// finds that another build is writing the same output; Open then
	// waits for that build to end, or for ctx.
	Waiting func(lock string)
}

// Dir is an output folder being written. Write is safe for concurrent
// use: the renderers write pages from several goroutines.
type Dir struct {
	named string // the output folder as the user named it
	final string // the folder replaced: named, with every symlink followed
	// symlinked is set when named is a symlink: final is then often in a
	// web root, where no spare is kept (spare.go).
	symlinked bool
	tmp       string // where files are written until Commit
	// scratch is the build's working folder beside tmp (Scratch), made
	// when first asked for.
	scratchOnce sync.Once
	scratch     string
	scratchErr  error

	release   func() // unlocks the output
	closeOnce sync.Once
	// folder is final held open once a file of it is looked at (look),
	// until Commit or Abort.
	folder   *sysfile.Folder
	finished bool // Commit or Abort has run
	notices  []string

	// afterCommit runs once the new output is in place, still under the
	// lock (see AfterCommit); afterDone is closed when it has.
	afterCommit func()
	afterDone   chan struct{}

	// old are previous outputs moved aside (trashName), to be removed
	// once the new output is in place and the lock released: by Commit,
	// or by RemoveOld after DeferRemoval. The spare's trimmed files
	// start going at once (removeEarly); RemoveOld waits for them.
	old         []string
	deferRemove bool
	// removing are the folders of old whose removal started early
	// (removeEarly), each with the channel its result comes on.
	removing map[string]chan error

	// states, when Track was called, are the files of the new site
	// (Manifest); prev, when the output is updated in place, those of the
	// previous build, and moves the files written to tmp that Commit moves
	// into the output (update.go). noUpdate is set when the journal of a
	// killed build could not be finished: the output is then replaced
	// whole.
	states   map[string]State
	prev     map[string]State
	moves    []string
	noUpdate bool
	// What Commit knows without going through every file: removed, the
	// removals once found; shared, how many files of the new site the
	// previous output has, kept or written anew; ctimed, the kept files
	// whose change time the previous build recorded (takeIdentities).
	removed *[]removal
	shared  int
	ctimed  []string
	// spare is where the spare is while the build holds it, and check
	// what its check found (takeSpare); returned is set once it is back
	// in its place as the check saw it. keptLines, when fillSpare found
	// them, are the list of the spare the previous output becomes.
	spare     string
	check     *spareCheck
	returned  bool
	keptLines [][]byte
	// copied are the kept files that were copied into the new output,
	// not linked (linkOrCopy).
	copied map[string]bool
	// links, in a build that replaces the output whole, is the spare it
	// makes as it writes (startLinks): its folders are linkDirs, and
	// linksFailed is set once a file could not be linked there.
	links       string
	linkDirs    map[string]*dirOnce
	linksFailed atomic.Bool
	// linkedAll is set when the spare of an update exchanged whole that
	// rewrote most files was linked whole (linkAll).
	linkedAll bool

	mu    sync.Mutex
	dirs  map[string]*dirOnce // directories created, or being created, under tmp
	seen  map[string]bool     // files written, to catch two pages at one path
	files atomic.Int64
	bytes atomic.Int64
}

// Test seams: the file-system steps a test must be able to fail or stop
// at. Production code never changes them.
var (
	exchange  = exchangeDirs
	removeAll = sysfile.RemoveAll
	// rename moves a file or folder: sysfile.Rename, which waits out
	// a file held open for a moment on Windows.
	rename = sysfile.Rename
	// mkdir and link make the new output's folders and its hard links
	// of kept files.
	mkdir = os.Mkdir
	link  = os.Link
	// atStage, when set, is called at the named points of Commit
	// ("swap": the new site is complete and about to replace the old;
	// "swapped": it has, the old one is not yet removed; "between": the
	// old one is moved aside and the new one not yet in place, in the
	// two-rename fallback; "journal": an output updated in place has its
	// journal written and nothing moved yet; "moving": a file has just
	// been moved into it; "updated": every file is in place).
	atStage func(stage string)
)

func stage(name string) {
	if atStage != nil {
		atStage(name)
	}
}

// Open checks that the output folder dir may be replaced, waits for any
// other build writing it, removes what a killed build left beside it, and
// starts a new output there. A refusal is a *RefusedError and nothing has
// been changed. The caller must end with Commit or Abort, which release
// the lock.
func Open(ctx context.Context, dir string, opts Options) (*Dir, error) {
	t, probs, _ := check(dir, opts.Content, opts.Replace)
	if len(probs) > 0 {
		return nil, &RefusedError{Dir: dir, Problems: probs}
	}
	parent, base := filepath.Dir(t.real), filepath.Base(t.real)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, fmt.Errorf("无法创建输出文件夹所在的文件夹：%w", err)
	}
	// The lock, the temporary folder and the swap all live beside the
	// output, never in it: the swap must stay on one file system, and
	// nothing of a build's machinery may be published.
	lock := filepath.Join(parent, "."+base+".lock")
	release, err := lockFile(ctx, lock, func() {
		if opts.Waiting != nil {
			opts.Waiting(lock)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("无法锁定输出文件夹 %s（锁文件 %s）：%w", dir, lock, err)
	}
	d := &Dir{named: dir, final: t.real, folder: sysfile.HoldFolder(t.real), release: release,
		dirs: map[string]*dirOnce{}, seen: map[string]bool{Marker: true}}
	if st, err := os.Lstat(dir); err == nil && st.Mode()&fs.ModeSymlink != 0 {
		d.symlinked = true
	}
	d.tidy(parent, base)
	// The rules once more under the lock: the folder may have changed
	// while this build waited, or been put back by tidy.
	_, probs, notices := check(dir, opts.Content, opts.Replace)
	if len(probs) > 0 {
		d.close()
		return nil, &RefusedError{Dir: dir, Problems: probs}
	}
	d.notices = append(d.notices, notices...)
	// The temporary folder must be on the same file system as the output
	// so that the swap is a rename.
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		d.close()
		return nil, fmt.Errorf("无法在 %s 旁边创建临时文件夹：%w", dir, err)
	}
	d.tmp = tmp
	done := &dirOnce{}
	done.once.Do(func() {})
	d.dirs["."] = done
	if err := os.Chmod(tmp, 0o755); err != nil {
		d.Abort()
		return nil, err
	}
	if err := sysfile.WriteFile(filepath.Join(tmp, Marker), []byte(markerText)); err != nil {
		d.Abort()
		return nil, err
	}
	return d, nil
}

// debrisName matches the folders a build of base leaves beside it when it
// is killed: its temporary folder, its working folder (Scratch), and the
// previous output moved aside.
func debrisName(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.new-[0-9]+(\.old|\.work|\.links)?$`)
}

// ownSpareName matches the spare as a build holds it (ownSpare).
func ownSpareName(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.new-[0-9]+\` + spareSuffix + `$`)
}

// oldName matches the previous outputs a build moved aside once its own
// was in place (trashName): never the site, whatever happened, so that
// they are removed without a look, by whichever build finds them.
func oldName(base string) *regexp.Regexp {
	return regexp.MustCompile(`^\.` + regexp.QuoteMeta(base) + `\.old-[0-9]+$`)
}

// trashName is where the previous output goes once the new one is in
// place: beside it, named after the build's temporary folder, whose
// name no other build uses.
func (d *Dir) trashName() string {
	base := filepath.Base(d.final)
	_, n, _ := strings.Cut(filepath.Base(d.tmp), ".new-")
	return filepath.Join(filepath.Dir(d.final), "."+base+".old-"+n)
}

// tidy runs under the lock, so that every folder named like a build's own
// is debris of a build that no longer runs. When a two-rename swap was cut
// between its renames the output is missing and the previous one is in a
// ".old" folder: it is put back before anything is removed.
func (d *Dir) tidy(parent, base string) {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return
	}
	// The journal of a build killed while it updated the output in place
	// names files in its temporary folder: done before that goes.
	d.finish()
	re, oldRe, spareRe := debrisName(base), oldName(base), ownSpareName(base)
	var debris []string
	var old string
	var oldTime time.Time
	for _, e := range entries {
		if e.IsDir() && spareRe.MatchString(e.Name()) {
			// The spare a killed build held (takeSpare) goes back, as
			// its check left it: it is checked again before use.
			p := filepath.Join(parent, e.Name())
			if _, err := os.Lstat(sparePath(d.final)); !errors.Is(err, fs.ErrNotExist) || rename(p, sparePath(d.final)) != nil {
				debris = append(debris, p)
			}
			continue
		}
		if e.IsDir() && oldRe.MatchString(e.Name()) {
			// An old output whose removal was cut short: removed with
			// this build's own, out of the way of the build.
			d.old = append(d.old, filepath.Join(parent, e.Name()))
			continue
		}
		if !e.IsDir() || !re.MatchString(e.Name()) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		if strings.HasSuffix(e.Name(), ".old") {
			if info, err := e.Info(); err == nil && (old == "" || info.ModTime().After(oldTime)) {
				if old != "" {
					debris = append(debris, old)
				}
				old, oldTime = p, info.ModTime()
				continue
			}
		}
		debris = append(debris, p)
	}
	if old != "" {
		if _, err := os.Lstat(d.final); errors.Is(err, fs.ErrNotExist) && rename(old, d.final) == nil {
			d.notices = append(d.notices, fmt.Sprintf("上次构建在替换 %s 时中断，已把原来的网站放回原处", d.named))
		} else {
			debris = append(debris, old)
		}
	}
	for _, p := range debris {
		if err := removeAll(p); err != nil {
			d.notices = append(d.notices, fmt.Sprintf("未能删除中断的构建留下的 %s：%v；请手动删除它", p, err))
		} else {
			d.notices = append(d.notices, fmt.Sprintf("已删除中断的构建留下的 %s", p))
		}
	}
}

// dirOnce creates one directory once. Writers of other files in the same
// directory wait for it; writers in other directories do not.
type dirOnce struct {
	once sync.Once
	err  error
}

// Write writes data to name, a slash-separated path relative to the output
// root such as "2023/disability-subsidies/index.html".
func (d *Dir) Write(name string, data []byte) error { return d.write(name, data, nil) }

// WriteSummed is Write for data whose SHA-256 the caller has just
// computed from it: the output records sum rather than hash the bytes a
// second time (each page's bytes were hashed twice, for the build's
// cache and here: 0.3 s of CPU at 10,000 evaluations).
func (d *Dir) WriteSummed(name string, data []byte, sum [sha256.Size]byte) error {
	return d.write(name, data, &sum)
}

// sumOf returns data's SHA-256: sum when the caller gave it.
func sumOf(data []byte, sum *[sha256.Size]byte) [sha256.Size]byte {
	if sum != nil {
		return *sum
	}
	return sha256.Sum256(data)
}

// write is Write, with data's SHA-256 when the caller has it.
func (d *Dir) write(name string, data []byte, sum *[sha256.Size]byte) error {
	if d.prev != nil {
		return d.writeUpdate(name, data, sum)
	}
	// claim creates the file's directory once: a second writer into a new
	// directory must not write before the first has created it.
	if err := d.claim(name); err != nil {
		return err
	}
	full := filepath.Join(d.tmp, filepath.FromSlash(name))
	if err := sysfile.WriteFile(full, data); err != nil {
		return err
	}
	if d.states != nil {
		if err := d.noted(name, full, int64(len(data)), sumOf(data, sum)); err != nil {
			return err
		}
	}
	d.files.Add(1)
	d.bytes.Add(int64(len(data)))
	return nil
}

// ensure creates dir under tmp once, whoever asks first; the others wait
// for it. The parent is ensured first the same way, so a plain Mkdir
// suffices: one system call per directory instead of MkdirAll's stat of
// every ancestor, which at 10,000 evaluation folders is measurable on a slow
// disk.
func (d *Dir) ensure(dir string) error { return d.ensureIn(d.tmp, d.dirs, dir) }

// ensureIn is ensure for the folder dir under root, whose folders made
// or being made are dirs (guarded by d.mu).
func (d *Dir) ensureIn(root string, dirs map[string]*dirOnce, dir string) error {
	d.mu.Lock()
	mk := dirs[dir]
	if mk == nil {
		mk = &dirOnce{}
		dirs[dir] = mk
	}
	d.mu.Unlock()
	mk.once.Do(func() {
		if parent := filepath.Dir(dir); parent != "." {
			if mk.err = d.ensureIn(root, dirs, parent); mk.err != nil {
				return
			}
		}
		mk.err = mkdir(filepath.Join(root, dir), 0o755)
	})
	return mk.err
}

// Count returns the number of files and bytes written so far (the marker
// is not counted: it is not part of the site).
func (d *Dir) Count() (files, bytes int64) { return d.files.Load(), d.bytes.Load() }

// Notices returns what the user should know of this output: debris of a
// killed build removed, a cut swap repaired, a folder taken over, an old
// output that could not be deleted.
func (d *Dir) Notices() []string { return d.notices }

// Commit puts the new output in place of the old one in a single
// exchange where the system offers one; elsewhere in two renames, which
// the next build repairs if it is killed between them. The old output is
// then moved aside, the lock released, and the old output removed: at
// once, or by RemoveOld after DeferRemoval. If the removal fails the
// build still succeeded, and a notice says where the old output is.
func (d *Dir) Commit() error {
	if d.finished {
		return errors.New("output: Commit after Commit or Abort")
	}
	d.finished = true
	// Before the new output takes final's place: a file looked at from
	// then on is looked for by its path.
	d.folder.Release()
	defer func() {
		d.close()
		if !d.deferRemove {
			d.RemoveOld()
		}
	}()
	defer d.returnSpare()
	defer d.dropLinks()
	if d.prev != nil {
		if d.inPlace() {
			return d.commitUpdate()
		}
		if d.mostRewritten() {
			// The spare would give the new site fewer files than it
			// takes to trim: the kept files are linked into the
			// temporary folder, the previous output and the spare go
			// with the trash (aside), and the new site, linked whole,
			// is the next spare.
			if err := d.linkKept(); err != nil {
				_ = sysfile.RemoveAll(d.tmp)
				return fmt.Errorf("无法准备新网站（%w），网站 %s 未改动", err, d.named)
			}
			d.linkAll()
			return d.swap()
		}
		if ok, err := d.fillSpare(); ok {
			if err != nil {
				return fmt.Errorf("无法准备新网站（%w），网站 %s 未改动", err, d.named)
			}
			return d.swapSpare()
		}
		if err := d.linkKept(); err != nil {
			_ = sysfile.RemoveAll(d.tmp)
			return fmt.Errorf("无法准备新网站（%w），网站 %s 未改动", err, d.named)
		}
	}
	return d.swap()
}

// placed runs once the new output is in place: an update exchanged whole
// takes its files' identities (linkKept changed their change times), and
// then what AfterCommit set runs.
func (d *Dir) placed() {
	if d.prev != nil {
		d.takeIdentities()
	}
	d.committed()
}

// swap puts the new output (d.tmp) in the place of the previous one:
// in one step where the system can exchange two folders.
func (d *Dir) swap() error {
	if _, err := os.Lstat(d.final); errors.Is(err, fs.ErrNotExist) {
		if err := rename(d.tmp, d.final); err != nil {
			_ = sysfile.RemoveAll(d.tmp)
			return fmt.Errorf("无法把新网站放到 %s：%w", d.named, err)
		}
		d.placed()
		d.leaveSpare()
		return nil
	} else if err != nil {
		_ = sysfile.RemoveAll(d.tmp)
		return err
	}
	stage("swap")
	if err := exchange(d.tmp, d.final); err == nil {
		stage("swapped")
		d.placed()
		d.aside(d.tmp) // which now holds the old output
		d.leaveSpare()
		return nil
	}
	old := d.tmp + ".old"
	if err := rename(d.final, old); err != nil {
		_ = sysfile.RemoveAll(d.tmp)
		return fmt.Errorf("无法把原来的 %s 移开以换上新网站：%w%s", d.named, err, busyHint(err))
	}
	stage("between")
	if err := rename(d.tmp, d.final); err != nil {
		if rerr := rename(old, d.final); rerr != nil {
			return fmt.Errorf("无法把新网站放到 %s：%w；原来的网站在 %s，下次构建会把它放回原处", d.named, err, old)
		}
		_ = sysfile.RemoveAll(d.tmp)
		return fmt.Errorf("无法把新网站放到 %s：%w", d.named, err)
	}
	stage("swapped")
	d.placed()
	d.aside(old)
	d.leaveSpare()
	return nil
}

// aside deals with the previous output once the new one is in place: an
// update keeps it as the spare of the next (spare.go); after a full
// build, which shares no file with it, it is removed, and so is the
// spare. A symlinked output, often in a web root, keeps no spare, where
// it would be published.
func (d *Dir) aside(old string) {
	if d.prev != nil && !d.symlinked && !d.mostRewritten() {
		d.keepSpare(old)
		return
	}
	d.discard(old)
	d.dropSpare()
}

// busyHint explains the error a mounted output gives when it is renamed.
func busyHint(err error) string {
	if errors.Is(err, syscall.EBUSY) {
		return "（它可能是一个挂载点，例如容器的卷：请把 -out 指向卷里面的一个子文件夹）"
	}
	if errors.Is(err, fs.ErrPermission) {
		// Windows refuses to move a folder while a program holds one of
		// its files open (sysfile.Rename has waited two seconds for it).
		return "（可能有程序正打开着其中的文件或文件夹，例如资源管理器、编辑器、浏览器或杀毒软件：关闭它们后再构建；原来的网站没有改动）"
	}
	return ""
}

// discard moves the previous output aside once the new one is in place,
// to be removed when the lock is released (RemoveOld). Where it cannot
// be moved it stays where it is, a folder the next build removes as
// debris, and is removed from there.
func (d *Dir) discard(old string) {
	trash := d.trashName()
	if err := rename(old, trash); err != nil {
		trash = old
	}
	d.old = append(d.old, trash)
}

// removeEarly starts removing trash, a folder of old that nothing reads
// any more, beside the rest of the commit (the cache's index is written
// after the swap): RemoveOld then waits for it. Freeing the blocks of
// the files replaced (the search index's shards are megabytes each) took
// a tenth of a second and more after the report.
func (d *Dir) removeEarly(trash string) {
	if d.removing == nil {
		d.removing = map[string]chan error{}
	}
	ch := make(chan error, 1)
	d.removing[trash] = ch
	go func() { ch <- removeAll(trash) }()
}

// DeferRemoval makes Commit leave the previous output moved aside, for
// RemoveOld: a build reports its new site first, and removes the old
// one (at 10,000 evaluations, 13,000 files and folders) after, out of its
// time and out of the lock.
func (d *Dir) DeferRemoval() { d.deferRemove = true }

// RemoveOld removes the previous outputs moved aside by Commit, and those
// a build killed while removing them left; each one it cannot remove is a
// notice, and the next build tries again. It returns the notices it
// added. It is safe to call more than once.
func (d *Dir) RemoveOld() []string {
	var notices []string
	for _, old := range d.old {
		var err error
		if ch, ok := d.removing[old]; ok {
			err = <-ch
			delete(d.removing, old)
		} else {
			err = removeAll(old)
		}
		if err != nil {
			notices = append(notices, fmt.Sprintf("新网站已生成，但原来的网站未能全部删除（%v）；剩下的在 %s，请手动删除，下次构建也会再试", err, old))
		}
	}
	d.old = nil
	d.notices = append(d.notices, notices...)
	return notices
}

// Abort removes everything written; the previous output is untouched. It
// may be called after Commit, and then does nothing.
func (d *Dir) Abort() {
	if !d.finished {
		d.finished = true
		d.returnSpare()
		d.dropLinks()
		_ = sysfile.RemoveAll(d.tmp)
		d.close()
		d.RemoveOld()
	}
	d.close()
}

func (d *Dir) close() {
	d.waitCommitted()
	d.closeOnce.Do(func() {
		d.folder.Release()
		if d.scratch != "" {
			_ = removeAll(d.scratch)
		}
		d.release()
	})
}

// Scratch returns a folder for the build's temporary files (the search
// index's runs and texts, the bulk file): beside the output, on its file
// system rather than in a system temporary folder that may be small or
// in memory, and never published. Commit and Abort remove it; a build
// killed before then leaves it to the next build of the same output,
// which removes it under the lock as it removes the rest of its debris.
func (d *Dir) Scratch() (string, error) {
	d.scratchOnce.Do(func() {
		dir := d.tmp + ".work"
		if d.scratchErr = os.Mkdir(dir, 0o700); d.scratchErr == nil {
			d.scratch = dir
		}
	})
	return d.scratch, d.scratchErr
}
