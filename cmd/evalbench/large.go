package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The scaling run (make bench-large) builds a corpus of -n evaluations
// (100,000) and, in the same invocation on the same machine, one of
// -compare evaluations (10,000), and judges how the build grows: a
// province on one machine must build in bounded memory and in time
// linear in its records. Besides the builds it measures what a search
// costs a reader on the large site (the cold bytes of make bench's
// queries, within 150 KB at 100,000) and the incremental rebuilds after
// one edited record (within 5 s at 100,000); the preview and import
// figures are make bench's.

// largePeakKiB is the peak memory allowed to the large build.
const largePeakKiB = 1536 << 10 // 1.5 GiB

// maxGrowth is how many times the smaller build's wall time the large one
// may take: 10 for ten times the records, linear time.
const maxGrowth = 10.0

// scaling is what a scaling run measured.
type scaling struct {
	small, large corpus
	// base is the median of the smaller corpus's builds (bases, in the
	// order run); runs the large corpus's builds, best and median as in
	// summary.
	base   measurement
	bases  []measurement
	runs   summary
	growth float64 // the large median's wall over base's
	// cpuGrowth is the same for CPU time, which the machine's hour moves
	// less than the wall time: a figure beside the verdict, not judged.
	cpuGrowth float64
	// search is what make bench's queries cost cold on the large site's
	// last build; none when it has no search index.
	search []searchFigure
	// page is the opening of the large site's largest page in Chromium.
	page pageFigure
	// rebuild is the large site's incremental rebuilds (rebuild.go).
	rebuild rebuildFigure
	// upgrade is the first build of the large site after an upgrade of
	// evalpress; none when not measured.
	upgrade measurement
	// profiles are where the CPU time of one more build of the smaller
	// corpus and of the large one went (cpuPart); zero when not taken.
	profiles [2]cpuShares
}

// scaleTargets are judged on a scaling run.
var scaleTargets = []struct {
	name string
	pass func(s scaling) bool
	// known is false when the figure is missing (no RSS on this OS).
	known func(s scaling) bool
}{
	{"peak RSS ≤ 1.5 GiB", func(s scaling) bool { return s.runs.median.peakKiB <= largePeakKiB },
		func(s scaling) bool { return s.runs.median.peakKiB > 0 }},
	{"peak RSS ≤ 1.5 GiB, the first build after an upgrade", func(s scaling) bool { return s.upgrade.peakKiB <= largePeakKiB },
		func(s scaling) bool { return s.upgrade.peakKiB > 0 }},
	{fmt.Sprintf("wall ≤ %g× the smaller build's", maxGrowth), func(s scaling) bool { return s.growth <= maxGrowth }, nil},
	{"cold query of ≤ 8 characters within budget", func(s scaling) bool {
		for _, f := range s.search {
			if !f.withinBudget() {
				return false
			}
		}
		return true
	}, func(s scaling) bool { return len(s.search) > 0 }},
	{"incremental rebuild ≤ 5 s at 100,000 (build started anew)", func(s scaling) bool { return s.rebuild.verdict(s.large.n) != "FAIL" },
		func(s scaling) bool { return s.rebuild.wall > 0 && s.large.n >= rebuildTargetN }},
	{"incremental rebuild ≤ 5 s at 100,000 (build -watch)", func(s scaling) bool { return s.rebuild.watchVerdict(s.large.n) != "FAIL" },
		func(s scaling) bool { return len(s.rebuild.watched) > 0 && s.large.n >= rebuildTargetN }},
}

// passed reports whether every target known passes.
func (s scaling) passed() bool {
	for _, t := range scaleTargets {
		if (t.known == nil || t.known(s)) && !t.pass(s) {
			return false
		}
	}
	return true
}

