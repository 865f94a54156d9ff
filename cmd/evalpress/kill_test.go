//go:build unix

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run this binary as the evalpress command itself,
// to signal or kill it as a user's CI or systemd would.
func TestMain(m *testing.M) {
	if os.Getenv("EVALPRESS_TEST_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// evalpress starts this binary as the evalpress command with args.
func evalpress(t *testing.T, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	return evalpressIn(t, nil, args...)
}

// evalpressIn is evalpress with more environment variables.
func evalpressIn(t *testing.T, env []string, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "EVALPRESS_TEST_MAIN=1"), env...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &out
}

// killRecords is the size of the site the kill tests build: large
// enough that the new title changes more files than an update makes in
// place (output's maxInPlace, 64), so a killed build must leave the
// previous output whole, not half updated.
const killRecords = 60

// killSites builds the same small site twice with different titles: old
// is the output in place when a build is killed, new what that build
// would have written. Both are byte-identical on every build.
func killSites(t *testing.T) (root, content string, old, new map[string]string) {
	t.Helper()
	root = t.TempDir()
	content = filepath.Join(root, "content")
	writeSite(t, content, killRecords, "旧标题")
	if _, e, err := runCmd("build", "-content", content, "-out", filepath.Join(root, "public")); err != nil {
		t.Fatalf("build: %v\n%s", err, e)
	}
	old = tree(t, filepath.Join(root, "public"))
	newContent := filepath.Join(t.TempDir(), "content")
	writeSite(t, newContent, killRecords, "新标题")
	newOut := filepath.Join(t.TempDir(), "public")
	if _, e, err := runCmd("build", "-content", newContent, "-out", newOut); err != nil {
		t.Fatalf("build: %v\n%s", err, e)
	}
	new = tree(t, newOut)
	writeSite(t, content, killRecords, "新标题")
	return root, content, old, new
}

func TestKilledBuildLeavesAWholeOutput(t *testing.T) {
	if testing.Short() {
		t.Skip("starts many builds")
	}
	root, content, old, new := killSites(t)
	out := filepath.Join(root, "public")
	// The build killed below, from the old site to the new one, timed
	// three times: the first run of a process is the slowest (a cold
	// cache), and delays taken from it alone all came after the later
	// builds had ended.
	var full time.Duration
	for i := range 3 {
		start := time.Now()
		cmd, _ := evalpress(t, "build", "-content", content, "-out", out)
		_ = cmd.Wait()
		if d := time.Since(start); i == 0 || d < full {
			full = d
		}
		// Put the old site back for the next run.
		writeSite(t, content, killRecords, "旧标题")
		if _, e, err := runCmd("build", "-content", content, "-out", out); err != nil {
			t.Fatalf("build: %v\n%s", err, e)
		}
		writeSite(t, content, killRecords, "新标题")
	}

	// Delays from the start of the process to past its end: right after
	// start, while loading, mid-render, around the swap.
	var delays []time.Duration
	for i := range 7 {
		delays = append(delays, full*time.Duration(i)/4)
	}
	// The system's temporary folder of the killed builds: a killed build
	// must leave nothing there (the search index's files are a gigabyte
	// at 100,000 evaluations), only beside the output, where the next
	// build finds them.
	sysTmp := t.TempDir()
	sawOld, sawNew, cancelled := 0, 0, 0
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGKILL} {
		for _, delay := range delays {
			cmd, said := evalpressIn(t, []string{"TMPDIR=" + sysTmp}, "build", "-content", content, "-out", out)
			time.Sleep(delay)
			_ = cmd.Process.Signal(sig)
			_ = cmd.Wait()
			what := fmt.Sprintf("%s after %v", sig, delay.Round(time.Millisecond))
			if left, _ := os.ReadDir(sysTmp); len(left) > 0 {
				t.Errorf("%s: left in the system's temporary folder: %s", what, left[0].Name())
				for _, e := range left {
					_ = os.RemoveAll(filepath.Join(sysTmp, e.Name()))
				}
			}
			if strings.Contains(said.String(), "构建已取消") {
				cancelled++
			}

			got := tree(t, out)
			switch {
			case len(diffTrees(old, got)) == 0:
				sawOld++
			case len(diffTrees(new, got)) == 0:
				sawNew++
			default:
				t.Fatalf("%s: the output is neither the whole previous site nor the whole new one: %v\n%s",
					what, diffTrees(old, got), said)
			}
			entries := besideOutput(root)
			if sig == syscall.SIGTERM && len(entries) != 2 {
				t.Errorf("%s: left beside the output: %v\n%s", what, entries, said)
			}

			// The next build removes what a killed one left, and says so
			// for a left folder. A lock file alone (killed after taking the
			// lock, before making its folder) is taken over and removed
			// without a word: it holds nothing of the site.
			debris := false
			for _, e := range entries {
				debris = debris || (e.IsDir() && strings.HasPrefix(e.Name(), ".public.new-"))
			}
			_, stderr, err := runCmd("build", "-content", content, "-out", out)
			if err != nil {
				t.Fatalf("%s: the next build failed: %v\n%s", what, err, stderr)
			}
			if debris && !strings.Contains(stderr, "中断的构建") {
				t.Errorf("%s: the next build did not report the debris it removed:\n%s", what, stderr)
			}
			if entries := besideOutput(root); len(entries) != 2 {
				t.Errorf("%s: after the next build, beside the output: %v", what, entries)
			}
			if d := diffTrees(new, tree(t, out)); len(d) > 0 {
				t.Errorf("%s: the next build's output differs from a clean build's: %v", what, d)
			}
			// Back to the old site for the next kill.
			writeSite(t, content, killRecords, "旧标题")
			if _, e, err := runCmd("build", "-content", content, "-out", out); err != nil {
				t.Fatalf("build: %v\n%s", err, e)
			}
			writeSite(t, content, killRecords, "新标题")
		}
	}
	t.Logf("one build takes %v; the kills left the old site %d times, the new one %d times; %d SIGTERMs cancelled a build",
		full, sawOld, sawNew, cancelled)
	if sawOld == 0 || cancelled == 0 {
		t.Errorf("no kill landed before the swap, or no SIGTERM during a build: the test proves nothing about them")
	}
}

