package sysfile

import (
	"sync/atomic"
	"syscall"

	"golang.org/x/sys/unix"
)

// noOpenat2 is set once openat2 turned out to be missing (Linux before
// 5.6) or forbidden (older container seccomp profiles answer EPERM).
var noOpenat2 atomic.Bool

// openNoFollow opens full for reading without following a symbolic link
// anywhere on its path. DirFS resolved dir's own links, so one openat2
// with RESOLVE_NO_SYMLINKS refuses exactly the links below dir, with no
// window between a check and the open. Where openat2 is not available,
// the folders below dir are checked one by one before an open with
// O_NOFOLLOW.
func openNoFollow(dir, full string) (int, error) {
	if !noOpenat2.Load() {
		how := unix.OpenHow{Flags: openFlags, Resolve: unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS}
		for {
			fd, err := unix.Openat2(unix.AT_FDCWD, full, &how)
			switch err {
			case nil:
				return fd, nil
			case unix.EINTR:
				continue
			case unix.ENOSYS, unix.EPERM:
				noOpenat2.Store(true)
			default:
				return -1, err
			}
			break
		}
	}
	if err := checkParents(dir, full); err != nil {
		return -1, err
	}
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(full, openFlags, 0)
		return err
	})
	return fd, err
}
