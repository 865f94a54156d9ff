package sysfile

import (
	"io"
	"os"

	"golang.org/x/sys/unix"
)

// copyRange copies with copy_file_range what it can of CopyRange's n
// bytes and returns how many; the caller copies the rest through the
// process (a file system without the call, or files on two file systems
// before Linux 5.19). The end of src is io.ErrUnexpectedEOF.
func copyRange(dst, src *os.File, off, n int64) (done int64, err error) {
	rc, rerr := src.SyscallConn()
	wc, werr := dst.SyscallConn()
	if rerr != nil || werr != nil {
		return 0, nil
	}
	_ = rc.Control(func(sfd uintptr) {
		_ = wc.Control(func(dfd uintptr) {
			for done < n {
				roff := off + done
				m, cerr := unix.CopyFileRange(int(sfd), &roff, int(dfd), nil, int(min(n-done, 1<<30)), 0)
				switch {
				case cerr == unix.EINTR:
					continue
				case cerr != nil:
					return // the rest through the process
				case m == 0:
					err = io.ErrUnexpectedEOF
					return
				}
				done += int64(m)
			}
		})
	})
	return done, err
}
