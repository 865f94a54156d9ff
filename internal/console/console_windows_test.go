package console

import (
	"bytes"
	"io"
	"os"
	"testing"

	"golang.org/x/sys/windows"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// pipe returns the two ends of a pipe, closed at the end of the test.
func pipe(t *testing.T) (r, w *os.File) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close(); w.Close() })
	return r, w
}

// through writes message to a Writer that Wrap makes for a pipe and
// returns what the pipe's reader gets.
func through(t *testing.T) []byte {
	t.Helper()
	r, w := pipe(t)
	cw := Wrap(w)
	if _, err := cw.Write([]byte(message)); err != nil {
		t.Fatal(err)
	}
	if err := cw.Flush(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// TestInspectPipe: a pipe is not a console window, and the code page
// inspect reports is the console's, 0 when the test has no console.
func TestInspectPipe(t *testing.T) {
	t.Setenv(envOverride, "")
	t.Setenv("MSYSTEM", "")
	_, w := pipe(t)
	s := inspect(w)
	cp, _ := windows.GetConsoleOutputCP()
	if s.console || s.codePage != cp || s.msys {
		t.Errorf("inspect(pipe) = %+v, want not a console, code page %d", s, cp)
	}
	if got, want := through(t), encoded(t, choose(s), message); !bytes.Equal(got, want) {
		t.Errorf("code page %d: the pipe got % x, want % x", cp, got, want)
	}
}

// TestOverrideOnWindows: EVALPRESS_ENCODING decides what a pipe gets
// whatever the console's code page.
func TestOverrideOnWindows(t *testing.T) {
	t.Setenv(envOverride, "gbk")
	if got, want := through(t), encoded(t, simplifiedchinese.GBK, message); !bytes.Equal(got, want) {
		t.Errorf("EVALPRESS_ENCODING=gbk: the pipe got % x, want % x", got, want)
	}
	t.Setenv(envOverride, "utf-8")
	if got := through(t); string(got) != message {
		t.Errorf("EVALPRESS_ENCODING=utf-8: the pipe got % x, want UTF-8", got)
	}
}

// TestInspectConsole: the console window, when the test has one, is seen
// as one, and gets UTF-8 even with an override.
func TestInspectConsole(t *testing.T) {
	f, err := os.OpenFile("CONOUT$", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no console: %v", err)
	}
	defer f.Close()
	t.Setenv(envOverride, "gbk")
	if s := inspect(f); !s.console || choose(s) != nil {
		t.Errorf("inspect(CONOUT$) = %+v, choosing %s; want a console, UTF-8", s, name(choose(s)))
	}
}
