package sysfile

import (
	"io"
	"os"
)

// CopyRange appends n bytes of src, from its offset off, to dst at dst's
// offset, without moving src's offset: src may be read at other offsets
// (ReadAt) meanwhile. Where the system can (copy_file_range on Linux) the
// bytes are copied in the kernel, never through the process: the open
// data's files of all years are hundreds of megabytes at 100,000
// evaluations, and a rebuild copies most of them from the previous
// output. A src shorter than off+n is io.ErrUnexpectedEOF.
func CopyRange(dst, src *os.File, off, n int64) error {
	done, err := copyRange(dst, src, off, n)
	if err != nil || done == n {
		return err
	}
	m, err := io.Copy(dst, io.NewSectionReader(src, off+done, n-done))
	if err == nil && m < n-done {
		err = io.ErrUnexpectedEOF
	}
	return err
}
