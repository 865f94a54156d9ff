package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
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
