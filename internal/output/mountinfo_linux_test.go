package output

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestMountPointIsRefused(t *testing.T) {
	for _, kind := range []string{"tmpfs", "bind"} {
		t.Run(kind, func(t *testing.T) {
			root := t.TempDir()
			out := filepath.Join(root, "volume")
			src := filepath.Join(root, "src")
			for _, d := range []string{out, src} {
				if err := os.Mkdir(d, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			var err error
			if kind == "tmpfs" {
				err = syscall.Mount("none", out, "tmpfs", 0, "")
			} else {
				// Same file system as its parent: only the mount table
				// shows it.
				err = syscall.Mount(src, out, "", syscall.MS_BIND, "")
			}
			if err != nil {
				t.Skipf("cannot mount here: %v", err)
			}
			t.Cleanup(func() { _ = syscall.Unmount(out, 0) })
			_, err = Open(context.Background(), out, Options{})
			var refused *RefusedError
			if !errors.As(err, &refused) || !strings.Contains(err.Error(), "挂载点") || !strings.Contains(err.Error(), filepath.Join(out, "site")) {
				t.Errorf("Open of a mount point = %v, want a refusal naming a folder inside it", err)
			}
			// A folder inside the volume works.
			commit(t, filepath.Join(out, "site"), map[string]string{"index.html": "x"})
		})
	}
}

func TestUnescapeMount(t *testing.T) {
	for in, want := range map[string]string{`/a\040b`: "/a b", `/x\134y`: `/x\y`, `/plain`: "/plain", `/end\04`: `/end\04`} {
		if got := unescapeMount(in); got != want {
			t.Errorf("unescapeMount(%q) = %q, want %q", in, got, want)
		}
	}
}
