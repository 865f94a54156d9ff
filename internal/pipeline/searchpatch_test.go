package pipeline_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/search"
)

// patchNotice starts the notice of a build that patched the search index
// rather than making it again.
const patchNotice = "检索索引："

// patched says whether a build patched the search index.
func patched(b incBuild) bool {
	return slices.ContainsFunc(b.stats.Notices, func(n string) bool { return strings.HasPrefix(n, patchNotice) })
}

// TestSearchPatchMatchesFull edits a site step by step, each incremental
// build compared byte for byte with a full one (search/ included): a
// rebuild patches the previous search index when few records changed and
// the index's global choices stay, and makes it again otherwise.
func TestSearchPatchMatchesFull(t *testing.T) {
	// Not parallel: the phrases' sample is cut to two documents (the
	// fixture's six would all be in it, and no text could change), which
	// every build of the package reads. The sample is then the two pages
	// whose URL hash is smallest: 2023/rural-water/ and
	// 2023/school-meals/.
	defer search.SetSampleSize(2)()
	s := newIncSite(t)
	step := func(name string, wantPatched bool) incBuild {
		t.Helper()
		b := s.build(name)
		if b.err != nil {
			t.Fatalf("%s: %v\n%s", name, b.err, b.diags)
		}
		if patched(b) != wantPatched {
			t.Errorf("%s: search index patched %v, want %v (notices %q)", name, patched(b), wantPatched, b.stats.Notices)
		}
		return b
	}
	says := func(name string, b incBuild, want string) {
		t.Helper()
		if !slices.ContainsFunc(b.stats.Notices, func(n string) bool { return strings.HasPrefix(n, patchNotice) && strings.Contains(n, want) }) {
			t.Errorf("%s: no notice saying %q: %q", name, want, b.stats.Notices)
		}
	}
	step("first build", false)
	// The index made whole kept the phrases' trie of the sample; the
	// patches take it, and do not write it again, or make it again when
	// it is damaged.
	phrases := filepath.Join(s.root, ".public.evalpress-cache", "part-search-phrases")
	kept, err := os.Stat(phrases)
	if err != nil {
		t.Fatalf("the phrases' trie is not kept by the first build: %v", err)
	}
	// Not "0 项评价有变化": the staff edited nothing the index holds.
	says("nothing changed", step("nothing changed", true), "没有需要改动的检索内容")

	s.edit("2023/evaluations/disability-subsidies.toml", `title = "残疾人“两项补贴”项目"`, `title = "困难残疾人“两项补贴”发放项目"`)
	says("a title", step("a title", true), "1 项评价有变化")
	if now, err := os.Stat(phrases); err != nil || !os.SameFile(kept, now) {
		t.Errorf("the patches made the phrases' trie again rather than take the first build's (%v)", err)
	}
	s.edit("2023/evaluations/road-maintenance.md", "全年完成日常养护 318 公里。", "全年完成日常养护 320 公里，整修桥涵 12 座。")
	step("a narrative", true)
	if err := os.WriteFile(phrases, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}

	s.edit("2023/evaluations/disability-subsidies.toml", "score = 93.5\n", "score = 91.5\n")
	s.edit("2023/evaluations/disability-subsidies.toml", "score = 17\n", "score = 15\n")
	s.edit("2023/evaluations/digital-city-management.toml", `title = "“数字化城管运行经费”项目"`, `title = "数字化城市管理运行经费项目"`)
	step("two records", true)

	// 2022's score shows on the 2023 page of the series, in the sample:
	// its page is rendered again, its text is the same.
	s.edit("2022/evaluations/rural-water.toml", "score = 84\n", "score = 83\n")
	s.edit("2022/evaluations/rural-water.toml", "score = 17\n", "score = 16\n")
	step("a score shown by a page of the sample", true)

	// A text of the sample: the phrases may change.
	s.edit("2023/evaluations/school-meals.toml", `title = "农村义务教育学生营养改善计划"`, `title = "农村义务教育学生营养改善计划项目"`)
	step("a title in the phrases' sample", false)
	s.edit("2023/evaluations/road-maintenance.md", "整修桥涵 12 座。", "整修桥涵 14 座。")
	step("a narrative after the index was made again", true)

	// The cache's state of the index damaged, or a file of the index
	// changed in the output: the index is made again.
	part := filepath.Join(s.root, ".public.evalpress-cache", "part-search-index")
	if err := os.WriteFile(part, []byte("damaged"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.edit("2023/evaluations/road-maintenance.md", "整修桥涵 14 座。", "整修桥涵 15 座。")
	step("the index's state damaged", false)
	if err := os.WriteFile(filepath.Join(s.out, "search", "titles.bin"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	s.edit("2023/evaluations/road-maintenance.md", "整修桥涵 15 座。", "整修桥涵 16 座。")
	step("a file of the index changed", false)
	s.edit("2023/evaluations/road-maintenance.md", "整修桥涵 16 座。", "整修桥涵 17 座。")
	step("a narrative after the index was made again twice", true)

	// Another document: the ids change.
	s.write("2023/evaluations/irrigation.toml", irrigationTOML)
	step("a record added", false)
	s.edit("2023/evaluations/digital-city-management.toml", `title = "数字化城市管理运行经费项目"`, `title = "数字化城管运行经费项目"`)
	step("a title after a record was added", true)
	// The sample of seven documents holds the new one.
	s.edit("2023/evaluations/irrigation.toml", `title = "农田灌溉项目"`, `title = "高标准农田灌溉项目"`)
	step("the record added edited", false)
	if err := os.Remove(s.path("2023/evaluations/irrigation.toml")); err != nil {
		t.Fatal(err)
	}
	step("a record deleted", false)
}
