package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/synth"
)

// config is what the flags say.
type config struct {
	n    int
	seed int64
	dir  string
	runs int
	// bin is an evalpress binary to use instead of building ./cmd/evalpress.
	bin string
	// compare, when not 0, makes a scaling run (large.go): a corpus of
	// compare evaluations, in compareDir, is built once beside the n.
	compare    int
	compareDir string
	// compareRuns is how many times the compare corpus is built: the
	// first before the large builds, the others after them, so that the
	// growth is judged against the median of builds spread over the run
	// rather than one build's luck.
	compareRuns int
	// upgradeBin is the binary of the scaling run's build after an
	// upgrade: one that differs from bin. By default ./cmd/evalpress is
	// built again with another version (upgradeBinary); none is built
	// when bin is given and upgradeBin is not.
	upgradeBin string
}

func parseFlags(args []string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("evalbench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.n, "n", 10000, "number of evaluation records in the corpus")
	fs.Int64Var(&c.seed, "seed", 1, "seed of the synthetic corpus")
	fs.StringVar(&c.dir, "dir", ".bench", "working directory for the corpus, the binary and the output")
	fs.IntVar(&c.runs, "runs", 3, "number of timed builds")
	fs.StringVar(&c.bin, "bin", "", "use this evalpress binary instead of building ./cmd/evalpress")
	fs.IntVar(&c.compare, "compare", 0, "scaling run: also build a corpus of this many evaluations (-compare-runs times), and judge memory and time growth (make bench-large)")
	fs.StringVar(&c.compareDir, "compare-dir", "", "working directory of the -compare corpus (default DIR/compare)")
	fs.IntVar(&c.compareRuns, "compare-runs", 3, "number of timed builds of the -compare corpus: one before the large builds, the rest after them")
	fs.StringVar(&c.upgradeBin, "upgrade-bin", "", "scaling run: the binary of the first build after an upgrade, one that differs from -bin (default: ./cmd/evalpress built again with another version, unless -bin is given)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	switch {
	case fs.NArg() > 0:
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case c.n < 1:
		return c, fmt.Errorf("-n must be at least 1, not %d", c.n)
	case c.runs < 1:
		return c, fmt.Errorf("-runs must be at least 1, not %d", c.runs)
	case c.compareRuns < 1:
		return c, fmt.Errorf("-compare-runs must be at least 1, not %d", c.compareRuns)
	case c.compare < 0 || c.compare >= c.n && c.compare > 0:
		return c, fmt.Errorf("-compare must be fewer evaluations than -n (%d), not %d", c.n, c.compare)
	}
	return c, nil
}

// evalpressBinary returns the binary the builds run: -bin, or
// ./cmd/evalpress built into the working directory.
func evalpressBinary(ctx context.Context, c config, stderr io.Writer) (string, error) {
	if c.bin != "" {
		return c.bin, nil
	}
	bin, err := filepath.Abs(filepath.Join(c.dir, "evalpress"))
	if err != nil {
		return "", err
	}
	fmt.Fprintln(stderr, "building ./cmd/evalpress …")
	if err := goBuild(ctx, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// goBuild builds ./cmd/evalpress into bin, with the go build flags given.
func goBuild(ctx context.Context, bin string, flags ...string) error {
	args := append(append([]string{"build"}, flags...), "-o", bin, "./cmd/evalpress")
	if out, err := exec.CommandContext(ctx, "go", args...).CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/evalpress: %v\n%s", err, out)
	}
	return nil
}

// errTargetMissed is returned after the report when a target failed.
var errTargetMissed = errors.New("a target was missed")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	if c.compare > 0 {
		return runScale(ctx, c, stdout, stderr)
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	content := filepath.Join(c.dir, "content")
	corpus, err := ensureCorpus(c, content)
	if err != nil {
		return err
	}

	bin, err := evalpressBinary(ctx, c, stderr)
	if err != nil {
		return err
	}

	// Each run builds into a folder of its own, all removed at the end.
	// Removing a large output right before a timed build bills that build
	// for the disk's work on the removal (where freed blocks are discarded
	// asynchronously, they slow every write after them several times
	// over), so the runs measure the build, not the previous clean-up.
	var runs []measurement
	var outs []string
	defer func() {
		for _, o := range outs {
			removeOutputs(o, cacheOf(o), spareOf(o))
		}
	}()
	for i := range c.runs {
		fmt.Fprintf(stderr, "build %d of %d …\n", i+1, c.runs)
		// Flush what earlier runs left for the disk, so that this run is
		// not billed for their write-back, nor for a removal, and find the
		// corpus in memory as the runs after it do (settle.go).
		public, err := freshOutput(c.dir, fmt.Sprintf("public-%d", i+1), content, &outs, stderr)
		if err != nil {
			return err
		}
		m, err := measureBuild(ctx, bin, content, public)
		if err != nil {
			return err
		}
		runs = append(runs, m)
	}
	public := outs[len(outs)-1]

	s := summarize(corpus, runs)
	fmt.Fprintln(stderr, "building the same records with Hugo, if installed …")
	if s.hugo, err = hugoMeasure(ctx, content, c.dir, c.runs, &outs, stderr); err != nil {
		return err
	}
	// One more build, untimed (profiling slows it a little), tells what
	// the charts and the congress and open-data outputs cost.
	fmt.Fprintln(stderr, "profiling one more build …")
	profiled, err := freshOutput(c.dir, "public-profile", content, &outs, stderr)
	if err != nil {
		return err
	}
	shares, err := profileBuild(ctx, bin, content, profiled)
	if err != nil {
		return err
	}
	s.profile = &shares
	// The last build's output is still there: measure its search index
	// as a reader's browser would use it.
	fmt.Fprintln(stderr, "measuring search …")
	if s.search, err = measureSearch(ctx, public); err != nil {
		return err
	}
	if len(s.search) > 0 {
		if s.searchFiles, s.searchBytes, err = treeSize(filepath.Join(public, "search")); err != nil {
			return err
		}
	}
	if err := browserWarm(ctx, public, s.search); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "opening the largest page in Chromium …")
	if s.page, err = pageOpen(ctx, public); err != nil {
		return err
	}
	// The preview: how long an edited record takes to show in evalpress
	// serve, from saving the file to the page served with the new text.
	fmt.Fprintln(stderr, "measuring serve edit-to-visible …")
	if s.edits, err = editToVisible(ctx, content, 5); err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Fprintf(stderr, "measuring the import of %d forms …\n", importForms)
	if s.imports, err = measureImport(ctx, bin, c.dir); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "measuring an incremental rebuild after one edited record …")
	if s.rebuild, err = measureRebuild(ctx, bin, content, public); err != nil {
		return err
	}
	if err := s.write(stdout); err != nil {
		return err
	}
	if !s.passed() {
		return errTargetMissed
	}
	return nil
}

