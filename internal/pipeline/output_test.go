package pipeline_test

import (
	"context"
	"errors"
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
