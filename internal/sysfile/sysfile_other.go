//go:build !unix

package sysfile

import (
	"io"
	"io/fs"
	"os"
)

// WriteFile creates name with data.
func WriteFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }

// ReadFile returns the contents of name.
func ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// refuse returns the error for a file that may not be read: anything but
// a regular file, or a folder when dirOK.
func refuse(full string, st fs.FileInfo, dirOK bool) error {
	if st.Mode().IsRegular() || dirOK && st.IsDir() {
		return nil
	}
	e := &NotRegularError{Mode: st.Mode().Type()}
	if e.Mode&fs.ModeSymlink != 0 {
		e.Target, _ = os.Readlink(full)
	}
	return &fs.PathError{Op: "open", Path: full, Err: e}
}

// openFile opens full, below dir, as DirFS promises: it looks before it
// opens and checks the opened file again.
func openFile(dir, full string) (*os.File, error) {
	st, err := os.Lstat(full)
	if err != nil {
		return nil, err
	}
	if err := refuse(full, st, true); err != nil {
		return nil, err
	}
	if err := checkParents(dir, full); err != nil {
		return nil, err
	}
	f, err := os.Open(full)
	if err != nil {
		return nil, err
	}
	if st, err = f.Stat(); err != nil {
		f.Close()
		return nil, err
	}
	if err := refuse(full, st, true); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// readFile reads full, a regular file below dir, refusing it when it is
// larger than limit, before reading and while reading.
func readFile(dir, full string, limit int64) ([]byte, error) {
	f, err := openFile(dir, full)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if err := refuse(full, st, false); err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, &fs.PathError{Op: "read", Path: full, Err: &TooLargeError{Size: st.Size(), Limit: limit}}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &fs.PathError{Op: "read", Path: full, Err: &TooLargeError{Size: int64(len(b)), Limit: limit}}
	}
	return b, nil
}
