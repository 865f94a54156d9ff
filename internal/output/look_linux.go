//go:build linux

package output

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// openFinal opens the output folder to look into (look): a rebuild
// looks at every file of the previous output, 140,000 at 100,000
// evaluations, and a name relative to the open folder spares the system
// the walk of the folder's own path each time, and the program a
// FileInfo and a joined path per file. It returns -1 when the folder
// cannot be opened (a first build, before there is one): look then
// falls back to paths.
func openFinal(final string) int {
	fd, err := unix.Open(final, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return -1
	}
	return fd
}

func closeFinal(fd int) { _ = unix.Close(fd) }

// look returns the size and identity of the output's regular file name
// (a slash path), as identity gives them from os.Lstat; ok is false when
// it is not there or not a regular file.
func (d *Dir) look(name string) (size int64, id Identity, ok bool) {
	fd := d.finalDir()
	if fd < 0 {
		st, err := os.Lstat(filepath.Join(d.final, filepath.FromSlash(name)))
		if err != nil || !st.Mode().IsRegular() {
			return 0, Identity{}, false
		}
		return st.Size(), identity(st), true
	}
	var st unix.Stat_t
	for {
		err := unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil || st.Mode&unix.S_IFMT != unix.S_IFREG {
			return 0, Identity{}, false
		}
		break
	}
	return st.Size, Identity{MTime: st.Mtim.Nano(), Ino: st.Ino, CTime: st.Ctim.Nano()}, true
}
