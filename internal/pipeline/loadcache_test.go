package pipeline_test

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
)

// The fixture has 8 records (6 published, a draft and one not yet due):
// every one of them is loaded by the first build and, unchanged, taken
// from the cache of loaded records by the next.
const fixtureRecords = 8

// recalled checks how many records a build took from the cache of loaded
// records instead of reading them.
func (s *incSite) recalled(step string, b incBuild, want int) {
	s.t.Helper()
	if b.stats.Recalled != want {
		s.t.Errorf("%s: %d records taken from the cache of loaded records, want %d", step, b.stats.Recalled, want)
	}
}

// TestLoadedRecordsCache: a record whose files did not change is taken
// from the cache, with its warnings and notes reported as a full load
// reports them (build compares the diagnostics with a full build's); a
// record changed in any way the cache can see is read again.
func TestLoadedRecordsCache(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	// A warning of its own (a stated grade that the score does not
	// give), kept with the record and reported by every build.
	s.write("2023/evaluations/irrigation.toml", `title = "农田灌溉项目"
department = "示例县水利局"
year = 2023
published = 2024-04-26
score = 81
grade = "优"

[[indicators]]
name = "产出"
max = 100
score = 81
`)
	first := s.build("first build")
	s.recalled("first build", first, 0)
	if !strings.Contains(first.diags, "warning") {
		t.Fatalf("the fixture reports no warning:\n%s", first.diags)
	}
	again := s.build("nothing changed")
	s.recalled("nothing changed", again, fixtureRecords+1)
	if again.diags != first.diags {
		t.Fatalf("an unchanged site reports\n%s\nafter\n%s", again.diags, first.diags)
	}

	// Touched: the same bytes, a new modification time. Read again (the
	// cache cannot tell), and the output is the same.
	name := s.path("2023/evaluations/school-meals.toml")
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(name, later, later); err != nil {
		t.Fatal(err)
	}
	s.recalled("a record touched", s.build("a record touched"), fixtureRecords)

	// A file whose time is in the future is never kept (it could be
	// edited again within its time): read again.
	s.recalled("a record touched, then again", s.build("a record touched, then again"), fixtureRecords)

	// Edited with the same size, its modification time set back to what
	// the cache knows: the change time still tells (on a system that has
	// one; see README).
	if err := os.Chtimes(name, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	s.recalled("the time set back", s.build("the time set back"), fixtureRecords)
	s.recalled("the time set back, then again", s.build("the time set back, then again"), fixtureRecords+1)
	s.edit("2023/evaluations/school-meals.toml", "score = 92\n", "score = 91\n")
	s.edit("2023/evaluations/school-meals.toml", "score = 9\n", "score = 8\n")
	if err := os.Chtimes(name, st.ModTime(), st.ModTime()); err != nil {
		t.Fatal(err)
	}
	if st2, _ := os.Stat(name); st2.Size() != st.Size() {
		t.Fatalf("the edit changed the size: %d, was %d", st2.Size(), st.Size())
	}
	s.recalled("same size, time set back", s.build("same size, time set back"), fixtureRecords)

	// A narrative added, changed and removed.
	s.write("2023/evaluations/irrigation.md", "## 项目概况\n\n灌溉面积 1.2 万亩。\n")
	s.recalled("a narrative added", s.build("a narrative added"), fixtureRecords)
	s.edit("2023/evaluations/irrigation.md", "1.2 万亩", "1.3 万亩")
	s.recalled("a narrative edited", s.build("a narrative edited"), fixtureRecords)
	if err := os.Remove(s.path("2023/evaluations/irrigation.md")); err != nil {
		t.Fatal(err)
	}
	s.recalled("a narrative removed", s.build("a narrative removed"), fixtureRecords)

	// A document of a record replaced by another of the same name.
	doc := s.path("2023/evaluations/road-maintenance/自评表.pdf")
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(doc); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(doc, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	s.recalled("a document replaced", s.build("a document replaced"), fixtureRecords)

	// A record deleted, then back: the cache neither gives back a record
	// that is gone nor keeps one that the listing does not find.
	meals, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(name); err != nil {
		t.Fatal(err)
	}
	s.recalled("a record deleted", s.build("a record deleted"), fixtureRecords)
	s.write("2023/evaluations/school-meals.toml", string(meals))
	s.recalled("the record back", s.build("the record back"), fixtureRecords)

	// A record that has an error is never kept: the build fails, and
	// fails again with the same report.
	s.edit("2023/evaluations/irrigation.toml", "max = 100\nscore = 81\n", "max = 100\nscore = 181\n")
	bad := s.build("a record with an error")
	if bad.err == nil {
		t.Fatalf("a score over 100 was accepted")
	}
	s.recalled("the error again", s.build("the error again"), fixtureRecords)
	s.edit("2023/evaluations/irrigation.toml", "max = 100\nscore = 181\n", "max = 100\nscore = 81\n")
	s.build("the error fixed")

	// site.toml decides the grades and the time zone of every check:
	// every record is read again.
	s.edit("site.toml", `title = "示例县财政局 预算绩效评价结果公开"`, `title = "示例县财政局 绩效评价结果公开"`)
	s.recalled("site.toml", s.build("site.toml"), 0)
	s.recalled("after site.toml", s.build("after site.toml"), fixtureRecords+1)

	// -full reads every record, and writes the cache anew.
	if b := runBuild(t, s.content, s.out, true); b.err != nil || b.stats.Recalled != 0 {
		t.Errorf("-full: %v, %d records recalled", b.err, b.stats.Recalled)
	}
	s.recalled("after -full", s.build("after -full"), fixtureRecords+1)
}

// TestLoadedRecordsCacheDamaged: a part of the cache that is damaged,
// cut short or not a part at all is a notice and its records are read
// again; the build's output and report are a full build's.
func TestLoadedRecordsCacheDamaged(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	cache := filepath.Join(s.root, ".public.evalpress-cache")
	s.build("first build")
	parts, _ := filepath.Glob(filepath.Join(cache, "part-records-*"))
	if len(parts) == 0 {
		t.Fatal("no part of the cache of loaded records was written")
	}
	for _, d := range []struct {
		name string
		do   func(t *testing.T, name string)
	}{
		{"a part truncated", truncate},
		{"a byte flipped", flip},
		{"a part emptied", func(t *testing.T, name string) {
			if err := os.WriteFile(name, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		for _, p := range parts {
			d.do(t, p)
		}
		b := s.build(d.name)
		if b.err != nil || b.stats.Recalled != 0 {
			t.Errorf("%s: %v, %d records recalled, want none", d.name, b.err, b.stats.Recalled)
		}
		if !strings.Contains(strings.Join(b.stats.Notices, "\n"), "已加载记录的缓存") {
			t.Errorf("%s: notices %q, want one about the cache of loaded records", d.name, b.stats.Notices)
		}
		s.recalled(d.name+", then again", s.build(d.name+", then again"), fixtureRecords)
	}
}

// TestLoadedRecordsDate: a record whose checks depend on the build's
// date (findings, corrections) is read again on another day, so that a
// finding past its deadline is overdue on the day it becomes so; the
// others are taken.
func TestLoadedRecordsDate(t *testing.T) {
	t.Parallel()
	_, content := incrementalContent(t)
	out := filepath.Join(t.TempDir(), "public")
	build := func(day time.Time, full bool) (pipeline.Stats, string) {
		t.Helper()
		var l diag.List
		st, err := pipeline.Run(context.Background(), pipeline.Options{Content: content, Out: out, Now: day, Full: full}, &l)
		if err != nil {
			t.Fatalf("build on %s: %v", day, err)
		}
		var b strings.Builder
		if err := l.Write(&b); err != nil {
			t.Fatal(err)
		}
		return st, b.String()
	}
	day1 := time.Date(2024, 9, 1, 12, 0, 0, 0, time.UTC)
	day2 := time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)
	build(day1, false)
	st, _ := build(day1, false)
	if st.Recalled != fixtureRecords {
		t.Fatalf("the same day: %d records recalled, want %d", st.Recalled, fixtureRecords)
	}
	st, inc := build(day2, false)
	tree1 := tree(t, out)
	if st.Recalled == 0 || st.Recalled == fixtureRecords {
		t.Errorf("another day: %d records recalled, want those without findings or corrections", st.Recalled)
	}
	_, full := build(day2, true)
	if inc != full {
		t.Errorf("another day, from the cache:\n%s\nfull:\n%s", inc, full)
	}
	for n, b := range tree(t, out) {
		if string(tree1[n]) != string(b) {
			t.Errorf("another day: %s differs from the full build's", n)
		}
	}
}

// TestQuietFilesTrusted: a build told which content files did not change
// since the previous one (Options.Quiet, as build -watch is told by the
// system) takes their records from the cache without looking at the
// files, and reads again each file it is not told is quiet, nor a folder
// above it. Told wrongly that an edited file is quiet, it keeps the
// record as the previous build saw it (the contract: what is reported
// quiet is trusted); a build that looks at every file sees the edit.
func TestQuietFilesTrusted(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	held := buildcache.NewHeld()
	run := func(step string, quiet func(string) bool) incBuild {
		t.Helper()
		opts := pipeline.Options{Content: s.content, Out: s.out, Quiet: quiet, Held: held}
		seriesDay(&opts)
		b := runWith(t, opts)
		if b.err != nil {
			t.Fatalf("%s: %v\n%s", step, b.err, b.diags)
		}
		if !b.stats.RecordsSaved {
			t.Fatalf("%s: the build did not save its cache of loaded records", step)
		}
		return b
	}
	const edited = "2023/evaluations/school-meals.toml"
	page := filepath.Join(s.out, "2023", "school-meals", "index.html")
	shows := func(step, mark string, want bool) {
		t.Helper()
		html, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(html), mark) != want {
			t.Errorf("%s: the page of %s shows %s: %v, want %v", step, edited, mark, !want, want)
		}
	}
	if first := s.build("first build"); !first.stats.RecordsSaved {
		t.Fatal("the first build did not save its cache of loaded records")
	}

	// Told that nothing changed: every record is taken, the edit unseen.
	s.edit(edited, `title = "`, `title = "（修订0）`)
	s.recalled("all reported quiet", run("all reported quiet", func(string) bool { return true }), fixtureRecords)
	shows("all reported quiet", "（修订0）", false)

	// Told of the file, or of a folder above it: that record is read
	// again, the others are taken.
	for i, changed := range []string{edited, "2023/evaluations", "2023"} {
		step := "told of " + changed
		if i > 0 {
			s.edit(edited, fmt.Sprintf("（修订%d）", i-1), fmt.Sprintf("（修订%d）", i))
		}
		b := run(step, func(name string) bool {
			for p := name; p != "."; p = path.Dir(p) {
				if p == changed {
					return false
				}
			}
			return true
		})
		s.recalled(step, b, fixtureRecords-1)
		shows(step, fmt.Sprintf("（修订%d）", i), true)
	}

	// Hidden again, then a build that looks at every file: it sees the
	// edit and gives a full build's output.
	s.edit(edited, "（修订2）", "（修订3）")
	run("all reported quiet again", func(string) bool { return true })
	shows("all reported quiet again", "（修订3）", false)
	s.recalled("nothing reported", s.build("nothing reported"), fixtureRecords-1)
	shows("nothing reported", "（修订3）", true)
}
