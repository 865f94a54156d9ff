package sysfile

import (
	"io/fs"
	"os"
	"path/filepath"
)

// DirFS is os.DirFS(dir) whose ReadFile (which fs.ReadFile uses) is
// ReadFile.
func DirFS(dir string) fs.FS { return dirFS{os.DirFS(dir), dir} }

type dirFS struct {
	fs.FS
	dir string
}

func (d dirFS) ReadFile(name string) ([]byte, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "readfile", Path: name, Err: fs.ErrInvalid}
	}
	b, err := ReadFile(filepath.Join(d.dir, filepath.FromSlash(name)))
	if err != nil {
		// As os.DirFS does: the error names the file within the FS.
		if pe, ok := err.(*fs.PathError); ok {
			pe.Path = name
		}
		return nil, err
	}
	return b, nil
}