// corpus describes the generated content tree.
type corpus struct {
	n      int
	seed   int64
	files  int
	bytes  int64
	genDur time.Duration // 0 when an earlier corpus was reused
}

// line describes the corpus in a report.
func (c corpus) line() string {
	gen := "reused"
	if c.genDur > 0 {
		gen = "generated in " + seconds(c.genDur)
	}
	return fmt.Sprintf("corpus: %d evaluations, seed %d, %d files, %s (%s)\n", c.n, c.seed, c.files, mib(c.bytes), gen)
}

// stamp is what DIR/stamp holds: the inputs of the corpus beside it.
func stamp(n int, seed int64) string {
	return fmt.Sprintf("synth-version=%d n=%d seed=%d\n", synth.Version, n, seed)
}

// ensureCorpus generates the corpus into dir unless the stamp beside it says
// it was generated from the same inputs. The stamp is written last, so an
// interrupted generation is redone.
func ensureCorpus(c config, dir string) (corpus, error) {
	cp := corpus{n: c.n, seed: c.seed}
	stampFile := filepath.Join(filepath.Dir(dir), "stamp")
	want := stamp(c.n, c.seed)
	if got, err := os.ReadFile(stampFile); err != nil || string(got) != want {
		if err := os.Remove(stampFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return cp, err
		}
		if err := os.RemoveAll(dir); err != nil {
			return cp, err
		}
		start := time.Now()
		if err := synth.Generate(dir, c.n, c.seed); err != nil {
			return cp, err
		}
		cp.genDur = time.Since(start)
		if err := os.WriteFile(stampFile, []byte(want), 0o644); err != nil {
			return cp, err
		}
	}
	var err error
	cp.files, cp.bytes, err = treeSize(dir)
	return cp, err
}

// measurement is one timed build. Fields added here (search-index size,
// serve timings …) get a column in columns and, if they have one, a target
// in targets.
type measurement struct {
	wall     time.Duration
	cpu      time.Duration // user + system, all threads
	peakKiB  int64         // peak resident set size; 0 if unknown
	files    int
	outBytes int64
	// stages is the build's own breakdown (evalpress build -timings), by
	// stage name; stages that run on several cores sum their workers' time.
	stages map[string]time.Duration
}

