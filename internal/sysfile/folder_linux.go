package sysfile

import (
	"io/fs"

	"golang.org/x/sys/unix"
)

// openFolder opens dir to look into (Folder); -1 when it cannot be.
func openFolder(dir string) int {
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
}

func closeFolder(fd int) { _ = unix.Close(fd) }

// statAt looks at name relative to the folder open as fd.
func statAt(fd int, name string) (FileStat, error) {
	var st unix.Stat_t
	if err := retry(func() error { return unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) }); err != nil {
		return FileStat{}, &fs.PathError{Op: "lstat", Path: name, Err: err}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return FileStat{}, &fs.PathError{Op: "lstat", Path: name, Err: ErrNotRegular}
	}
	return FileStat{Size: st.Size, MTime: st.Mtim.Nano(), CTime: st.Ctim.Nano(), Ino: st.Ino, Dev: st.Dev}, nil
}
