package assemble

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/synth"
)

type countWriter struct{ n int64 }

func (c *countWriter) Write(_ string, b []byte) error { c.n += int64(len(b)); return nil }

// BenchmarkEvaluationPage assembles and renders the evaluation pages of a
// generated site; one op is one page, the bulk of a build's work.
func BenchmarkEvaluationPage(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "content")
	if err := synth.Generate(dir, 300, 1); err != nil {
		b.Fatal(err)
	}
	var l diag.List
	c := content.Load(os.DirFS(dir), "content", &l)
	evals := score.Evaluate(c.Records, score.DefaultBands, &l)
	m := site.NewModel(c.Site, score.DefaultBands, c.Reports, evals)
	r, err := site.NewRenderer(m, evalpress.Files, nil, New(m, nil, nil))
	if err != nil {
		b.Fatal(err)
	}
	var w countWriter
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		sel := site.Selection{Evaluations: evals[i%len(evals) : i%len(evals)+1]}
		if _, err := r.Render(ctx, &w, sel); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(w.n)/float64(b.N), "B/page")
}