// parseTimings reads the "timing STAGE SECONDS s" lines of evalpress build
// -timings.
func parseTimings(out string) map[string]time.Duration {
	m := map[string]time.Duration{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) != 4 || f[0] != "timing" || f[3] != "s" {
			continue
		}
		if sec, err := strconv.ParseFloat(f[2], 64); err == nil {
			m[f[1]] = time.Duration(sec * float64(time.Second))
		}
	}
	return m
}

// measureBuild runs "bin build" as a child process and measures it.
func measureBuild(ctx context.Context, bin, content, public string) (measurement, error) {
	var m measurement
	var out bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "build", "-timings", "-content", content, "-out", public)
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	u, err := runMeasured(ctx, cmd)
	m.wall = time.Since(start)
	if err != nil {
		return m, fmt.Errorf("%s build: %v\n%s", bin, err, tail(out.String(), 40))
	}
	m.cpu, m.peakKiB = u.cpu, u.peakKiB
	m.stages = parseTimings(out.String())
	m.files, m.outBytes, err = treeSize(public)
	return m, err
}

// tail returns the last n lines of s, enough to show why a build failed
// without flooding the terminal with 10,000 diagnostics.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{fmt.Sprintf("… (%d lines before)", len(lines)-n)}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}

// treeSize counts the regular files under dir and their bytes.
func treeSize(dir string) (files int, size int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files++
		size += info.Size()
		return nil
	})
	return files, size, err
}

// summary is what the report prints.
type summary struct {
	corpus       corpus
	runs         []measurement // sorted by wall time
	best, median measurement
	search       []searchFigure
	// searchFiles and searchBytes are the size of the search index on
	// disk: what a build writes, and a portal's server must hold.
	searchFiles int
	searchBytes int64
	edits       Edits // the preview's edit-to-visible times
	// imports is the timed import of a folder of generated forms.
	imports importFigure
	// profile is where the CPU time of one more build went; nil if not
	// measured.
	profile *cpuShares
	// hugo is Hugo's pages-only build of the same records.
	hugo hugoFigure
	// rebuild is the incremental rebuild after one edited record.
	rebuild rebuildFigure
	// page is the opening of the largest page in Chromium.
	page pageFigure
}

func summarize(c corpus, runs []measurement) summary {
	runs = slices.Clone(runs)
	slices.SortStableFunc(runs, func(a, b measurement) int { return cmp.Compare(a.wall, b.wall) })
	return summary{corpus: c, runs: runs, best: runs[0], median: runs[len(runs)/2]}
}

// column is one column of the results table.
type column struct {
	name  string
	value func(measurement) string
}

var columns = []column{
	{"wall", func(m measurement) string { return seconds(m.wall) }},
	{"peak RSS", func(m measurement) string {
		if m.peakKiB == 0 {
			return "?"
		}
		return mib(m.peakKiB * 1024)
	}},
	{"CPU user+sys", func(m measurement) string { return seconds(m.cpu) }},
	{"CPU/wall", func(m measurement) string {
		if m.wall <= 0 {
			return "?"
		}
		return fmt.Sprintf("%.2f×", float64(m.cpu)/float64(m.wall))
	}},
	{"files", func(m measurement) string { return strconv.Itoa(m.files) }},
	{"bytes written", func(m measurement) string { return mib(m.outBytes) }},
}

// target is a goal of the project, judged on the median run so that one
// lucky run does not pass it.
type target struct {
	name string
	pass func(m measurement) bool
	// known is false when the measurement is missing (no RSS on this OS).
	known func(m measurement) bool
}

var targets = []target{
	{"build < 10 s", func(m measurement) bool { return m.wall < 10*time.Second }, nil},
	// Issue 16: what is held for the whole site stays small; narratives,
	// pages and index postings flow through.
	{"peak RSS ≤ 500 MiB", func(m measurement) bool { return m.peakKiB <= 500<<10 },
		func(m measurement) bool { return m.peakKiB > 0 }},
	// The search index may add at most 3 s (indexCost).
	{"search index ≤ 3 s", func(m measurement) bool { return indexCost(m) <= 3*time.Second },
		func(m measurement) bool { _, ok := m.stages["index.tokenize"]; return ok }},
}

// searchTargets are judged on the search figures; the byte budget is for
// every query of up to 8 characters (phraseBudget).
var searchTargets = []struct {
	name  string
	pass  func(f searchFigure) bool
	which func(f searchFigure) bool // the figures the target applies to
}{
	{"cold query of ≤ 8 characters within budget", searchFigure.withinBudget,
		func(f searchFigure) bool { return len([]rune(f.query)) <= 8 }},
	{"client ≤ 15 KB gzip", func(f searchFigure) bool { return f.clientGzip <= 15*1024 }, func(searchFigure) bool { return true }},
	{"warm query < 50 ms in Chromium", func(f searchFigure) bool { return f.warmBrowser < 50 },
		func(f searchFigure) bool { return f.warmBrowser >= 0 }},
}

