package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/pprof/profile"
)

// TestMain lets the test binary stand in for evalpress: with
// EVALBENCH_FAKE set it acts as "evalpress build", writing two files (or
// failing when the variable says so), so the driver is tested without
// building the real site.
func TestMain(m *testing.M) {
	if os.Getenv(launchEnv) != "" {
		os.Exit(launch(os.Args[1:]))
	}
	if mode := os.Getenv("EVALBENCH_FAKE"); mode != "" {
		os.Exit(fakeEvalpress(mode, os.Args[1:]))
	}
	// The tests remove outputs often and must not wait for the file
	// system (settle.go), nor touch the bench's own stamp.
	stampDir, err := os.MkdirTemp("", "evalbench-test")
	if err != nil {
		panic(err)
	}
	removalStamp = filepath.Join(stampDir, "removed")
	removalWindow = 0
	code := m.Run()
	os.RemoveAll(stampDir)
	os.Exit(code)
}

func fakeEvalpress(mode string, args []string) int {
	if len(args) > 0 && args[0] == "import" {
		return fakeImport(args[1:])
	}
	fs := flag.NewFlagSet("build", flag.ContinueOnError)
	content := fs.String("content", "", "")
	out := fs.String("out", "", "")
	fs.Bool("timings", false, "")
	prof := fs.String("cpuprofile", "", "")
	watching := fs.Bool("watch", false, "")
	if len(args) == 0 || args[0] != "build" || fs.Parse(args[1:]) != nil {
		return 2
	}
	if *watching {
		return fakeWatch(*content)
	}
	if mode == "fail" {
		os.Stderr.WriteString("content/2023/evaluations/x.toml:3: error: score: broken\n")
		return 1
	}
	if _, err := os.Stat(filepath.Join(*content, "site.toml")); err != nil {
		return 1
	}
	// A build into an existing output is incremental, as evalpress's is.
	if _, err := os.Stat(filepath.Join(*out, "index.html")); err == nil {
		os.Stdout.WriteString("增量构建：4 个评价页面的内容没有变化，沿用上次的输出；重新生成了 1 个\n")
	}
	os.Stdout.WriteString("已生成 5 项评价、20 个页面\n")
	os.MkdirAll(filepath.Join(*out, "2023"), 0o755)
	os.WriteFile(filepath.Join(*out, "index.html"), []byte("<!doctype html>"), 0o644)
	os.WriteFile(filepath.Join(*out, "2023", "index.html"), []byte("<p>2023</p>"), 0o644)
	os.Stdout.WriteString("timing render.charts        0.000 s\n")
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			return 1
		}
		defer f.Close()
		if fakeProfile().Write(f) != nil {
			return 1
		}
	}
	return 0
}

// fakeWatch stands in for "evalpress build -watch": it reports a build,
// then another each time a file of content changes, until Ctrl-C.
func fakeWatch(content string) int {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt)
	newest := func() (t time.Time) {
		filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
			if info, ierr := d.Info(); err == nil && ierr == nil && info.ModTime().After(t) {
				t = info.ModTime()
			}
			return nil
		})
		return t
	}
	last := newest()
	os.Stdout.WriteString("已生成 5 项评价、20 个页面\n正在监视 content\n")
	for {
		select {
		case <-stop:
			return 0
		case <-time.After(20 * time.Millisecond):
		}
		if t := newest(); !t.Equal(last) {
			last = t
			os.Stdout.WriteString("内容有改动，重新构建……\n已生成 5 项评价、20 个页面\n")
		}
	}
}

