package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest"
)

// writeSite writes a small valid content folder of n evaluations into
// dir; title varies the pages, so that two builds can be told apart.
func writeSite(t testing.TB, dir string, n int, title string) {
	t.Helper()
	files := map[string]string{
		"site.toml": "title = \"" + title + "\"\norganization = \"测试市财政局\"\nbase_url = \"https://example.gov.cn/jxgk/\"\n",
	}
	for i := range n {
		files[fmt.Sprintf("2023/evaluations/road-%d.toml", i)] = fmt.Sprintf(`title = "农村公路养护项目 %d"
department = "测试市交通运输局%d"
year = 2023
budget = 120.5
score = 85
grade = "良"

[[indicators]]
name = "决策"
max = 20
score = 18

[[indicators]]
name = "过程"
max = 20
score = 15

[[indicators]]
name = "产出"
max = 40
score = 34

[[indicators]]
name = "效益"
max = 20
score = 18
`, i, i%7)
		files[fmt.Sprintf("2023/evaluations/road-%d.md", i)] = "## 一、项目成效\n\n道路养护到位。\n"
	}
	sitetest.WriteFiles(t, dir, sitetest.Files(files))
}

// tree records every file, folder and symlink under root with its
// content.
func tree(t testing.TB, root string) map[string]string {
	t.Helper()
	m := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			link, _ := os.Readlink(p)
			m[rel] = "-> " + link
		case d.IsDir():
			m[rel] = "dir"
		default:
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			m[rel] = string(b)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// diffTrees lists what differs between two trees.
func diffTrees(a, b map[string]string) []string {
	var d []string
	for k, v := range a {
		if w, ok := b[k]; !ok {
			d = append(d, "-"+k)
		} else if w != v {
			d = append(d, "~"+k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, "+"+k)
		}
	}
	slices.Sort(d)
	return d
}

// workFolder makes a throw-away folder as a web staffer keeps one under
// version control, changes into it and returns its path.
func workFolder(t *testing.T) string {
	t.Helper()
	parent := t.TempDir()
	root := filepath.Join(parent, "site")
	writeSite(t, filepath.Join(root, "content"), 2, "测试")
	sitetest.WriteFiles(t, parent, `
-- site/.git/HEAD --
ref: refs/heads/main
-- site/README.md --
我的说明
-- site/notes.txt --
我的笔记
-- site/portal/index.html --
<p>门户的其他栏目</p>
-- www/html/index.html --
<p>网站根目录的其他栏目</p>
`)
	if err := os.Symlink(filepath.Join(parent, "www", "html"), filepath.Join(root, "webroot")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	return root
}

func TestBuildRefusesAnOutputItWouldDestroy(t *testing.T) {
	tests := []struct {
		out  string
		want string // in stderr
	}{
		{".", "当前工作目录"},
		{"..", "当前工作目录"},
		{"content", "内容文件夹"},
		{"", "为空"},
		{"notes.txt", "是一个文件"},
		{"portal", "-replace-out"},
		{"webroot", "-replace-out"},
		{".git", ".git"},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			root := workFolder(t)
			before := tree(t, filepath.Dir(root))
			_, stderr, err := runCmd("build", "-content", "content", "-out", tt.out)
			if !errors.Is(err, errReported) {
				t.Errorf("build -out %q: err = %v, want a refusal", tt.out, err)
			}
			if !strings.Contains(stderr, tt.want) || !strings.Contains(stderr, "-out") {
				t.Errorf("build -out %q said:\n%s\nwant it to name -out and say %q", tt.out, stderr, tt.want)
			}
			if d := diffTrees(before, tree(t, filepath.Dir(root))); len(d) > 0 {
				t.Errorf("build -out %q changed the user's files: %v", tt.out, d)
			}
		})
	}
}

func TestBuildTakesOverAFolderOnlyWhenAsked(t *testing.T) {
	root := workFolder(t)
	if _, stderr, err := runCmd("build", "-content", "content", "-out", "portal", "-replace-out"); err != nil {
		t.Fatalf("build -replace-out: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(root, "portal", ".evalpress-output")); err != nil {
		t.Errorf("the taken-over folder has no marker: %v", err)
	}
	// Now evalpress's own: a second build needs no flag.
	if _, stderr, err := runCmd("build", "-content", "content", "-out", "portal"); err != nil {
		t.Errorf("second build: %v\n%s", err, stderr)
	}
}

func TestBuildFollowsASymlinkedOutput(t *testing.T) {
	root := workFolder(t)
	target := filepath.Join(filepath.Dir(root), "www", "html", "jxgk")
	if err := os.Mkdir(target, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, "public"); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, stderr, err := runCmd("build", "-content", "content", "-out", "public"); err != nil {
			t.Fatalf("build: %v\n%s", err, stderr)
		}
	}
	if st, err := os.Lstat("public"); err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("public is no longer the symlink to the web root")
	}
	if _, err := os.Stat(filepath.Join(target, "index.html")); err != nil {
		t.Errorf("the web root did not get the site: %v", err)
	}
	if got, _ := os.ReadFile(filepath.Join(filepath.Dir(target), "index.html")); string(got) != "<p>网站根目录的其他栏目</p>\n" {
		t.Errorf("the rest of the web root changed")
	}
	// The cache of the incremental build is beside the symlink, not in
	// the web root, where it would be published.
	entries, _ := os.ReadDir(filepath.Dir(target))
	if len(entries) != 2 {
		t.Errorf("beside the output in the web root: %v", entries)
	}
	if _, err := os.Stat(filepath.Join(".public.evalpress-cache", "EVALPRESS-CACHE.txt")); err != nil {
		t.Errorf("no cache beside the symlink public: %v", err)
	}
}

func TestBuildReplacesTheOutputOfAnEarlierEvalpress(t *testing.T) {
	workFolder(t)
	if _, stderr, err := runCmd("build", "-content", "content", "-out", "public"); err != nil {
		t.Fatalf("build: %v\n%s", err, stderr)
	}
	// What make site left before the marker existed.
	if err := os.Remove(filepath.Join("public", ".evalpress-output")); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runCmd("build", "-content", "content", "-out", "public")
	if err != nil || !strings.Contains(stderr, "早先版本") {
		t.Errorf("build over an earlier output: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join("public", ".evalpress-output")); err != nil {
		t.Errorf("no marker after the build: %v", err)
	}
}

func TestBuildNoticeIsPrintedOnSuccess(t *testing.T) {
	workFolder(t)
	if _, _, err := runCmd("build", "-content", "content", "-out", "public"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(".public.new-77", "2023"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := runCmd("build", "-content", "content", "-out", "public")
	if err != nil || !strings.Contains(stderr, ".public.new-77") {
		t.Errorf("the build did not say it removed a killed build's folder: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(".public.new-77"); !os.IsNotExist(err) {
		t.Errorf("debris left: %v", err)
	}
}
