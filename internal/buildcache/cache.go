package buildcache

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evalpress/evalpress/internal/linkcheck"
	"github.com/evalpress/evalpress/internal/output"
	"github.com/evalpress/evalpress/internal/search"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// Sum is a SHA-256 content hash.
type Sum = [sha256.Size]byte

// MarkerName is the file that marks a folder as evalpress's cache.
const MarkerName = "EVALPRESS-CACHE.txt"

// markerText is the marker's content; a folder is the cache only when its
// marker starts with markerHead.
const markerText = markerHead + `
本文件夹是 evalpress build 的增量构建缓存：记录上次生成的每个评价页面由哪些内容生成，
下次构建时内容没有变化的页面直接沿用上次的输出，不再重新生成。
它不是网站的一部分，不要发布它；可以随时整个删除，下次构建会完整生成并重建缓存。

This folder is the incremental build cache of evalpress build. It is not
part of the site; delete it at any time, and the next build is a full one.
`

const markerHead = "evalpress incremental build cache"

// indexName is the index file; its magic line names the format, and
// with it the format of the segments it refers to: an index of another
// format is refused (a notice and a full build), so that no segment is
// misread. Format 2 was gob; 3 is indexcodec.go's, 4 adds the
// groups' chunks of rows (Entry.Rows), and 5 the hashes of the files' ids
// (File.IDs, Index.IDs); 8 checks the file by CRC-32C instead of SHA-256.
const (
	indexName  = "index"
	indexMagic = "evalpress-cache-index 8\n"
	docsPrefix = "docs-"
	docsSuffix = ".gob"
	// linksPrefix and linksSuffix name the segments of link facts
	// (NewLinkSegment), which linkcheck.FactsWriter writes.
	linksPrefix = "links-"
	linksSuffix = ".facts"
)

// Index is what the cache knows of the previous output.
type Index struct {
	// Entries are the evaluation pages, by page path ("2023/roads/").
	Entries map[string]*Entry
	// Segments are the document files the entries refer to, with their
	// hash and the number of documents each holds.
	Segments map[string]Segment
	// Groups are the site-wide pages (the lists, the booklets, the open
	// data), each page or set of pages made together, by the name the
	// renderer gives it (site.Group). Their entries have no search
	// document (Seg is "").
	Groups map[string]*Entry
	// Output is every file of the previous output as the build left it
	// (output.Dir.Manifest): the next build updates the output in place
	// from it. nil in an index of a build that kept none.
	Output map[string]output.State
	// Unlinked are files of Output that no reference of that build's site
	// led to, as far as it knew (a file of Output not here may have been
	// unlinked too): one of them gone breaks no page kept. Written with
	// Output, nil when it is.
	Unlinked map[string]bool
	// IDs are the hashes of the ids (linkcheck.Facts.IDsSum) of the files
	// the link check read that have no link facts in an entry (File.IDs):
	// the assets, a page whose group has no key.
	IDs map[string]Sum
}

// Segment describes one file of search documents.
type Segment struct {
	// Sum is the hash of the file or, when it has Chunks, of their sums
	// in order.
	Sum   Sum
	Count int
	// Chunks split the file by documents (see chunkOf), each with the
	// hash of its bytes, so that DocsOf reads and checks the chunks of
	// the few documents it wants and not the whole file. nil in a
	// segment of a build that kept none: its file is read whole.
	Chunks []Chunk
	// Size and ID are the file as Save found it (see Check).
	Size int64
	ID   output.Identity
}

// Entry is one evaluation page of the previous output, or one group of
// its site-wide pages.
type Entry struct {
	// Key is the hash of every input of the page (internal/pipeline).
	Key Sum
	// Files are the output files the page wrote: its index.html and the
	// files beside its record that it published.
	Files []File
	// Published are the content files the page published, relative to
	// the content folder.
	Published []string
	// Seg and Ord locate the page's search document: the Ord-th of
	// segment Seg.
	Seg string
	Ord int
	// LinkSeg is the segment that holds the link check's facts of the
	// page's files (File.Links), "" when none does.
	LinkSeg string
	// Pages is how many pages a group's files are (Index.Groups).
	Pages int
	// Parts are, for the open data's group, where each year's parts lie
	// in its files of all years (internal/pipeline, dataparts.go).
	Parts []Part
	// Rows are, for a group of the big lists' pages, where the chunks of
	// a list's rows lie in its files (internal/pipeline, rowparts.go).
	Rows []Rows
}

