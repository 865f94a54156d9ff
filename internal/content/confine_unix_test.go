//go:build unix

package content

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// A content folder with links leading out of it and special files: each
// is an error naming it, nothing of the secret is loaded, and loading
// ends (a FIFO once hung it for good, /dev/zero ran it out of memory).
func TestLoadRefusesLinksAndSpecialFiles(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "content")
	ev := filepath.Join(dir, "2023", "evaluations")
	outside := filepath.Join(root, "elsewhere")
	for _, d := range []string{ev, filepath.Join(outside, "evaluations")} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	files := map[string]string{
		filepath.Join(dir, "site.toml"):                    siteTOML,
		filepath.Join(ev, "a.toml"):                        minimal,
		filepath.Join(ev, "b.toml"):                        minimal,
		filepath.Join(ev, "c.toml"):                        minimal,
		filepath.Join(ev, "ok.toml"):                       minimal,
		filepath.Join(root, "secret.md"):                   "PASSWORD=hunter2\n",
		filepath.Join(outside, "evaluations", "leak.toml"): minimal + "attachment = \"hunter2\"\n",
		filepath.Join(outside, "report.toml"):              "title = \"hunter2\"\n",
	}
	for name, data := range files {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		filepath.Join(ev, "a.md"):       filepath.Join(root, "secret.md"),
		filepath.Join(ev, "b.md"):       "/dev/zero",
		filepath.Join(ev, "d.toml"):     "/dev/null",
		filepath.Join(ev, "e.toml"):     "/proc/self/environ",
		filepath.Join(ev, "f.toml"):     "ok.toml", // inside the folder: refused all the same
		filepath.Join(dir, "2024"):      outside,
		filepath.Join(dir, "templates"): outside,
	} {
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(ev, "c.md"), 0o644); err != nil {
		t.Fatal(err)
	}

	var l diag.List
	var c *Content
	done := make(chan struct{})
	go func() {
		defer close(done)
		c = Load(sysfile.DirFS(dir), "content", &l)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Load blocked")
	}
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.Pos.String()+" "+d.Severity.String())
		for _, bad := range []string{"符号链接", "命名管道"} {
			if strings.Contains(d.Message, bad) && d.Hint == "" {
				t.Errorf("%s: no hint", d)
			}
		}
	}
	want := []string{
		"content/2023/evaluations/a.md error",
		"content/2023/evaluations/b.md error",
		"content/2023/evaluations/c.md error",
		"content/2023/evaluations/d.toml error",
		"content/2023/evaluations/e.toml error",
		"content/2023/evaluations/f.toml error",
		"content/2024 error",
		"content/templates error",
	}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics\n%q\nwant\n%q\n%v", got, want, l.Items())
	}
	for _, d := range l.Items() {
		if d.File == "content/2023/evaluations/a.md" && !strings.Contains(d.Message, "符号链接") {
			t.Errorf("a.md: %q does not say it is a link", d.Message)
		}
		if d.File == "content/2023/evaluations/c.md" && !strings.Contains(d.Message, "命名管道") {
			t.Errorf("c.md: %q does not say it is a FIFO", d.Message)
		}
	}
	var slugs []string
	for _, r := range c.Records {
		slugs = append(slugs, r.Slug)
		if strings.Contains(string(r.Narrative), "hunter2") || strings.Contains(r.Attachment, "hunter2") {
			t.Errorf("%s: the secret was loaded", r.File)
		}
		if r.Narrative != nil {
			t.Errorf("%s: a refused narrative was kept", r.File)
		}
	}
	if want := []string{"a", "b", "c", "ok"}; !slices.Equal(slugs, want) {
		t.Errorf("records %q, want %q", slugs, want)
	}
	if len(c.Reports) != 0 {
		t.Errorf("a report was read through a linked year folder")
	}
}
