//go:build unix

package pipeline_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// bounded runs f and fails the test if it blocks: a FIFO in the content
// folder once hung check, build and the preview for good.
func bounded(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

// A narrative linked to a secret outside the content folder was read and
// published on the page, the year page, the booklet and the search index.
// Now the build stops with an error naming the link, and nothing of the
// secret is written.
func TestLinkOutOfContentIsNotPublished(t *testing.T) {
	c, out := siteFromTxtar(t, siteToml+strings.Replace(goodRecord, "-- content/2023/evaluations/roads.md --\n## 一、项目成效\n\n养护里程全部完成。\n", "", 1))
	secret := filepath.Join(filepath.Dir(c), "secret.md")
	if err := os.WriteFile(secret, []byte("## 口令\n\nDB_PASSWORD=hunter2\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(c, "2023", "evaluations", "roads.md")); err != nil {
		t.Fatal(err)
	}
	var l diag.List
	for _, run := range []struct {
		name string
		f    func() error
	}{
		{"build", func() error {
			_, err := pipeline.Run(context.Background(), pipeline.Options{Content: c, Out: out, Now: wholesite.Now}, &l)
			return err
		}},
		{"check", func() error {
			_, err := pipeline.Check(context.Background(), pipeline.Options{Content: c, Now: wholesite.Now}, &l)
			return err
		}},
	} {
		if err := run.f(); !errors.Is(err, pipeline.ErrFailed) {
			t.Errorf("%s: err = %v, want pipeline.ErrFailed", run.name, err)
		}
	}
	found := false
	for _, d := range l.Items() {
		if d.Severity == diag.Error && strings.HasSuffix(d.File, "2023/evaluations/roads.md") && strings.Contains(d.Message, "符号链接") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error names roads.md as a link:\n%v", l.Items())
	}
	if _, err := os.Stat(out); err == nil {
		err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if b, err := os.ReadFile(p); err != nil || strings.Contains(string(b), "hunter2") {
				t.Errorf("the secret was published in %s (%v)", p, err)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}

// A FIFO as a narrative and a template override that is a FIFO or a link
// leading out: check and build end with an error naming the file.
func TestSpecialFilesNeverBlock(t *testing.T) {
	t.Run("narrative", func(t *testing.T) {
		c, out := siteFromTxtar(t, siteToml+strings.Replace(goodRecord, "-- content/2023/evaluations/roads.md --\n## 一、项目成效\n\n养护里程全部完成。\n", "", 1))
		if err := syscall.Mkfifo(filepath.Join(c, "2023", "evaluations", "roads.md"), 0o644); err != nil {
			t.Fatal(err)
		}
		var l diag.List
		bounded(t, "check", func() {
			if _, err := pipeline.Check(context.Background(), pipeline.Options{Content: c, Now: wholesite.Now}, &l); !errors.Is(err, pipeline.ErrFailed) {
				t.Errorf("check: %v, want pipeline.ErrFailed", err)
			}
		})
		bounded(t, "build", func() {
			if _, err := pipeline.Run(context.Background(), pipeline.Options{Content: c, Out: out, Now: wholesite.Now}, &l); !errors.Is(err, pipeline.ErrFailed) {
				t.Errorf("build: %v, want pipeline.ErrFailed", err)
			}
		})
		bounded(t, "the preview", func() {
			if _, _, err := pipeline.Build(context.Background(), pipeline.Options{Content: c, Now: wholesite.Now, Drafts: true, Future: true}, &l, discard{}); !errors.Is(err, pipeline.ErrFailed) {
				t.Errorf("preview: %v, want pipeline.ErrFailed", err)
			}
		})
	})
	// The preview reloads one edited record with its narrative: a
	// narrative replaced by a FIFO is refused there too.
	t.Run("preview update", func(t *testing.T) {
		c, _ := siteFromTxtar(t, siteToml+goodRecord)
		var l diag.List
		lv, _, err := pipeline.Build(context.Background(), pipeline.Options{Content: c, Now: wholesite.Now, Drafts: true, Future: true}, &l, discard{})
		if err != nil {
			t.Fatalf("%v\n%v", err, l.Items())
		}
		md := filepath.Join(c, "2023", "evaluations", "roads.md")
		if err := os.Remove(md); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mkfifo(md, 0o644); err != nil {
			t.Fatal(err)
		}
		bounded(t, "the preview's update", func() {
			if _, err := lv.Update(context.Background(), []string{"2023/evaluations/roads.md"}, &l); !errors.Is(err, pipeline.ErrFailed) {
				t.Errorf("update: %v, want pipeline.ErrFailed", err)
			}
		})
		if !strings.Contains(joined(l.Items()), "命名管道") {
			t.Errorf("no error says roads.md is a FIFO:\n%v", l.Items())
		}
	})
	for _, tt := range []struct {
		name string
		make func(name string) error
		want error
	}{
		{"template FIFO", func(name string) error { return syscall.Mkfifo(name, 0o644) }, sysfile.ErrNotRegular},
		{"template link", func(name string) error { return os.Symlink("/etc/hostname", name) }, sysfile.ErrNotRegular},
		{"template too large", func(name string) error {
			return os.WriteFile(name, []byte(`{{define "content"}}`+strings.Repeat(" ", 1<<20)+`{{end}}`), 0o644)
		}, sysfile.ErrTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c, out := siteFromTxtar(t, siteToml+goodRecord+"-- content/templates/README --\n")
			if err := tt.make(filepath.Join(c, "templates", "404.html")); err != nil {
				t.Fatal(err)
			}
			var l diag.List
			bounded(t, "build", func() {
				_, err := pipeline.Run(context.Background(), pipeline.Options{Content: c, Out: out, Now: wholesite.Now}, &l)
				if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "templates/404.html") {
					t.Errorf("build: %v, want %v naming templates/404.html", err, tt.want)
				}
			})
		})
	}
}

// siteFromTxtar writes a txtar archive's files into a new folder and
// returns its content and output folders, for tests that put special files
// into the content before they build it.
func siteFromTxtar(t *testing.T, archive string) (contentDir, outDir string) {
	t.Helper()
	root := t.TempDir()
	sitetest.WriteFiles(t, root, archive)
	return filepath.Join(root, "content"), filepath.Join(root, "public")
}

// discard is the preview's writer for tests that only look at errors.
type discard struct{}

func (discard) Write(string, []byte) error { return nil }

// joined lists diagnostics one a line, for searching their text.
func joined(ds []diag.Diagnostic) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}