// fakeImport stands in for `evalpress import -content C FOLDER`: one draft
// record per .xlsx form in FOLDER.
func fakeImport(args []string) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	content := fs.String("content", "", "")
	if fs.Parse(args) != nil || fs.NArg() != 1 {
		return 2
	}
	forms, err := filepath.Glob(filepath.Join(fs.Arg(0), "*.xlsx"))
	if err != nil {
		return 1
	}
	dir := filepath.Join(*content, "2023", "evaluations")
	if os.MkdirAll(dir, 0o755) != nil {
		return 1
	}
	for _, f := range forms {
		name := strings.TrimSuffix(filepath.Base(f), ".xlsx") + ".toml"
		if os.WriteFile(filepath.Join(dir, name), []byte("draft = true\n"), 0o644) != nil {
			return 1
		}
	}
	return 0
}

// fakeProfile is a CPU profile of 10 s: 1 s in internal/chart, of which
// 0.2 s under output=series, 0.5 s under output=data, the rest elsewhere.
func fakeProfile() *profile.Profile {
	fn := func(id uint64, name string) *profile.Function { return &profile.Function{ID: id, Name: name} }
	chart, other := fn(1, chartPackage+"bar.option"), fn(2, "github.com/evalpress/evalpress/internal/site.(*Renderer).evaluation")
	at := func(id uint64, f *profile.Function) *profile.Location {
		return &profile.Location{ID: id, Line: []profile.Line{{Function: f}}}
	}
	inChart, elsewhere := at(1, chart), at(2, other)
	ms := func(n int64) []int64 { return []int64{n, n * int64(time.Millisecond)} }
	return &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		Sample: []*profile.Sample{
			{Location: []*profile.Location{inChart, elsewhere}, Value: ms(800)},
			{Location: []*profile.Location{inChart}, Value: ms(200), Label: map[string][]string{"output": {"series"}}},
			{Location: []*profile.Location{elsewhere}, Value: ms(500), Label: map[string][]string{"output": {"data"}}},
			{Location: []*profile.Location{elsewhere}, Value: ms(8500)},
		},
		Location: []*profile.Location{inChart, elsewhere},
		Function: []*profile.Function{chart, other},
	}
}

func TestSharesOf(t *testing.T) {
	s, err := sharesOf(fakeProfile())
	if err != nil {
		t.Fatal(err)
	}
	if s.total != 10*time.Second || s.charts != time.Second || s.outputs["data"] != 500*time.Millisecond ||
		s.outputs["series"] != 200*time.Millisecond || s.outputsTotal() != 700*time.Millisecond {
		t.Errorf("shares = %+v", s)
	}
	if got := s.added(); got < 0.0752 || got > 0.0753 { // 0.7 / 9.3
		t.Errorf("added = %v, want 0.0753", got)
	}
	if got := s.addedBy(ledgerAndData); got < 0.0537 || got > 0.0538 { // 0.5 / 9.3
		t.Errorf("ledger and data add %v, want 0.0538", got)
	}
	if got := s.addedBy(congressOutputs); got < 0.0215 || got > 0.0216 { // 0.2 / 9.3
		t.Errorf("congress outputs add %v, want 0.0215", got)
	}
	if got := s.chartShare(); got != 0.1 {
		t.Errorf("chart share = %v, want 0.1", got)
	}
}