// Rows is where the chunks of a list's rows (site.RowChunk) lie in a
// file of a group: the first at Off, each after the one before.
type Rows struct {
	File   string
	Off    int64
	Chunks []RowChunk
}

// RowChunk is one chunk of a list's rows: its length, and the key of
// what it was made from.
type RowChunk struct {
	Key Sum
	Len int64
}

// Part is where one year's parts lie in the open data's files of all
// years, and the key of what they were made from.
type Part struct {
	Year     int
	Key      Sum
	Off, Len [5]int64
	// Chunks are the year's chunks of evaluations (export.Chunk), each
	// with the key of what it was made from, and ZipOff where the first
	// one's deflated data lies in each entry of the year's zip; none
	// when the year was taken whole.
	Chunks []DataChunk
	ZipOff [5]int64
	// States are the SHA-256 state of each file of all years after the
	// year's part (export.Parts.States), nil where not known.
	States [5][]byte
}

// DataChunk is where one chunk of a year of the open data lies: the length of
// its part of each file of all years and of its deflated data in each
// entry of the year's zip, and the key of what it was made from.
type DataChunk struct {
	Key           Sum
	Plain, Packed [5]int64
}

// File is one output file as the previous build wrote it.
type File struct {
	Name string // slash path relative to the output root
	Size int64
	Sum  Sum
	// Links is 1 + the ordinal of the file's link facts in its entry's
	// LinkSeg (SegmentWriter.AddLinks); 0 when the cache has none (a
	// file the link check does not read, or one it must read again).
	Links int
	// IDs is, when Links is not 0, the hash of the ids of the file
	// (linkcheck.Facts.IDsSum): a build that makes the file again knows
	// by it, without reading the facts, whether the file lost an id that
	// a page kept may name.
	IDs Sum
}

// Cache is an open cache folder.
type Cache struct {
	dir string
	// loaded is the size of the index Load read: Save's buffer starts
	// a little larger. Grown from nothing, the 30 MB of an index of
	// 100,000 evaluations were copied some twenty times.
	loaded int
	// held, when set (Hold), keeps the index and the parts between the
	// builds of one process.
	held *Held
}

// Dir returns the cache's folder.
func (c *Cache) Dir() string { return c.dir }

// RefusedError says why a folder cannot serve as the cache. Nothing in
// it has been read or changed.
type RefusedError struct {
	Dir    string
	Reason string
}

func (e *RefusedError) Error() string { return e.Dir + "：" + e.Reason }

// Open returns the cache at dir, creating the folder when it does not
// exist. It refuses (a *RefusedError) a dir that is, holds or lies inside
// the content folder, and an existing dir that is not a folder carrying
// the cache's marker: those are the user's.
func Open(dir, content string) (*Cache, error) {
	if err := apart(dir, content); err != nil {
		return nil, err
	}
	st, err := os.Lstat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Mkdir(dir, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(dir, MarkerName), []byte(markerText), 0o644); err != nil {
			return nil, err
		}
		return &Cache{dir: dir}, nil
	case err != nil:
		return nil, err
	case !st.IsDir():
		return nil, &RefusedError{dir, "已存在，但不是 evalpress 的缓存文件夹"}
	}
	m, err := os.Lstat(filepath.Join(dir, MarkerName))
	if err != nil || !m.Mode().IsRegular() {
		return nil, &RefusedError{dir, "已存在，但没有 evalpress 缓存的标记文件 " + MarkerName + "，不是 evalpress 建的"}
	}
	head := make([]byte, len(markerHead))
	f, err := os.Open(filepath.Join(dir, MarkerName))
	if err != nil {
		return nil, err
	}
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || string(head) != markerHead {
		return nil, &RefusedError{dir, "已存在，但标记文件 " + MarkerName + " 不是 evalpress 写的"}
	}
	return &Cache{dir: dir}, nil
}

