package pipeline_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden from the current output")

// defaultContent is a copy of the seed's content (the default content/ as
// shipped), so that a bureau's own records in content/ never change what
// the tests expect.
const defaultContent = "../../testdata/seed"

func TestDefaultContentCheck(t *testing.T) {
	t.Parallel()
	c := wholesite.CheckDir(t, defaultContent)
	if err := c.Err(); err != nil {
		t.Fatalf("check: %v", err)
	}
	items := c.Diags()
	// The seed has exactly one finding: 附件1 states 项目过程 26.5/30 as 优,
	// while 88.33 % is 良 on the national bands. The record acknowledges
	// it ([[accept]]), so it is a note, and -strict passes.
	if len(items) != 1 {
		t.Fatalf("check reported %d findings, want exactly 1:\n%v", len(items), items)
	}
	d := items[0]
	if d.Severity != diag.Note || d.File != "../../testdata/seed/2023/evaluations/disability-subsidies.toml" ||
		d.Line == 0 || d.Field != "indicators[1].grade" || !strings.Contains(d.Message, "项目过程") ||
		!strings.Contains(d.Message, "应为“良”") || !strings.Contains(d.Message, "按公布文件原样公开") {
		t.Errorf("finding = %v", d)
	}
	src, _ := os.ReadFile(filepath.Join(defaultContent, "2023/evaluations/disability-subsidies.toml"))
	line := strings.Split(string(src), "\n")[d.Line-1]
	if !strings.HasPrefix(strings.TrimSpace(line), "grade") || !strings.Contains(line, "优") {
		t.Errorf("the finding points at line %d %q, want the 项目过程 grade line", d.Line, line)
	}

	if c := wholesite.CheckDir(t, defaultContent, wholesite.Strict); c.Err() != nil {
		t.Errorf("check -strict on the seed: err = %v, want none\n%s", c.Err(), c.DiagText())
	}

	// Without its [[accept]], the same finding is a warning again, at
	// the same file and line, and -strict fails.
	dir := copySeed(t)
	rec := filepath.Join(dir, "2023/evaluations/disability-subsidies.toml")
	i := strings.Index(string(src), "\n[[accept]]")
	if i < 0 {
		t.Fatal("the seed has no [[accept]]")
	}
	if err := os.WriteFile(rec, src[:i+1], 0o644); err != nil {
		t.Fatal(err)
	}
	c = wholesite.CheckDir(t, dir, wholesite.Strict)
	if err := c.Err(); !errors.Is(err, pipeline.ErrFailed) {
		t.Errorf("check -strict without the [[accept]]: err = %v, want ErrFailed", err)
	}
	items = c.Diags()
	if len(items) != 1 || items[0].Severity != diag.Warning || items[0].Line != d.Line || items[0].Field != d.Field ||
		!strings.HasSuffix(items[0].File, "2023/evaluations/disability-subsidies.toml") {
		t.Errorf("without the [[accept]]: %v, want one warning at line %d", items, d.Line)
	}
}

// copySeed copies the default content into a temporary folder, for tests
// that change it.
func copySeed(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := filepath.WalkDir(defaultContent, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(defaultContent, p)
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

func TestDefaultSite(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, defaultContent)
	tests := []struct {
		page string
		want []string
	}{
		{"2023/disability-subsidies/index.html", []string{"残疾人“两项补贴”", "93.5", `<span class="grade g0">优</span>`, "潜江市民政局", "26.5", "88.33%",
			// The seed's acknowledged grade is a neutral note with its reason,
			// not the data check's alarm.
			`<section class="remarks info" aria-labelledby="remarks-heading">`,
			`<h2 id="remarks-heading"><span class="info-mark" aria-hidden="true">ⓘ</span> 说明</h2>`,
			"原因：按公布文件原样公开", "! 数据核对说明", "! notes-heading", `! class="notice"`}},
		{"2023/digital-city-management/index.html", []string{"数字化城管运行经费", `<span class="value">92</span>`, "45 万元", "52.88 万元", "92.5%"}},
		{"2023/index.html", []string{"潜江市2023年预算绩效工作开展情况说明", "448", "11.52", "1.44", "亿元", "disability-subsidies/", "digital-city-management/"}},
		{"index.html", []string{"潜江市财政局 预算绩效评价结果公开", "448", "最新公开"}},
		{"departments/index.html", []string{"潜江市民政局", "潜江市数字城管监督指挥中心"}},
		{"departments/qianjiangshi-minzhengju/index.html", []string{"残疾人“两项补贴”"}},
		{"404.html", []string{"页面未找到"}},
	}
	for _, tt := range tests {
		s.AssertFileContent(tt.page, tt.want...)
	}
}

func TestBuildsAreByteIdentical(t *testing.T) {
	t.Parallel()
	a, b := wholesite.BuildDir(t, defaultContent).Out(), wholesite.BuildDir(t, defaultContent).Out()
	files := 0
	err := filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(a, p)
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(filepath.Join(b, rel))
		if err != nil || !bytes.Equal(x, y) {
			t.Errorf("%s differs between two builds of the same content", rel)
		}
		files++
		return nil
	})
	if err != nil || files < 8 {
		t.Fatalf("compared %d files: %v", files, err)
	}
}

