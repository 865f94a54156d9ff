package sysfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultLimit bounds a file read from a DirFS with fs.ReadFile. It is the
// largest text file a content folder holds (a narrative); callers that
// expect larger files, such as documents published as they are, ask for
// their own limit with ReadFileLimit, and callers that expect smaller ones
// ask for less.
const DefaultLimit = 4 << 20

// ErrNotRegular is matched (errors.Is) by the error for a file that is not
// a regular file: a symbolic link, a device, a named pipe or a socket.
var ErrNotRegular = errors.New("not a regular file")

// ErrTooLarge is matched (errors.Is) by the error for a file larger than
// the limit it was read with.
var ErrTooLarge = errors.New("file too large")

// NotRegularError says what a refused file is. Its text is Chinese because
// it reaches the web staffer as it is (wrapped in an fs.PathError naming
// the file).
type NotRegularError struct {
	// Mode holds the file's type bits: fs.ModeSymlink, fs.ModeDevice,
	// fs.ModeNamedPipe, fs.ModeSocket or fs.ModeDir.
	Mode fs.FileMode
	// Target is where a symbolic link points, when it could be read.
	Target string
	// Parent is set when not the file but a folder on its path is the
	// symbolic link.
	Parent string
}

func (e *NotRegularError) Error() string {
	switch {
	case e.Parent != "":
		return fmt.Sprintf("路径中的目录 %s 是符号链接", e.Parent)
	case e.Mode&fs.ModeSymlink != 0 && e.Target != "":
		return fmt.Sprintf("是符号链接（指向 %q），不是普通文件", e.Target)
	case e.Mode&fs.ModeSymlink != 0:
		return "是符号链接，不是普通文件"
	case e.Mode&fs.ModeNamedPipe != 0:
		return "是命名管道（FIFO），不是普通文件"
	case e.Mode&fs.ModeSocket != 0:
		return "是套接字，不是普通文件"
	case e.Mode&fs.ModeDevice != 0:
		return "是设备文件，不是普通文件"
	case e.Mode.IsDir():
		return "是目录，不是文件"
	}
	return "不是普通文件"
}

// Is makes errors.Is(err, ErrNotRegular) hold.
func (e *NotRegularError) Is(target error) bool { return target == ErrNotRegular }

// TooLargeError says how large a refused file is and what the limit was.
type TooLargeError struct {
	// Size is the file's size; when the file grew while it was read, it is
	// the bytes read so far (more than Limit).
	Size  int64
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("文件过大（%s，上限 %s）", FormatSize(e.Size), FormatSize(e.Limit))
}

// Is makes errors.Is(err, ErrTooLarge) hold.
func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// FormatSize writes a byte count as people read it: "1.5 MiB", "300 KiB",
// "12 字节".
func FormatSize(n int64) string {
	switch {
	case n >= 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MiB"
	case n >= 1<<10:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KiB"
	}
	return fmt.Sprintf("%d 字节", n)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }

// DirFS returns the file system of the files under dir, for content that
// is to be published. Unlike os.DirFS it refuses (with a *NotRegularError
// in an *fs.PathError) to open a symbolic link, whether the file itself or
// a folder on its path below dir, a device, a named pipe or a socket; it
// opens without blocking; and its ReadFile, which fs.ReadFile uses, reads
// at most DefaultLimit bytes (ReadFileLimit reads with another limit).
// dir itself may be reached through symbolic links: the person who names
// it on the command line chose it.
//
// The returned FS implements fs.ReadFileFS, fs.ReadDirFS, fs.StatFS and
// fs.ReadLinkFS; Stat describes a symbolic link itself, as os.Lstat does.
func DirFS(dir string) fs.FS {
	// With dir's own links resolved, any link met while opening a file
	// lies below dir, which is what the system calls refuse.
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return &dirFS{dir: dir}
}

type dirFS struct {
	dir string
	// listings, when set, holds the listings ReadDir reads, and answers
	// from them (DirFSListed).
	listings *Listings
}

// join returns the system path of name, which must be valid.
func (d *dirFS) join(op, name string) (string, error) {
	if !fs.ValidPath(name) {
		return "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	return filepath.Join(d.dir, filepath.FromSlash(name)), nil
}

// rename makes err name the file within the FS, as os.DirFS does.
func rename(err error, name string) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		pe.Path = name
	}
	return err
}

