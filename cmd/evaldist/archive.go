package main

import (
	"archive/tar"
	"archive/zip"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// A file is one regular file of an archive.
type file struct {
	Name string      // slash-separated, under the archive's top folder
	Mode fs.FileMode // 0o755 for programs, 0o644 for the rest
	Body []byte
}

// An entry is a file or a folder as an archive records it: every folder
// has an entry of its own, so that unpacking gives it a fixed mode too.
type entry struct {
	Name string // with a trailing slash for a folder
	Mode fs.FileMode
	Body []byte // nil for a folder
}

// entries returns files and the folders that hold them under top, in
// the order of their names: a folder's name, ending in a slash, sorts
// before the names inside it.
func entries(top string, files []file) ([]entry, error) {
	seen := map[string]bool{}
	list := []entry{{Name: top + "/", Mode: fs.ModeDir | 0o755}}
	for _, f := range files {
		name := top + "/" + f.Name
		if seen[name] {
			return nil, fmt.Errorf("%s: two files of the same name", name)
		}
		seen[name] = true
		list = append(list, entry{Name: name, Mode: f.Mode, Body: f.Body})
		for dir := path.Dir(f.Name); dir != "."; dir = path.Dir(dir) {
			name := top + "/" + dir + "/"
			if !seen[name] {
				seen[name] = true
				list = append(list, entry{Name: name, Mode: fs.ModeDir | 0o755})
			}
		}
	}
	slices.SortFunc(list, func(a, b entry) int { return strings.Compare(a.Name, b.Name) })
	return list, nil
}

// writeTarGz writes entries as a gzip-compressed tar in which nothing
// depends on this machine, its user or the time: owner root (0:0, no
// names), time mtime, and a gzip header without file name or time.
func writeTarGz(w io.Writer, list []entry, mtime time.Time) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(zw)
	for _, e := range list {
		h := &tar.Header{
			Name:    e.Name,
			Mode:    int64(e.Mode.Perm()),
			ModTime: mtime,
			Size:    int64(len(e.Body)),
		}
		if e.Mode.IsDir() {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag = tar.TypeReg
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(e.Body); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return zw.Close()
}

// writeZip writes entries as a zip archive with Deflate and time mtime.
// The modes are stored as Unix modes, which unzip on Linux and macOS
// apply and Windows ignores.
func writeZip(w io.Writer, list []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	for _, e := range list {
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, Modified: mtime}
		if e.Mode.IsDir() {
			h.Method = zip.Store
		}
		h.SetMode(e.Mode)
		fw, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := fw.Write(e.Body); err != nil {
			return err
		}
	}
	return zw.Close()
}

// An archive is a file written into the output folder.
type archive struct {
	Name   string // the file name
	Size   int64
	SHA256 []byte
}

// writeArchive writes files under the folder top into out/name, a zip or a
// gzip-compressed tar as name ends.
func writeArchive(out, name, top string, files []file, mtime time.Time) (archive, error) {
	list, err := entries(top, files)
	if err != nil {
		return archive{}, err
	}
	return writeFile(out, name, func(w io.Writer) error {
		if strings.HasSuffix(name, ".zip") {
			return writeZip(w, list, mtime)
		}
		return writeTarGz(w, list, mtime)
	})
}

// writeSums writes the checksum file of archives into out, one line per
// archive as sha256sum writes them.
func writeSums(out string, archives []archive) error {
	list := slices.Clone(archives)
	slices.SortFunc(list, func(a, b archive) int { return strings.Compare(a.Name, b.Name) })
	_, err := writeFile(out, sumsName, func(w io.Writer) error {
		for _, a := range list {
			if _, err := fmt.Fprintf(w, "%x  %s\n", a.SHA256, a.Name); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// writeFile writes dir/name through a temporary file in dir renamed into
// place, so that dir never holds a partial file under name; on failure
// it removes the temporary file and leaves name as it was.
func writeFile(dir, name string, write func(io.Writer) error) (a archive, err error) {
	f, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return archive{}, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	h := sha256.New()
	counter := &counter{Hash: h}
	bw := bufio.NewWriterSize(io.MultiWriter(f, counter), 1<<20)
	if err := write(bw); err != nil {
		return archive{}, fmt.Errorf("%s: %w", name, err)
	}
	if err := bw.Flush(); err != nil {
		return archive{}, err
	}
	if err := f.Chmod(0o644); err != nil {
		return archive{}, err
	}
	if err := f.Close(); err != nil {
		return archive{}, err
	}
	if err := os.Rename(f.Name(), filepath.Join(dir, name)); err != nil {
		return archive{}, err
	}
	return archive{Name: name, Size: counter.n, SHA256: h.Sum(nil)}, nil
}

// counter is a hash that also counts the bytes it is given.
type counter struct {
	hash.Hash
	n int64
}

func (c *counter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return c.Hash.Write(p)
}
