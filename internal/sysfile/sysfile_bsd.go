//go:build unix && !linux

package sysfile

import "syscall"

// openNoFollow opens full for reading without following a symbolic link
// on its path below dir: the folders are checked one by one, the file
// itself by O_NOFOLLOW.
func openNoFollow(dir, full string) (int, error) {
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
