package buildcache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// A part is a file of the cache that a build reads whole and writes whole
// (the cache of loaded records keeps its records in parts): a magic line,
// the payload's check (fileSum), the payload. Unlike the index it is not tied to
// the output: it describes the content, and a damaged or missing part
// only means that its records are read again.
const (
	partMagic  = "evalpress-cache-part 2\n"
	partPrefix = "part-"
)

// ErrNoPart is returned by ReadPart for a part that does not exist.
var ErrNoPart = errors.New("没有这个缓存文件")

// ReadPart returns the payload of part name, checked against its hash. A
// missing part is ErrNoPart; a damaged one another error.
func (c *Cache) ReadPart(name string) ([]byte, error) {
	if !validPartName(name) {
		return nil, fmt.Errorf("缓存文件名 %q 不对", name)
	}
	path := filepath.Join(c.dir, partPrefix+name)
	payload, err := c.readChecked(path, partMagic)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return nil, ErrNoPart
	case errors.Is(err, errFormat):
		return nil, fmt.Errorf("缓存文件 %s 格式不对", partPrefix+name)
	case errors.Is(err, errSum):
		return nil, fmt.Errorf("缓存文件 %s 已损坏（校验值不符）", partPrefix+name)
	}
	return payload, err
}

// WritePart replaces part name with payload in one rename, so that a
// reader sees the old part or the new one. It is not synced: a part cut
// short by a crash fails its hash and reads as no part.
func (c *Cache) WritePart(name string, payload []byte) error {
	if !validPartName(name) {
		return fmt.Errorf("缓存文件名 %q 不对", name)
	}
	f, err := os.CreateTemp(c.dir, "."+partPrefix+name+".tmp-")
	if err != nil {
		return err
	}
	sum := fileSum(payload)
	err = f.Chmod(0o644) // as the cache's other files, not CreateTemp's 0600
	if err == nil {
		_, err = f.WriteString(partMagic)
	}
	if err == nil {
		_, err = f.Write(sum[:])
	}
	if err == nil {
		_, err = f.Write(payload)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	path := filepath.Join(c.dir, partPrefix+name)
	c.held.forget(path)
	if err == nil {
		err = sysfile.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return err
	}
	c.held.keep(path, nil, payload)
	return nil
}

// validPartName accepts the names a caller gives parts: ASCII letters,
// digits, '-' and '.', never a path.
func validPartName(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") {
		return false
	}
	for _, c := range name {
		if !(c == '-' || c == '.' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// A cache file's payload is checked by its CRC-32C, as LevelDB and
// RocksDB check their blocks and ext4 its metadata: the check is against
// a file cut short or damaged on the disk (the files are replaced only by
// renames), not against someone who can write the cache's folder, who
// could as well write the output. A rebuild started anew at 100,000
// evaluations checks some 250 MB of index and parts: with SHA-256 this
// took 0.28 s of its CPU, with CRC-32C (the processor's instruction)
// 0.17 s, most of which is the first reading of the mapped pages.
const sumSize = crc32.Size

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// fileSum is the check of a cache file's payload b.
func fileSum(b []byte) [sumSize]byte {
	return sumOf(crc32.Checksum(b, castagnoli))
}

// newFileSum returns a hash that sums as fileSum, for a payload written
// in pieces.
func newFileSum() hash.Hash32 { return crc32.New(castagnoli) }

func sumOf(c uint32) [sumSize]byte {
	var s [sumSize]byte
	binary.BigEndian.PutUint32(s[:], c)
	return s
}

// errFormat and errSum are what readChecked finds wrong with a file.
var (
	errFormat = errors.New("format")
	errSum    = errors.New("sum")
)

// readChecked returns the payload of the file at path, which holds magic,
// the payload's check (fileSum) and the payload: the one held for the file if it
// is still the same (Held), else read and checked against its hash.
//
// A build started anew maps the file (sysfile.MapFile) rather than
// reading it, and its records and index share the mapping until it
// ends; the cache's files are replaced only by renames, so it stays as
// it was. A process that holds the cache's files (build -watch) keeps
// what they share for hours, while the folder is anyone's to copy over:
// it reads them into memory of its own, once.
func (c *Cache) readChecked(path, magic string) ([]byte, error) {
	if payload, ok := c.held.take(path); ok {
		return payload, nil
	}
	var (
		b       []byte
		fi      os.FileInfo // for Held.keep, looked at before the read
		release = func() {}
		err     error
	)
	if c.held == nil {
		b, release, err = sysfile.MapFile(path)
	} else {
		fi, _ = os.Lstat(path)
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, err
	}
	rest, ok := bytes.CutPrefix(b, []byte(magic))
	if !ok || len(rest) < sumSize {
		release()
		return nil, errFormat
	}
	want, payload := rest[:sumSize], rest[sumSize:]
	if sum := fileSum(payload); !bytes.Equal(sum[:], want) {
		release()
		return nil, errSum
	}
	if fi != nil {
		c.held.keep(path, fi, payload)
	}
	return payload, nil
}
