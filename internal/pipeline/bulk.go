package pipeline

import (
	"fmt"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/search"
)

// indexBound is how many bytes of postings the search index of a build
// holds before it spills them to temporary files (see search.Stream): at
// 10,000 evaluations the postings come to some 100 MB, at 100,000 to ten
// times that, and the bound keeps them to a few runs at the one and a
// few dozen at the other.
const indexBound = 64 << 20

// docSink passes each search document of a build, as the render makes it,
// to what needs it: the search index, the bulk file (when asked for) and
// the incremental cache. None of them keeps the document's text, so
// neither does the build.
type docSink struct {
	index *search.Stream
	bulk  *export.Bulk
	inc   *incremental
	patch *searchPatch // when the index is patched (searchpatch.go)
	urls  []string     // the pages of the documents
}

// newDocSink starts the sink of a build whose documents are those of the
// pages at urls.
func (p *prepared) newDocSink(urls []string) (*docSink, error) {
	// The temporary files go beside the output (a gigabyte and more at
	// 100,000 evaluations), where the next build removes them if this one
	// is killed; a check, which has no output, uses the system's.
	var tmp string
	if p.out != nil {
		dir, err := p.out.Scratch()
		if err != nil {
			return nil, fmt.Errorf("无法在输出文件夹旁边创建临时文件夹：%w", err)
		}
		tmp = dir
	}
	s := &docSink{index: search.NewStream(urls, tmp, indexBound), inc: p.inc, urls: urls}
	if p.opts.SearchBulk && p.out != nil {
		b, err := export.NewBulk(p.model.Config.BaseURL, tmp)
		if err != nil {
			s.close()
			return nil, err
		}
		s.bulk = b
	}
	return s, nil
}

// add takes one document; it is safe for concurrent use.
func (s *docSink) add(d search.Doc) {
	s.index.Add(d)
	if s.bulk != nil {
		s.bulk.Add(d)
	}
	s.inc.keep(d)
	s.patch.add(d)
}

// timings are what the search index cost while the pages were made: the
// CPU time the workers spent in it, by step, and apart the time they
// waited for each other in it (see search.StreamTimes). render.index is
// more: the workers' time making each search document and handing it to
// the index, the bulk file and the cache, summed with any wait.
func (s *docSink) timings() []Timing {
	t := s.index.Times()
	return []Timing{{"index.tokenize", t.Tokenize}, {"index.merge", t.Merge}, {"index.spill", t.Spill}, {"index.wait", t.Wait}}
}

// close removes the temporary files of the index and the bulk file.
func (s *docSink) close() {
	s.index.Close()
	if s.bulk != nil {
		s.bulk.Close()
	}
}

// writeBulk writes the search bulk file of a build that asked for it
// (Options.SearchBulk) into the output, streamed: at 100,000 evaluations
// it is about a gigabyte.
func (p *prepared) writeBulk(b *export.Bulk) error {
	if b == nil {
		return nil
	}
	f, err := p.out.Create(export.BulkPath)
	if err != nil {
		return err
	}
	if _, err := b.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
