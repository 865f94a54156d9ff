package site

import (
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/score"
)

// TestDepartmentSlugsFit: a department's folder is named by its pinyin,
// which for a long name exceeds what a file system holds in one name;
// the slug is cut, stays unique and the same from build to build, and a
// name that transliterates to a Windows device gets a suffix.
func TestDepartmentSlugsFit(t *testing.T) {
	long := strings.Repeat("潜江市农业农村局乡村振兴促进服务中心", 6)[:100*3] // 100 characters
	long2 := long[:99*3] + "站"
	names := []string{long, long2, "AUX", "com1", "潜江市民政局"}
	var evals []*score.Evaluation
	for i, n := range names {
		evals = append(evals, &score.Evaluation{Record: &content.Record{Title: n, Department: n, Year: 2023, Slug: "e" + string(rune('a'+i))}})
	}
	m := NewModel(content.Site{}, score.DefaultBands, nil, evals)
	slugs := map[string]bool{}
	for _, n := range names {
		s := m.Department(n).Slug
		if len(s) > maxSlug || content.SegmentProblem(s) != "" {
			t.Errorf("%.30s…: slug %q (%d bytes) cannot be a folder name", n, s, len(s))
		}
		if slugs[s] {
			t.Errorf("slug %q given twice", s)
		}
		slugs[s] = true
	}
	if got := m.Department("AUX").Slug; got != "aux-1" {
		t.Errorf("AUX: slug %q, want aux-1", got)
	}
	if got := m.Department("潜江市民政局").Slug; got != "qianjiangshi-minzhengju" {
		t.Errorf("a short name's slug changed: %q", got)
	}
	again := NewModel(content.Site{}, score.DefaultBands, nil, evals)
	if a, b := m.Department(long).Slug, again.Department(long).Slug; a != b {
		t.Errorf("slug not deterministic: %q then %q", a, b)
	}
}
