package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/synth"
)

func TestEditTitle(t *testing.T) {
	rec := "# a comment\ntitle = \"农村公路养护项目\"\ndepartment = \"交通局\"\n"
	got, ok := editTitle([]byte(rec))
	if want := "# a comment\ntitle = \"农村公路养护项目（修订）\"\ndepartment = \"交通局\"\n"; !ok || string(got) != want {
		t.Errorf("editTitle = %q, %v; want %q", got, ok, want)
	}
	if _, ok := editTitle([]byte("department = \"x\"\n")); ok {
		t.Error("editTitle edited a record without a title")
	}
}

func TestFirstRecordIsStable(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"site.toml", "2023/report.toml", "2023/evaluations/b.toml", "2023/evaluations/a.toml", "2022/evaluations/z.toml"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, nil, 0o644)
	}
	got, err := firstRecord(dir)
	if err != nil || got != filepath.Join(dir, "2022", "evaluations", "z.toml") {
		t.Errorf("firstRecord = %q, %v", got, err)
	}
}

func TestRebuildVerdict(t *testing.T) {
	f := rebuildFigure{first: 6 * time.Second, wall: 6 * time.Second}
	if v := f.verdict(10000); !strings.HasPrefix(v, "n/a") {
		t.Errorf("6 s at 10,000: %s, want n/a (informative)", v)
	}
	if v := f.verdict(100000); v != "FAIL" {
		t.Errorf("6 s at 100,000: %s, want FAIL", v)
	}
	f.wall = 4 * time.Second
	if v := f.verdict(100000); v != "FAIL" {
		t.Errorf("the first 6 s, the next 4 s at 100,000: %s, want FAIL: both count", v)
	}
	f.first = 4 * time.Second
	if v := f.verdict(100000); v != "PASS" {
		t.Errorf("4 s at 100,000: %s, want PASS", v)
	}
	if total, reused := parseBuilt("已生成 10000 项评价、16000 个页面\n增量构建：9990 个评价页面的内容没有变化"); total != 10000 || reused != 9990 {
		t.Errorf("parseBuilt = %d, %d", total, reused)
	}
}

// TestMeasureRebuildAndWatch runs the rebuild measurements on a small
// generated site with the real command: two rebuilds, then three edits
// in build -watch, each timed; the edited record is put back after.
func TestMeasureRebuildAndWatch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds evalpress and a site; skipped with -short")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "evalpress")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/evalpress/evalpress/cmd/evalpress").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	content, public := filepath.Join(dir, "content"), filepath.Join(dir, "public")
	if err := synth.Generate(content, 30, 1); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "build", "-content", content, "-out", public).CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	rec, err := firstRecord(content)
	if err != nil {
		t.Fatal(err)
	}
	orig, _ := os.ReadFile(rec)
	f, err := measureRebuild(context.Background(), bin, content, public)
	if err != nil {
		t.Fatal(err)
	}
	if f.first <= 0 || f.wall <= 0 || len(f.watched) != watchEdits {
		t.Fatalf("figures %+v: want two rebuilds and %d watched edits", f, watchEdits)
	}
	for i, d := range f.watched {
		if d <= 0 || d > time.Minute {
			t.Errorf("watched edit %d took %s", i+1, d)
		}
	}
	// The last watched edit reached the output: the record's title has
	// five marks on its page, two from the rebuilds and three from the
	// watched edits.
	year := filepath.Base(filepath.Dir(filepath.Dir(rec)))
	page, err := os.ReadFile(filepath.Join(public, year, strings.TrimSuffix(filepath.Base(rec), ".toml"), "index.html"))
	if err != nil || !strings.Contains(string(page), "（修订）（修订）（修订）（修订）（修订）") {
		t.Errorf("the home page does not show the last edit (%v)", err)
	}
	if now, _ := os.ReadFile(rec); string(now) != string(orig) {
		t.Error("the edited record was not put back")
	}
	var b strings.Builder
	f.write(&b, 30)
	if !strings.Contains(b.String(), "in build -watch") {
		t.Errorf("the report does not give the watched edits:\n%s", b.String())
	}
}
