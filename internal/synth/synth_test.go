package synth

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

// today is the build's date the tests score the corpus on: after every
// date a generated record writes but the future publications, so that the
// checks of dates run and some findings are overdue.
var today = content.Date{Year: LastYear + 2, Month: 6, Day: 1}

// load reads a generated tree the way a build does, scores it on today,
// and returns the content with every diagnostic.
func load(t *testing.T, dir string) (*content.Content, *diag.List) {
	t.Helper()
	c, _, l := loadEvaluations(t, dir)
	return c, l
}

func loadEvaluations(t *testing.T, dir string) (*content.Content, []*score.Evaluation, *diag.List) {
	t.Helper()
	var l diag.List
	c := content.Load(os.DirFS(dir), "content", &l)
	evals := score.EvaluateAt(c.Records, score.Bands(c.Site.Grades), today, &l)
	return c, evals, &l
}

func generate(t *testing.T, opt Options) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	if err := GenerateWith(dir, opt); err != nil {
		t.Fatal(err)
	}
	return dir
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestGenerateIsDeterministic(t *testing.T) {
	opt := Options{N: 200, Seed: 7}
	a, b := readTree(t, generate(t, opt)), readTree(t, generate(t, opt))
	if len(a) != len(b) {
		t.Fatalf("got %d and %d files from the same seed", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two runs with the same seed", name)
		}
	}
	c := readTree(t, generate(t, Options{N: 200, Seed: 8}))
	same := 0
	for name, data := range a {
		if bytes.Equal(data, c[name]) {
			same++
		}
	}
	if same > 20 { // site.toml and a few short reports may coincide
		t.Errorf("seeds 7 and 8 gave %d identical files of %d", same, len(a))
	}
}

func TestGeneratedCorpusLoadsClean(t *testing.T) {
	const n = 600
	dir := generate(t, Options{N: n, Seed: 1})
	c, evals, l := loadEvaluations(t, dir)
	if items := l.Items(); len(items) > 0 {
		for _, d := range items[:min(len(items), 10)] {
			t.Error(d)
		}
		t.Fatalf("the clean corpus has %d diagnostics", len(items))
	}
	if len(c.Records) != n {
		t.Errorf("loaded %d records, want %d", len(c.Records), n)
	}
	if len(c.Reports) != LastYear-FirstYear+1 {
		t.Errorf("loaded %d year reports, want %d", len(c.Reports), LastYear-FirstYear+1)
	}

	// Shares of the corpus, with bounds loose enough for n records.
	var series, congress, drafts, future, listOnly, items, third, narratives, kinds int
	years := map[int]int{}
	for _, r := range c.Records {
		years[r.Year]++
		if r.Series != "" {
			series++
		}
		if r.Congress {
			congress++
		}
		if r.Draft {
			drafts++
		}
		if r.Published != nil && r.Published.Year > 2030 {
			future++
		}
		if r.Kind != "project" {
			kinds++
		}
		if len(r.Indicators) == 0 {
			listOnly++
			if r.Narrative != nil {
				t.Errorf("%s: a list-only record has a narrative", r.File)
			}
		}
		if len(r.Indicators) > 0 && len(r.Indicators[0].Items) > 0 {
			items++
		}
		for _, ind := range r.Indicators {
			for _, it := range ind.Items {
				if len(it.Items) > 0 {
					third++
				}
			}
		}
		if r.Narrative != nil {
			narratives++
			h := 0
			for _, c := range string(r.Narrative) {
				if unicode.Is(unicode.Han, c) {
					h++
				}
			}
			if h < 1500 || h > 3000 {
				t.Errorf("%s: narrative has %d Han characters, want 1,500–3,000", r.NarrativeFile, h)
			}
		}
	}
	for y := FirstYear; y <= LastYear; y++ {
		if years[y] < n/12 {
			t.Errorf("year %d has %d records of %d", y, years[y], n)
		}
	}
	share := func(name string, got int, lo, hi float64) {
		t.Helper()
		if f := float64(got) / n; f < lo || f > hi {
			t.Errorf("%s: %.3f of records, want %.2f–%.2f", name, f, lo, hi)
		}
	}
	share("in a series", series, 0.20, 0.40)
	share("sent to the congress", congress, 0.20, 0.30)
	share("drafts", drafts, 0.005, 0.04)
	share("published in the future", future, 0.002, 0.03)
	share("list-only", listOnly, 0.07, 0.13)
	share("with second-level items", items, 0.52, 0.68)
	share("not of kind project", kinds, 0.10, 0.20)
	share("with narratives", narratives, 0.87, 0.93)
	if third == 0 {
		t.Error("no record has third-level items")
	}

	// The second edition of the record.
	var initial, stated, exact, funds, goals, methods, reviews, official, findings, overdue, uses, corrections, deviations int
	for _, e := range evals {
		if e.BudgetInitial != nil {
			initial++
		}
		if e.ExecutionRate != nil {
			stated++
		}
		if e.Spent != nil && e.Spent.Places > 2 {
			exact++
		}
		if len(e.Funds) > 0 {
			funds++
		}
		if e.Goal != "" && e.Outcome != "" {
			goals++
		}
		if e.Method != "" {
			methods++
		}
		if e.Review != nil {
			reviews++
			if e.Review.Official {
				official++
			}
		}
		if n, _, o := e.FindingCounts(); n > 0 {
			findings++
			if o > 0 {
				overdue++
			}
		}
		if e.ResultUse != nil {
			uses++
		}
		if len(e.Corrections) > 0 {
			corrections++
		}
		for _, row := range e.Rows() {
			if row.Deviation != "" {
				deviations++
				break
			}
		}
	}
	share("with budget_initial", initial, 0.55, 0.75)
	share("with a stated execution rate", stated, 0.25, 0.45)
	share("with spent written to 元", exact, 0.05, 0.20)
	share("with funds by source", funds, 0.12, 0.28)
	share("with goal and outcome", goals, 0.55, 0.80)
	share("with a method", methods, 0.60, 0.80)
	share("with a review", reviews, 0.05, 0.15)
	share("with findings", findings, 0.28, 0.45)
	share("with an overdue finding", overdue, 0.05, 0.25)
	share("with a result use", uses, 0.25, 0.40)
	share("with a deviation", deviations, 0.30, 0.80)
	share("with corrections", corrections, 0.003, 0.04)
	if official == 0 || official == reviews {
		t.Errorf("%d of %d reviews are official, want some but not all", official, reviews)
	}
}

