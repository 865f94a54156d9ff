package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestDescribeOutsideAGitCheckout(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		epoch string
		want  release
	}{
		{"", release{Version: "dev", Time: fixedTime}},
		{"1700000000", release{Version: "dev", Time: time.Unix(1700000000, 0).UTC()}},
	} {
		got, err := describe(context.Background(), dir, c.epoch)
		if err != nil {
			t.Fatalf("SOURCE_DATE_EPOCH=%q: %v", c.epoch, err)
		}
		if got != c.want {
			t.Errorf("SOURCE_DATE_EPOCH=%q: describe = %+v, want %+v", c.epoch, got, c.want)
		}
	}
	for _, bad := range []string{"yesterday", "-1", "100"} {
		if _, err := describe(context.Background(), dir, bad); err == nil {
			t.Errorf("SOURCE_DATE_EPOCH=%q was accepted", bad)
		}
	}
}

func TestReleaseCheck(t *testing.T) {
	for _, c := range []struct {
		version, commit string
		ok              bool
	}{
		// what git describe and make give
		{"v1.2.0", "9865aeb0123456789abcdef0123456789abcdef0", true},
		{"9865aeb-dirty", "9865aeb0123456789abcdef0123456789abcdef0", true},
		{"v1.2.0-3-g9865aeb", "", true},
		{"dev", "", true},
		{"1.0.0+loong", "", true},

		// what would break a file name or the -X linker flag
		{"", "", false},
		{"v1 beta", "", false},
		{"v1/2", "", false},
		{"-v1", "", false},
		{"版本1", "", false},
		{"v1", "not-a-hash", false},
		{"v1", "9865AEB", false},
	} {
		err := release{Version: c.version, Commit: c.commit}.check()
		if (err == nil) != c.ok {
			t.Errorf("version %q commit %q: check() = %v, want ok=%v", c.version, c.commit, err, c.ok)
		}
	}
}

func TestCRLF(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a\nb\n", "a\r\nb\r\n"},
		{"a\r\nb\r\n", "a\r\nb\r\n"},
		{"a\r\nb\nc", "a\r\nb\r\nc"},
	} {
		if got := string(crlf([]byte(c.in))); got != c.want {
			t.Errorf("crlf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestLicences(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"LICENSE.txt", "COPYING", "NOTICE", "PATENTS", "LICENSE-MIT", "README.md", "licensing.go", "go.mod"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o444); err != nil {
			t.Fatal(err)
		}
	}
	files, err := licences(dir, "licenses/example.com/m")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		got = append(got, f.Name)
		if f.Mode != 0o644 {
			t.Errorf("%s: mode %v, want 0644 whatever the module cache's", f.Name, f.Mode)
		}
	}
	want := "licenses/example.com/m/COPYING licenses/example.com/m/LICENSE-MIT licenses/example.com/m/LICENSE.txt licenses/example.com/m/NOTICE licenses/example.com/m/PATENTS"
	if strings.Join(got, " ") != want {
		t.Errorf("licences = %q, want %q", got, want)
	}
	if _, err := licences(t.TempDir(), "licenses/x"); err == nil {
		t.Error("a module without a licence file was accepted")
	}
}

func TestRefusesAReleaseWithoutECharts(t *testing.T) {
	err := checkECharts(t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "make dist") || !strings.Contains(err.Error(), "no charts") {
		t.Errorf("checkECharts without the bundle = %v; want a refusal that says to run make dist", err)
	}
}

// A version that cannot name a file is refused before anything is built
// or written.
func TestRunRefusesABadVersion(t *testing.T) {
	out := filepath.Join(t.TempDir(), "dist")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-out", out, "-version", "1 2"}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), `"1 2"`) {
		t.Errorf("run -version '1 2' = %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("run wrote %s after refusing: %v", out, err)
	}
}
