package pipeline_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

func TestRefusedOutputStopsBeforeLoading(t *testing.T) {
	t.Parallel()
	var c string
	s := wholesite.Run(t, siteToml+`
-- content/2023/evaluations/broken.toml --
title = "未闭合
`, func(o *pipeline.Options) { o.Out = o.Content; c = o.Content })
	if err := s.Err(); !errors.Is(err, pipeline.ErrOutput) {
		t.Fatalf("Run with -out = the content folder: %v, want ErrOutput", err)
	}
	items := s.Diags()
	if len(items) != 1 || items[0].Field != "-out" || items[0].File != c || items[0].Hint == "" {
		t.Errorf("diagnostics = %+v, want one about -out naming the folder, with a hint, and none from loading the content", items)
	}
	if _, err := os.Stat(filepath.Join(c, "2023", "evaluations", "broken.toml")); err != nil {
		t.Errorf("the content was touched: %v", err)
	}
}

func TestOutputNoticesReachTheStats(t *testing.T) {
	t.Parallel()
	// A build that was killed left its temporary folder beside the output.
	root := t.TempDir()
	debris := filepath.Join(root, ".public.new-5")
	sitetest.WriteFiles(t, root, siteToml+goodRecord)
	if err := os.MkdirAll(filepath.Join(debris, "2023"), 0o755); err != nil {
		t.Fatal(err)
	}
	var l diag.List
	stats, err := pipeline.Run(context.Background(), pipeline.Options{Content: filepath.Join(root, "content"), Out: filepath.Join(root, "public"), Now: wholesite.Now}, &l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(stats.Notices, "\n"), debris) {
		t.Errorf("notices = %q, want one naming %s", stats.Notices, debris)
	}
}

// TestPagesInTheIndexOrder: a build makes the evaluation pages in the
// order of the search index's documents, their addresses. In the order of
// slugs, roads.toml comes before roads-1.toml … roads-80.toml, whose
// addresses sort before its own ("roads-1/" < "roads/"): more than the
// index's window ahead, its document was merged out of turn, and every
// list of its terms sorted when written (at 100,000 evaluations 11.7 s of
// a build's CPU).
func TestPagesInTheIndexOrder(t *testing.T) {
	t.Parallel()
	files := siteToml
	for i := range 81 {
		slug := "roads"
		if i > 0 {
			slug = fmt.Sprintf("roads-%d", i)
		}
		files += fmt.Sprintf(`
-- content/2023/evaluations/%s.toml --
title = "农村公路养护项目%d"
department = "测试市交通运输局"
year = 2023
score = 85
`, slug, i)
	}
	root := t.TempDir()
	sitetest.WriteFiles(t, root, files)
	var l diag.List
	stats, err := pipeline.Run(context.Background(), pipeline.Options{Content: filepath.Join(root, "content"), Out: filepath.Join(root, "public"), Now: wholesite.Now}, &l)
	if err != nil {
		t.Fatal(err, l.Items())
	}
	if stats.Evaluations != 81 {
		t.Fatalf("%d evaluations built, want 81", stats.Evaluations)
	}
	if stats.SearchAhead != 0 {
		t.Errorf("%d search documents came out of turn, want 0: the pages are not made in the order of their addresses", stats.SearchAhead)
	}
}