// TestPartOf: a sample is the collector's when it is under one of its
// functions, even while allocating; else the kernel's when its innermost
// function enters the kernel; else allocation's under runtime.mallocgc;
// else the program's.
func TestPartOf(t *testing.T) {
	var locs []*profile.Location
	stack := func(names ...string) []*profile.Location { // innermost first
		var out []*profile.Location
		for _, n := range names {
			id := uint64(len(locs) + 1)
			l := &profile.Location{ID: id, Line: []profile.Line{{Function: &profile.Function{ID: id, Name: n}}}}
			locs = append(locs, l)
			out = append(out, l)
		}
		return out
	}
	const render = "github.com/evalpress/evalpress/internal/site.(*Renderer).evaluation"
	for _, tc := range []struct {
		stack []*profile.Location
		want  cpuPart
	}{
		{stack("text/template.(*state).walk", render), partProgram},
		{stack("runtime.memmove", "bytes.(*Buffer).Write", render), partProgram},
		{stack("runtime.nextFreeFast", "runtime.mallocgc", "runtime.makeslice", render), partAlloc},
		{stack("runtime.scanObject", "runtime.gcDrain", "runtime.gcBgMarkWorker"), partCollector},
		{stack("runtime.scanObject", "runtime.gcDrainN", "runtime.gcAssistAlloc", "runtime.mallocgc", render), partCollector},
		{stack("runtime.wbBufFlush1", "runtime.wbBufFlush", "gcWriteBarrier", render), partCollector},
		{stack("internal/runtime/syscall/linux.Syscall6", "syscall.RawSyscall6", "syscall.write", "os.(*File).Write"), partKernel},
		{stack("syscall.RawSyscall6", "syscall.Mkdirat", "os.Mkdir"), partKernel},
		{stack("runtime.madvise", "runtime.sysUnused", "runtime.mallocgc"), partKernel},
		// A system call made by the collector is the collector's work.
		{stack("runtime.futex", "runtime.gcBgMarkWorker"), partCollector},
	} {
		if got := partOf(&profile.Sample{Location: tc.stack}); got != tc.want {
			t.Errorf("%s: part %s, want %s", tc.stack[0].Line[0].Function.Name, partNames[got], partNames[tc.want])
		}
	}
	// An inlined call's innermost function is the line listed first.
	inlined := &profile.Location{Line: []profile.Line{
		{Function: &profile.Function{Name: "internal/runtime/syscall/linux.Syscall6"}},
		{Function: &profile.Function{Name: "syscall.Syscall"}},
	}}
	if got := partOf(&profile.Sample{Location: []*profile.Location{inlined}}); got != partKernel {
		t.Errorf("inlined system call: part %s, want %s", partNames[got], partNames[partKernel])
	}
	s, err := sharesOf(fakeProfile())
	if err != nil {
		t.Fatal(err)
	}
	if s.parts[partProgram] != s.total {
		t.Errorf("parts of the fake profile = %v, want all %v the program's", s.parts, s.total)
	}
}

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want config
		err  bool
	}{
		{nil, config{n: 10000, seed: 1, dir: ".bench", runs: 3, compareRuns: 3}, false},
		{[]string{"-n", "50", "-seed", "9", "-dir", "x", "-runs", "1"}, config{n: 50, seed: 9, dir: "x", runs: 1, compareRuns: 3}, false},
		{[]string{"-n", "50", "-compare", "5", "-compare-runs", "1"}, config{n: 50, seed: 1, dir: ".bench", runs: 3, compare: 5, compareRuns: 1}, false},
		{[]string{"-n", "0"}, config{}, true},
		{[]string{"-runs", "0"}, config{}, true},
		{[]string{"-compare-runs", "0"}, config{}, true},
		{[]string{"extra"}, config{}, true},
		{[]string{"-nope"}, config{}, true},
	} {
		got, err := parseFlags(tc.args, io.Discard)
		if (err != nil) != tc.err {
			t.Errorf("parseFlags(%q): error %v, want error %v", tc.args, err, tc.err)
			continue
		}
		if !tc.err && got != tc.want {
			t.Errorf("parseFlags(%q) = %+v, want %+v", tc.args, got, tc.want)
		}
	}
}

