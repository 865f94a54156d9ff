package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// Dir is an output directory being written. Its methods are safe for
// concurrent use: the renderers write pages from several goroutines.
type Dir struct {
	final string // the output directory the user named
	tmp   string // where files are written until Commit

	mu    sync.Mutex
	dirs  map[string]*dirOnce // directories created, or being created, under tmp
	seen  map[string]bool     // files written, to catch two pages at one path
	files atomic.Int64
	bytes atomic.Int64
}

// Create starts writing a new output for dir.
func Create(dir string) (*Dir, error) {
	final, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	parent := filepath.Dir(final)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	// The temporary directory must be on the same file system as the
	// output so that the final rename is atomic.
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(final)+".new-")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return nil, err
	}
	done := &dirOnce{}
	done.once.Do(func() {})
	return &Dir{final: final, tmp: tmp, dirs: map[string]*dirOnce{".": done}, seen: map[string]bool{}}, nil
}

// dirOnce creates one directory once. Writers of other files in the same
// directory wait for it; writers in other directories do not.
type dirOnce struct {
	once sync.Once
	err  error
}

// Write writes data to name, a slash-separated path relative to the output
// root such as "2023/disability-subsidies/index.html".
func (d *Dir) Write(name string, data []byte) error {
	clean := filepath.ToSlash(filepath.Clean(name))
	if clean != name || strings.HasPrefix(name, "../") || filepath.IsAbs(name) || name == "." {
		return fmt.Errorf("output: bad file name %q", name)
	}
	dir := filepath.Dir(filepath.FromSlash(name))
	d.mu.Lock()
	if d.seen[name] {
		d.mu.Unlock()
		return fmt.Errorf("output: %s written twice", name)
	}
	d.seen[name] = true
	d.mu.Unlock()
	// A second writer into a new directory must not write before the
	// first has created it.
	if err := d.ensure(dir); err != nil {
		return err
	}
	if err := sysfile.WriteFile(filepath.Join(d.tmp, filepath.FromSlash(name)), data); err != nil {
		return err
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
func (d *Dir) ensure(dir string) error {
	d.mu.Lock()
	mk := d.dirs[dir]
	if mk == nil {
		mk = &dirOnce{}
		d.dirs[dir] = mk
	}
	d.mu.Unlock()
	mk.once.Do(func() {
		if parent := filepath.Dir(dir); parent != "." {
			if mk.err = d.ensure(parent); mk.err != nil {
				return
			}
		}
		mk.err = os.Mkdir(filepath.Join(d.tmp, dir), 0o755)
	})
	return mk.err
}

// Count returns the number of files and bytes written so far.
func (d *Dir) Count() (files, bytes int64) { return d.files.Load(), d.bytes.Load() }

// Commit swaps the new output into place. The old output is moved aside
// first and removed only after the new one is in place.
func (d *Dir) Commit() error {
	old := ""
	if _, err := os.Lstat(d.final); err == nil {
		old = d.tmp + ".old"
		if err := os.Rename(d.final, old); err != nil {
			d.Abort()
			return fmt.Errorf("output: cannot move the previous %s aside: %w", d.final, err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		d.Abort()
		return err
	}
	if err := os.Rename(d.tmp, d.final); err != nil {
		if old != "" {
			_ = os.Rename(old, d.final) // put the previous output back
		}
		d.Abort()
		return fmt.Errorf("output: cannot move the new site into %s: %w", d.final, err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// Abort removes everything written; the previous output is untouched.
func (d *Dir) Abort() {
	_ = os.RemoveAll(d.tmp)
}