// apart refuses a cache folder that is the content folder, holds it or
// lies inside it: the cache never reads or writes the user's content.
func apart(dir, content string) error {
	if content == "" {
		return nil
	}
	d, err1 := realPath(dir)
	c, err2 := realPath(content)
	if err1 != nil || err2 != nil {
		return &RefusedError{dir, "无法确定它与内容文件夹的位置关系"}
	}
	if within(d, c) || within(c, d) {
		return &RefusedError{dir, "与内容文件夹 " + content + " 重叠，缓存不能放在内容文件夹里，也不能包含它"}
	}
	return nil
}

// realPath is p made absolute with the symlinks of its existing part
// followed.
func realPath(p string) (string, error) {
	p, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	rest := ""
	for {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(r, rest), nil
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest), nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// ErrNoIndex is returned by Load when the cache has no index: a first
// build, or one whose previous build did not finish.
var ErrNoIndex = errors.New("没有缓存索引")

// SizeHint returns how many evaluation pages the index says the previous
// build made, read from its head without the check Load makes of the
// whole: a hint, for what a build sizes before the index is read (the
// collector's budget), never for what it takes from the cache.
func (c *Cache) SizeHint() (int, bool) {
	f, err := os.Open(filepath.Join(c.dir, indexName))
	if err != nil {
		return 0, false
	}
	defer f.Close()
	head := make([]byte, len(indexMagic)+sumSize+binary.MaxVarintLen64)
	n, _ := io.ReadFull(f, head)
	rest, ok := bytes.CutPrefix(head[:n], []byte(indexMagic))
	if !ok || len(rest) <= sumSize {
		return 0, false
	}
	pages, k := binary.Uvarint(rest[sumSize:])
	if k <= 0 || pages > 1<<30 {
		return 0, false
	}
	return int(pages), true
}

// Load reads the index. A missing index is ErrNoIndex; a damaged one is
// another error, and either way the build is a full one.
func (c *Cache) Load() (*Index, error) {
	path := filepath.Join(c.dir, indexName)
	payload, err := c.readChecked(path, indexMagic)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, ErrNoIndex
	case errors.Is(err, errFormat):
		return nil, errors.New("缓存索引格式不对")
	case errors.Is(err, errSum):
		return nil, errors.New("缓存索引已损坏（校验值不符）")
	case err != nil:
		return nil, err
	}
	idx, err := decodeIndex(payload)
	if err != nil {
		return nil, fmt.Errorf("缓存索引无法解码：%w", err)
	}
	c.loaded = len(payload)
	for _, e := range idx.Entries {
		if s, ok := idx.Segments[e.Seg]; !ok || e.Ord < 0 || e.Ord >= s.Count {
			return nil, errors.New("缓存索引与文档文件不一致")
		}
		if err := idx.checkLinks(e); err != nil {
			return nil, err
		}
	}
	for _, e := range idx.Groups {
		if e.Seg != "" {
			return nil, errors.New("缓存索引与文档文件不一致")
		}
		if err := idx.checkLinks(e); err != nil {
			return nil, err
		}
	}
	return idx, nil
}

// checkLinks checks that e's files point into a link segment it has.
func (idx *Index) checkLinks(e *Entry) error {
	for _, f := range e.Files {
		if f.Links == 0 {
			continue
		}
		if s, ok := idx.Segments[e.LinkSeg]; !ok || f.Links < 0 || f.Links > s.Count {
			return errors.New("缓存索引与链接检查文件不一致")
		}
	}
	return nil
}

// Check reads the segments that hold the entries want and checks each
// against its hash in the index, without decoding them: a build checks
// the cache before it takes any page from it, and reads the documents
// later, one at a time (EachDoc).
//
// A segment that is still the very file Save found (its size, inode,
// modification and change time, which no program sets back) is not read:
// at 100,000 evaluations the segments are a gigabyte, a second of hashing
// in every rebuild, and the reads that use them (EachDoc, EachLinks)
// check the hash as they go.
func (c *Cache) Check(idx *Index, want map[string]*Entry) error {
	for _, seg := range slices.Concat(segmentsOf(want), linkSegmentsOf(want)) {
		s := idx.Segments[seg]
		if c.unchanged(seg, s) {
			continue
		}
		if err := c.readSegment(seg, s, nil); err != nil {
			return err
		}
	}
	return nil
}

