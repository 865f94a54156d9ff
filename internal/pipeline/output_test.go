package pipeline

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/diag"
)

func TestRefusedOutputStopsBeforeLoading(t *testing.T) {
	c, _ := siteFromTxtar(t, siteToml+`
-- content/2023/evaluations/broken.toml --
title = "未闭合
`)
	var l diag.List
	_, err := Run(context.Background(), Options{Content: c, Out: c, Now: fixedNow}, &l)
	if !errors.Is(err, ErrOutput) {
		t.Fatalf("Run with -out = the content folder: %v, want ErrOutput", err)
	}
	items := l.Items()
	if len(items) != 1 || items[0].Field != "-out" || items[0].File != c || items[0].Hint == "" {
		t.Errorf("diagnostics = %+v, want one about -out naming the folder, with a hint, and none from loading the content", items)
	}
	if _, err := os.Stat(filepath.Join(c, "2023", "evaluations", "broken.toml")); err != nil {
		t.Errorf("the content was touched: %v", err)
	}
}

func TestOutputNoticesReachTheStats(t *testing.T) {
	c, out := siteFromTxtar(t, siteToml+goodRecord)
	debris := filepath.Join(filepath.Dir(out), ".public.new-5")
	if err := os.MkdirAll(filepath.Join(debris, "2023"), 0o755); err != nil {
		t.Fatal(err)
	}
	var l diag.List
	stats, err := Run(context.Background(), Options{Content: c, Out: out, Now: fixedNow}, &l)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(stats.Notices, "\n"), debris) {
		t.Errorf("notices = %q, want one naming %s", stats.Notices, debris)
	}
}
