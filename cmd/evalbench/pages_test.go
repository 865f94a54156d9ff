package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// congressPage is a congress table of n rows, as the bench finds it.
func congressPage(n int) string {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html lang=\"zh-CN\"><title>t</title><table data-sortable><thead><tr><th>项目</th><th><button>综合得分</button></th></tr></thead><tbody>\n")
	for i := range n {
		fmt.Fprintf(&b, "<tr><th>项目</th><td>%d</td></tr>\n", i)
	}
	b.WriteString("</tbody><tfoot><tr><th>合计</th></tr></tfoot></table>\n")
	return b.String()
}

// TestPageOpen finds the largest year's congress table of a site (not a
// booklet, however large) and opens it in Chromium at each width.
func TestPageOpen(t *testing.T) {
	public := t.TempDir()
	for path, rows := range map[string]int{"congress/2022/index.html": 30, "congress/2023/index.html": 50, "congress/2023/print/index.html": 500} {
		p := filepath.Join(public, filepath.FromSlash(path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(congressPage(rows)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path, _, rows, err := largestCongress(public)
	if err != nil || path != "congress/2023/" || rows != 50 {
		t.Fatalf("largestCongress = %q, %d rows, %v; want congress/2023/, 50 rows", path, rows, err)
	}
	if os.Getenv("CI") == "" {
		if bctx, _, stop, err := startChromium(context.Background(), public); err != nil || bctx == nil {
			t.Skipf("no Chromium (%v): the opening is not measured", err)
		} else {
			stop()
		}
	}
	f, err := pageOpen(context.Background(), public)
	if err != nil {
		t.Fatal(err)
	}
	if f.path != "congress/2023/" || len(f.loads) != len(pageWidths) {
		t.Fatalf("measured %q at %d widths, want congress/2023/ at %d", f.path, len(f.loads), len(pageWidths))
	}
	for i, loads := range f.loads {
		if len(loads) != pageOpens {
			t.Errorf("opened %d times at %d px, want %d", len(loads), pageWidths[i], pageOpens)
		}
		for _, d := range loads {
			if d <= 0 {
				t.Errorf("a load at %d px took %v", pageWidths[i], d)
			}
		}
	}
	if len(f.sorts) != 2 {
		t.Errorf("sorted %d times, want 2", len(f.sorts))
	}
	var b strings.Builder
	f.write(&b)
	for _, want := range []string{"congress/2023/ (50 rows", "1366 px: ", "390 px: ", "sorted by 综合得分 at 1366 px"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q:\n%s", want, b.String())
		}
	}
}