// searchVerdict judges one search target: PASS, FAIL, or n/a when no
// figure applies.
func (s summary) searchVerdict(i int) string {
	t, any := searchTargets[i], false
	for _, f := range s.search {
		if !t.which(f) {
			continue
		}
		any = true
		if !t.pass(f) {
			return "FAIL"
		}
	}
	if !any {
		return "n/a"
	}
	return "PASS"
}

// indexCost is what the search index adds to a build: the wall time of
// writing its files after the pages, plus the CPU time of tokenising and
// merging each evaluation and spilling the postings while the pages
// render. Not render.index: that sums the workers' time around handing
// each document on, with the time they waited for a core and for each
// other (index.wait), and made an index of 4 s of work look like 20.
func indexCost(m measurement) time.Duration {
	return m.stages["search"] + m.stages["index.tokenize"] + m.stages["index.merge"] + m.stages["index.spill"]
}

// share is a stage's time as a fraction of the build's CPU time.
func share(m measurement, stage string) float64 {
	if m.cpu <= 0 {
		return 0
	}
	return float64(m.stages[stage]) / float64(m.cpu)
}

func (s summary) passed() bool {
	for _, t := range targets {
		if (t.known == nil || t.known(s.median)) && !t.pass(s.median) {
			return false
		}
	}
	for i := range searchTargets {
		if s.searchVerdict(i) == "FAIL" {
			return false
		}
	}
	for _, t := range profileTargets {
		if s.profile != nil && !t.pass(*s.profile) {
			return false
		}
	}
	return s.editVerdict() != "FAIL" && s.imports.verdict() != "FAIL" && s.hugo.verdict(s.median) != "FAIL" &&
		s.rebuild.verdict(s.corpus.n) != "FAIL"
}

// profileTargets are judged on the profiled build.
var profileTargets = []struct {
	name string
	pass func(p cpuShares) bool
}{
	// Charts may add at most 15 % to the build.
	{"charts ≤ 15 % of build CPU", func(p cpuShares) bool { return p.chartShare() <= 0.15 }},
	// The congress tables, booklets, feeds and series charts may add at
	// most 10 % to the build; so may the rectification ledger and the data
	// package (the open data included).
	{"congress, booklets, feeds, series add ≤ 10 %", func(p cpuShares) bool { return p.addedBy(congressOutputs) <= 0.10 }},
	{"ledger and data package add ≤ 10 %", func(p cpuShares) bool { return p.addedBy(ledgerAndData) <= 0.10 }},
}

// editVerdict judges the preview's edit-to-visible time: every edit under
// 300 ms.
func (s summary) editVerdict() string {
	all := append(slices.Clone(s.edits.Narrative), s.edits.Record...)
	if len(all) == 0 {
		return "n/a"
	}
	if slices.Max(all) >= 300*time.Millisecond {
		return "FAIL"
	}
	return "PASS"
}

