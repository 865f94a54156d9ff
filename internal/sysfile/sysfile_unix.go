//go:build unix

package sysfile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// WriteFile creates name (mode 0644 before the umask) with data: open,
// write (again only after a short write) and close.
func WriteFile(name string, data []byte) error {
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, 0o644)
		return err
	})
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 {
		var n int
		err = retry(func() (err error) {
			n, err = syscall.Write(fd, data)
			return err
		})
		if err != nil {
			syscall.Close(fd)
			return &os.PathError{Op: "write", Path: name, Err: err}
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return &os.PathError{Op: "close", Path: name, Err: err}
	}
	return nil
}

// ReadFile returns the contents of name: open, fstat for the size, read
// until end of file, close.
func ReadFile(name string) ([]byte, error) {
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if err := retry(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		return nil, &os.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFDIR {
		return nil, &os.PathError{Op: "read", Path: name, Err: syscall.EISDIR}
	}
	// One byte more than the size, so that the read that fills it is
	// followed by the one that says end of file, and a file that grew
	// since the fstat is read whole all the same.
	b := make([]byte, 0, int(max(st.Size, 0))+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		var n int
		err := retry(func() (err error) {
			n, err = syscall.Read(fd, b[len(b):cap(b)])
			return err
		})
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: name, Err: err}
		}
		if n == 0 {
			return b, nil
		}
		b = b[:len(b)+n]
	}
}

// retry calls f again while it is interrupted by a signal.
func retry(f func() error) error {
	for {
		if err := f(); err != syscall.EINTR {
			return err
		}
	}
}

// openFlags open a content file for reading. O_NOFOLLOW refuses a symbolic
// link; O_NONBLOCK keeps a named pipe that slipped past the Lstat (swapped
// in meanwhile) from blocking the open until a writer comes, which would
// hang a build or the preview; O_NOCTTY keeps a terminal from becoming the
// process's controlling one.
const openFlags = syscall.O_RDONLY | syscall.O_CLOEXEC | syscall.O_NOFOLLOW | syscall.O_NONBLOCK | syscall.O_NOCTTY

// fileMode turns the type bits of a stat mode into fs.FileMode's.
func fileMode(m uint32) fs.FileMode {
	switch m & syscall.S_IFMT {
	case syscall.S_IFDIR:
		return fs.ModeDir
	case syscall.S_IFLNK:
		return fs.ModeSymlink
	case syscall.S_IFCHR:
		return fs.ModeDevice | fs.ModeCharDevice
	case syscall.S_IFBLK:
		return fs.ModeDevice
	case syscall.S_IFIFO:
		return fs.ModeNamedPipe
	case syscall.S_IFSOCK:
		return fs.ModeSocket
	case syscall.S_IFREG:
		return 0
	}
	return fs.ModeIrregular
}

// refuse returns the error for a file of the given stat mode that may not
// be read: anything but a regular file, or a folder when dirOK.
func refuse(full string, mode uint32, dirOK bool) error {
	t := mode & syscall.S_IFMT
	if t == syscall.S_IFREG || dirOK && t == syscall.S_IFDIR {
		return nil
	}
	e := &NotRegularError{Mode: fileMode(t)}
	if t == syscall.S_IFLNK {
		e.Target, _ = os.Readlink(full)
	}
	return &os.PathError{Op: "open", Path: full, Err: e}
}

// openConfined opens full, a path below dir, as DirFS promises: it looks
// (Lstat) before it opens, so that a device or a pipe is never opened at
// all, then checks the opened file again (fstat), so that a file swapped
// in between is refused all the same.
func openConfined(dir, full string, dirOK bool) (int, *syscall.Stat_t, error) {
	var st syscall.Stat_t
	if err := retry(func() error { return syscall.Lstat(full, &st) }); err != nil {
		return -1, nil, &os.PathError{Op: "lstat", Path: full, Err: err}
	}
	if err := refuse(full, uint32(st.Mode), dirOK); err != nil {
		return -1, nil, err
	}
	fd, err := openNoFollow(dir, full)
	if err != nil {
		if pe := (*fs.PathError)(nil); errors.As(err, &pe) {
			return -1, nil, err
		}
		if err == syscall.ELOOP || err == syscall.EMLINK {
			// The file became a link since the Lstat, or a folder on its
			// path is one: say which.
			if perr := checkParents(dir, full); perr != nil {
				return -1, nil, perr
			}
			target, _ := os.Readlink(full)
			err = &NotRegularError{Mode: fs.ModeSymlink, Target: target}
		}
		return -1, nil, &os.PathError{Op: "open", Path: full, Err: err}
	}
	if err := retry(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		syscall.Close(fd)
		return -1, nil, &os.PathError{Op: "stat", Path: full, Err: err}
	}
	if err := refuse(full, uint32(st.Mode), dirOK); err != nil {
		syscall.Close(fd)
		return -1, nil, err
	}
	return fd, &st, nil
}

// openFile opens full for DirFS.Open: a regular file or a folder.
func openFile(dir, full string) (*os.File, error) {
	fd, _, err := openConfined(dir, full, true)
	if err != nil {
		return nil, err
	}
	return os.NewFile(uintptr(fd), full), nil
}

// readFile reads full, a regular file below dir, refusing it when it is
// larger than limit: by its size before reading, and by what is read when
// it grows meanwhile (a log being written, or a file that only pretends
// to be empty, as those of /proc do).
func readFile(dir, full string, limit int64) ([]byte, error) {
	fd, st, err := openConfined(dir, full, false)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	if st.Size > limit {
		return nil, &os.PathError{Op: "read", Path: full, Err: &TooLargeError{Size: st.Size, Limit: limit}}
	}
	// One byte more than the size, so that the read that fills it is
	// followed by the one that says end of file; never more than one byte
	// past the limit, which is enough to tell that the file is too large.
	b := make([]byte, 0, min(max(st.Size, 0), limit)+1)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		end := min(int64(cap(b)), limit+1)
		var n int
		err := retry(func() (err error) {
			n, err = syscall.Read(fd, b[len(b):end])
			return err
		})
		if err != nil {
			return nil, &os.PathError{Op: "read", Path: full, Err: err}
		}
		if n == 0 {
			return b, nil
		}
		b = b[:len(b)+n]
		if int64(len(b)) > limit {
			return nil, &os.PathError{Op: "read", Path: full, Err: &TooLargeError{Size: int64(len(b)), Limit: limit}}
		}
	}
}