func (d *dirFS) Open(name string) (fs.File, error) {
	full, err := d.join("open", name)
	if err != nil {
		return nil, err
	}
	f, err := openFile(d.dir, full)
	if err != nil {
		return nil, rename(err, name)
	}
	return f, nil
}

func (d *dirFS) ReadFile(name string) ([]byte, error) {
	return d.ReadFileLimit(name, DefaultLimit)
}

// ReadFileLimit reads name as ReadFile does, refusing a file larger than
// limit bytes with a *TooLargeError.
func (d *dirFS) ReadFileLimit(name string, limit int64) ([]byte, error) {
	full, err := d.join("readfile", name)
	if err != nil {
		return nil, err
	}
	b, err := readFile(d.dir, full, limit)
	if err != nil {
		return nil, rename(err, name)
	}
	return b, nil
}

func (d *dirFS) Stat(name string) (fs.FileInfo, error) {
	full, err := d.join("stat", name)
	if err != nil {
		return nil, err
	}
	st, err := os.Lstat(full)
	if err != nil {
		return nil, rename(err, name)
	}
	return st, nil
}

// Lstat is Stat: DirFS follows no link.
func (d *dirFS) Lstat(name string) (fs.FileInfo, error) { return d.Stat(name) }

// ReadLink says where a link points, for messages; the link is never
// followed.
func (d *dirFS) ReadLink(name string) (string, error) {
	full, err := d.join("readlink", name)
	if err != nil {
		return "", err
	}
	target, err := os.Readlink(full)
	if err != nil {
		return "", rename(err, name)
	}
	return target, nil
}

func (d *dirFS) ReadDir(name string) ([]fs.DirEntry, error) {
	held := d.listings != nil && fs.ValidPath(name) && followed(name)
	if held {
		if entries, ok := d.listings.held(name); ok {
			return entries, nil
		}
	}
	entries, err := d.readDir(name)
	if held && err == nil {
		d.listings.hold(name, entries)
	}
	return entries, err
}

func (d *dirFS) readDir(name string) ([]fs.DirEntry, error) {
	f, err := d.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir, ok := f.(fs.ReadDirFile)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	entries, err := dir.ReadDir(-1)
	if err != nil {
		return nil, rename(err, name)
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// ReadFileLimit reads name from fsys, refusing (with a *TooLargeError in
// an *fs.PathError) a file larger than limit bytes before reading it when
// its size is known, and while reading it when it grows. A DirFS, or an FS
// made by Limit, reads with its own checks; any other FS must give a
// regular file.
func ReadFileLimit(fsys fs.FS, name string, limit int64) ([]byte, error) {
	if l, ok := fsys.(interface {
		ReadFileLimit(string, int64) ([]byte, error)
	}); ok {
		return l.ReadFileLimit(name, limit)
	}
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &NotRegularError{Mode: st.Mode().Type()}}
	}
	if st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: st.Size(), Limit: limit}}
	}
	// Sized from the stat as os.ReadFile does, not grown by doubling.
	b := make([]byte, 0, min(max(st.Size(), 0), limit)+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := f.Read(b[len(b):min(int64(cap(b)), limit+1)])
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return nil, &fs.PathError{Op: "read", Path: name, Err: &TooLargeError{Size: int64(len(b)), Limit: limit}}
		}
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// Limit returns fsys with a ReadFile (which fs.ReadFile uses) that reads
// at most n bytes, through ReadFileLimit.
func Limit(fsys fs.FS, n int64) fs.FS { return limitFS{fsys, n} }

type limitFS struct {
	fs.FS
	n int64
}

func (l limitFS) ReadFile(name string) ([]byte, error) { return ReadFileLimit(l.FS, name, l.n) }

func (l limitFS) ReadFileLimit(name string, n int64) ([]byte, error) {
	return ReadFileLimit(l.FS, name, min(n, l.n))
}

// checkParents refuses a path whose folders below dir include a symbolic
// link. It serves the systems where one system call cannot refuse them.
func checkParents(dir, full string) error {
	rel, err := filepath.Rel(dir, filepath.Dir(full))
	if err != nil || rel == "." {
		return nil
	}
	sub := ""
	for _, seg := range strings.Split(rel, string(filepath.Separator)) {
		sub = filepath.Join(sub, seg)
		st, err := os.Lstat(filepath.Join(dir, sub))
		if err != nil {
			return err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			return &fs.PathError{Op: "open", Path: full, Err: &NotRegularError{Mode: fs.ModeSymlink, Parent: filepath.ToSlash(sub)}}
		}
	}
	return nil
}