// unchanged reports whether the segment name is the file Save found.
func (c *Cache) unchanged(name string, s Segment) bool {
	if s.ID.Ino == 0 || s.ID.CTime == 0 || !validSegmentName(name) {
		return false // not recorded, or a system that does not tell
	}
	st, err := os.Lstat(filepath.Join(c.dir, name))
	return err == nil && st.Mode().IsRegular() && st.Size() == s.Size && output.IdentityOf(st) == s.ID
}

// stamp records in idx the size and identity of each of its segments,
// for Check.
func (c *Cache) stamp(idx *Index) {
	for name, s := range idx.Segments {
		s.Size, s.ID = 0, output.Identity{}
		if st, err := os.Lstat(filepath.Join(c.dir, name)); err == nil && st.Mode().IsRegular() && validSegmentName(name) {
			s.Size, s.ID = st.Size(), output.IdentityOf(st)
		}
		idx.Segments[name] = s
	}
}

// EachDoc calls fn with the search document of each entry of want, and
// its page path, as it decodes them, so that no more than one is held. A
// segment that no longer matches its hash (it changed since Check) is an
// error, possibly after some of its documents were given.
func (c *Cache) EachDoc(idx *Index, want map[string]*Entry, fn func(page string, d search.Doc)) error {
	bySeg := pagesByOrd(want)
	for _, seg := range segmentsOf(want) {
		s := idx.Segments[seg]
		err := c.readSegment(seg, s, eachGob(s.Count, func(i int, dec *gob.Decoder) error {
			var d search.Doc
			if err := dec.Decode(&d); err != nil {
				return err
			}
			if p, ok := bySeg[seg][i]; ok {
				fn(p, d)
			}
			return nil
		}))
		if err != nil {
			return err
		}
	}
	return nil
}