func TestEnsureCorpusStamps(t *testing.T) {
	base := t.TempDir()
	dir := filepath.Join(base, "content")
	c := config{n: 8, seed: 4}

	first, err := ensureCorpus(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	if first.genDur == 0 || first.files == 0 {
		t.Fatalf("first call: %+v, want a generated corpus", first)
	}
	if b, _ := os.ReadFile(filepath.Join(base, "stamp")); string(b) != stamp(8, 4) {
		t.Errorf("stamp = %q, want %q", b, stamp(8, 4))
	}

	again, err := ensureCorpus(c, dir)
	if err != nil {
		t.Fatal(err)
	}
	if again.genDur != 0 || again.files != first.files || again.bytes != first.bytes {
		t.Errorf("same inputs: %+v, want the corpus %+v reused", again, first)
	}

	other, err := ensureCorpus(config{n: 3, seed: 4}, dir)
	if err != nil {
		t.Fatal(err)
	}
	if other.genDur == 0 || other.files >= first.files {
		t.Errorf("new n: %+v, want a smaller corpus generated afresh", other)
	}
}

func TestSummarize(t *testing.T) {
	runs := []measurement{{wall: 3 * time.Second}, {wall: 1 * time.Second}, {wall: 2 * time.Second}}
	s := summarize(corpus{}, runs)
	if s.best.wall != time.Second || s.median.wall != 2*time.Second {
		t.Errorf("best %v median %v, want 1s and 2s", s.best.wall, s.median.wall)
	}
	if runs[0].wall != 3*time.Second {
		t.Error("summarize reordered its argument")
	}
}

func TestReport(t *testing.T) {
	s := summarize(corpus{n: 10000, seed: 1, files: 18992, bytes: 86 << 20, genDur: 2500 * time.Millisecond}, []measurement{
		{wall: 4200 * time.Millisecond, cpu: 7 * time.Second, peakKiB: 400 << 10, files: 30210, outBytes: 400 << 20},
		{wall: 4 * time.Second, cpu: 6800 * time.Millisecond, peakKiB: 390 << 10, files: 30210, outBytes: 400 << 20},
		{wall: 5 * time.Second, cpu: 7 * time.Second, peakKiB: 410 << 10, files: 30210, outBytes: 400 << 20},
	})
	var b bytes.Buffer
	if err := s.write(&b); err != nil {
		t.Fatal(err)
	}
	want := `corpus: 10000 evaluations, seed 1, 18992 files, 86.0 MiB (generated in 2.50 s)
builds: 3

run       wall   peak RSS  CPU user+sys  CPU/wall  files  bytes written
best    4.00 s  390.0 MiB        6.80 s     1.70×  30210      400.0 MiB
median  4.20 s  400.0 MiB        7.00 s     1.67×  30210      400.0 MiB

Hugo, pages-only site of the same records (same disk, same corpus):
  not measured: no hugo on PATH (Debian: apt-get install hugo)

targets (median run; the last two of the profiled build):
  build < 10 s                                               PASS
  peak RSS ≤ 500 MiB                                         PASS
  search index ≤ 3 s                                          n/a
  cold query of ≤ 8 characters within budget                  n/a
  client ≤ 15 KB gzip                                         n/a
  warm query < 50 ms in Chromium                              n/a
  charts ≤ 15 % of build CPU                                  n/a
  congress, booklets, feeds, series add ≤ 10 %                n/a
  ledger and data package add ≤ 10 %                          n/a
  build at least as fast as Hugo's pages-only build           n/a
  serve edit visible < 300 ms                                 n/a
  import 500 forms < 30.00 s                                  n/a
  incremental rebuild ≤ 5 s at 100,000 (build started anew)   n/a
  incremental rebuild ≤ 5 s at 100,000 (build -watch)         n/a
`
	if got := b.String(); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
	if !s.passed() {
		t.Error("passed() = false for runs within the targets")
	}
	// Hugo measured, and faster than the median build: the target fails.
	s.hugo = hugoFigure{version: "hugo v0.111.3", pages: 10000, runs: []measurement{{wall: 3 * time.Second}, {wall: 4100 * time.Millisecond}, {wall: 5 * time.Second}}}
	if v := s.hugo.verdict(s.median); v != "FAIL" || s.passed() {
		t.Errorf("Hugo's median 4.1 s against 4.2 s: verdict %s, passed %v; want FAIL, false", v, s.passed())
	}
	s.hugo.runs[1].wall = 4300 * time.Millisecond
	if v := s.hugo.verdict(s.median); v != "PASS" {
		t.Errorf("Hugo's median 4.3 s against 4.2 s: verdict %s, want PASS", v)
	}
}

func TestTargets(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    measurement
		pass bool
		out  string
	}{
		{"within", measurement{wall: 9 * time.Second, peakKiB: 500 << 10}, true, "PASS"},
		{"slow", measurement{wall: 10 * time.Second, peakKiB: 1}, false, "FAIL"},
		{"big", measurement{wall: time.Second, peakKiB: 500<<10 + 1}, false, "FAIL"},
		// No RSS on this OS: the memory target is not judged.
		{"unknown RSS", measurement{wall: time.Second}, true, "n/a"},
	} {
		s := summarize(corpus{}, []measurement{tc.m})
		if s.passed() != tc.pass {
			t.Errorf("%s: passed() = %v, want %v", tc.name, s.passed(), tc.pass)
		}
		var b bytes.Buffer
		s.write(&b)
		if !strings.Contains(b.String(), tc.out) {
			t.Errorf("%s: report has no %s:\n%s", tc.name, tc.out, b.String())
		}
	}
}

