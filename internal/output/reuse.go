package output

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// Beside returns the path of a folder of evalpress's own beside the
// output as the user named it: "."+base+suffix in its parent. An
// incremental build keeps its cache there (suffix ".evalpress-cache"):
// never inside the output, which is replaced whole. It is beside the name,
// not beside the folder a symlinked output leads to (where the lock and
// the temporary folder must be, for the swap): that folder is often a web
// root, and what stays there after a build is published.
func (d *Dir) Beside(suffix string) string {
	named, err := filepath.Abs(d.named)
	if err != nil {
		named = d.final
	}
	return filepath.Join(filepath.Dir(named), "."+filepath.Base(named)+suffix)
}

// AfterCommit sets f to run once Commit has put the new output in place,
// before the lock is released: a cache that describes the output is
// written there, so that no other build reads it half-written. f does not
// run when the build fails. It runs on a goroutine of its own, beside
// what Commit still does to the spare (which changes no file's State),
// and Commit returns once it has. f may read Manifest, not change it.
func (d *Dir) AfterCommit(f func()) { d.afterCommit = f }

func (d *Dir) committed() {
	if d.afterCommit != nil {
		d.afterDone = make(chan struct{})
		go func() {
			defer close(d.afterDone)
			d.afterCommit()
		}()
	}
}

// waitCommitted waits for what AfterCommit set, once it has started.
func (d *Dir) waitCommitted() {
	if d.afterDone != nil {
		<-d.afterDone
	}
}

// ReadPrevious returns the file name of the output this build replaces,
// a slash path relative to its root. Only a regular file is read: the
// previous output is evalpress's own, and anything else there (a link
// someone put in) is not taken into the new one.
func (d *Dir) ReadPrevious(name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	p := filepath.Join(d.final, filepath.FromSlash(name))
	st, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("output: previous %s is not a regular file", name)
	}
	return os.ReadFile(p)
}

// OpenPrevious opens the file name of the output this build replaces,
// to read parts of it; like ReadPrevious, only a regular file.
func (d *Dir) OpenPrevious(name string) (*os.File, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(d.final, filepath.FromSlash(name)))
	if err != nil {
		return nil, err
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fmt.Errorf("output: previous %s is not a regular file", name)
	}
	return f, nil
}

// Reuse puts the previous output's file name into the new output as it
// is: a hard link where the file system allows one (no byte is written),
// a copy of data otherwise. data must be the file's content as the
// caller read and checked it (ReadPrevious). Like Write, a name is
// written once.
//
// In an output updated in place, the file is kept where it is and data is
// not used; it must still be as the previous build left it (Kept), and a
// file changed since the caller asked is an error.
func (d *Dir) Reuse(name string, data []byte) error {
	if d.prev != nil {
		if err := d.claimName(name); err != nil {
			return err
		}
		p, ok := d.prev[name]
		if !ok || !d.intact(name, p) {
			return fmt.Errorf("输出文件 %s 在构建中被改动；请重新构建", name)
		}
		d.keep(name, p)
		return nil
	}
	if err := d.claim(name); err != nil {
		return err
	}
	dst := filepath.Join(d.tmp, filepath.FromSlash(name))
	src := filepath.Join(d.final, filepath.FromSlash(name))
	if st, err := os.Lstat(src); err == nil && st.Mode().IsRegular() && st.Size() == int64(len(data)) {
		if err := os.Link(src, dst); err == nil {
			if d.states != nil {
				if err := d.noted(name, dst, int64(len(data)), sha256.Sum256(data)); err != nil {
					return err
				}
			}
			d.files.Add(1)
			d.bytes.Add(int64(len(data)))
			return nil
		}
	}
	if err := sysfile.WriteFile(dst, data); err != nil {
		return err
	}
	if d.states != nil {
		if err := d.noted(name, dst, int64(len(data)), sha256.Sum256(data)); err != nil {
			return err
		}
	}
	d.files.Add(1)
	d.bytes.Add(int64(len(data)))
	return nil
}

// ReuseChecked is Reuse, in an output updated in place, for a file the
// caller found as the previous build left it during this build (KeptAs,
// Kept): it is kept where it is without being looked at again. At
// 100,000 evaluations the second look was a hundred thousand more
// lstat calls in every rebuild. A file someone edits after the caller's
// look is kept as they left it, as one edited after Reuse is; the
// manifest records it as the previous build's, so the next build finds
// it changed and makes it again.
func (d *Dir) ReuseChecked(name string) error {
	return d.ReuseCheckedAll([]string{name})
}

// ReuseCheckedAll is ReuseChecked for each of names, taking the output's
// lock once for them all: a rebuild of 100,000 evaluations keeps as many
// pages, and their workers, each taking the lock two times a file, spent
// more of the reuse waiting for one another than keeping files. A name
// refused stops it there, as ReuseChecked of each in turn would.
func (d *Dir) ReuseCheckedAll(names []string) error {
	if d.prev == nil {
		return fmt.Errorf("output: files kept as checked in an output not updated in place")
	}
	states := make([]State, len(names))
	d.mu.Lock()
	defer d.mu.Unlock()
	for i, name := range names {
		err := checkName(name)
		p, ok := d.prev[name]
		switch {
		case err != nil:
		case !ok:
			err = fmt.Errorf("output: %s kept as checked is not in the previous output", name)
		case d.seen[name]:
			err = fmt.Errorf("output: %s written twice", name)
		}
		if err != nil {
			d.keepLocked(names[:i], states[:i])
			return err
		}
		d.seen[name] = true
		states[i] = p
	}
	d.keepLocked(names, states)
	return nil
}

func checkName(name string) error {
	clean := filepath.ToSlash(filepath.Clean(name))
	if clean != name || strings.HasPrefix(name, "../") || filepath.IsAbs(name) || name == "." || name == ".." {
		return fmt.Errorf("output: bad file name %q", name)
	}
	return nil
}

// claim notes name as written and creates its folder in the new output.
func (d *Dir) claim(name string) error {
	if err := d.claimName(name); err != nil {
		return err
	}
	return d.ensure(filepath.Dir(filepath.FromSlash(name)))
}

// claimName notes name as written.
func (d *Dir) claimName(name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	d.mu.Lock()
	if d.seen[name] {
		d.mu.Unlock()
		return fmt.Errorf("output: %s written twice", name)
	}
	d.seen[name] = true
	d.mu.Unlock()
	return nil
}
