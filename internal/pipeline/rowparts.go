package pipeline

import (
	"crypto/sha256"
	"os"
	"strconv"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/site"
)

// A big list's page (a year's congress table) is a group keyed by every
// evaluation it lists: one edited record renders it again whole, and at
// 100,000 evaluations its 16,000 rows were the longest task of the
// render. So its rows are rendered in chunks (site.RowCache), and the
// cache notes each chunk's key and length (buildcache.Rows); a rebuild
// that renders the page again copies each chunk whose key is unchanged
// from the previous output's page. A chunk's key covers the site's part
// of every group's key (the binary, site.toml, the templates, the
// build's date, the years' and departments' sizes), the group, the
// page's file (its depth), the chunk's template and place, and the path
// and own inputs of each of its evaluations, in order (which covers its
// preview notice and, with findings, the date their overdue state is of).
//
// As the open data's chunks (dataparts.go), a chunk is taken only from
// an output updated in place whose file is as the previous build left
// it (output.Dir.Kept), and only when its bytes lie within that file.

// rowVersion changes whenever what a chunk of rows' key covers changes.
const rowVersion = "evalpress row chunk key 1"

// rowKey returns the key of chunk j of the rows of the group's file,
// made of tmpl and evals; ok is false when one of evals has no own
// inputs.
func (gw *groupWriter) rowKey(file, tmpl string, j int, evals []*score.Evaluation) (buildcache.Sum, bool) {
	h := sha256.New()
	field(h, rowVersion)
	h.Write(gw.inc.groupSite[:])
	field(h, gw.name)
	field(h, file)
	field(h, tmpl)
	field(h, strconv.Itoa(j))
	var key buildcache.Sum
	if !gw.inc.evaluationsKey(h, evals) {
		return key, false
	}
	h.Sum(key[:0])
	return key, true
}

// rowSource is the previous output's file of a group's list of rows:
// where each of its chunks begins in it.
type rowSource struct {
	f    *os.File
	size int64
	rows *buildcache.Rows
	at   []int64
}

// rowSource returns the previous output's file of the rows of file, nil
// when there is none to take chunks from. It is looked for once per
// file.
func (gw *groupWriter) rowSource(file string) *rowSource {
	if src, ok := gw.rowSrc[file]; ok {
		return src
	}
	if gw.rowSrc == nil {
		gw.rowSrc = map[string]*rowSource{}
	}
	src := gw.findRows(file)
	gw.rowSrc[file] = src
	return src
}

func (gw *groupWriter) findRows(file string) *rowSource {
	inc := gw.inc
	if !inc.inPlace || inc.old == nil {
		return nil
	}
	old := inc.old.Groups[gw.name]
	if old == nil {
		return nil
	}
	var rows *buildcache.Rows
	for i := range old.Rows {
		if old.Rows[i].File == file {
			rows = &old.Rows[i]
		}
	}
	if rows == nil {
		return nil
	}
	kept, ok := gw.keptFile(file)
	if !ok {
		return nil
	}
	f, err := gw.previous(file)
	if err != nil {
		return nil
	}
	src := &rowSource{f: f, size: kept.Size, rows: rows}
	at := rows.Off
	for _, c := range rows.Chunks {
		src.at = append(src.at, at)
		at += c.Len
	}
	return src
}

// TakeRows is site.RowCache's: see above.
func (gw *groupWriter) TakeRows(file, tmpl string, j int, evals []*score.Evaluation) ([]byte, bool) {
	src := gw.rowSource(file)
	if src == nil || j >= len(src.rows.Chunks) {
		return nil, false
	}
	c := src.rows.Chunks[j]
	key, ok := gw.rowKey(file, tmpl, j, evals)
	if !ok || key != c.Key {
		return nil, false
	}
	off := src.at[j]
	if off < 0 || c.Len < 0 || off+c.Len > src.size {
		return nil, false
	}
	b := make([]byte, c.Len)
	if _, err := src.f.ReadAt(b, off); err != nil {
		return nil, false
	}
	gw.inc.mu.Lock()
	gw.inc.rowsTaken++
	gw.inc.mu.Unlock()
	return b, true
}

// MadeRows is site.RowCache's: the chunks of file's rows are noted with
// their keys for the next build's TakeRows.
func (gw *groupWriter) MadeRows(file, tmpl string, off int64, lens []int64, evals []*score.Evaluation) {
	if len(lens) != (len(evals)+site.RowChunk-1)/site.RowChunk {
		return
	}
	rows := buildcache.Rows{File: file, Off: off}
	for j, n := range lens {
		key, ok := gw.rowKey(file, tmpl, j, evals[j*site.RowChunk:min(len(evals), (j+1)*site.RowChunk)])
		if !ok {
			return
		}
		rows.Chunks = append(rows.Chunks, buildcache.RowChunk{Key: key, Len: n})
	}
	gw.inc.mu.Lock()
	gw.rec.rows = append(gw.rec.rows, rows)
	gw.inc.mu.Unlock()
}