// EachLinks calls fn with the link facts of each file of the entries of
// want that has them, and its name, as it decodes them, like EachDoc.
// The facts are EachLinks's once fn returns (see
// linkcheck.FactsReader.Next).
func (c *Cache) EachLinks(idx *Index, want map[string]*Entry, fn func(name string, f *linkcheck.Facts)) error {
	bySeg := map[string]map[int]bool{}
	for _, e := range want {
		for _, f := range e.Files {
			if f.Links > 0 {
				if bySeg[e.LinkSeg] == nil {
					bySeg[e.LinkSeg] = map[int]bool{}
				}
				bySeg[e.LinkSeg][f.Links-1] = true
			}
		}
	}
	for _, seg := range linkSegmentsOf(want) {
		s := idx.Segments[seg]
		err := c.readSegment(seg, s, func(r io.Reader) error {
			fr := linkcheck.NewFactsReader(r)
			for i := range s.Count {
				name, f, err := fr.Next()
				if err != nil {
					return err
				}
				if bySeg[seg][i] {
					fn(name, f)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// linkSegmentsOf returns the link segments of the entries want, in order.
func linkSegmentsOf(want map[string]*Entry) []string {
	return distinct(want, func(e *Entry) string { return e.LinkSeg })
}

// distinct returns the names seg gives of the entries of want, but "",
// once each, in order: a hundred thousand entries name a few segments.
func distinct(want map[string]*Entry, seg func(*Entry) string) []string {
	set := map[string]bool{}
	last := ""
	for _, e := range want {
		if s := seg(e); s != "" && s != last {
			set[s], last = true, s
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// pagesByOrd returns the page of each entry of want by its segment and
// its place in it.
func pagesByOrd(want map[string]*Entry) map[string]map[int]string {
	bySeg := map[string]map[int]string{}
	for p, e := range want {
		if bySeg[e.Seg] == nil {
			bySeg[e.Seg] = map[int]string{}
		}
		bySeg[e.Seg][e.Ord] = p
	}
	return bySeg
}

// segmentsOf returns the segments of the entries want, in order: a
// group's entry has none.
func segmentsOf(want map[string]*Entry) []string {
	return distinct(want, func(e *Entry) string { return e.Seg })
}

// eachGob returns what reads a segment of count search documents for
// readSegment, calling each for each in order.
func eachGob(count int, each func(i int, dec *gob.Decoder) error) func(io.Reader) error {
	return func(r io.Reader) error {
		dec := gob.NewDecoder(r)
		for i := range count {
			if err := each(i, dec); err != nil {
				return err
			}
		}
		return nil
	}
}

// openSegment opens segment name, a name the index gave.
func (c *Cache) openSegment(name string) (*os.File, error) {
	if !validSegmentName(name) {
		return nil, fmt.Errorf("缓存索引中的文档文件名 %q 不对", name)
	}
	return os.Open(filepath.Join(c.dir, name))
}

// readSegment reads segment name, calling read, when not nil, to decode
// its documents, and checks the whole file against its hash.
func (c *Cache) readSegment(name string, s Segment, read func(r io.Reader) error) error {
	f, err := c.openSegment(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var h checker = &wholeSum{h: sha256.New(), want: s.Sum}
	if s.Chunks != nil {
		h = &chunkSums{h: sha256.New(), chunks: s.Chunks}
	}
	if read != nil {
		if err := read(bufio.NewReaderSize(io.TeeReader(f, h), 1<<16)); err != nil {
			return fmt.Errorf("缓存文档文件 %s 无法读取：%w", name, err)
		}
	}
	// The decoder reads ahead; the hash covers the whole file.
	if _, err := io.Copy(io.Discard, io.TeeReader(f, h)); err != nil {
		return err
	}
	if !h.ok() || s.Chunks != nil && chunksSum(s.Chunks) != s.Sum {
		return c.damaged(name)
	}
	return nil
}

// damaged removes the segment name, so that the next build's Check,
// which trusts a segment as Save found it, does not pass it again, and
// returns the error that says it no longer matches its hash.
func (c *Cache) damaged(name string) error {
	os.Remove(filepath.Join(c.dir, name))
	return fmt.Errorf("缓存文档文件 %s 已损坏（校验值不符）", name)
}

// A checker hashes a segment's bytes as they are read and says at the
// end whether they were those of its hash.
type checker interface {
	io.Writer
	ok() bool
}

// wholeSum checks a segment without chunks: one hash of the file.
type wholeSum struct {
	h    hash.Hash
	want Sum
}

func (w *wholeSum) Write(p []byte) (int, error) { return w.h.Write(p) }
func (w *wholeSum) ok() bool                    { return bytes.Equal(w.h.Sum(nil), w.want[:]) }

// chunkSums checks a segment by its chunks, each hash as its end comes.
type chunkSums struct {
	h      hash.Hash
	chunks []Chunk
	at     int64 // bytes written
	done   int   // chunks checked
	bad    bool
}

func (w *chunkSums) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		if w.done == len(w.chunks) {
			w.bad = true // bytes past the last chunk
			return n, nil
		}
		take := min(int64(len(p)), w.chunks[w.done].End-w.at)
		w.h.Write(p[:take])
		w.at += take
		p = p[take:]
		if w.at == w.chunks[w.done].End {
			var s Sum
			w.h.Sum(s[:0])
			w.bad = w.bad || s != w.chunks[w.done].Sum
			w.h.Reset()
			w.done++
		}
	}
	return n, nil
}

func (w *chunkSums) ok() bool { return !w.bad && w.done == len(w.chunks) }

// Chunk is one chunk of a segment: where it ends in the file and the hash
// of its bytes.
type Chunk struct {
	End int64
	Sum Sum
}

// chunkDocs is the number of documents of a segment's chunks but the
// first, which holds document 0 alone: gob writes the definitions of the
// types before the first value, and a decoder of any other chunk reads
// them there. Smaller chunks make DocsOf read less, and the index of the
// cache, which every build reads, larger: at some 10 KB a document a
// chunk is about 640 KB.
const chunkDocs = 64

// chunkOf returns the chunk of the i-th document of a segment.
func chunkOf(i int) int {
	if i == 0 {
		return 0
	}
	return 1 + (i-1)/chunkDocs
}

// chunksSum is a chunked segment's Sum: the hash of its chunks' sums.
func chunksSum(chunks []Chunk) Sum {
	h := sha256.New()
	for _, c := range chunks {
		h.Write(c.Sum[:])
	}
	var s Sum
	h.Sum(s[:0])
	return s
}

func validSegmentName(name string) bool {
	return (strings.HasPrefix(name, docsPrefix) && strings.HasSuffix(name, docsSuffix) ||
		strings.HasPrefix(name, linksPrefix) && strings.HasSuffix(name, linksSuffix)) &&
		!strings.ContainsAny(name, `/\`)
}

// oldSegmentName accepts the names of the segments of link facts that
// caches of the first format held (gob): prune removes them.
func oldSegmentName(name string) bool {
	return strings.HasPrefix(name, linksPrefix) && strings.HasSuffix(name, docsSuffix) && !strings.ContainsAny(name, `/\`)
}

// SegmentWriter writes the search documents of one build to a new
// segment, or the link facts (NewLinkSegment).
type SegmentWriter struct {
	c     *Cache
	name  string
	f     *os.File
	buf   *bufio.Writer
	enc   *gob.Encoder
	facts *linkcheck.FactsWriter
	count int
	// chunks are those ended so far; sum hashes the one under way.
	chunks []Chunk
	sum    *chunkWriter
}

// chunkWriter hashes what the encoder writes as it goes to the file: the
// encoder writes each value whole before Add returns, so that a chunk
// ends with the value that ends it.
type chunkWriter struct {
	h  hash.Hash
	at int64 // bytes written
	w  io.Writer
}

func (c *chunkWriter) Write(p []byte) (int, error) {
	c.h.Write(p)
	c.at += int64(len(p))
	return c.w.Write(p)
}

// endChunk ends the chunk under way.
func (w *SegmentWriter) endChunk() {
	c := Chunk{End: w.sum.at}
	w.sum.h.Sum(c.Sum[:0])
	w.sum.h.Reset()
	w.chunks = append(w.chunks, c)
}

// NewSegment starts a segment of search documents with a name no other
// build uses.
func (c *Cache) NewSegment() (*SegmentWriter, error) {
	return c.newSegment(docsPrefix, docsSuffix)
}

// NewLinkSegment starts a segment of link facts (AddLinks) with a name no
// other build uses.
func (c *Cache) NewLinkSegment() (*SegmentWriter, error) {
	w, err := c.newSegment(linksPrefix, linksSuffix)
	if err == nil {
		w.facts = linkcheck.NewFactsWriter(w.sum)
	}
	return w, err
}

func (c *Cache) newSegment(prefix, suffix string) (*SegmentWriter, error) {
	var r [8]byte
	if _, err := rand.Read(r[:]); err != nil {
		return nil, err
	}
	name := prefix + hex.EncodeToString(r[:]) + suffix
	f, err := os.OpenFile(filepath.Join(c.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	w := &SegmentWriter{c: c, name: name, f: f}
	w.buf = bufio.NewWriterSize(f, 1<<16)
	w.sum = &chunkWriter{h: sha256.New(), w: w.buf}
	w.enc = gob.NewEncoder(w.sum)
	return w, nil
}

// Name returns the segment's file name, for Entry.Seg.
func (w *SegmentWriter) Name() string { return w.name }

// Add appends d to a segment of search documents and returns its
// ordinal, for Entry.Ord.
func (w *SegmentWriter) Add(d search.Doc) (int, error) {
	if err := w.enc.Encode(d); err != nil {
		return 0, err
	}
	return w.added(), nil
}

// AddLinks appends the link facts f of the file name to a segment of link
// facts and returns its ordinal, for File.Links (less one).
func (w *SegmentWriter) AddLinks(name string, f *linkcheck.Facts) (int, error) {
	if err := w.facts.Write(name, f); err != nil {
		return 0, err
	}
	return w.added(), nil
}

// added counts a value written whole, ending its chunk when it is the
// chunk's last, and returns the value's ordinal.
func (w *SegmentWriter) added() int {
	w.count++
	if chunkOf(w.count) != chunkOf(w.count-1) {
		w.endChunk()
	}
	return w.count - 1
}

// Close finishes the segment and returns what the index keeps of it.
func (w *SegmentWriter) Close() (Segment, error) {
	err := w.buf.Flush()
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if w.count > 0 && chunkOf(w.count) == chunkOf(w.count-1) {
		w.endChunk() // the last, not full
	}
	// An empty segment has no chunks, and its Sum, the hash of no sums,
	// is that of its empty file.
	s := Segment{Count: w.count, Chunks: w.chunks, Sum: chunksSum(w.chunks)}
	return s, err
}

// Discard closes and removes the segment: its build failed.
func (w *SegmentWriter) Discard() {
	w.f.Close()
	os.Remove(filepath.Join(w.c.dir, w.name))
}

// Invalidate removes the index, so that until Save writes the next one
// no build trusts the cache: called just before the output is replaced,
// since from then on the index would describe an output that is gone.
func (c *Cache) Invalidate() error {
	c.held.forget(filepath.Join(c.dir, indexName))
	err := os.Remove(filepath.Join(c.dir, indexName))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Save writes idx in one rename and removes the segments it no longer
// refers to.
func (c *Cache) Save(idx *Index) error {
	return c.Prepare(idx).Save(idx.Output, idx.Unlinked)
}

// Prepared is an index being encoded, but for its Output (Prepare).
type Prepared struct {
	c    *Cache
	idx  *Index
	head chan preparedHead
}

// preparedHead is the encoded head of an index, and the hash of it so
// far: the file's hash covers the head and the Output after it.
type preparedHead struct {
	b []byte
	h hash.Hash32
}

// Prepare starts encoding idx but its Output on a goroutine of its own,
// and hashing it: a build knows every page's entry before it puts the
// output in place, and the output's files only after. idx must not
// change meanwhile, but for its Output.
func (c *Cache) Prepare(idx *Index) *Prepared {
	p := &Prepared{c: c, idx: idx, head: make(chan preparedHead, 1)}
	go func() {
		c.stamp(idx)
		b := encodeHead(make([]byte, 0, c.loaded+c.loaded/8), idx)
		h := newFileSum()
		h.Write(b)
		p.head <- preparedHead{b, h}
	}()
	return p
}

// Save writes the prepared index with out as its Output, as Cache.Save
// does.
func (p *Prepared) Save(out map[string]output.State, unlinked map[string]bool) error {
	c, idx := p.c, p.idx
	idx.Output, idx.Unlinked = out, unlinked
	head := <-p.head
	payload := encodeOutput(head.b, out, unlinked)
	head.h.Write(payload[len(head.b):])
	sum := sumOf(head.h.Sum32())
	tmp := filepath.Join(c.dir, indexName+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(indexMagic)
	if err == nil {
		_, err = f.Write(sum[:])
	}
	if err == nil {
		_, err = f.Write(payload)
	}
	// Not synced to the disk, unlike the segments: every build checks
	// the index whole against its hash (Load), so an index a power cut
	// left short or garbled is refused, and that build is full. The
	// segments it names were synced as they closed, before it was
	// written; one the index names is trusted by size and time (Check).
	// At 100,000 evaluations the sync of its 36 MB took a quarter of a
	// second of every rebuild.
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	path := filepath.Join(c.dir, indexName)
	c.held.forget(path)
	if err == nil {
		err = sysfile.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	c.held.keep(path, nil, payload)
	c.prune(idx)
	return nil
}

// prune removes the segments idx does not refer to: those of older builds
// and of builds that failed or were killed.
func (c *Cache) prune(idx *Index) {
	entries, err := os.ReadDir(c.dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if _, live := idx.Segments[e.Name()]; !live && (validSegmentName(e.Name()) || oldSegmentName(e.Name())) && e.Type().IsRegular() {
			os.Remove(filepath.Join(c.dir, e.Name()))
		}
	}
}
