//go:build darwin

package output

import (
	"io/fs"
	"syscall"
)

// identity is what the system tells of a file besides its size and
// modification time: its inode, and its change time, which no program
// can set back. Any write, rename or link of the file changes it.
func identity(st fs.FileInfo) Identity {
	id := Identity{MTime: st.ModTime().UnixNano()}
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		id.Ino = uint64(s.Ino)
		sec, nsec := s.Ctimespec.Unix()
		id.CTime = sec*1e9 + nsec
	}
	return id
}
