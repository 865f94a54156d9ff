//go:build unix

package output

import (
	"os"
	"path/filepath"
	"syscall"
)

// isMountPoint reports whether dir is the root of a mounted file system
// (a container volume, a bind mount): such a folder cannot be renamed, so
// the swap would fail after the whole site was rendered. A device number
// that differs from the parent's shows most mounts; a bind mount of a
// folder of the same file system shows only in the mount table.
func isMountPoint(dir string) (bool, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return false, err
	}
	pst, err := os.Stat(filepath.Dir(dir))
	if err != nil {
		return false, err
	}
	a, ok1 := st.Sys().(*syscall.Stat_t)
	b, ok2 := pst.Sys().(*syscall.Stat_t)
	if ok1 && ok2 && a.Dev != b.Dev {
		return true, nil
	}
	return mountTableLists(dir), nil
}
