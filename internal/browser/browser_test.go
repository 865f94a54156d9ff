package browser

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// preview is an address as serve prints it, with an & that a shell would
// take for the end of the command.
const preview = "http://127.0.0.1:8080/jxgk/?q=a&b=1"

func TestCommand(t *testing.T) {
	for _, tt := range []struct {
		goos string
		want []string
	}{
		{"windows", []string{"rundll32", "url.dll,FileProtocolHandler", preview}},
		{"darwin", []string{"open", preview}},
		{"linux", []string{"xdg-open", preview}},
		{"freebsd", []string{"xdg-open", preview}},
		{"openbsd", []string{"xdg-open", preview}},
	} {
		name, args := command(tt.goos, preview)
		if got := append([]string{name}, args...); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.goos, got, tt.want)
		}
	}
}

// syncBuffer is a bytes.Buffer that Open's goroutine writes while the
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestOpenDoesNotWait: Open starts the opener for its system, returns
// while the opener runs, and says nothing when it succeeds.
func TestOpenDoesNotWait(t *testing.T) {
	var started [][]string
	exit := make(chan error)
	reaped := make(chan bool)
	start := func(name string, args ...string) (func() error, error) {
		started = append(started, append([]string{name}, args...))
		return func() error { err := <-exit; close(reaped); return err }, nil
	}
	var out syncBuffer
	returned := make(chan bool)
	go func() { open("darwin", preview, &out, start); close(returned) }()
	select {
	case <-returned:
	case <-time.After(10 * time.Second):
		t.Fatal("Open waits for the opener to exit")
	}
	if want := [][]string{{"open", preview}}; !slices.EqualFunc(started, want, slices.Equal) {
		t.Errorf("started %q, want %q", started, want)
	}
	exit <- nil
	<-reaped
	if out.String() != "" {
		t.Errorf("a browser that opened printed %q", out.String())
	}
}

// TestOpenFails: an opener that cannot start, or that exits with a
// failure, is reported in Chinese with the address to open by hand, and
// Open returns: the preview goes on.
func TestOpenFails(t *testing.T) {
	want := "无法打开浏览器（找不到 xdg-open），请在浏览器中手动打开 " + preview + "\n"
	missing := func(name string, _ ...string) (func() error, error) {
		return nil, &exec.Error{Name: name, Err: exec.ErrNotFound}
	}
	var out syncBuffer
	open("linux", preview, &out, missing)
	if out.String() != want {
		t.Errorf("xdg-open missing: printed\n%q\nwant\n%q", out.String(), want)
	}

	var late syncBuffer
	failing := func(string, ...string) (func() error, error) {
		return func() error { return errors.New("exit status 3") }, nil
	}
	open("linux", preview, &late, failing)
	waitFor(t, &late, preview)
	if got := late.String(); !strings.HasPrefix(got, "无法打开浏览器（exit status 3）") {
		t.Errorf("xdg-open failing: printed %q", got)
	}
}

// TestOpenWithoutOpener: with no opener on PATH, the real Open says which
// program it could not find.
func TestOpenWithoutOpener(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	var out syncBuffer
	Open(preview, &out)
	name, _ := command(runtime.GOOS, preview)
	want := "无法打开浏览器（找不到 " + name + "），请在浏览器中手动打开 " + preview + "\n"
	if out.String() != want {
		t.Errorf("printed\n%q\nwant\n%q", out.String(), want)
	}
}

// TestOpenerExitStatus: an opener that runs and exits with status 3 is
// reported with its status.
func TestOpenerExitStatus(t *testing.T) {
	if os.Getenv("EVALPRESS_TEST_EXIT") != "" {
		os.Exit(3)
	}
	t.Setenv("EVALPRESS_TEST_EXIT", "1")
	self := func(name string, _ ...string) (func() error, error) {
		return startProcess(os.Args[0], "-test.run=^TestOpenerExitStatus$")
	}
	var out syncBuffer
	open("linux", preview, &out, self)
	waitFor(t, &out, preview)
	if got := out.String(); !strings.HasPrefix(got, "无法打开浏览器（xdg-open 以状态 3 退出）") {
		t.Errorf("printed %q", got)
	}
}

// waitFor waits until out holds want, and fails the test after 10 s.
func waitFor(t *testing.T, out *syncBuffer, want string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), want) {
		if time.Now().After(deadline) {
			t.Fatalf("no %q after 10 s; printed %q", want, out.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
