package pipeline

import (
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/search"
)

// writeBulk writes the search bulk file of a build that asked for it
// (Options.SearchBulk) into the output, streamed: at 100,000 evaluations
// it is about a gigabyte.
func (p *prepared) writeBulk(docs []search.Doc) error {
	if !p.opts.SearchBulk || p.out == nil {
		return nil
	}
	b, err := export.NewBulk(p.model.Config.BaseURL, "")
	if err != nil {
		return err
	}
	defer b.Close()
	for _, d := range docs {
		b.Add(d)
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
