package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The swap as it runs on Windows, which has no exchange of two folders
// (exchange_other.go) and refuses to move a folder while a program holds
// one of its files open. Beside the kills of kill_test.go at each stage
// of the two renames, this is what a staffer meets there.
func TestWindowsSwap(t *testing.T) {
	withSeam(t, &exchange, func(a, b string) error { return errors.ErrUnsupported })
	root := t.TempDir()
	out := filepath.Join(root, "public")
	commit(t, out, map[string]string{"index.html": "one", "2024/a/index.html": "a1"})

	// Explorer showing the published folder holds it: every try to move
	// it aside is refused (sysfile.Rename has already waited its two
	// seconds by then). The build fails, says why in Chinese, and the
	// site is the previous one, whole, with nothing left beside it.
	held := func(old, new string) error {
		if old == out {
			return &os.LinkError{Op: "rename", Old: old, New: new, Err: fs.ErrPermission}
		}
		return os.Rename(old, new)
	}
	withSeam(t, &rename, held)
	d := open(t, out)
	for name, data := range map[string]string{"index.html": "two", "2024/a/index.html": "a2"} {
		if err := d.Write(name, []byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	err := d.Commit()
	if err == nil {
		t.Fatal("Commit succeeded while the output could not be moved")
	}
	for _, want := range []string{"无法把原来的", "关闭它们后再构建", "原来的网站没有改动"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	for name, want := range map[string]string{"index.html": "one", "2024/a/index.html": "a1"} {
		if got, _ := os.ReadFile(filepath.Join(out, name)); string(got) != want {
			t.Errorf("after the refused swap %s holds %q, want the previous %q", name, got, want)
		}
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left beside the output: %v", got)
	}

	// Closed, the next build swaps in two renames and the site is new.
	rename = os.Rename
	commit(t, out, map[string]string{"index.html": "three", "2024/a/index.html": "a3"})
	if got, _ := os.ReadFile(filepath.Join(out, "2024/a/index.html")); string(got) != "a3" {
		t.Errorf("after the two-rename swap the page holds %q", got)
	}
	if got := beside(t, root); !slices.Equal(got, []string{"public"}) {
		t.Errorf("left beside the output: %v", got)
	}
}