// TestIndexTarget: the search index target judges the index's work (its
// CPU time while pages render and the wall time of writing its files),
// not the workers' summed time around it with their waits, which made a
// build whose index did 2.5 s of work fail by 20 s.
func TestIndexTarget(t *testing.T) {
	stages := func(search, tokenize, merge, wait time.Duration) map[string]time.Duration {
		return map[string]time.Duration{"search": search, "render.index": tokenize + merge + wait + time.Second,
			"index.tokenize": tokenize, "index.merge": merge, "index.spill": 100 * time.Millisecond, "index.wait": wait}
	}
	index := -1
	for i, tg := range targets {
		if strings.HasPrefix(tg.name, "search index") {
			index = i
		}
	}
	for _, tc := range []struct {
		name   string
		stages map[string]time.Duration
		pass   bool
	}{
		{"work within, long waits", stages(time.Second, time.Second, 800*time.Millisecond, 18*time.Second), true},
		{"work over", stages(time.Second, 1500*time.Millisecond, 500*time.Millisecond, 0), false},
	} {
		m := measurement{wall: time.Second, stages: tc.stages}
		if got := targets[index].pass(m); got != tc.pass {
			t.Errorf("%s: pass = %v, want %v (cost %v)", tc.name, got, tc.pass, indexCost(m))
		}
	}
	// A build that reports no index timings is not judged.
	if targets[index].known(measurement{stages: map[string]time.Duration{"search": time.Second}}) {
		t.Error("judged a build without index timings")
	}
}

func TestTail(t *testing.T) {
	if got := tail("a\nb\nc\n", 2); got != "… (1 lines before)\nb\nc" {
		t.Errorf("tail = %q", got)
	}
	if got := tail("a\n", 5); got != "a" {
		t.Errorf("tail = %q", got)
	}
}

