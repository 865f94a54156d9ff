//go:build unix

package output

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test re-run this binary as a build that a test kills.
func TestMain(m *testing.M) {
	if out := os.Getenv("EVALPRESS_OUTPUT_HELPER"); out != "" {
		os.Exit(helperBuild(out, os.Getenv("EVALPRESS_OUTPUT_STOP"), os.Getenv("EVALPRESS_OUTPUT_FALLBACK") != "",
			os.Getenv("EVALPRESS_OUTPUT_TRACK") != "", os.Getenv("EVALPRESS_OUTPUT_MANIFEST")))
	}
	os.Exit(m.Run())
}

// killFiles is the number of files a helper build writes.
const killFiles = 40

// helperBuild writes a site of killFiles files into out as evalpress
// build does, cancelled by SIGINT or SIGTERM, and stops at the stage
// named stop: it says so on stdout and waits there for a signal. With
// track it keeps a manifest (Track), and with manifest, the path of the
// previous build's Manifest as JSON, it updates the output in place.
func helperBuild(out, stop string, fallback, track bool, manifest string) int {
	ctx, cancel := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer cancel()
	wait := func(at string) {
		if at == stop {
			fmt.Println("at", at)
			select {
			case <-ctx.Done():
			case <-time.After(time.Minute):
			}
		}
	}
	if fallback {
		exchange = func(a, b string) error { return syscall.EINVAL }
	}
	atStage = wait
	d, err := Open(ctx, out, Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if track && manifest == "" {
		d.Track(nil)
	}
	if manifest != "" {
		var prev map[string]State
		b, err := os.ReadFile(manifest)
		if err == nil {
			err = json.Unmarshal(b, &prev)
		}
		if err != nil || !d.Track(prev) {
			fmt.Fprintln(os.Stderr, "no update in place:", err)
			return 1
		}
	}
	for i := range killFiles {
		if i == killFiles/2 {
			wait("writing")
		}
		if ctx.Err() != nil {
			d.Abort()
			return 3
		}
		if err := d.Write(fmt.Sprintf("p%d/index.html", i), []byte(fmt.Sprintf("new %d", i))); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
	}
	if err := d.Commit(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// siteIs reports whether out holds exactly the site of killFiles files
// whose pages say prefix.
func siteIs(out, prefix string) bool {
	entries, err := os.ReadDir(out)
	if err != nil || len(entries) != killFiles+1 {
		return false
	}
	for i := range killFiles {
		b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("p%d/index.html", i)))
		if err != nil || string(b) != fmt.Sprintf("%s %d", prefix, i) {
			return false
		}
	}
	return true
}

func TestKilledBuildKeepsAWholeOutput(t *testing.T) {
	type when struct {
		stage    string
		fallback bool
		// track: the build keeps a manifest, and makes a spare as it
		// writes (startLinks).
		track bool
	}
	for _, w := range []when{{"writing", false, false}, {"swap", false, false}, {"swapped", false, false},
		{"swap", true, false}, {"between", true, false}, {"swapped", true, false},
		{"writing", false, true}, {"swapped", false, true}} {
		for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
			name := fmt.Sprintf("%s/fallback=%v/track=%v/%s", w.stage, w.fallback, w.track, sig)
			t.Run(name, func(t *testing.T) {
				// What is left beside the output once a build ends: the
				// spare of a tracked build that finished its commit.
				beside := []string{"public"}
				if w.track && sig == syscall.SIGTERM && w.stage != "writing" {
					beside = []string{".public.spare", "public"}
				}
				root := t.TempDir()
				out := filepath.Join(root, "public")
				d := open(t, out)
				for i := range killFiles {
					if err := d.Write(fmt.Sprintf("p%d/index.html", i), []byte(fmt.Sprintf("old %d", i))); err != nil {
						t.Fatal(err)
					}
				}
				if err := d.Commit(); err != nil {
					t.Fatal(err)
				}

				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), "EVALPRESS_OUTPUT_HELPER="+out, "EVALPRESS_OUTPUT_STOP="+w.stage)
				if w.fallback {
					cmd.Env = append(cmd.Env, "EVALPRESS_OUTPUT_FALLBACK=1")
				}
				if w.track {
					cmd.Env = append(cmd.Env, "EVALPRESS_OUTPUT_TRACK=1")
				}
				stdout, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				line, _ := bufio.NewReader(stdout).ReadString('\n')
				if line != "at "+w.stage+"\n" {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
					t.Fatalf("helper said %q, stderr %s", line, stderr.String())
				}
				_ = cmd.Process.Signal(sig)
				_ = cmd.Wait()

				// Whatever the moment, the output is one whole site: the
				// old one before the swap, the new one after it. Only the
				// two-rename fallback has a moment without one, which the
				// next build repairs first.
				afterSwap := w.stage == "swapped" || (sig == syscall.SIGTERM && w.stage != "writing")
				switch {
				case w.stage == "between" && sig == syscall.SIGKILL:
					if _, err := os.Stat(out); !os.IsNotExist(err) {
						t.Fatalf("the fallback's window: want no output, got %v", err)
					}
				case afterSwap && !siteIs(out, "new"):
					t.Errorf("after the swap the output is not the whole new site: %v", names(t, out))
				case !afterSwap && !siteIs(out, "old"):
					t.Errorf("the previous output is not whole: %v", names(t, out))
				}
				if sig == syscall.SIGTERM {
					if got := names(t, root); !slices.Equal(got, beside) {
						t.Errorf("after SIGTERM left beside the output: %v", got)
					}
				}

				// The next build repairs and tidies, and says what it did.
				debris := len(names(t, root)) > len(beside)
				next := open(t, out)
				if !siteIs(out, "old") && !siteIs(out, "new") {
					t.Errorf("while the next build runs the output is not a whole site: %v", names(t, out))
				}
				notices := strings.Join(next.Notices(), "\n")
				if debris && !strings.Contains(notices, "中断") {
					t.Errorf("the next build removed debris without a notice: %q", notices)
				}
				next.Abort()
				if got := names(t, root); !slices.Equal(got, beside) {
					t.Errorf("after the next build left beside the output: %v", got)
				}
			})
		}
	}
}

