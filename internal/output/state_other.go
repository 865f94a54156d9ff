//go:build !linux && !darwin

package output

import "io/fs"

// identity is a file's modification time alone where the system offers
// no inode or change time through os.Lstat (Windows): an edit of the
// output that keeps a file's size and modification time is not seen
// there (see README, incremental builds).
func identity(st fs.FileInfo) Identity {
	return Identity{MTime: st.ModTime().UnixNano()}
}