// runScale is run with -compare: it generates both corpora (each reused
// while its stamp matches), builds evalpress, builds the smaller corpus
// once and the large one c.runs times, each into a folder of c.dir on
// disk, and reports.
func runScale(ctx context.Context, c config, stdout, stderr io.Writer) error {
	compareDir := c.compareDir
	if compareDir == "" {
		compareDir = filepath.Join(c.dir, "compare")
	}
	for _, d := range []string{c.dir, compareDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	var s scaling
	var err error
	fmt.Fprintf(stderr, "corpus of %d evaluations in %s …\n", c.compare, compareDir)
	if s.small, err = ensureCorpus(config{n: c.compare, seed: c.seed}, filepath.Join(compareDir, "content")); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "corpus of %d evaluations in %s …\n", c.n, c.dir)
	content := filepath.Join(c.dir, "content")
	if s.large, err = ensureCorpus(c, content); err != nil {
		return err
	}
	bin, err := evalpressBinary(ctx, c, stderr)
	if err != nil {
		return err
	}
	// Every output stays until the end, as in run: removing one right
	// before a timed build bills that build for the disk's work on it.
	var outs []string
	defer func() {
		for _, o := range outs {
			removeOutputs(o, cacheOf(o), spareOf(o))
		}
	}()
	build := func(content, name string) (measurement, error) {
		public, err := freshOutput(c.dir, name, content, &outs, stderr)
		if err != nil {
			return measurement{}, err
		}
		return measureBuild(ctx, bin, content, public)
	}
	// The smaller corpus is built once before the large builds and the
	// other times after them: its median then stands for the run's
	// hours, not for the one minute before the large builds began.
	smaller := func(i int) error {
		fmt.Fprintf(stderr, "build %d of %d, %d evaluations …\n", i+1, c.compareRuns, c.compare)
		m, err := build(filepath.Join(compareDir, "content"), fmt.Sprintf("public-compare-%d", i+1))
		s.bases = append(s.bases, m)
		return err
	}
	if err := smaller(0); err != nil {
		return err
	}
	var runs []measurement
	var last string // the last large build's output
	for i := range c.runs {
		fmt.Fprintf(stderr, "build %d of %d, %d evaluations …\n", i+1, c.runs, c.n)
		m, err := build(content, fmt.Sprintf("public-%d", i+1))
		if err != nil {
			return err
		}
		runs = append(runs, m)
		last = outs[len(outs)-1]
	}
	for i := 1; i < c.compareRuns; i++ {
		if err := smaller(i); err != nil {
			return err
		}
	}
	s.runs = summarize(s.large, runs)
	s.base = summarize(s.small, s.bases).median
	fmt.Fprintln(stderr, "measuring search on the large site …")
	if s.search, err = measureSearch(ctx, last); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "opening the large site's largest page in Chromium …")
	if s.page, err = pageOpen(ctx, last); err != nil {
		return err
	}
	fmt.Fprintln(stderr, "measuring two incremental rebuilds after one edited record …")
	if s.rebuild, err = measureRebuild(ctx, bin, content, last); err != nil {
		return err
	}
	if up, err := upgradeBinary(ctx, c, bin, stderr); err != nil {
		return err
	} else if up != "" {
		fmt.Fprintln(stderr, "measuring the first build after an upgrade of evalpress …")
		settle(stderr, content)
		if s.upgrade, err = measureBuild(ctx, up, content, last); err != nil {
			return err
		}
	}
	// One more build of each, with a CPU profile, says which kinds of
	// work grow faster than the records.
	for i, p := range []struct {
		n             int
		content, name string
	}{
		{c.compare, filepath.Join(compareDir, "content"), "public-compare-profile"},
		{c.n, content, "public-profile"},
	} {
		fmt.Fprintf(stderr, "profiling one more build of %d evaluations …\n", p.n)
		public, err := freshOutput(c.dir, p.name, p.content, &outs, stderr)
		if err != nil {
			return err
		}
		if s.profiles[i], err = profileBuild(ctx, bin, p.content, public); err != nil {
			return err
		}
	}
	s.growth, s.cpuGrowth = growth(s.runs.median, s.base)
	if err := s.write(stdout); err != nil {
		return err
	}
	if !s.passed() {
		return errTargetMissed
	}
	return nil
}

// upgradeBinary returns the binary for the build after an upgrade
// (config.upgradeBin): given, or built from ./cmd/evalpress beside bin
// without its version control stamp and with another version set at
// link time, so that its cache sees a binary other than bin's (the
// executable's bytes, when the revision does not pin them, are part of
// the version it checks). "" when -bin is given and -upgrade-bin is not.
func upgradeBinary(ctx context.Context, c config, bin string, stderr io.Writer) (string, error) {
	if c.upgradeBin != "" || c.bin != "" {
		return c.upgradeBin, nil
	}
	up := bin + "-upgraded"
	fmt.Fprintln(stderr, "building ./cmd/evalpress again, as another version …")
	if err := goBuild(ctx, up, "-buildvcs=false",
		"-ldflags", "-X github.com/evalpress/evalpress/internal/buildinfo.Version=v0.0.0-evalbench-upgrade"); err != nil {
		return "", err
	}
	return up, nil
}

