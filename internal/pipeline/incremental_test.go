package pipeline_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/site"
	"github.com/evalpress/evalpress/internal/sitetest"
)

// The incremental build's fixture is put together from the other fixtures
// of the repository: the series site (two years of rural-water, a draft
// and a record not yet due in its series, built on seriesDay), the full
// record (a narrative and a document beside it) and the default content's
// two records with their narratives and the year report.
var incrementalSources = [][2]string{
	{"../../testdata/series", ""},
	{"../../testdata/full/2023/evaluations", "2023/evaluations"},
	{"../../content/2023", "2023"},
}

// incrementalContent copies the fixture into a new folder and returns the
// content folder in it.
func incrementalContent(t *testing.T) (root, content string) {
	t.Helper()
	root = t.TempDir()
	content = filepath.Join(root, "content")
	for _, src := range incrementalSources {
		copyTree(t, src[0], filepath.Join(content, filepath.FromSlash(src[1])))
	}
	return root, content
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// incBuild is one build's result.
type incBuild struct {
	stats pipeline.Stats
	err   error
	diags string
}

func runBuild(t *testing.T, content, out string, full bool) incBuild {
	t.Helper()
	return runBuildOn(t, content, out, full, time.Time{})
}

// runBuildOn builds on the day of now, zero for seriesDay's.
func runBuildOn(t *testing.T, content, out string, full bool, now time.Time) incBuild {
	t.Helper()
	opts := pipeline.Options{Content: content, Out: out, Full: full}
	seriesDay(&opts)
	if !now.IsZero() {
		opts.Now = now
	}
	return runWith(t, opts)
}

// runWith builds with opts and returns what the build reported.
func runWith(t *testing.T, opts pipeline.Options) incBuild {
	t.Helper()
	var l diag.List
	stats, err := pipeline.Run(context.Background(), opts, &l)
	var b strings.Builder
	if werr := l.Write(&b); werr != nil {
		t.Fatal(werr)
	}
	return incBuild{stats, err, b.String()}
}

// tree reads every file under dir, by slash path, and lists every folder
// (with a trailing slash): an output updated in place must not keep a
// folder that a full build does not make.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files[filepath.ToSlash(rel)+"/"] = nil
			return nil
		}
		if !d.Type().IsRegular() {
			t.Errorf("%s is not a regular file", p)
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := os.ReadFile(p)
		files[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameTree reports the differences between the outputs got and want, file
// list included.
func sameTree(t *testing.T, step, got, want string) {
	t.Helper()
	g, w := tree(t, got), tree(t, want)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range g {
			if !yield(n) {
				return
			}
		}
		for n := range w {
			if _, ok := g[n]; !ok && !yield(n) {
				return
			}
		}
	})
	bad := 0
	for _, n := range names {
		gb, gok := g[n]
		wb, wok := w[n]
		switch {
		case !gok:
			t.Errorf("%s: the incremental build lacks %s", step, n)
		case !wok:
			t.Errorf("%s: the incremental build has %s, the full build does not", step, n)
		case !bytes.Equal(gb, wb):
			t.Errorf("%s: %s differs from the full build's", step, n)
		default:
			continue
		}
		if bad++; bad > 10 {
			t.Fatalf("%s: more differences left unreported", step)
		}
	}
}

// incSite is a content folder with an output built incrementally, each
// build checked against a full build of the same content into a folder
// of its own.
type incSite struct {
	t             *testing.T
	root, content string
	out           string
	n             int
	// now is the day of the builds, zero for seriesDay's.
	now time.Time
}

func newIncSite(t *testing.T) *incSite {
	root, content := incrementalContent(t)
	return &incSite{t: t, root: root, content: content, out: filepath.Join(root, "public")}
}

func (s *incSite) path(name string) string {
	return filepath.Join(s.content, filepath.FromSlash(name))
}