// TestKilledUpdateIsFinished kills a build that updates its output in
// place at each of its moments: a reader never finds a page missing or
// cut short, and the next build finishes the update the journal records,
// or finds the old site whole when there was none.
func TestKilledUpdateIsFinished(t *testing.T) {
	for _, stage := range []string{"writing", "journal", "moving", "updated"} {
		for _, sig := range []syscall.Signal{syscall.SIGKILL, syscall.SIGTERM} {
			t.Run(fmt.Sprintf("%s/%s", stage, sig), func(t *testing.T) {
				root := t.TempDir()
				out := filepath.Join(root, "public")
				d := open(t, out)
				d.Track(nil)
				for i := range killFiles {
					if err := d.Write(fmt.Sprintf("p%d/index.html", i), []byte(fmt.Sprintf("old %d", i))); err != nil {
						t.Fatal(err)
					}
				}
				if err := d.Commit(); err != nil {
					t.Fatal(err)
				}
				b, err := json.Marshal(d.Manifest())
				if err != nil {
					t.Fatal(err)
				}
				manifest := filepath.Join(t.TempDir(), "manifest.json")
				if err := os.WriteFile(manifest, b, 0o644); err != nil {
					t.Fatal(err)
				}

				cmd := exec.Command(os.Args[0], "-test.run=^$")
				cmd.Env = append(os.Environ(), "EVALPRESS_OUTPUT_HELPER="+out, "EVALPRESS_OUTPUT_STOP="+stage,
					"EVALPRESS_OUTPUT_MANIFEST="+manifest)
				stdout, err := cmd.StdoutPipe()
				if err != nil {
					t.Fatal(err)
				}
				var stderr strings.Builder
				cmd.Stderr = &stderr
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				line, _ := bufio.NewReader(stdout).ReadString('\n')
				if line != "at "+stage+"\n" {
					_ = cmd.Process.Kill()
					_ = cmd.Wait()
					t.Fatalf("helper said %q, stderr %s", line, stderr.String())
				}
				_ = cmd.Process.Signal(sig)
				_ = cmd.Wait()

				// Every page is there, whole, old or new.
				whole := func() (old, new int) {
					for i := range killFiles {
						b, err := os.ReadFile(filepath.Join(out, fmt.Sprintf("p%d/index.html", i)))
						switch {
						case err != nil:
							t.Errorf("page %d is missing: %v", i, err)
						case string(b) == fmt.Sprintf("old %d", i):
							old++
						case string(b) == fmt.Sprintf("new %d", i):
							new++
						default:
							t.Errorf("page %d is neither the old nor the new one: %q", i, b)
						}
					}
					return old, new
				}
				old, _ := whole()
				if stage == "writing" && old != killFiles {
					t.Errorf("a build killed before its journal changed %d pages", killFiles-old)
				}
				if stage == "moving" && sig == syscall.SIGKILL && (old == 0 || old == killFiles) {
					t.Errorf("the kill did not fall in the middle of the moves (%d old pages)", old)
				}

				// The next build finishes a journalled update, says so,
				// and leaves nothing beside the output but the spare.
				next := open(t, out)
				old, _ = whole()
				if stage == "writing" && old != killFiles || stage != "writing" && old != 0 {
					t.Errorf("after the next build opened, %d pages are old", old)
				}
				if stage != "writing" && sig == syscall.SIGKILL && stage != "updated" &&
					!strings.Contains(strings.Join(next.Notices(), "\n"), "已把那次更新做完") {
					t.Errorf("no notice says the update was finished: %q", next.Notices())
				}
				next.Abort()
				if got := names(t, root); !slices.Equal(got, []string{".public.spare", "public"}) {
					t.Errorf("after the next build left beside the output: %v", got)
				}
			})
		}
	}
}
