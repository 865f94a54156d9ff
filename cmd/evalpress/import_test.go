package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportedRecordsPassCheck imports the seed's abstracts into a copy of
// the seed's content, removes the draft lines as the staffer would after
// review, and runs check: no error, and the one warning is the published
// abstract's own inconsistency (项目过程 graded 优 at 88.3 %), named with
// the imported file and line.
func TestImportedRecordsPassCheck(t *testing.T) {
	dir := copySeed(t)
	out, errOut, err := runCmd("import", "-content", dir, "../../testdata/import/qianjiang-2023.txt")
	if err != nil {
		t.Fatalf("import: %v\n%s%s", err, out, errOut)
	}
	if !strings.Contains(out, "写入 2 条草稿") || !strings.Contains(out, "不会发布") {
		t.Errorf("import output:\n%s", out)
	}
	for _, slug := range []string{"can-ji-ren-liang-xiang-bu-tie", "shu-zi-hua-cheng-guan-yun-xing-jing-fei"} {
		p := filepath.Join(dir, "2023", "evaluations", slug+".toml")
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), "\ndraft = true\n") {
			t.Fatalf("%s is not written as a draft", p)
		}
		os.WriteFile(p, []byte(strings.Replace(string(b), "\ndraft = true\n", "\n", 1)), 0o644)
	}
	out, errOut, err = runCmd("check", "-content", dir)
	if err != nil {
		t.Fatalf("check of the reviewed import: %v\n%s", err, errOut)
	}
	if !strings.Contains(out, "4 项评价（另有 0 项未公开），0 个错误，1 个警告") {
		t.Errorf("check summary = %q\n%s", out, errOut)
	}
	if !strings.Contains(errOut, "can-ji-ren-liang-xiang-bu-tie.toml:") || !strings.Contains(errOut, "indicators[1].grade") {
		t.Errorf("check does not name the abstract's inconsistency in the imported file:\n%s", errOut)
	}
}

func TestImportCommandLine(t *testing.T) {
	dir := copySeed(t)
	// -format json prints the report as JSON on stdout.
	out, _, err := runCmd("import", "-content", dir, "-dry-run", "-format", "json", "../../testdata/import/")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		DryRun  bool `json:"dry_run"`
		Sources []struct {
			Records []struct{ Status string } `json:"records"`
		} `json:"sources"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || !rep.DryRun || len(rep.Sources) != 1 || rep.Sources[0].Records[0].Status != "dry-run" {
		t.Errorf("import -format json: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "2023", "evaluations", "can-ji-ren-liang-xiang-bu-tie.toml")); err == nil {
		t.Error("-dry-run wrote a record")
	}
	// Usage errors exit 2: no file, a bad format, a bad year.
	for _, args := range [][]string{
		{"import", "-content", dir},
		{"import", "-content", dir, "-format", "xml", "x.txt"},
		{"import", "-content", dir, "-year", "23", "x.txt"},
	} {
		if _, _, err := runCmd(args...); !errors.Is(err, errUsage) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
	// A missing file or content folder is said in Chinese and fails.
	if _, e, err := runCmd("import", "-content", dir, "没有这个文件.txt"); !errors.Is(err, errReported) || !strings.Contains(e, "找不到要导入的文件") {
		t.Errorf("missing file: %v %s", err, e)
	}
	if _, e, err := runCmd("import", "-content", filepath.Join(dir, "nope"), "../../testdata/import/"); !errors.Is(err, errReported) || !strings.Contains(e, "找不到内容目录") {
		t.Errorf("missing content: %v %s", err, e)
	}
}