func (s *incSite) edit(name, old, new string) {
	s.t.Helper()
	b, err := os.ReadFile(s.path(name))
	if err != nil {
		s.t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		s.t.Fatalf("%s does not contain %q", name, old)
	}
	if err := os.WriteFile(s.path(name), bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *incSite) write(name, text string) {
	s.t.Helper()
	if err := os.MkdirAll(filepath.Dir(s.path(name)), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(s.path(name), []byte(text), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *incSite) rename(from, to string) {
	s.t.Helper()
	if err := os.Rename(s.path(from), s.path(to)); err != nil {
		s.t.Fatal(err)
	}
}

// build builds incrementally and fully, compares the two and returns the
// incremental build's result.
func (s *incSite) build(step string) incBuild {
	s.t.Helper()
	inc := runBuildOn(s.t, s.content, s.out, false, s.now)
	s.n++
	full := filepath.Join(s.root, "full")
	ref := runBuildOn(s.t, s.content, full, false, s.now)
	defer func() {
		os.RemoveAll(full)
		os.RemoveAll(filepath.Join(s.root, ".full.evalpress-cache"))
	}()
	if ref.stats.Reused != 0 || len(ref.stats.TakenGroups) != 0 {
		s.t.Fatalf("%s: the reference build reused %d pages and %q", step, ref.stats.Reused, ref.stats.TakenGroups)
	}
	if (inc.err == nil) != (ref.err == nil) || inc.diags != ref.diags {
		s.t.Fatalf("%s: the incremental build gave %v and\n%s\nthe full build %v and\n%s", step, inc.err, inc.diags, ref.err, ref.diags)
	}
	if ref.err == nil {
		sameTree(s.t, step, s.out, full)
	}
	// The notices, but those about the cache, are a full build's.
	if got, want := notices(inc.stats), notices(ref.stats); !slices.Equal(got, want) {
		s.t.Errorf("%s: the incremental build's notices are\n%q\nthe full build's\n%q", step, got, want)
	}
	return inc
}

// reused checks how many evaluation pages a build took from the previous
// output.
func (s *incSite) reused(step string, b incBuild, want int) {
	s.t.Helper()
	if b.stats.Reused != want {
		s.t.Errorf("%s: %d of %d evaluation pages taken from the previous output, want %d", step, b.stats.Reused, b.stats.Evaluations, want)
	}
}

// refused checks that a build failed on a broken link, its diagnostics
// naming each of what.
func (s *incSite) refused(step string, b incBuild, what ...string) {
	s.t.Helper()
	ok := errors.Is(b.err, pipeline.ErrFailed)
	for _, w := range what {
		ok = ok && strings.Contains(b.diags, w)
	}
	if !ok {
		s.t.Fatalf("%s: %v\n%s\nwant the broken link refused, naming %q", step, b.err, b.diags, what)
	}
}

// groups checks that a build took the site-wide groups taken from the
// previous output and rendered those rendered again.
func (s *incSite) groups(step string, b incBuild, taken, rendered []string) {
	s.t.Helper()
	for _, g := range taken {
		if !slices.Contains(b.stats.TakenGroups, g) {
			s.t.Errorf("%s: %s rendered again, want it taken from the previous output", step, g)
		}
	}
	for _, g := range rendered {
		if slices.Contains(b.stats.TakenGroups, g) {
			s.t.Errorf("%s: %s taken from the previous output, want it rendered again", step, g)
		}
	}
}

// siteGroups are the fixture's site-wide groups (site.Group).
var siteGroups = []string{"404", "about", "booklet/2022", "booklet/2023", "congress-index", "congress/2022", "congress/2023", "data",
	"department/qianjiangshi-minzhengju", "department/qianjiangshi-shuzichengguanjianduzhihuizhongxin", "department/shilixian-jiaotongyunshuju",
	"department/shilixian-jiaoyuju", "department/shilixian-shuiliju", "departments", "feeds", "home", "ledger/rectification/", "ledger/rectification/2022/", "ledger/rectification/2023/",
	"ledger/rectification/done/", "ledger/rectification/open/", "ledger/rectification/overdue/", "search", "year/2022", "year/2023"}

// TestIncrementalMatchesFull edits a site step by step; after each edit
// the incremental build must give the output of a full build, byte for
// byte, and take from the previous output exactly the pages the edit
// leaves alone.
func TestIncrementalMatchesFull(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	// 2022 rural-water, 2023 rural-water, school-meals, road-maintenance,
	// disability-subsidies, digital-city-management.
	first := s.build("first build")
	s.reused("first build", first, 0)
	if first.stats.Evaluations != 6 {
		t.Fatalf("the fixture has %d published evaluations, want 6", first.stats.Evaluations)
	}
	unchanged := s.build("nothing changed")
	s.reused("nothing changed", unchanged, 6)
	if !slices.Equal(unchanged.stats.TakenGroups, siteGroups) {
		t.Errorf("nothing changed: site-wide groups taken %q, want every one, %q", unchanged.stats.TakenGroups, siteGroups)
	}

	s.edit("2023/evaluations/disability-subsidies.toml", "score = 20\n", "score = 19\n")
	s.edit("2023/evaluations/disability-subsidies.toml", "score = 93.5\n", "score = 92.5\n")
	s.reused("a record's score", s.build("a record's score"), 5)

	s.edit("2023/evaluations/road-maintenance.md", "全年完成日常养护 318 公里。", "全年完成日常养护 320 公里。")
	s.reused("a narrative", s.build("a narrative"), 5)

	// Only a record of another year of a series: the 2023 page shows the
	// 2022 score in its table and trend chart.
	s.edit("2022/evaluations/rural-water.toml", "score = 84\n", "score = 83\n")
	s.edit("2022/evaluations/rural-water.toml", "score = 17\n", "score = 16\n")
	s.reused("another year of a series", s.build("another year of a series"), 4)

	// A record added to rural-water's department: both rural-water
	// pages list it among the department's other evaluations.
	s.write("2023/evaluations/irrigation.toml", irrigationTOML)
	s.reused("a record added", s.build("a record added"), 4)
	// Only what the related list shows of a record: the department keeps
	// its size.
	s.edit("2023/evaluations/irrigation.toml", "score = 81\n", "score = 91\n")
	s.edit("2023/evaluations/irrigation.toml", "score = 81\n", "score = 91\n")
	s.reused("a related record's score", s.build("a related record's score"), 4)

	// A file beside a record renamed, and the record following it.
	s.rename("2023/evaluations/road-maintenance/自评表.pdf", "2023/evaluations/road-maintenance/自评表-盖章.pdf")
	s.edit("2023/evaluations/road-maintenance.toml", `file = "road-maintenance/自评表.pdf"`, `file = "road-maintenance/自评表-盖章.pdf"`)
	// A file no page publishes is a notice, also when the page of its
	// record is taken from the previous output (the steps below).
	s.write("2023/evaluations/road-maintenance/底稿.txt", "不公开的底稿\n")
	s.reused("a file beside a record renamed", s.build("a file beside a record renamed"), 6)

	// A narrative links another evaluation's page; that evaluation is
	// then deleted. The page with the link is not rendered again, and
	// must fail the link check all the same.
	s.edit("2023/evaluations/road-maintenance.md", "全年完成日常养护 320 公里。", "全年完成日常养护 320 公里（另见[营养改善计划](../school-meals/)）。")
	s.reused("a link to another page", s.build("a link to another page"), 6)
	meals, err := os.ReadFile(s.path("2023/evaluations/school-meals.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(s.path("2023/evaluations/school-meals.toml")); err != nil {
		t.Fatal(err)
	}
	s.refused("a linked record deleted", s.build("a linked record deleted"), "../school-meals/")
	s.edit("2023/evaluations/road-maintenance.md", "（另见[营养改善计划](../school-meals/)）", "")
	s.reused("a record deleted", s.build("a record deleted"), 5)
	s.write("2023/evaluations/school-meals.toml", string(meals))
	s.reused("the record back", s.build("the record back"), 6)

	// A draft of rural-water's series becomes public: it joins the
	// series of both rural-water pages, and is a page of its own.
	s.edit("2023/evaluations/draft-plan.toml", "draft = true\n", "")
	s.reused("a draft made public", s.build("a draft made public"), 5)

	// A site-wide input: every page again.
	s.edit("site.toml", `title = "示例县财政局 预算绩效评价结果公开"`, `title = "示例县财政局 绩效评价结果公开"`)
	s.reused("site.toml", s.build("site.toml"), 0)

	s.write("templates/partials.html", readDefaultTemplate(t, "partials.html"))
	s.reused("a template override added", s.build("a template override added"), 0)
	s.edit("templates/partials.html", "搜索评价结果", "搜索本站的评价结果")
	b := s.build("a template override changed")
	s.reused("a template override changed", b, 0)
	s.groups("a template override changed", b, nil, siteGroups)
	// With a template of its own, any record may show on any page.
	s.edit("2023/evaluations/school-meals.toml", "score = 92\n", "score = 91\n")
	s.edit("2023/evaluations/school-meals.toml", "score = 9\n", "score = 8\n")
	s.reused("a record, under a site template", s.build("a record, under a site template"), 0)
}

// TestIncrementalLinkTargetChanged: a page taken from the previous output
// is checked by the facts the cache kept of it, its links resolved when
// it was rendered; what they lead to is judged again in every build. A
// link of a taken page to a heading that an edit removes from the page it
// leads to, or to a page whose record is deleted, fails the rebuild with
// the very messages of a full build.
func TestIncrementalLinkTargetChanged(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	s.edit("2023/evaluations/road-maintenance.md", "全年完成日常养护 318 公里。", "全年完成日常养护 318 公里（整改见[残疾人补贴](../disability-subsidies/#四下一步拟改进措施)）。")
	s.reused("a link to a heading of another page", s.build("a link to a heading of another page"), 5)

	// The heading renamed: its page is rendered again, the page that
	// links it is taken.
	s.edit("2023/evaluations/disability-subsidies.md", "## 四、下一步拟改进措施", "## 四、下一步改进措施")
	b := s.build("the heading linked renamed")
	s.refused("the heading linked renamed", b, "road-maintenance.md", "四下一步拟改进措施")
	s.reused("the heading linked renamed", b, 5)
	s.edit("2023/evaluations/disability-subsidies.md", "## 四、下一步改进措施", "## 四、下一步拟改进措施")
	s.reused("the heading back", s.build("the heading back"), 6)

	// The page linked deleted, with its narrative.
	for _, name := range []string{"disability-subsidies.toml", "disability-subsidies.md"} {
		if err := os.Rename(s.path("2023/evaluations/"+name), filepath.Join(s.root, name)); err != nil {
			t.Fatal(err)
		}
	}
	b = s.build("the page linked deleted")
	s.refused("the page linked deleted", b, "../disability-subsidies/#")
	for _, name := range []string{"disability-subsidies.toml", "disability-subsidies.md"} {
		if err := os.Rename(filepath.Join(s.root, name), s.path("2023/evaluations/"+name)); err != nil {
			t.Fatal(err)
		}
	}
	s.reused("the page linked back", s.build("the page linked back"), 6)
}

// TestIncrementalLinkedFileGone: a page taken whose narrative links a
// file that another page publishes fails the rebuild that renames the
// file, as a full build fails it, though no page was removed.
func TestIncrementalLinkedFileGone(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.edit("2023/evaluations/disability-subsidies.md", "## 四、下一步拟改进措施", "## 四、下一步拟改进措施\n\n参见[养护自评表](../road-maintenance/自评表.pdf)。")
	s.build("first build")
	// A rebuild that keeps the page with the link and the file's own
	// page without reading them must still know, in the next, that the
	// file is linked.
	s.edit("2023/evaluations/digital-city-management.toml", `title = "“数字化城管运行经费”项目"`, `title = "“数字化城管运行经费”项目（修订）"`)
	s.reused("an edit elsewhere", s.build("an edit elsewhere"), 5)
	s.rename("2023/evaluations/road-maintenance/自评表.pdf", "2023/evaluations/road-maintenance/自评表-盖章.pdf")
	s.edit("2023/evaluations/road-maintenance.toml", `file = "road-maintenance/自评表.pdf"`, `file = "road-maintenance/自评表-盖章.pdf"`)
	b := s.build("the file linked renamed")
	s.refused("the file linked renamed", b, "disability-subsidies.md", "自评表.pdf")
	s.reused("the file linked renamed", b, 5)
}

// TestIncrementalUnlinkedFiles: the cache knows which files of the
// output no reference leads to (the search index's, which a patch
// removes as the texts change; such a file gone breaks no page kept),
// and a rebuild that keeps pages without reading them knows it as a
// full build of the same content does.
func TestIncrementalUnlinkedFiles(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	first := unlinkedOf(t, filepath.Join(s.root, ".public.evalpress-cache"), s.content)
	if !first["search/meta.json"] || !first["sitemap.xml"] {
		t.Errorf("the search index's meta.json and the sitemap are not unlinked: %v", first)
	}
	for _, name := range []string{"index.html", "2023/evaluations/road-maintenance/index.html", "assets/css/site.css"} {
		if first[name] {
			t.Errorf("%s, which pages link, is unlinked", name)
		}
	}
	s.edit("2023/evaluations/digital-city-management.toml", `title = "“数字化城管运行经费”项目"`, `title = "“数字化城管运行经费”项目（修订）"`)
	s.reused("a title edited", s.build("a title edited"), 5)
	got := unlinkedOf(t, filepath.Join(s.root, ".public.evalpress-cache"), s.content)
	full := filepath.Join(s.root, "whole")
	if b := runBuildOn(t, s.content, full, true, s.now); b.err != nil {
		t.Fatal(b.err)
	}
	want := unlinkedOf(t, filepath.Join(s.root, ".whole.evalpress-cache"), s.content)
	if !maps.Equal(got, want) {
		t.Errorf("after a rebuild the files unlinked are\n%v\na full build's\n%v", got, want)
	}
}

// unlinkedOf returns the files the index of the cache in dir says are
// unlinked.
func unlinkedOf(t *testing.T, dir, content string) map[string]bool {
	t.Helper()
	c, err := buildcache.Open(dir, content)
	if err != nil {
		t.Fatal(err)
	}
	idx, err := c.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(idx.Unlinked) == 0 {
		t.Fatalf("the cache in %s knows no file unlinked", dir)
	}
	return idx.Unlinked
}

// TestIncrementalLinkIntoTakenPage: a page rendered again that links a
// heading of a page taken from the previous output is judged by the ids
// of that page, as a full build judges it: a heading it does not have
// fails the rebuild, and one it has passes.
func TestIncrementalLinkIntoTakenPage(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	s.edit("2023/evaluations/road-maintenance.md", "全年完成日常养护 318 公里。", "全年完成日常养护 318 公里（整改见[残疾人补贴](../disability-subsidies/#四下一步改进措施)）。")
	b := s.build("a link to a heading another page lacks")
	s.refused("a link to a heading another page lacks", b, "road-maintenance.md", "四下一步改进措施")
	s.reused("a link to a heading another page lacks", b, 5)
	s.edit("2023/evaluations/road-maintenance.md", "#四下一步改进措施", "#四下一步拟改进措施")
	s.reused("the link to the heading it has", s.build("the link to the heading it has"), 5)
	// The page with the link made again, the link as it was.
	s.edit("2023/evaluations/road-maintenance.md", "全年完成日常养护 318 公里", "全年完成日常养护 320 公里")
	s.reused("the page with the link edited", s.build("the page with the link edited"), 5)
}

func readDefaultTemplate(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "templates", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestIncrementalRefusesWhatFullRefuses: a file beside a record renamed
// without its record following fails both builds alike, and leaves the
// previous output and a cache that the next build uses.
func TestIncrementalFailureKeepsOutputAndCache(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	before := tree(t, s.out)
	s.rename("2023/evaluations/road-maintenance/自评表.pdf", "2023/evaluations/road-maintenance/自评表-盖章.pdf")
	if b := s.build("a document renamed alone"); !errors.Is(b.err, pipeline.ErrFailed) {
		t.Fatalf("a [[documents]] file renamed without its record: %v, want ErrFailed", b.err)
	}
	after := tree(t, s.out)
	if len(after) != len(before) {
		t.Fatalf("a failed build changed the output: %d files, were %d", len(after), len(before))
	}
	for n, b := range before {
		if !bytes.Equal(after[n], b) {
			t.Fatalf("a failed build changed %s", n)
		}
	}
	s.rename("2023/evaluations/road-maintenance/自评表-盖章.pdf", "2023/evaluations/road-maintenance/自评表.pdf")
	s.reused("after a failed build", s.build("after a failed build"), 6)
}

// TestIncrementalDamagedCache: a cache that is truncated, damaged or cut
// short by a build killed before writing its index gives a full build
// with the same output, never a wrong one, and is rebuilt.
func TestIncrementalDamagedCache(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	cache := filepath.Join(s.root, ".public.evalpress-cache")
	s.build("first build")
	docs, _ := filepath.Glob(filepath.Join(cache, "docs-*.gob"))
	if len(docs) != 1 {
		t.Fatalf("cache holds %d document files, want 1", len(docs))
	}
	damage := []struct {
		name string
		do   func(t *testing.T)
	}{
		{"index truncated", func(t *testing.T) { truncate(t, filepath.Join(cache, "index")) }},
		{"index byte flipped", func(t *testing.T) { flip(t, filepath.Join(cache, "index")) }},
		// A cache of an older version of evalpress: its index is of
		// another format.
		{"index of an older format", func(t *testing.T) {
			name := filepath.Join(cache, "index")
			b, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			_, rest, _ := bytes.Cut(b, []byte("\n"))
			if err := os.WriteFile(name, append([]byte("evalpress-cache-index 2\n"), rest...), 0o644); err != nil {
				t.Fatal(err)
			}
		}},
		{"documents truncated", func(t *testing.T) { truncate(t, onlyDocs(t, cache)) }},
		{"documents byte flipped", func(t *testing.T) { flip(t, onlyDocs(t, cache)) }},
		{"link facts truncated", func(t *testing.T) { eachLinks(t, cache, truncate) }},
		{"link facts byte flipped", func(t *testing.T) { eachLinks(t, cache, flip) }},
		// A segment as the previous build left it is not read again
		// before pages are taken (buildcache.Cache.Check): one changed
		// with its modification time set back is still found out.
		{"documents byte flipped, time set back", func(t *testing.T) {
			name := onlyDocs(t, cache)
			st, err := os.Stat(name)
			if err != nil {
				t.Fatal(err)
			}
			flip(t, name)
			if err := os.Chtimes(name, st.ModTime(), st.ModTime()); err != nil {
				t.Fatal(err)
			}
		}},
		{"index missing (killed between swap and save)", func(t *testing.T) {
			if err := os.Remove(filepath.Join(cache, "index")); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, d := range damage {
		d.do(t)
		b := s.build(d.name)
		s.reused(d.name, b, 0)
		if !strings.Contains(d.name, "missing") && !strings.Contains(strings.Join(b.stats.Notices, "\n"), "增量构建缓存") {
			t.Errorf("%s: notices %q, want one about the cache", d.name, b.stats.Notices)
		}
		s.reused(d.name+", then again", s.build(d.name+", then again"), 6)
	}
	// An output page edited by hand is not what the cache recorded: it is
	// rendered again, not carried over.
	// The same size, so that only its content tells.
	page := filepath.Join(s.out, "2023", "school-meals", "index.html")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, bytes.Replace(b, []byte("营养"), []byte("饮食"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	s.reused("an output page edited", s.build("an output page edited"), 5)
	// -full reads nothing of the cache.
	if b := runBuild(t, s.content, s.out, true); b.err != nil || b.stats.Reused != 0 {
		t.Errorf("-full: %v, %d pages reused", b.err, b.stats.Reused)
	}
}

func onlyDocs(t *testing.T, cache string) string {
	docs, _ := filepath.Glob(filepath.Join(cache, "docs-*.gob"))
	if len(docs) != 1 {
		t.Fatalf("cache holds %d document files, want 1", len(docs))
	}
	return docs[0]
}

// eachLinks calls damage with each of the cache's files of link facts:
// the site-wide pages' facts move to the newest one at every build.
func eachLinks(t *testing.T, cache string, damage func(*testing.T, string)) {
	links, _ := filepath.Glob(filepath.Join(cache, "links-*.facts"))
	if len(links) == 0 {
		t.Fatal("cache holds no file of link facts")
	}
	for _, l := range links {
		damage(t, l)
	}
}

func truncate(t *testing.T, name string) {
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(name, st.Size()/2); err != nil {
		t.Fatal(err)
	}
}

func flip(t *testing.T, name string) {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)*2/3] ^= 0x20
	if err := os.WriteFile(name, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestCacheNeverInContent: the cache is beside the output, and a folder
// at its place that is not evalpress's, or that is the content folder, is
// neither read nor written.
func TestCacheNeverInContent(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	if _, err := os.Stat(filepath.Join(s.root, ".public.evalpress-cache", "EVALPRESS-CACHE.txt")); err != nil {
		t.Errorf("no cache beside the output: %v", err)
	}
	entries, _ := os.ReadDir(s.content)
	for _, e := range entries {
		if strings.Contains(e.Name(), "cache") {
			t.Errorf("the content folder has %s", e.Name())
		}
	}

	// The content folder where the cache would go.
	root := t.TempDir()
	content := filepath.Join(root, ".public.evalpress-cache")
	copyTree(t, s.content, content)
	before := tree(t, content)
	b := runBuild(t, content, filepath.Join(root, "public"), false)
	if b.err != nil {
		t.Fatalf("build: %v\n%s", b.err, b.diags)
	}
	if !strings.Contains(strings.Join(b.stats.Notices, "\n"), "内容文件夹") {
		t.Errorf("notices %q, want one saying the cache would overlap the content", b.stats.Notices)
	}
	if after := tree(t, content); len(after) != len(before) {
		t.Errorf("the content folder has %d files after the build, had %d", len(after), len(before))
	}

	// A folder of the user's where the cache would go.
	root = t.TempDir()
	mine := filepath.Join(root, ".public.evalpress-cache")
	if err := os.MkdirAll(mine, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mine, "index"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		b = runBuild(t, s.content, filepath.Join(root, "public"), false)
		if b.err != nil || b.stats.Reused != 0 {
			t.Fatalf("build beside a folder of the user's: %v, %d reused", b.err, b.stats.Reused)
		}
	}
	if got := tree(t, mine); len(got) != 2 || string(got["index"]) != "mine" { // the folder and its file
		t.Errorf("the user's folder was changed: %q", slices.Sorted(func(y func(string) bool) {
			for n := range got {
				y(n)
			}
		}))
	}
}

// notices returns a build's notices but those about its cache.
func notices(st pipeline.Stats) []string {
	return slices.DeleteFunc(slices.Clone(st.Notices), func(n string) bool {
		return strings.Contains(n, "缓存") || strings.HasPrefix(n, patchNotice)
	})
}

// TestIncrementalSiteWidePages edits a site step by step, each build
// compared byte for byte with a full one: a site-wide page (site.Group)
// is rendered again when what it shows changed, and taken from the
// previous output when it did not.
func TestIncrementalSiteWidePages(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	// Built on the date of the first build: the cache's records are of
	// that day.
	first := s.build("the first build's date")
	s.groups("the first build's date", first, siteGroups, nil)

	// A title in 2023's booklet (school-meals is marked congress = true,
	// and has findings): every page that lists it, none of 2022's.
	s.edit("2023/evaluations/school-meals.toml", `title = "农村义务教育学生营养改善计划"`, `title = "农村义务教育学生营养改善计划（修订）"`)
	s.groups("a title", s.build("a title"),
		[]string{"year/2022", "congress/2022", "booklet/2022", "department/shilixian-shuiliju", "department/qianjiangshi-minzhengju", "search", "about", "404",
			"ledger/rectification/2022/"},
		[]string{"year/2023", "congress/2023", "booklet/2023", "department/shilixian-jiaoyuju", "home", "departments", "congress-index", "data", "feeds",
			"ledger/rectification/", "ledger/rectification/2023/"})

	// A score of a record with no findings, not in the booklet.
	s.edit("2023/evaluations/disability-subsidies.toml", "score = 93.5\n", "score = 92.5\n")
	s.edit("2023/evaluations/disability-subsidies.toml", "score = 20\n", "score = 19\n")
	s.groups("a score", s.build("a score"),
		[]string{"year/2022", "booklet/2023", "ledger/rectification/", "department/shilixian-jiaoyuju"},
		[]string{"year/2023", "congress/2023", "department/qianjiangshi-minzhengju", "home", "data"})

	// The record marked for the congress: 2023's booklet gathers it.
	s.edit("2023/evaluations/disability-subsidies.toml", "year = 2023\n", "year = 2023\ncongress = true\n")
	s.groups("a congress mark", s.build("a congress mark"),
		[]string{"year/2022", "booklet/2022"},
		[]string{"booklet/2023", "congress/2023", "year/2023"})

	// The year report: its year's page, not the other year's.
	s.edit("2023/report.md", "## 一、推动了事前绩效评估工作", "## 一、推动了事前绩效评估")
	s.groups("a year report", s.build("a year report"), []string{"year/2022", "congress/2023", "booklet/2023"}, nil)

	// An earlier year of a series: 2023's congress table carries its
	// open findings.
	s.edit("2022/evaluations/rural-water.toml", "score = 84\n", "score = 83\n")
	s.edit("2022/evaluations/rural-water.toml", "score = 17\n", "score = 16\n")
	s.groups("an earlier year of a series", s.build("an earlier year of a series"),
		[]string{"year/2023", "booklet/2023"},
		[]string{"year/2022", "congress/2022", "booklet/2022", "congress/2023", "department/shilixian-shuiliju"})

	// A record moved to another department, then to another year: the
	// site's counts change, and with them every list.
	s.edit("2023/evaluations/digital-city-management.toml", `department = "潜江市数字城管监督指挥中心"`, `department = "潜江市民政局"`)
	s.groups("a department", s.build("a department"), nil, []string{"department/qianjiangshi-minzhengju", "departments", "year/2022"})
	s.edit("2023/evaluations/disability-subsidies.toml", "year = 2023\n", "year = 2022\n")
	s.rename("2023/evaluations/disability-subsidies.toml", "2022/evaluations/disability-subsidies.toml")
	s.rename("2023/evaluations/disability-subsidies.md", "2022/evaluations/disability-subsidies.md")
	s.groups("a year", s.build("a year"), nil, []string{"year/2022", "year/2023", "booklet/2022", "booklet/2023"})

	// A record removed and added back.
	meals, err := os.ReadFile(s.path("2023/evaluations/school-meals.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(s.path("2023/evaluations/school-meals.toml")); err != nil {
		t.Fatal(err)
	}
	s.groups("a record removed", s.build("a record removed"), nil, []string{"year/2023", "booklet/2023", "ledger/rectification/"})
	s.write("2023/evaluations/school-meals.toml", string(meals))
	s.groups("the record back", s.build("the record back"), nil, []string{"year/2023", "booklet/2023", "ledger/rectification/"})

	// A site-wide page edited in the output: made again.
	s.build("nothing changed")
	page := filepath.Join(s.out, "2022", "index.html")
	b, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, bytes.Replace(b, []byte("2022"), []byte("2O22"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	s.groups("an output page edited", s.build("an output page edited"), []string{"year/2023"}, []string{"year/2022"})

	// Another day: the ledger, the congress tables and the departments'
	// pages say "as of" it.
	s.now = time.Date(2024, 9, 2, 12, 0, 0, 0, time.UTC)
	s.groups("another day", s.build("another day"), nil, []string{"ledger/rectification/", "congress/2023", "department/shilixian-jiaoyuju"})
	s.groups("the same day", s.build("the same day"), []string{"ledger/rectification/", "congress/2023", "booklet/2023", "year/2022", "home", "data"}, nil)

	// A template of the site's own: every page.
	s.write("templates/congress.html", readDefaultTemplate(t, "congress.html"))
	s.groups("a template override added", s.build("a template override added"), nil, siteGroups)
	s.edit("templates/congress.html", "供人大代表和人大工作人员", "供人大代表")
	s.groups("a template override changed", s.build("a template override changed"), nil, siteGroups)
}

// TestIncrementalLedgerPages: a ledger of several pages per filter (see
// TestLedgerPages) is taken page by page. A record edited makes again
// the pages that list its findings (here the last of all findings, of
// those done and of its year's) and no other; a finding done changes
// every page's counts.
func TestIncrementalLedgerPages(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	sitetest.WriteFiles(t, root, manyFindings()+`-- content/2023/evaluations/p4.toml --
title = "第4个项目"
department = "测试市交通运输局"
year = 2023
grade = "良"
score = 85

[[findings]]
problem = "早已整改的问题"
deadline = 2019-12-31
status = "done"
done = 2020-01-01
result = "已整改"
`)
	s := &incSite{t: t, root: root, content: filepath.Join(root, "content"), out: filepath.Join(root, "public")}
	s.build("first build")
	taken := func(b incBuild) []string {
		var out []string
		for _, g := range b.stats.TakenGroups {
			if strings.HasPrefix(g, "ledger/") {
				out = append(out, g)
			}
		}
		return out
	}
	all := taken(s.build("nothing changed"))
	if len(all) < 8 {
		t.Fatalf("nothing changed: ledger pages taken %q, want every one (at least 8)", all)
	}
	s.edit("2023/evaluations/p4.toml", `title = "第4个项目"`, `title = "第4个项目（修订）"`)
	want := slices.DeleteFunc(slices.Clone(all), func(g string) bool {
		return slices.Contains([]string{"ledger/rectification/page/3/", "ledger/rectification/done/", "ledger/rectification/2023/page/3/"}, g)
	})
	if got := taken(s.build("a record's title")); !slices.Equal(got, want) {
		t.Errorf("a record's title: ledger pages taken %q, want %q: all but the three that list its finding", got, want)
	}
	s.edit("2023/evaluations/p1.toml", `problem = "问题1-001"`+"\ndeadline = 2025-02-02\nstatus = \"open\"",
		`problem = "问题1-001"`+"\ndeadline = 2025-02-02\nstatus = \"done\"\ndone = 2024-05-02\nresult = \"已整改\"")
	if got := taken(s.build("a finding done")); len(got) != 0 {
		t.Errorf("a finding done: ledger pages taken %q, want none: every page counts the findings done", got)
	}
}

// TestIncrementalOpenDataYears: the open data is made again after any
// edit, but a year whose evaluations are unchanged is taken from the
// previous output (its CSV file and zip kept, its rows in the files of
// all years copied), byte for byte what a full build makes.
func TestIncrementalOpenDataYears(t *testing.T) {
	t.Parallel()
	s := newIncSite(t)
	s.build("first build")
	s.build("the first build's date")
	years := func(step string, b incBuild, want int) {
		t.Helper()
		if b.stats.DataYears != want {
			t.Errorf("%s: %d years of open data taken from the previous output, want %d", step, b.stats.DataYears, want)
		}
	}
	// Nothing changed: the open data is taken whole, and what its cache
	// notes of its years is kept for the next build.
	s.groups("nothing changed", s.build("nothing changed"), []string{"data"}, nil)

	// A title of 2023's: its rows in evaluations.json and the CSV files
	// change, 2022's are taken.
	s.edit("2023/evaluations/school-meals.toml", `title = "农村义务教育学生营养改善计划"`, `title = "农村义务教育学生营养改善计划（修订）"`)
	years("a title of 2023", s.build("a title of 2023"), 1)
	// A score of 2022's: its indicators' rows change, 2023's are taken
	// from the files the previous build wrote.
	s.edit("2022/evaluations/rural-water.toml", "score = 84\n", "score = 83\n")
	s.edit("2022/evaluations/rural-water.toml", "score = 17\n", "score = 16\n")
	years("a score of 2022", s.build("a score of 2022"), 1)

	// A file of the open data edited in the output: what reads it is
	// made again.
	for _, name := range []string{"data/2022.zip", "data/indicators.csv"} {
		s.edit("2023/evaluations/school-meals.toml", "（修订）", "（再修订）")
		p := filepath.Join(s.out, filepath.FromSlash(name))
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
		years(name+" edited", s.build(name+" edited"), 0)
		s.edit("2023/evaluations/school-meals.toml", "（再修订）", "（修订）")
		years(name+" made again", s.build(name+" made again"), 1)
	}

	// A record moved to the other year: both years change.
	s.edit("2023/evaluations/disability-subsidies.toml", "year = 2023\n", "year = 2022\n")
	s.rename("2023/evaluations/disability-subsidies.toml", "2022/evaluations/disability-subsidies.toml")
	s.rename("2023/evaluations/disability-subsidies.md", "2022/evaluations/disability-subsidies.md")
	years("a year", s.build("a year"), 0)
	// site.toml: every year's key changes.
	s.edit("site.toml", "\n", "\n# 注释\n")
	years("site.toml", s.build("site.toml"), 0)
}

// TestIncrementalOpenDataChunks: in a year made again, the chunks of
// evaluations (export.ChunkSize each) whose evaluations are unchanged are
// taken from the previous output's files and zip, the others made, byte
// for byte what a full build makes; the zips unpack to the same files as
// the files of all years.
func TestIncrementalOpenDataChunks(t *testing.T) {
	t.Parallel()
	s := irrigationSite(t, 2*export.ChunkSize+5)
	chunks := func(step string, b incBuild, want int) {
		t.Helper()
		if b.stats.DataChunks != want {
			t.Errorf("%s: %d chunks of open data taken from the previous output, want %d", step, b.stats.DataChunks, want)
		}
	}
	// One title: the year has three chunks or more, and only the one
	// that holds the record is made.
	s.edit("2023/evaluations/irrigation-070.toml", "农田灌溉项目070", "农田灌溉项目070（修订）")
	b := s.build("a title")
	chunks("a title", b, chunksOf(t, s.out, 2023)-1)
	// Two titles in the same chunk, then a record removed: every chunk
	// after it moves up one evaluation and is made again.
	s.edit("2023/evaluations/irrigation-001.toml", "农田灌溉项目001", "农田灌溉项目001（修订）")
	s.edit("2023/evaluations/irrigation-002.toml", "农田灌溉项目002", "农田灌溉项目002（修订）")
	chunks("two titles", s.build("two titles"), chunksOf(t, s.out, 2023)-1)
	if err := os.Remove(s.path("2023/evaluations/irrigation-003.toml")); err != nil {
		t.Fatal(err)
	}
	s.build("a record removed")
	// The zip edited in the output: nothing of it is trusted.
	s.edit("2023/evaluations/irrigation-070.toml", "（修订）", "（再修订）")
	p := filepath.Join(s.out, "data", "2023.zip")
	z, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(z, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	chunks("the zip edited", s.build("the zip edited"), 0)
}

// irrigationSite returns the incremental tests' site with n more records
// of 2023 (irrigation-000 …, titled 农田灌溉项目000 …), built twice, as
// the tests of chunks start from it.
func irrigationSite(t *testing.T, n int) *incSite {
	t.Helper()
	s := newIncSite(t)
	for i := range n {
		s.write(fmt.Sprintf("2023/evaluations/irrigation-%03d.toml", i),
			strings.Replace(irrigationTOML, "农田灌溉项目", fmt.Sprintf("农田灌溉项目%03d", i), 1))
	}
	s.build("first build")
	s.build("the first build's date")
	return s
}

// chunksOf reads the zip of year in the output out, each entry checked
// against its CRC-32, and returns how many chunks of evaluations the year
// is: its evaluations.json entry must be JSON, with as many evaluations
// as its evaluations.csv has rows.
func chunksOf(t *testing.T, out string, year int) int {
	t.Helper()
	name := filepath.Join(out, "data", fmt.Sprintf("%d.zip", year))
	z, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	entries := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r) // checks the CRC-32 at the end
		r.Close()
		if err != nil {
			t.Fatalf("%s: %s: %v", name, f.Name, err)
		}
		entries[path.Base(f.Name)] = b
	}
	var doc struct{ Evaluations []json.RawMessage }
	if err := json.Unmarshal(entries["evaluations.json"], &doc); err != nil {
		t.Fatalf("%s: evaluations.json: %v", name, err)
	}
	rows := bytes.Count(entries["evaluations.csv"], []byte("\r\n")) - 1
	if rows != len(doc.Evaluations) || rows == 0 {
		t.Fatalf("%s: %d rows in evaluations.csv, %d evaluations in evaluations.json", name, rows, len(doc.Evaluations))
	}
	return (rows + export.ChunkSize - 1) / export.ChunkSize
}

// irrigationTOML is a record the incremental tests add to rural-water's
// department, 示例县水利局, in 2023.
const irrigationTOML = `title = "农田灌溉项目"
department = "示例县水利局"
year = 2023
published = 2024-04-26
score = 81

[[indicators]]
name = "产出"
max = 100
score = 81
`

// TestIncrementalOwnTemplateReadsIndicators: the records a rebuild takes
// from the cache of loaded records come with their indicators packed; a
// site's own template that reads them as the record's field still finds
// them all, as in a full build.
func TestIncrementalOwnTemplateReadsIndicators(t *testing.T) {
	s := newIncSite(t)
	year := readDefaultTemplate(t, "year.html")
	const list = `<p class="summary">共 {{len $y.Evaluations}} 项`
	if !strings.Contains(year, list) {
		t.Fatal("year.html changed: the test's template needs a new place")
	}
	s.write("templates/year.html", strings.Replace(year, list,
		`<ul class="own">{{range $y.Evaluations}}{{range .Record.Indicators}}<li>{{.Name}}{{range .Items}}：{{.Name}}{{end}}</li>{{end}}{{end}}</ul>`+list, 1))
	s.build("first")
	s.edit("2023/evaluations/road-maintenance.toml", `title = "农村公路养护项目"`, `title = "农村公路养护项目（改）"`)
	b := s.build("a title edited")
	s.groups("a title edited", b, nil, []string{"year/2023"})
	if b.stats.Recalled == 0 {
		t.Fatal("no record came from the cache of loaded records")
	}
	page, err := os.ReadFile(filepath.Join(s.out, "2023", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), "<li>"); n < 5 {
		t.Errorf("the own template lists %d indicators of the records taken from the cache", n)
	}
}

// TestIncrementalListChunks: a year's congress table and page rendered
// again after an edited record take their chunks of rows that hold no
// edited record from the previous output's pages, and come out as a
// full build's; a page edited in the output is not read.
func TestIncrementalListChunks(t *testing.T) {
	t.Parallel()
	s := irrigationSite(t, 2*site.RowChunk+5)
	chunks := func(step string, b incBuild, want int) {
		t.Helper()
		if b.stats.RowChunks != want {
			t.Errorf("%s: %d chunks of rows taken from the previous output, want %d", step, b.stats.RowChunks, want)
		}
	}
	// One title: each list has three chunks or more, and only the one
	// that holds the record is rendered.
	s.edit("2023/evaluations/irrigation-070.toml", "农田灌溉项目070", "农田灌溉项目070（修订）")
	b := s.build("a title")
	s.groups("a title", b, nil, []string{"congress/2023", "year/2023"})
	congress, year := listChunks(t, s.out, 2023)
	if congress < 3 || year < 3 {
		t.Fatalf("the congress table of 2023 has %d chunks of rows and the year's page %d, want 3 or more", congress, year)
	}
	chunks("a title", b, congress-1+year-1)
	// Two titles in the same chunk, then a record removed: every chunk
	// after it moves up one evaluation and is rendered again.
	s.edit("2023/evaluations/irrigation-001.toml", "农田灌溉项目001", "农田灌溉项目001（修订）")
	s.edit("2023/evaluations/irrigation-002.toml", "农田灌溉项目002", "农田灌溉项目002（修订）")
	congress, year = listChunks(t, s.out, 2023)
	chunks("two titles", s.build("two titles"), congress-1+year-1)
	if err := os.Remove(s.path("2023/evaluations/irrigation-003.toml")); err != nil {
		t.Fatal(err)
	}
	s.build("a record removed")
	// The congress table edited in the output: nothing of it is trusted.
	s.edit("2023/evaluations/irrigation-070.toml", "（修订）", "（再修订）")
	p := filepath.Join(s.out, "congress", "2023", "index.html")
	page, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, bytes.Replace(page, []byte("农田灌溉项目100"), []byte("农田灌溉项目999"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, year = listChunks(t, s.out, 2023)
	chunks("the page edited", s.build("the page edited"), year-1)
}

// listChunks returns how many chunks of rows the congress table and the
// page of year in the output out have.
func listChunks(t *testing.T, out string, year int) (congress, page int) {
	t.Helper()
	count := func(name, row string) int {
		b, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return (bytes.Count(b, []byte(row)) + site.RowChunk - 1) / site.RowChunk
	}
	y := strconv.Itoa(year)
	return count("congress/"+y+"/index.html", ` data-overdue="`), count(y+"/index.html", `<td><a href="../departments/`)
}

// TestRebuildingTold: a build that gets its records back from its
// cache tells Options.Rebuilding, once, how many evaluation pages the
// previous build made (evalpress build asks for huge pages for a
// rebuild's heap by it). A first build does not tell it, nor a -full
// one, nor one whose cached records were made under another key (here
// another site.toml; another binary, after an upgrade, likewise).
func TestRebuildingTold(t *testing.T) {
	t.Parallel()
	root, content := incrementalContent(t)
	out := filepath.Join(root, "public")
	build := func(full bool) (told []int) {
		var mu sync.Mutex
		opts := pipeline.Options{Content: content, Out: out, Full: full}
		seriesDay(&opts)
		opts.Rebuilding = func(n int) {
			mu.Lock()
			defer mu.Unlock()
			told = append(told, n)
		}
		if b := runWith(t, opts); b.err != nil {
			t.Fatalf("build: %v\n%s", b.err, b.diags)
		}
		mu.Lock()
		defer mu.Unlock()
		return told
	}
	if told := build(false); len(told) > 0 {
		t.Errorf("a first build was told it rebuilds: %v", told)
	}
	first := runBuild(t, content, filepath.Join(root, "other"), false).stats
	if told := build(false); len(told) != 1 || told[0] != first.Evaluations || told[0] == 0 {
		t.Errorf("a rebuild was told %v, want once the previous build's %d evaluation pages", told, first.Evaluations)
	}
	if told := build(true); len(told) > 0 {
		t.Errorf("a -full build was told it rebuilds: %v", told)
	}
	site := filepath.Join(content, "site.toml")
	b, err := os.ReadFile(site)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(site, append(b, "\n# 另一个 site.toml\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if told := build(false); len(told) > 0 {
		t.Errorf("a build whose cached records were made under another key was told it rebuilds: %v", told)
	}
}
