//go:build darwin

package pipeline

import (
	"io/fs"
	"syscall"
)

// identify fills in what the system tells of a file besides its size and
// modification time: its inode and device, and its change time, which
// no program can set back (touch -d sets the modification time, and
// changes the change time to now).
func identify(id *fileID, st fs.FileInfo) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		id.Ino, id.Dev = uint64(s.Ino), uint64(s.Dev)
		sec, nsec := s.Ctimespec.Unix()
		id.CTime = sec*1e9 + nsec
	}
}
