//go:build unix

package sysfile

import (
	"os"
	"sync"
	"syscall"

	"golang.org/x/sys/unix"
)

func mapFile(name string) ([]byte, func(), error) {
	var fd int
	err := retry(func() (err error) {
		fd, err = syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		return err
	})
	if err != nil {
		return nil, nil, &os.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd) // the mapping outlives the descriptor
	var st syscall.Stat_t
	if err := retry(func() error { return syscall.Fstat(fd, &st) }); err != nil {
		return nil, nil, &os.PathError{Op: "stat", Path: name, Err: err}
	}
	if st.Mode&syscall.S_IFMT == syscall.S_IFREG && st.Size > 0 && int64(int(st.Size)) == st.Size {
		b, err := unix.Mmap(fd, 0, int(st.Size), unix.PROT_READ, unix.MAP_PRIVATE)
		if err == nil {
			mapped.Add(int64(len(b)))
			var once sync.Once
			return b, func() {
				once.Do(func() {
					if unix.Munmap(b) == nil {
						mapped.Add(-int64(len(b)))
					}
				})
			}, nil
		}
	}
	// Nothing to map, not a regular file, too large to map on a 32-bit
	// system, or a file system that cannot map: read, which says what
	// is wrong if anything is.
	b, err := ReadFile(name)
	return b, func() {}, err
}
