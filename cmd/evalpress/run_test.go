package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCmd(args ...string) (stdout, stderr string, err error) {
	var o, e bytes.Buffer
	err = run(context.Background(), args, &o, &e)
	return o.String(), e.String(), err
}

func TestCheckExitStatus(t *testing.T) {
	// The seed's one discrepancy is acknowledged: check prints it as a
	// note, and check -strict passes.
	out, errOut, err := runCmd("check", "-content", "../../testdata/seed")
	if err != nil {
		t.Fatalf("check: %v\n%s", err, errOut)
	}
	if !strings.Contains(errOut, "disability-subsidies.toml:") || !strings.Contains(errOut, "note") || strings.Contains(errOut, "warning") {
		t.Errorf("check did not print the 项目过程 note with its file:\n%s", errOut)
	}
	if !strings.Contains(out, "0 个警告，1 条说明") {
		t.Errorf("check summary = %q", out)
	}
	if _, e, err := runCmd("check", "-content", "../../testdata/seed", "-strict"); err != nil {
		t.Errorf("check -strict: err = %v, want success\n%s", err, e)
	}
	// A warning fails -strict.
	dir := copySeed(t)
	writeFile(t, filepath.Join(dir, "2023/evaluations/extra.toml"), "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = 85\ngrade = \"优\"\n")
	if _, _, err := runCmd("check", "-content", dir); err != nil {
		t.Errorf("check with a warning: err = %v, want success", err)
	}
	if _, _, err := runCmd("check", "-content", dir, "-strict"); !errors.Is(err, errReported) {
		t.Errorf("check -strict with a warning: err = %v, want a failure", err)
	}
}

func TestCheckJSON(t *testing.T) {
	out, _, err := runCmd("check", "-content", "../../testdata/seed", "-format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var items []struct {
		File, Severity, Field, Message string
		Line                           int
	}
	if err := json.Unmarshal([]byte(out), &items); err != nil {
		t.Fatalf("check -format json is not JSON: %v\n%s", err, out)
	}
	if len(items) != 1 || items[0].Severity != "note" || items[0].Line == 0 || items[0].Field != "indicators[1].grade" {
		t.Errorf("items = %+v", items)
	}
}

func TestBuildFailureKeepsOutput(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	content := copySeed(t)
	if _, e, err := runCmd("build", "-content", content, "-out", out); err != nil {
		t.Fatalf("build: %v\n%s", err, e)
	}
	before, _ := os.ReadFile(filepath.Join(out, "index.html"))
	// A record with a warning: build -strict fails.
	writeFile(t, filepath.Join(content, "2023/evaluations/extra.toml"), "title = \"t\"\ndepartment = \"d\"\nyear = 2023\nscore = 85\ngrade = \"优\"\n")
	_, e, err := runCmd("build", "-content", content, "-out", out, "-strict")
	if !errors.Is(err, errReported) || !strings.Contains(e, "保持不变") {
		t.Errorf("build -strict: err = %v, stderr %q", err, e)
	}
	after, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !bytes.Equal(before, after) || len(after) == 0 {
		t.Errorf("a failed build changed the previous output")
	}
}

// copySeed copies the default content into a temporary folder, for tests
// that change it.
func copySeed(t *testing.T) string {
	t.Helper()
	const seed = "../../testdata/seed"
	dir := t.TempDir()
	err := filepath.WalkDir(seed, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(seed, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args []string
		want error
	}{
		{nil, errUsage},
		{[]string{"frobnicate"}, errUsage},
		{[]string{"build", "-nope"}, errUsage},
		{[]string{"build", "extra"}, errUsage},
		{[]string{"check", "-format", "xml"}, errUsage},
		{[]string{"help"}, nil},
		{[]string{"version"}, nil},
	}
	for _, tt := range tests {
		if _, _, err := runCmd(tt.args...); !errors.Is(err, tt.want) {
			t.Errorf("run(%q) = %v, want %v", tt.args, err, tt.want)
		}
	}
	if _, e, err := runCmd("build", "-h"); err == nil || !strings.Contains(e, "-content") {
		t.Errorf("build -h: err %v, usage %q", err, e)
	}
}

func TestMissingContentDir(t *testing.T) {
	_, _, err := runCmd("build", "-content", filepath.Join(t.TempDir(), "nope"), "-out", filepath.Join(t.TempDir(), "out"))
	if err == nil || !strings.Contains(err.Error(), "找不到内容目录") {
		t.Errorf("err = %v, want a message naming the missing content directory", err)
	}
}

func TestNewWritesADraftThatChecks(t *testing.T) {
	dir := t.TempDir()
	site := "title = \"测试\"\norganization = \"测试市财政局\"\nbase_url = \"https://example.gov.cn/\"\n"
	if err := os.WriteFile(filepath.Join(dir, "site.toml"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	out, e, err := runCmd("new", "-content", dir, "2024/road-maintenance")
	if err != nil {
		t.Fatalf("new: %v\n%s", err, e)
	}
	if !strings.Contains(out, "road-maintenance.toml") || !strings.Contains(out, "draft") {
		t.Errorf("new said %q", out)
	}
	out, e, err = runCmd("check", "-content", dir)
	if err != nil || !strings.Contains(out, "另有 1 项未公开") || !strings.Contains(out, "0 个错误") {
		t.Errorf("check of the new draft: err %v\n%s%s", err, out, e)
	}
	// With its draft line deleted and nothing else filled in, the new
	// record fails the build, naming file and line: a half-filled form
	// never publishes as 0 分 差.
	rec := filepath.Join(dir, "2024", "evaluations", "road-maintenance.toml")
	src, _ := os.ReadFile(rec)
	writeFile(t, rec, strings.Replace(string(src), "draft = true\n", "", 1))
	_, e, err = runCmd("build", "-content", dir, "-out", filepath.Join(t.TempDir(), "public"))
	if !errors.Is(err, errReported) {
		t.Errorf("build of an unfilled record: err %v, want a failure\n%s", err, e)
	}
	for _, want := range []string{"road-maintenance.toml:15:1: error: title", "road-maintenance.toml:18:1: error: department",
		"error: indicators[0].score", "road-maintenance.md:"} {
		if !strings.Contains(e, want) {
			t.Errorf("build of an unfilled record does not report %q:\n%s", want, e)
		}
	}
	writeFile(t, rec, string(src))
	// A second new of the same slug refuses to overwrite.
	if _, e, err := runCmd("new", "-content", dir, "2024/road-maintenance"); err == nil || !strings.Contains(e, "road-maintenance") {
		t.Errorf("new over an existing record: err %v, stderr %q", err, e)
	}
	for _, bad := range []string{"24/x", "2024/Bad_Slug", "2024", "2024/-x"} {
		if _, _, err := runCmd("new", "-content", dir, bad); err == nil {
			t.Errorf("new %s succeeded, want a refusal", bad)
		}
	}
}

func writeFile(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