func TestNarrativeShape(t *testing.T) {
	dir := generate(t, Options{N: 50, Seed: 3})
	c, _ := load(t, dir)
	var total, count int
	for _, r := range c.Records {
		if r.Narrative == nil {
			continue
		}
		md := string(r.Narrative)
		for _, h := range []string{"## 一、", "## 二、", "## 三、", "## 四、", "### （一）", "### （二）"} {
			if !strings.Contains(md, "\n"+h) && !strings.HasPrefix(md, h) {
				t.Errorf("%s: no heading %q", r.NarrativeFile, h)
			}
		}
		total += len([]rune(md))
		count++
	}
	if count == 0 {
		t.Fatal("no narratives")
	}
	// The corpus must exercise the search tokenizer with the words of real
	// abstracts and with Latin letters and digits between them.
	all := readTree(t, dir)
	var md strings.Builder
	for name, b := range all {
		if strings.HasSuffix(name, ".md") {
			md.Write(b)
		}
	}
	for _, w := range []string{"补贴", "资金", "绩效", "生活补贴", "12345", "GDP", "PPP", "万元"} {
		if !strings.Contains(md.String(), w) {
			t.Errorf("no narrative contains %q", w)
		}
	}
}

func TestMistakesAreReported(t *testing.T) {
	for _, tc := range []struct {
		name             string
		opt              Options
		errors, warnings bool
	}{
		{"warnings", Options{N: 30, Seed: 2, Warnings: 1}, false, true},
		{"errors", Options{N: 30, Seed: 2, Errors: 1}, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, l := load(t, generate(t, tc.opt))
			e, w := l.Count()
			if (e > 0) != tc.errors || (w > 0) != tc.warnings {
				t.Errorf("got %d errors and %d warnings", e, w)
			}
		})
	}
}

func TestGenerateRefusesNonEmptyDir(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "old.toml"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Generate(dir, 1, 1); err == nil {
		t.Error("Generate wrote into a directory that was not empty")
	}
}

func TestBanks(t *testing.T) {
	if !strings.HasSuffix(departments[firstTown], "街道办事处") || strings.Contains(departments[firstTown-1], "街道") {
		t.Errorf("firstTown = %d points at %s", firstTown, departments[firstTown])
	}
	seen := map[string]bool{}
	slug := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, p := range programmes {
		if seen[p.slug] || !slug.MatchString(p.slug) {
			t.Errorf("programme slug %q is repeated or not a slug", p.slug)
		}
		seen[p.slug] = true
		if p.lo <= 0 || p.hi < p.lo {
			t.Errorf("%s: output range %d–%d", p.slug, p.lo, p.hi)
		}
		for _, o := range p.owners {
			if o != towns && !contains(departments, o) {
				t.Errorf("%s: owner %s is not a department", p.slug, o)
			}
		}
	}
	for _, m := range maxSplits {
		if m[0]+m[1]+m[2]+m[3] != 100 {
			t.Errorf("maxes %v do not sum to 100", m)
		}
	}
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}