// TestGoldenPages compares the default site's pages, and the evaluation
// page of the fixture with every field of the second edition of the record
// (testdata/full), with reviewed copies in testdata/golden and
// testdata/golden-full. After a deliberate change run
//
//	go test ./internal/pipeline -run TestGoldenPages -update
//
// and review the diff of testdata/golden* before committing it.
func TestGoldenPages(t *testing.T) {
	// The golden pages load ECharts; a binary built without it (go test
	// before make) writes pages without those script tags.
	if _, err := fs.Stat(evalpress.Files, site.ECharts); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is not embedded: CI must run make test, which builds it first", site.ECharts)
		}
		t.Skipf("%s is not embedded: run make test (it builds ECharts before the tests)", site.ECharts)
	}
	t.Run("default", func(t *testing.T) {
		compareGolden(t, wholesite.BuildDir(t, defaultContent).Out(), filepath.Join("testdata", "golden"), nil)
	})
	t.Run("full", func(t *testing.T) {
		// Built in July 2024, when one of the fixture's findings is
		// overdue.
		out := wholesite.BuildDir(t, fullContent, fullJuly).Out()
		compareGolden(t, out, filepath.Join("testdata", "golden-full"), map[string]bool{
			filepath.FromSlash("2023/road-maintenance/index.html"): true,
		})
	})
}

// fullJuly builds the full fixture on 2024-07-01, after the deadline of
// its finding in progress (2024-06-30).
func fullJuly(o *pipeline.Options) { o.Now = time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC) }

// compareGolden compares the HTML pages of out (those of only, if not
// nil) with their copies in golden, or rewrites golden with -update.
func compareGolden(t *testing.T, out, golden string, only map[string]bool) {
	made := map[string]bool{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		if only != nil && !only[rel] {
			return nil
		}
		made[rel] = true
		got, _ := os.ReadFile(p)
		want := filepath.Join(golden, rel)
		if *update {
			if err := os.MkdirAll(filepath.Dir(want), 0o755); err != nil {
				return err
			}
			return os.WriteFile(want, got, 0o644)
		}
		w, err := os.ReadFile(want)
		if err != nil {
			t.Errorf("%s: no golden file (run with -update and review it)", rel)
			return nil
		}
		if !bytes.Equal(got, w) {
			t.Errorf("%s differs from %s (run go test ./internal/pipeline -run TestGoldenPages -update and review the diff):\n%s", rel, want, firstDifference(string(w), string(got)))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(made) == 0 || only != nil && len(made) != len(only) {
		t.Fatalf("compared %d pages of %s", len(made), out)
	}
	// A golden file of a page the build no longer makes would otherwise
	// sit there unnoticed, reviewed by nobody.
	err = filepath.WalkDir(golden, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && *update {
			return nil
		}
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(golden, p)
		if made[rel] {
			return nil
		}
		if *update {
			return os.Remove(p)
		}
		t.Errorf("%s: golden file of a page the build no longer makes (run with -update to remove it)", p)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// firstDifference shows the first line where got differs from want, with
// the line before it, as a reviewer would want to see it first.
func firstDifference(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl == gl {
			continue
		}
		var b strings.Builder
		if i > 0 && i-1 < len(w) {
			fmt.Fprintf(&b, "  line %d:   %s\n", i, w[i-1])
		}
		fmt.Fprintf(&b, "  line %d: - %s\n  line %d: + %s", i+1, wl, i+1, gl)
		return b.String()
	}
	return "  (no line differs: line endings or a trailing newline)"
}
