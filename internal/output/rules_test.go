package output

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// snapshot records every file, folder and symlink under root with its
// content, so that a test can show nothing of the user's changed.
func snapshot(t *testing.T, root string) map[string]string {
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

func sameTree(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %s changed or vanished (was %q, now %q)", what, k, v, after[k])
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s: %s appeared", what, k)
		}
	}
}

// userSite makes a throw-away working folder such as a web staffer keeps
// under version control: a .git, a content folder, a note, a folder of
// someone else's pages. It changes into it and returns its path.
func userSite(t *testing.T) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "site")
	for name, data := range map[string]string{
		".git/HEAD":                       "ref: refs/heads/main\n",
		"content/site.toml":               "title = \"x\"\n",
		"content/2023/evaluations/a.toml": "title = \"a\"\n",
		"notes.txt":                       "我的笔记\n",
		"portal/index.html":               "<p>门户其他栏目</p>\n",
		"portal/news/1.html":              "<p>新闻</p>\n",
		"repo/.git/HEAD":                  "ref: refs/heads/main\n",
		"repo/page.html":                  "<p>x</p>\n",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("portal", filepath.Join(root, "link-to-portal")); err != nil {
		t.Fatal(err)
	}
	t.Chdir(root)
	return root
}

func TestRefusedOutputsTouchNothing(t *testing.T) {
	tests := []struct {
		out, content string
		want         string // in the message
	}{
		{"", "content", "为空"},
		{"   ", "content", "为空"},
		{".", "content", "当前工作目录"},
		{"..", "content", "当前工作目录"},
		{"./", "content", "当前工作目录"},
		{"/", "content", "根目录"},
		{"content", "content", "就是内容文件夹"},
		{"content/2023", "content", "内容文件夹"},
		{"content/public", "content", "之内"},
		{"notes.txt", "content", "是一个文件"},
		{"portal", "content", "不是 evalpress 生成的"},
		{"link-to-portal", "content", "不是 evalpress 生成的"},
		{"repo", "content", ".git"},
		{".git", "content", ".git"},
		{".git/public", "content", ".git"},
		{"elsewhere", "elsewhere/content", "包含内容文件夹"},
	}
	for _, tt := range tests {
		t.Run(tt.out, func(t *testing.T) {
			root := userSite(t)
			if tt.content == "elsewhere/content" {
				if err := os.MkdirAll(filepath.Join(root, "elsewhere", "content"), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			before := snapshot(t, filepath.Dir(root))
			d, err := Open(context.Background(), tt.out, Options{Content: tt.content, Replace: false})
			var refused *RefusedError
			if !errors.As(err, &refused) {
				if d != nil {
					d.Abort()
				}
				t.Fatalf("Open(%q) = %v, want a refusal", tt.out, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("refusal %q does not say %q", err, tt.want)
			}
			for _, p := range refused.Problems {
				if p.Hint == "" {
					t.Errorf("problem %q says nothing of what to do", p.Message)
				}
			}
			sameTree(t, "after the refusal", before, snapshot(t, filepath.Dir(root)))
		})
	}
}

func TestReplaceOutDoesNotOverrideTheSafetyRules(t *testing.T) {
	for _, out := range []string{".", "..", "content", "repo", "notes.txt", ""} {
		userSite(t)
		if d, err := Open(context.Background(), out, Options{Content: "content", Replace: true}); err == nil {
			d.Abort()
			t.Errorf("Open(%q) with Replace succeeded, want a refusal", out)
		}
	}
}

func TestAcceptedOutputs(t *testing.T) {
	t.Run("new", func(t *testing.T) {
		userSite(t)
		commit(t, "public", map[string]string{"index.html": "x"})
	})
	t.Run("empty", func(t *testing.T) {
		userSite(t)
		if err := os.Mkdir("public", 0o755); err != nil {
			t.Fatal(err)
		}
		commit(t, "public", map[string]string{"index.html": "x"})
	})
	t.Run("marked", func(t *testing.T) {
		userSite(t)
		commit(t, "public", map[string]string{"index.html": "x"})
		d := commit(t, "public", map[string]string{"index.html": "y"})
		if len(d.Notices()) != 0 {
			t.Errorf("a plain rebuild gave notices %q", d.Notices())
		}
	})
	t.Run("replace", func(t *testing.T) {
		root := userSite(t)
		d, err := Open(context.Background(), "portal", Options{Content: "content", Replace: true})
		if err != nil {
			t.Fatal(err)
		}
		if err := d.Commit(); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(root, "portal", "news")); !os.IsNotExist(err) {
			t.Errorf("the taken-over folder kept its old files")
		}
		if len(d.Notices()) != 1 || !strings.Contains(d.Notices()[0], "-replace-out") {
			t.Errorf("notices = %q, want one naming -replace-out", d.Notices())
		}
	})
}

// earlierSiteFiles is the top of an output written by evalpress before it
// had a marker.
var earlierSiteFiles = map[string]string{
	"index.html":                  "<!doctype html>",
	"404.html":                    "<!doctype html>",
	"feed.xml":                    "<feed/>",
	"sitemap.xml":                 "<urlset/>",
	"robots.txt":                  "User-agent: *",
	"assets/css/site.css":         "body{}",
	"search/meta.json":            "{}",
	"data/evaluations.json":       `{"version":1,"title":"x"}`,
	"2023/index.html":             "<!doctype html>",
	"departments/index.html":      "<!doctype html>",
	"congress/2023/index.html":    "<!doctype html>",
	"2023/roads/index.html":       "<!doctype html>",
	"data/evaluations.csv":        "a,b",
	"assets/vendor/echarts/x.js":  "x",
	"search/shards/00.json":       "{}",
	"departments/x/index.html":    "<!doctype html>",
	"congress/2023/print/x.html":  "x",
	"assets/js/search.js":         "x",
	"2023/roads/score/index.html": "x",
	"about/index.html":            "<!doctype html>",
}

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestEarlierEvalpressOutputIsReplaced(t *testing.T) {
	root := userSite(t)
	out := filepath.Join(root, "public")
	writeTree(t, out, earlierSiteFiles)
	d := commit(t, "public", map[string]string{"index.html": "new"})
	if len(d.Notices()) != 1 || !strings.Contains(d.Notices()[0], "早先版本") {
		t.Errorf("notices = %q, want one saying an earlier output was replaced", d.Notices())
	}

	// The same folder with one file evalpress never writes is someone's.
	out = filepath.Join(root, "public2")
	writeTree(t, out, earlierSiteFiles)
	writeTree(t, out, map[string]string{"jxgk-old/index.html": "老栏目"})
	before := snapshot(t, out)
	if d, err := Open(context.Background(), "public2", Options{Content: "content"}); err == nil {
		d.Abort()
		t.Errorf("an earlier output with a foreign folder at its top was taken over")
	}
	sameTree(t, "foreign folder in an earlier output", before, snapshot(t, out))

	// And without evalpress's open data it is not recognised either.
	out = filepath.Join(root, "public3")
	writeTree(t, out, earlierSiteFiles)
	if err := os.Remove(filepath.Join(out, "data", "evaluations.json")); err != nil {
		t.Fatal(err)
	}
	if d, err := Open(context.Background(), "public3", Options{Content: "content"}); err == nil {
		d.Abort()
		t.Errorf("a folder without data/evaluations.json passed as an earlier output")
	}
}

func TestSymlinkedOutputReplacesItsTarget(t *testing.T) {
	root := userSite(t)
	www := filepath.Join(filepath.Dir(root), "www", "html")
	commit(t, www, map[string]string{"index.html": "old"})
	if err := os.Symlink(www, "public"); err != nil {
		t.Fatal(err)
	}
	commit(t, "public", map[string]string{"index.html": "new"})
	st, err := os.Lstat("public")
	if err != nil || st.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("public is no longer a symlink: %v %v", st.Mode(), err)
	}
	if got, _ := os.ReadFile(filepath.Join(www, "index.html")); string(got) != "new" {
		t.Errorf("the web root holds %q, want the new site", got)
	}
	if got := beside(t, filepath.Dir(www)); len(got) != 1 {
		t.Errorf("left beside the web root: %v", got)
	}
	if got := names(t, root); strings.Contains(strings.Join(got, " "), "public.") {
		t.Errorf("left beside the symlink: %v", got)
	}
}
