//go:build !linux

package output

import (
	"os"
	"path/filepath"
)

// openFinal opens nothing where files are looked at by path.
func openFinal(string) int { return -1 }

func closeFinal(int) {}

// look returns the size and identity of the output's regular file name
// (a slash path); ok is false when it is not there or not a regular
// file.
func (d *Dir) look(name string) (size int64, id Identity, ok bool) {
	st, err := os.Lstat(filepath.Join(d.final, filepath.FromSlash(name)))
	if err != nil || !st.Mode().IsRegular() {
		return 0, Identity{}, false
	}
	return st.Size(), identity(st), true
}
