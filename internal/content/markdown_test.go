package content

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/narrative"
)

// pathologicalMarkdown are narratives of about a megabyte that stress the
// Markdown parser: deep nesting, long runs of brackets and delimiters, one
// long line, 20,000 identical headings. The first three once took the
// renderer minutes or never ended.
func pathologicalMarkdown() []struct{ name, src string } {
	const mb = 1 << 20
	return []struct{ name, src string }{
		{"nested quotes", strings.Repeat(">", mb) + " x\n"},
		{"link openers", strings.Repeat("[a](", mb/4)},
		{"brackets in one paragraph", strings.Repeat("[\n", mb/2)},
		{"nested lists", strings.Repeat("- ", mb/2) + "x\n"},
		{"20,000 headings", strings.Repeat("## 成效\n\n", 20_000)},
		{"links at the bound", strings.Repeat(strings.Repeat("[a](", MaxLinksPerLine)+strings.Repeat("长", 3000)+"\n\n", mb/(4*MaxLinksPerLine+9000))},
		{"brackets", strings.Repeat(strings.Repeat("[", 5)+"\n\n", mb/7)},
		{"brackets at the bounds", strings.Repeat(strings.Repeat("[", MaxBracketsPerParagraph)+"\n\n", MaxBrackets/MaxBracketsPerParagraph) +
			strings.Repeat("长", (mb-MaxBrackets)/3)},
		{"emphasis delimiters", strings.Repeat("*a _b ", mb/6)},
		{"long line", strings.Repeat("评价", mb/6)},
		{"many links", strings.Repeat("[a](b)\n", mb/7)},
		{"table", "|a|b|\n|-|-|\n" + strings.Repeat("|1|2|\n", mb/6)},
	}
}

// TestPathologicalNarratives loads each narrative with a record and
// renders what is loaded, within a bounded allocation total; a deadline
// turns a hang into a failure.
func TestPathologicalNarratives(t *testing.T) {
	r := narrative.New()
	for _, tt := range pathologicalMarkdown() {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			done := make(chan string, 1)
			go func() {
				c, ds := load(t, map[string]string{rec: minimal, "2023/evaluations/a.md": tt.src})
				if len(c.Records) == 1 && c.Records[0].Narrative != nil {
					if _, err := r.Render(c.Records[0].Narrative); err != nil {
						t.Errorf("render: %v", err)
					}
					done <- "rendered"
					return
				}
				if len(ds) == 0 || ds[0].Line == 0 {
					t.Errorf("refused without naming a line: %v", ds)
				}
				done <- "refused: " + ds[0].String()
			}()
			select {
			case what := <-done:
				t.Log(what)
			case <-time.After(60 * time.Second):
				t.Fatalf("still loading or rendering after 60 s")
			}
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > 400<<20 {
				t.Errorf("allocated %d MB", got>>20)
			}
		})
	}
}

// BenchmarkPathologicalNarratives loads and renders each pathological
// narrative; each should take well under a second.
func BenchmarkPathologicalNarratives(b *testing.B) {
	r := narrative.New()
	for _, tt := range pathologicalMarkdown() {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				c, _ := load(nil, map[string]string{rec: minimal, "2023/evaluations/a.md": tt.src})
				if len(c.Records) == 1 && c.Records[0].Narrative != nil {
					r.Render(c.Records[0].Narrative)
				}
			}
		})
	}
}