// growth is how many times the smaller build's wall time and CPU time
// the large one took; 0 for a figure not measured.
func growth(large, small measurement) (wall, cpu float64) {
	if small.wall > 0 {
		wall = float64(large.wall) / float64(small.wall)
	}
	if small.cpu > 0 {
		cpu = float64(large.cpu) / float64(small.cpu)
	}
	return wall, cpu
}

func (s scaling) write(w io.Writer) error {
	var b strings.Builder
	for _, c := range []corpus{s.small, s.large} {
		b.WriteString(c.line())
	}
	fmt.Fprintf(&b, "builds: %d of %d evaluations (one before the larger builds, the rest after), %d of %d, one after the other on this machine, output on disk\n\n",
		len(s.bases), s.small.n, len(s.runs.runs), s.large.n)
	header := []string{"run", "evaluations"}
	for _, col := range columns {
		header = append(header, col.name)
	}
	rows := [][]string{header}
	for _, r := range []struct {
		name string
		n    int
		m    measurement
	}{{"smaller, median", s.small.n, s.base}, {"best", s.large.n, s.runs.best}, {"median", s.large.n, s.runs.median}} {
		row := []string{r.name, fmt.Sprint(r.n)}
		for _, col := range columns {
			row = append(row, col.value(r.m))
		}
		rows = append(rows, row)
	}
	writeTable(&b, rows)
	perEval := func(m measurement, n int) string {
		return fmt.Sprintf("%.1f KB written, %.2f ms", float64(m.outBytes)/1024/float64(max(n, 1)),
			float64(m.wall)/float64(time.Millisecond)/float64(max(n, 1)))
	}
	fmt.Fprintf(&b, "\nper evaluation: %s at %d; %s at %d\n", perEval(s.base, s.small.n), s.small.n, perEval(s.runs.median, s.large.n), s.large.n)
	fmt.Fprintf(&b, "smaller builds, in the order run: %s\n", strings.Join(walls(s.bases), ", "))
	fmt.Fprintf(&b, "growth: %d× the evaluations took %.2f× the wall time (%.2f× the CPU time)\n", s.large.n/max(s.small.n, 1), s.growth, s.cpuGrowth)
	if st := s.runs.median.stages; len(st) > 0 {
		b.WriteString("\nstages (median large run, then the smaller build):\n")
		srows := [][]string{}
		for _, name := range []string{"load", "score", "render", "search", "commit"} {
			if _, ok := st[name]; ok {
				srows = append(srows, []string{"  " + name, seconds(st[name]), seconds(s.base.stages[name])})
			}
		}
		writeTable(&b, srows)
	}
	s.writeParts(&b)
	s.page.write(&b)
	s.rebuild.write(&b, s.large.n)
	if m := s.upgrade; m.wall > 0 {
		fmt.Fprintf(&b, "\nthe first build after an upgrade of evalpress (every page rendered again, the previous build's cache and output held): %s, peak RSS %s, CPU %s\n",
			seconds(m.wall), mib(m.peakKiB*1024), seconds(m.cpu))
	}
	if len(s.search) > 0 {
		b.WriteString("\nsearch on the large site, cold query with an empty cache (first 10 results):\n")
		writeTable(&b, searchTable(s.search))
	}
	b.WriteString("\ntargets (median large run):\n")
	trows := [][]string{}
	for _, t := range scaleTargets {
		verdict := "PASS"
		switch {
		case t.known != nil && !t.known(s):
			verdict = "n/a"
		case !t.pass(s):
			verdict = "FAIL"
		}
		trows = append(trows, []string{"  " + t.name, verdict})
	}
	writeTable(&b, trows)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeParts writes where the CPU time of the profiled builds went, by
// kind of work, and how much each kind grew.
func (s scaling) writeParts(b *strings.Builder) {
	small, large := s.profiles[0], s.profiles[1]
	if small.total <= 0 || large.total <= 0 {
		return
	}
	fmt.Fprintf(b, "\nwhere the CPU time went (one more build of each, with a CPU profile; a page fault counts with the function that touched the page):\n")
	rows := [][]string{{"  part", fmt.Sprint(s.small.n), fmt.Sprint(s.large.n), "growth"}}
	row := func(name string, a, b time.Duration) {
		g := "—"
		if a > 0 {
			g = fmt.Sprintf("%.2f×", float64(b)/float64(a))
		}
		rows = append(rows, []string{"  " + name, seconds(a), seconds(b), g})
	}
	for p := range numParts {
		row(partNames[p], small.parts[p], large.parts[p])
	}
	row("all", small.total, large.total)
	writeTable(b, rows)
}

// walls is each build's wall time, in the order of ms.
func walls(ms []measurement) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = seconds(m.wall)
	}
	return out
}
