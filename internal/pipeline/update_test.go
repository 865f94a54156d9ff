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

// TestUpdateRendersAsBuild checks that the preview's incremental render is
// the build's render with a smaller selection: every page an update and
// its later work produce is byte for byte the page a full build of the
// edited content makes.
func TestUpdateRendersAsBuild(t *testing.T) {
	// The day the seed's records are all published (the whole-site tests'
	// day, wholesite.Now, which this internal test cannot import).
	fixedNow := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	dir := filepath.Join(t.TempDir(), "content")
	if err := os.CopyFS(dir, os.DirFS("../../testdata/seed")); err != nil {
		t.Fatal(err)
	}
	opts := Options{Content: dir, Now: fixedNow}
	var l diag.List
	lv, _, err := Build(context.Background(), opts, &l, &memory{})
	if err != nil {
		t.Fatalf("%v\n%v", err, l.Items())
	}
	// A new title (in the lists, the series and the booklet) and a new
	// paragraph (on the page, in the booklet and the search index).
	rec := filepath.Join(dir, "2023", "evaluations", "disability-subsidies.toml")
	edit(t, rec, func(s string) string {
		return strings.Replace(s, `title = "残疾人“两项补贴”项目"`, `title = "残疾人“两项补贴”项目（修订）"`, 1)
	})
	edit(t, strings.TrimSuffix(rec, ".toml")+".md", func(s string) string { return s + "\n新增的一段说明。\n" })
	changed := []string{"2023/evaluations/disability-subsidies.toml", "2023/evaluations/disability-subsidies.md"}
	u, err := lv.Update(context.Background(), changed, &l)
	if err != nil {
		t.Fatalf("update: %v\n%v", err, l.Items())
	}
	later, err := lv.Later(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !lv.Settle(later) {
		t.Fatal("Settle: the later work is out of date")
	}
	var full memory
	if _, _, err := Build(context.Background(), opts, &l, &full); err != nil {
		t.Fatalf("full build: %v\n%v", err, l.Items())
	}
	got := map[string][]byte{}
	for name, b := range u.Pages {
		got[name] = b
	}
	for name, b := range later.Files {
		got[name] = b
	}
	for _, want := range []string{"2023/disability-subsidies/index.html", "2023/index.html", "index.html", "congress/2023/print/index.html",
		"congress/2023/index.html", "congress/index.html", "rectification/index.html", "data/evaluations.json"} {
		if got[want] == nil {
			t.Errorf("the update did not render %s", want)
		}
	}
	// The year's congress table (every evaluation of the year, thirteen
	// columns) waits until the edited page is shown.
	for _, later := range []string{"congress/2023/index.html", "congress/index.html"} {
		if u.Pages[later] != nil {
			t.Errorf("%s is rendered before the edited page is shown", later)
		}
	}
	for name, b := range got {
		if !bytes.Equal(b, full.files[name]) {
			t.Errorf("%s differs from the full build's", name)
		}
	}
}

func edit(t *testing.T, name string, f func(string) string) {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	s := f(string(b))
	if s == string(b) {
		t.Fatalf("%s: the edit changed nothing", name)
	}
	if err := os.WriteFile(name, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
}