func TestConcurrentBuildsOnOneOutput(t *testing.T) {
	root, content, _, new := killSites(t)
	out := filepath.Join(root, "public")
	var wg sync.WaitGroup
	var said [3]*strings.Builder
	var errs [3]error
	for i := range 3 {
		cmd, s := evalpress(t, "build", "-content", content, "-out", out)
		said[i] = s
		wg.Go(func() { errs[i] = cmd.Wait() })
	}
	wg.Wait()
	waited := false
	for i := range 3 {
		if errs[i] != nil {
			t.Errorf("build %d: %v\n%s", i, errs[i], said[i])
		}
		waited = waited || strings.Contains(said[i].String(), "另一个构建正在写入")
	}
	if d := diffTrees(new, tree(t, out)); len(d) > 0 {
		t.Errorf("after concurrent builds the output differs from a clean build's: %v", d)
	}
	entries := besideOutput(root)
	if names := fmt.Sprint(entries); len(entries) != 2 {
		t.Errorf("beside the output: %s", names)
	}
	// The three start within milliseconds of each other and a build takes
	// hundreds: unless they are serialised, none waits.
	if !waited {
		t.Errorf("no build said it waited for another:\n%s\n%s\n%s", said[0], said[1], said[2])
	}
}

// besideOutput lists what is in dir but the incremental build's cache and
// the spare of the output's next update, which a build keeps beside its
// output on purpose (a killed build leaves them usable: the next build's
// output is checked against a clean one's).
func besideOutput(dir string) []os.DirEntry {
	entries, _ := os.ReadDir(dir)
	return slices.DeleteFunc(entries, func(e os.DirEntry) bool {
		return strings.HasSuffix(e.Name(), ".evalpress-cache") || strings.HasSuffix(e.Name(), ".spare")
	})
}
