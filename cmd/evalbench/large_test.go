package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestScaleRunWithFakeBuild runs make bench-large's mode on two small
// corpora with the fake build: both are generated in their own folders,
// built once and -runs times, reported side by side with the growth and
// the targets, and the outputs removed.
func TestScaleRunWithFakeBuild(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir, cmp := t.TempDir(), t.TempDir()
	args := []string{"-n", "6", "-compare", "3", "-compare-dir", cmp, "-seed", "2", "-runs", "1", "-dir", dir, "-bin", self, "-upgrade-bin", self}
	t.Setenv("EVALBENCH_FAKE", "ok")
	var out bytes.Buffer
	// The fake builds take a few milliseconds each, so the growth target
	// may go either way: the verdict is the benchmark's, not this test's.
	if err := run(context.Background(), args, &out, io.Discard); err != nil && !errors.Is(err, errTargetMissed) {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"corpus: 3 evaluations, seed 2", "corpus: 6 evaluations, seed 2",
		"smaller, median", "bytes written", "growth: 2× the evaluations", "the CPU time)", "peak RSS ≤ 1.5 GiB", "wall ≤ 10× the smaller build's",
		"the first build after an upgrade of evalpress (every page rendered again", "peak RSS ≤ 1.5 GiB, the first build after an upgrade",
		"builds: 3 of 3 evaluations (one before the larger builds, the rest after), 1 of 6",
		"where the CPU time went (one more build of each, with a CPU profile"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	for _, d := range []string{filepath.Join(cmp, "content", "site.toml"), filepath.Join(dir, "content", "site.toml")} {
		if _, err := os.Stat(d); err != nil {
			t.Errorf("corpus not generated: %v", err)
		}
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "public-*")); len(m) > 0 {
		t.Errorf("outputs left behind: %v", m)
	}
	// The fake build's profile is 10 s of evalpress's own work, both times.
	if line := strings.Join(strings.Fields(lineWith(out.String(), "evalpress's own work")), " "); line != "evalpress's own work 10.00 s 10.00 s 1.00×" {
		t.Errorf("want the own work of both profiled builds, got %q", line)
	}
	if line := strings.Join(strings.Fields(lineWith(out.String(), "the garbage collector")), " "); line != "the garbage collector 0.00 s 0.00 s —" {
		t.Errorf("want no collector's work in the fake profiles, got %q", line)
	}
	if line := lineWith(out.String(), "smaller builds, in the order run: "); strings.Count(line, " s") != 3 {
		t.Errorf("want the three smaller builds' times, got %q", line)
	}

	if _, err := parseFlags([]string{"-n", "10", "-compare", "10"}, io.Discard); err == nil {
		t.Error("-compare as large as -n accepted")
	}
}

// lineWith is the first line of s that contains sub, or "".
func lineWith(s, sub string) string {
	for line := range strings.Lines(s) {
		if strings.Contains(line, sub) {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// TestGrowthAgainstTheMedianSmallerBuild: the large build is judged
// against the median of the smaller builds, so that one slow or fast
// smaller build does not decide the verdict alone.
func TestGrowthAgainstTheMedianSmallerBuild(t *testing.T) {
	bases := []measurement{
		{wall: 18 * time.Second, cpu: 33 * time.Second},
		{wall: 12 * time.Second, cpu: 24 * time.Second},
		{wall: 14 * time.Second, cpu: 25 * time.Second},
	}
	base := summarize(corpus{n: 10000}, bases).median
	wall, cpu := growth(measurement{wall: 140 * time.Second, cpu: 250 * time.Second}, base)
	if wall != 10 || cpu != 10 {
		t.Errorf("growth against the median smaller build = %.2f× wall, %.2f× CPU; want 10× and 10×", wall, cpu)
	}
	if w, c := growth(measurement{wall: time.Second}, measurement{}); w != 0 || c != 0 {
		t.Errorf("growth over nothing measured = %v, %v; want 0, 0", w, c)
	}
}

// TestScaleTargets judges made-up figures: the peak of the large build
// and its wall time against ten times the smaller one's.
func TestScaleTargets(t *testing.T) {
	s := scaling{base: measurement{wall: 10 * time.Second}}
	s.runs.median = measurement{wall: 95 * time.Second, peakKiB: 1 << 20}
	s.growth = 9.5
	if !s.passed() {
		t.Error("1 GiB and 9.5× failed")
	}
	s.growth = 10.5
	if s.passed() {
		t.Error("10.5× passed")
	}
	s.growth, s.runs.median.peakKiB = 9.5, 1600<<10
	if s.passed() {
		t.Error("1.6 GiB passed")
	}

	// The cold cost of a search on the large site is held to its budget
	// (150 KB at 100,000), and reported.
	s.runs.median.peakKiB = 1 << 20
	s.search = []searchFigure{
		{query: "资金使用", total: 87000, indexGzip: 60 << 10, clientGzip: 8 << 10, budget: phraseBudget(100000), warmBrowser: -1},
		{query: "项目完成及时率", indexGzip: 140 << 10, clientGzip: 8 << 10, budget: phraseBudget(100000), warmBrowser: -1},
	}
	if !s.passed() {
		t.Error("148 KB at 100,000 failed")
	}
	s.search[1].indexGzip = 200 << 10
	if s.passed() {
		t.Error("208 KB at 100,000 passed")
	}
	s.search[1].indexGzip = 140 << 10

	// The incremental rebuilds after one edited record: 5 s at 100,000,
	// the first after a full build and the next alike.
	s.large.n = 100000
	s.rebuild = rebuildFigure{first: 4 * time.Second, wall: 3 * time.Second, reused: 99999, total: 100000, faults: 8123}
	if !s.passed() {
		t.Error("rebuilds of 4 s and 3 s at 100,000 failed")
	}
	s.rebuild.first = 6 * time.Second
	if s.passed() {
		t.Error("a first rebuild of 6 s at 100,000 passed")
	}
	// The rebuilds in build -watch are held to the same target, and
	// judged apart: a build started anew that misses it still fails.
	s.rebuild.first = 4 * time.Second
	s.rebuild.watched = []time.Duration{3 * time.Second, 4900 * time.Millisecond}
	if !s.passed() || s.rebuild.watchVerdict(100000) != "PASS" {
		t.Error("rebuilds in build -watch of 3 s and 4.9 s at 100,000 failed")
	}
	s.rebuild.watched = append(s.rebuild.watched, 5100*time.Millisecond)
	if s.passed() || s.rebuild.watchVerdict(100000) != "FAIL" {
		t.Error("a rebuild in build -watch of 5.1 s at 100,000 passed")
	}
	s.rebuild.watched = s.rebuild.watched[:2]
	s.rebuild.first = 6 * time.Second
	if s.passed() || s.rebuild.watchVerdict(100000) != "PASS" {
		t.Error("a first rebuild of 6 s at 100,000 passed, or failed build -watch's target")
	}
	var out strings.Builder
	if err := s.write(&out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"search on the large site", "项目完成及时率", "148.0 KB", "cold query of ≤ 8 characters within budget",
		"the first after a full build  6.00 s", "incremental rebuild ≤ 5 s at 100,000 (build started anew)",
		"incremental rebuild ≤ 5 s at 100,000 (build -watch)", "FAIL (build started anew), PASS (build -watch)", "3.00 s, 4.90 s",
		"the next (as every night)     3.00 s, 8123 page faults, 99999 of 100000"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