func (s summary) write(w io.Writer) error {
	var b strings.Builder
	b.WriteString(s.corpus.line())
	fmt.Fprintf(&b, "builds: %d\n\n", len(s.runs))

	header := []string{"run"}
	for _, col := range columns {
		header = append(header, col.name)
	}
	rows := [][]string{header}
	for _, r := range []struct {
		name string
		m    measurement
	}{{"best", s.best}, {"median", s.median}} {
		row := []string{r.name}
		for _, col := range columns {
			row = append(row, col.value(r.m))
		}
		rows = append(rows, row)
	}
	writeTable(&b, rows)

	if st := s.median.stages; len(st) > 0 {
		b.WriteString("\nstages (median run; render.* sum their workers' time, waits for a core included; index.* are CPU time, index.wait the workers' waits):\n")
		names := make([]string, 0, len(st))
		for name := range st {
			names = append(names, name)
		}
		slices.SortFunc(names, func(a, b string) int { return cmp.Compare(st[b], st[a]) })
		srows := [][]string{}
		for _, name := range names {
			srows = append(srows, []string{"  " + name, seconds(st[name]), fmt.Sprintf("%.1f %% of CPU", 100*share(s.median, name))})
		}
		writeTable(&b, srows)
	}

	if len(s.search) > 0 {
		fmt.Fprintf(&b, "\nsearch index: %d files, %s\n", s.searchFiles, mib(s.searchBytes))
		b.WriteString("search, cold query with an empty cache (first 10 results):\n")
		writeTable(&b, searchTable(s.search))
	}

	if len(s.edits.Narrative)+len(s.edits.Record) > 0 {
		b.WriteString("\nserve, edit to visible:\n")
		for _, e := range []struct {
			name  string
			times []time.Duration
		}{{"narrative (.md)", s.edits.Narrative}, {"record (.toml)", s.edits.Record}} {
			if len(e.times) == 0 {
				continue
			}
			sorted := slices.Sorted(slices.Values(e.times))
			var all []string
			for _, d := range e.times {
				all = append(all, fmt.Sprintf("%d", d.Milliseconds()))
			}
			fmt.Fprintf(&b, "  %s: median %d ms, max %d ms (%s ms)\n", e.name,
				sorted[len(sorted)/2].Milliseconds(), sorted[len(sorted)-1].Milliseconds(), strings.Join(all, ", "))
		}
	}

	if f := s.imports; f.forms > 0 {
		fmt.Fprintf(&b, "\nimport (evalpress import of a folder of generated .xlsx forms):\n  %d forms, %d draft records written, %s\n",
			f.forms, f.records, seconds(f.wall))
	}

	s.hugo.write(&b, s.median)

	if p := s.profile; p != nil {
		b.WriteString("\nCPU profile of one more build (evalpress build -cpuprofile):\n")
		prows := [][]string{{"  all", seconds(p.total), ""},
			{"  charts (internal/chart)", seconds(p.charts), fmt.Sprintf("%.1f %% of CPU", 100*p.chartShare())},
			{"  labelled outputs", seconds(p.outputsTotal()),
				fmt.Sprintf("%.1f %% of CPU, adding %.1f %% to the rest", 100*float64(p.outputsTotal())/float64(max(p.total, 1)), 100*p.added())}}
		for _, g := range []struct {
			name  string
			group []string
		}{{"  congress, booklets, feeds, series", congressOutputs}, {"  ledger and data package", ledgerAndData}} {
			t := p.groupTotal(g.group)
			prows = append(prows, []string{g.name, seconds(t),
				fmt.Sprintf("%.1f %% of CPU, adding %.1f %% to the rest", 100*float64(t)/float64(max(p.total, 1)), 100*p.addedBy(g.group))})
		}
		names := slices.Sorted(maps.Keys(p.outputs))
		slices.SortStableFunc(names, func(a, b string) int { return cmp.Compare(p.outputs[b], p.outputs[a]) })
		for _, name := range names {
			prows = append(prows, []string{"    " + name, seconds(p.outputs[name]), ""})
		}
		writeTable(&b, prows)
	}

	s.page.write(&b)
	s.rebuild.write(&b, s.corpus.n)

	b.WriteString("\ntargets (median run; the last two of the profiled build):\n")
	trows := [][]string{}
	for _, t := range targets {
		verdict := "PASS"
		switch {
		case t.known != nil && !t.known(s.median):
			verdict = "n/a"
		case !t.pass(s.median):
			verdict = "FAIL"
		}
		trows = append(trows, []string{"  " + t.name, verdict})
	}
	for i, t := range searchTargets {
		trows = append(trows, []string{"  " + t.name, s.searchVerdict(i)})
	}
	for _, t := range profileTargets {
		verdict := "n/a"
		if s.profile != nil {
			verdict = map[bool]string{true: "PASS", false: "FAIL"}[t.pass(*s.profile)]
		}
		trows = append(trows, []string{"  " + t.name, verdict})
	}
	trows = append(trows, []string{"  build at least as fast as Hugo's pages-only build", s.hugo.verdict(s.median)})
	trows = append(trows, []string{"  serve edit visible < 300 ms", s.editVerdict()})
	trows = append(trows, []string{fmt.Sprintf("  import %d forms < %s", importForms, seconds(importTarget)), s.imports.verdict()})
	trows = append(trows, []string{"  incremental rebuild ≤ 5 s at 100,000 (build started anew)", s.rebuild.verdict(s.corpus.n)})
	trows = append(trows, []string{"  incremental rebuild ≤ 5 s at 100,000 (build -watch)", s.rebuild.watchVerdict(s.corpus.n)})
	writeTable(&b, trows)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTable writes rows as columns padded to their widest cell, the first
// column left-aligned and the others right-aligned, as numbers read best.
// Widths count runes, which is right for the ASCII and × used here.
func writeTable(b *strings.Builder, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len([]rune(cell)))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len([]rune(cell)))
			if i == 0 {
				line.WriteString(cell + pad)
			} else {
				line.WriteString("  " + pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func kb(n int) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) }

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