// TestRunWithFakeBuild drives the whole benchmark against the test binary
// standing in for evalpress.
func TestRunWithFakeBuild(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	args := []string{"-n", "5", "-seed", "2", "-runs", "2", "-dir", dir, "-bin", self}

	t.Setenv("EVALBENCH_FAKE", "ok")
	var out bytes.Buffer
	// The preview's edit-to-visible time is measured for real even with a
	// fake build, so on a loaded machine its target may be missed: that is
	// the benchmark's verdict to give, not this test's.
	if err := run(context.Background(), args, &out, io.Discard); err != nil && !errors.Is(err, errTargetMissed) {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"corpus: 5 evaluations, seed 2", "builds: 2", "best", "median", "PASS",
		"charts (internal/chart)", "10.0 % of CPU", "adding 7.5 % to the rest",
		"500 forms, 500 draft records written", "4 of 5 evaluation pages taken from the previous output"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	// The fake build writes two files; the median row must count them.
	for line := range strings.Lines(out.String()) {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "median" && !slices.Contains(f, "2") {
			t.Errorf("median row does not count 2 output files: %s", line)
		}
	}

	t.Setenv("EVALBENCH_FAKE", "fail")
	err = run(context.Background(), args, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "score: broken") || errors.Is(err, errTargetMissed) {
		t.Errorf("failed build: got %v, want the build's output in the error", err)
	}
}

func TestParseSearchFigures(t *testing.T) {
	figs, err := parseSearchFigures("(node:1) warning\nsearch 补贴 total=5116 files=13 index_gzip=29024 client_gzip=7166 page_excerpts=0 cold_ms=33.0 warm_ms=3.4\n")
	if err != nil {
		t.Fatal(err)
	}
	want := searchFigure{query: "补贴", total: 5116, files: 13, indexGzip: 29024, clientGzip: 7166, warmNode: 3.4, warmBrowser: -1}
	if len(figs) != 1 || figs[0] != want {
		t.Errorf("figures = %+v, want %+v", figs, want)
	}
	s := summary{search: []searchFigure{want, {query: "生活补贴", indexGzip: 20 << 10, clientGzip: 7 << 10, warmBrowser: 3}}}
	// The byte budget applies to every word of up to 8 characters: 100 KB
	// with the client, 150 KB from 50,000 evaluations. The warm target is
	// judged where a browser measured.
	for i := range s.search {
		s.search[i].budget = phraseBudget(10000)
	}
	if got := s.searchVerdict(0); got != "PASS" {
		t.Errorf("budget = %s, want PASS", got)
	}
	s.search[1].indexGzip = 100 << 10
	if got := s.searchVerdict(0); got != "FAIL" {
		t.Errorf("phrase over 100 KB = %s, want FAIL", got)
	}
	if s.search[1].budget = phraseBudget(100000); s.searchVerdict(0) != "PASS" {
		t.Errorf("phrase of 107 KB at 100,000 evaluations = FAIL, want PASS (150 KB)")
	}
	if got := s.searchVerdict(2); got != "PASS" {
		t.Errorf("warm target = %s, want PASS", got)
	}
	if _, err := parseSearchFigures("nothing"); err == nil {
		t.Error("no figures: want an error")
	}
	// The report says how large the index is on disk.
	s = summarize(corpus{}, []measurement{{}})
	s.search, s.searchFiles, s.searchBytes = figs, 3302, 73<<20
	var out strings.Builder
	if err := s.write(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "search index: 3302 files, 73.0 MiB\n") {
		t.Errorf("the report lacks the index size:\n%s", out.String())
	}
}

// TestHugoProject writes the Hugo project of the default content and,
// where Hugo is installed, builds it: one page per evaluation record.
func TestHugoProject(t *testing.T) {
	dir := t.TempDir()
	content, err := filepath.Abs("../../content")
	if err != nil {
		t.Fatal(err)
	}
	n, err := writeHugoProject(content, filepath.Join(dir, "hugo"))
	if err != nil {
		t.Fatal(err)
	}
	records, _ := filepath.Glob(filepath.Join(content, "*/evaluations/*.toml"))
	if n != len(records) || n == 0 {
		t.Fatalf("%d Hugo pages for %d records", n, len(records))
	}
	if _, err := exec.LookPath("hugo"); err != nil {
		t.Skip("no hugo on PATH")
	}
	// A relative folder, as make bench gives (-dir .bench).
	t.Chdir(dir)
	var outs []string
	h, err := hugoMeasure(context.Background(), content, "bench", 1, &outs, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if len(outs) != 2 {
		t.Errorf("hugoMeasure left %q for the caller to remove, want the project and one output", outs)
	}
	if len(h.runs) != 1 || h.runs[0].files < n {
		t.Fatalf("Hugo built %+v for %d records", h.runs, n)
	}
}
