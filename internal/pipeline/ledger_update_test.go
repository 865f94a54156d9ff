package pipeline

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
)

// TestUpdateFollowsFindings checks the preview: when a finding's status
// changes in a record, the update's later work renders the ledger's
// pages and the later year of the series, whose page shows that finding,
// as a full build of the edited content makes them. The ledger waits for
// the later work, like the open data: the edited page is shown first.
func TestUpdateFollowsFindings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS("../../testdata/series")); err != nil {
		t.Fatal(err)
	}
	opts := Options{Content: dir, Now: time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)}
	var l diag.List
	lv, _, err := Build(context.Background(), opts, &l, &memory{})
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	edit(t, filepath.Join(dir, "2022", "evaluations", "rural-water.toml"), func(s string) string {
		return strings.Replace(s, "status = \"in-progress\"\n", "status = \"done\"\ndone = 2024-08-20\nresult = \"已改为按季度检测\"\n", 1)
	})
	_, err = lv.Update(context.Background(), []string{"2022/evaluations/rural-water.toml"}, &l)
	if err != nil {
		t.Fatalf("update: %v\n%v", err, l.Items())
	}
	later, err := lv.Later(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var full memory
	if _, _, err := Build(context.Background(), opts, &l, &full); err != nil {
		t.Fatalf("full build: %v\n%v", err, l.Items())
	}
	for _, want := range []string{"rectification/index.html", "rectification/done/index.html", "rectification/2022/index.html"} {
		got := later.Files[want]
		if got == nil {
			t.Errorf("the update's later work did not render %s", want)
			continue
		}
		if !bytes.Equal(got, full.files[want]) {
			t.Errorf("%s differs from the full build's", want)
		}
		if !bytes.Contains(got, []byte("已改为按季度检测")) {
			t.Errorf("%s does not show the finding's new result", want)
		}
	}
	if got := later.Files["2023/rural-water/index.html"]; got == nil || !bytes.Equal(got, full.files["2023/rural-water/index.html"]) {
		t.Errorf("the later work did not render 2023/rural-water/ as the full build does")
	}
}
