package sysfile

import (
	"sync"
	"sync/atomic"
)

// Folder is a folder held open to look at its files by names relative to
// it: a rebuild looks at every file of the previous output (140,000 at
// 100,000 evaluations) and, started anew, at every content file the
// cache of loaded records names (200,000), and a name relative to the
// open folder spares the system the walk of the folder's own path each
// time, and the program a joined path and a FileInfo per file. The
// folder is opened when first looked into and held until Release.
// Where the system offers no such look (only Linux does here), or the
// folder cannot be opened or was released, Lstat says it is not held
// and the caller looks by path.
type Folder struct {
	dir  string
	once sync.Once
	fd   atomic.Int64 // the descriptor plus one; 0 when not open
}

// FileStat is what Folder.Lstat tells of a regular file.
type FileStat struct {
	Size         int64
	MTime, CTime int64 // Unix nanoseconds
	Ino, Dev     uint64
}

// HoldFolder returns dir to be held open once a file of it is looked at.
func HoldFolder(dir string) *Folder { return &Folder{dir: dir} }

// Lstat looks at the file name (a slash path) of the folder, not
// following a link at its end, as os.Lstat of the joined path does;
// held is false when the folder is not held open, and then nothing was
// looked at. A folder, a link or any other file that is not a regular
// one is an error matching ErrNotRegular.
func (f *Folder) Lstat(name string) (st FileStat, held bool, err error) {
	f.once.Do(func() { f.fd.Store(int64(openFolder(f.dir)) + 1) })
	fd := int(f.fd.Load()) - 1
	if fd < 0 {
		return FileStat{}, false, nil
	}
	st, err = statAt(fd, name)
	return st, true, err
}

// Release closes the folder; it is not opened again. It is safe to call
// more than once, and from a cleanup, but not while an Lstat may still
// run: its descriptor could by then name another file. The output and
// the record cache release it once their looks are done (Commit, save).
func (f *Folder) Release() {
	f.once.Do(func() {})
	if fd := int(f.fd.Swap(0)) - 1; fd >= 0 {
		closeFolder(fd)
	}
}
