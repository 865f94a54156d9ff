package content

import (
	"bytes"
	"fmt"
	"hash/crc64"
	"io/fs"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// narrativeTable is the table of the hashes of dropped narratives. The
// hash is the same in every run, not keyed by the process: a build's
// cache of loaded records keeps it (see NarrativeRef), and a later build
// compares it with the file it reads again.
var narrativeTable = crc64.MakeTable(crc64.ECMA)

// dropNarrative forgets r's narrative source, keeping what ReadNarrative
// needs to read it again and to know it is the one that was checked.
func (r *Record) dropNarrative() {
	if r.Narrative == nil || r.narrativeName == "" {
		return
	}
	r.narrativeSum = crc64.Checksum(r.Narrative, narrativeTable)
	r.Narrative, r.narrativeDropped = nil, true
}

// ErrNarrativeChanged is wrapped by ReadNarrative's error when a dropped
// narrative is no longer the file that was loaded and checked.
var ErrNarrativeChanged = fmt.Errorf("评价说明在生成过程中被修改，请在修改完成后重新运行")

// ReadNarrative returns r's narrative source: Narrative unless LoadWith
// dropped it,
// else the file read again from fsys (the content folder given to
// LoadWith), within the same size limit and with the same byte-order
// mark removed as when it was loaded. The file must still be the one that
// was loaded: every check (placeholders, control characters, personal
// data) ran on that text, and a page must never publish another one, so
// a file edited since is an error that wraps ErrNarrativeChanged. It
// returns nil and no error for a record without narrative.
func (r *Record) ReadNarrative(fsys fs.FS) ([]byte, error) {
	if !r.narrativeDropped {
		return r.Narrative, nil
	}
	b, err := sysfile.ReadFileLimit(fsys, r.narrativeName, narrativeFile.limit)
	if err != nil {
		return nil, fmt.Errorf("%s：无法再次读取评价说明：%w", r.NarrativeFile, err)
	}
	b = bytes.TrimPrefix(b, bom)
	if crc64.Checksum(b, narrativeTable) != r.narrativeSum {
		return nil, fmt.Errorf("%s：%w", r.NarrativeFile, ErrNarrativeChanged)
	}
	return b, nil
}

// ReleasePageData forgets what of r only its own page, its print abstract
// and its open data read: the indicator tree and the goal and outcome
// texts, most of a loaded record. A build that has made all three calls
// it (see site.Renderer.ReleaseRecords), so that a site's records do not
// hold their indicators to the last page; the titles, departments,
// scores, findings and dates that the site-wide pages list stay. After
// it, r reads as a record without indicators, goal or outcome: it must
// not be rendered again.
func (r *Record) ReleasePageData() {
	r.Indicators, r.frozen, r.Goal, r.Outcome = nil, nil, "", ""
}
