//go:build linux

package pipeline

import (
	"errors"

	"golang.org/x/sys/unix"
)

// openFolder opens dir to look at its files by names relative to it
// (statAt); -1 when it cannot be, and files are then looked at by path.
func openFolder(dir string) int {
	fd, err := unix.Open(dir, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
}

func closeFolder(fd int) { _ = unix.Close(fd) }

// statAt returns the identity of the regular file name (a slash path)
// in the folder open as fd, as stat by path and identify give it: a
// build started anew looks at every content file the cache of loaded
// records names, 200,000 at 100,000 evaluations, and a name relative to
// the open folder spares the walk of the folder's own path and a
// FileInfo for each.
func statAt(fd int, name string) (fileID, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return fileID{}, err
		}
		break
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return fileID{}, errors.New(name + " is not a regular file")
	}
	return fileID{Name: name, Size: st.Size, MTime: st.Mtim.Nano(), CTime: st.Ctim.Nano(), Ino: st.Ino, Dev: st.Dev}, nil
}
