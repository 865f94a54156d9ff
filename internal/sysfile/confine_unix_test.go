//go:build unix

package sysfile

import (
	"errors"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// confined makes a content folder holding one regular file, and a secret
// outside it.
func confined(t *testing.T) (dir, secret string) {
	t.Helper()
	root := t.TempDir()
	dir = filepath.Join(root, "content")
	if err := os.MkdirAll(filepath.Join(dir, "2023", "evaluations"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "2023", "evaluations", "x.toml"), "title = \"x\"\n")
	secret = filepath.Join(root, "secret.txt")
	write(t, secret, "PASSWORD=hunter2\n")
	return dir, secret
}

func write(t *testing.T, name, data string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

// within runs f and fails the test if it has not returned after a few
// seconds: a read that blocks must fail the test, not hang it.
func within(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { defer close(done); f() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s blocked", what)
	}
}

// wantNotRegular checks that err refuses name as mode.
func wantNotRegular(t *testing.T, what string, err error, name string, mode fs.FileMode) {
	t.Helper()
	var nr *NotRegularError
	var pe *fs.PathError
	if !errors.Is(err, ErrNotRegular) || !errors.As(err, &nr) || !errors.As(err, &pe) {
		t.Fatalf("%s: err = %v, want a NotRegularError", what, err)
	}
	if pe.Path != name {
		t.Errorf("%s: error names %q, want %q", what, pe.Path, name)
	}
	if nr.Mode&mode == 0 && !(mode == 0 && nr.Parent != "") {
		t.Errorf("%s: mode %v, want %v", what, nr.Mode, mode)
	}
}

func TestDirFSRefusesLinksAndSpecialFiles(t *testing.T) {
	dir, secret := confined(t)
	ev := filepath.Join(dir, "2023", "evaluations")
	symlink(t, secret, filepath.Join(ev, "secret.md"))
	symlink(t, "x.toml", filepath.Join(ev, "inside.md")) // a link within the folder: refused too
	symlink(t, "/dev/zero", filepath.Join(ev, "zero.md"))
	symlink(t, "/dev/null", filepath.Join(ev, "null.md"))
	symlink(t, "/proc/self/environ", filepath.Join(ev, "environ.md"))
	symlink(t, filepath.Dir(secret), filepath.Join(dir, "2024")) // a folder leading out
	if err := syscall.Mkfifo(filepath.Join(ev, "fifo.md"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("unix", filepath.Join(ev, "sock.md"))
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	fsys := DirFS(dir)
	for _, tt := range []struct {
		name string
		mode fs.FileMode // 0: a folder on the path is a link
	}{
		{"2023/evaluations/secret.md", fs.ModeSymlink},
		{"2023/evaluations/inside.md", fs.ModeSymlink},
		{"2023/evaluations/zero.md", fs.ModeSymlink},
		{"2023/evaluations/null.md", fs.ModeSymlink},
		{"2023/evaluations/environ.md", fs.ModeSymlink},
		{"2023/evaluations/fifo.md", fs.ModeNamedPipe},
		{"2023/evaluations/sock.md", fs.ModeSocket},
		{"2024/secret.txt", 0},
	} {
		within(t, "ReadFile("+tt.name+")", func() {
			b, err := fs.ReadFile(fsys, tt.name)
			if strings.Contains(string(b), "hunter2") {
				t.Errorf("ReadFile(%s) read the secret", tt.name)
			}
			wantNotRegular(t, "ReadFile("+tt.name+")", err, tt.name, tt.mode)
			_, err = ReadFileLimit(fsys, tt.name, 1<<30)
			wantNotRegular(t, "ReadFileLimit("+tt.name+")", err, tt.name, tt.mode)
			f, err := fsys.Open(tt.name)
			if err == nil {
				f.Close()
			}
			wantNotRegular(t, "Open("+tt.name+")", err, tt.name, tt.mode)
		})
	}
	var nr *NotRegularError
	if _, err := fs.ReadFile(fsys, "2023/evaluations/secret.md"); !errors.As(err, &nr) || nr.Target != secret {
		t.Errorf("the error does not say where the link points: %v", err)
	}
	if _, err := fs.ReadDir(fsys, "2024"); !errors.Is(err, ErrNotRegular) {
		t.Errorf("ReadDir through a link leading out: %v, want refused", err)
	}
	// A folder reached through a link is not walked either.
	err = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(name, "2024/") {
			t.Errorf("WalkDir went through the link to %s", name)
		}
		return nil
	})
	if err != nil {
		t.Errorf("WalkDir: %v", err)
	}
	// The regular file is read as before, and the content folder itself
	// may be reached through a link.
	link := filepath.Join(t.TempDir(), "content")
	symlink(t, dir, link)
	if b, err := fs.ReadFile(DirFS(link), "2023/evaluations/x.toml"); err != nil || string(b) != "title = \"x\"\n" {
		t.Errorf("ReadFile through a linked content folder = %q, %v", b, err)
	}
}

// A FIFO swapped in after the Lstat (here: opened directly) does not block
// the open, and is refused by the fstat.
func TestOpenConfinedFIFONeverBlocks(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "f")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	within(t, "opening a FIFO", func() {
		fd, err := openNoFollow(dir, fifo)
		if err != nil {
			t.Fatalf("openNoFollow: %v", err)
		}
		defer syscall.Close(fd)
		var st syscall.Stat_t
		if err := syscall.Fstat(fd, &st); err != nil {
			t.Fatal(err)
		}
		if err := refuse(fifo, uint32(st.Mode), false); !errors.Is(err, ErrNotRegular) {
			t.Errorf("refuse(FIFO) = %v", err)
		}
	})
}

func TestReadFileLimit(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.md"), strings.Repeat("x", 1000))
	fsys := DirFS(dir)
	if b, err := ReadFileLimit(fsys, "a.md", 1000); err != nil || len(b) != 1000 {
		t.Errorf("at the limit: %d bytes, %v", len(b), err)
	}
	var tl *TooLargeError
	if _, err := ReadFileLimit(fsys, "a.md", 999); !errors.Is(err, ErrTooLarge) || !errors.As(err, &tl) || tl.Size != 1000 || tl.Limit != 999 {
		t.Errorf("over the limit: %v, want TooLargeError{1000, 999}", err)
	}
	if _, err := fs.ReadFile(Limit(fsys, 10), "a.md"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Limit(10): %v, want ErrTooLarge", err)
	}
	// Through fs.Sub, which hides ReadFileLimit: Open and a bounded read.
	sub, _ := fs.Sub(fsys, ".")
	if _, err := fs.ReadFile(Limit(sub, 10), "a.md"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("Limit(Sub, 10): %v, want ErrTooLarge", err)
	}
	if b, err := fs.ReadFile(Limit(sub, 1000), "a.md"); err != nil || len(b) != 1000 {
		t.Errorf("Limit(Sub, 1000): %d bytes, %v", len(b), err)
	}
	// /proc files say they are empty and are not: the read is bounded by
	// what it reads, not by the size the file claims.
	if _, err := os.Stat("/proc/self/environ"); err == nil {
		big := strings.Repeat("y", 4096)
		t.Setenv("EVALPRESS_TEST_PAD", big)
		_, err := readFile("/proc", "/proc/"+strconv.Itoa(os.Getpid())+"/environ", 100)
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("/proc/self/environ with limit 100: %v, want ErrTooLarge", err)
		}
	}
	if got := (&TooLargeError{Size: 3 << 19, Limit: 1 << 20}).Error(); !strings.Contains(got, "1.5 MiB") || !strings.Contains(got, "1 MiB") {
		t.Errorf("TooLargeError text %q", got)
	}
}
