package wholesite

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest"
)

// recorder is a testing.TB that notes the failures an assertion reports
// instead of failing the test, so that the assertions can be tested.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

// expect runs assert against a recorder and checks how many failures it
// reported.
func expect(t *testing.T, s *Site, want int, assert func(s *Site)) {
	t.Helper()
	r := &recorder{TB: t}
	was := s.t
	s.t = r
	assert(s)
	s.t = was
	if len(r.failures) != want {
		t.Errorf("%d failures, want %d: %q", len(r.failures), want, r.failures)
	}
}

const tiny = `
-- content/site.toml --
title = "测试市财政局 预算绩效评价结果公开"
organization = "测试市财政局"
base_url = "https://example.gov.cn/jxgk/"
-- content/2023/evaluations/roads.toml --
title = "农村公路养护项目"
department = "测试市交通运输局"
year = 2023
grade = "良"
`

func TestAssertions(t *testing.T) {
	t.Parallel()
	s := Build(t, tiny)
	expect(t, s, 0, func(s *Site) {
		s.AssertFileContent("2023/roads/index.html", "农村公路养护项目", "! 草稿")
		s.AssertNoFile("2023/bridges/index.html")
		s.AssertNowhere("草稿")
	})
	expect(t, s, 2, func(s *Site) {
		s.AssertFileContent("2023/roads/index.html", "危桥改造项目", "! 农村公路养护项目")
	})
	expect(t, s, 1, func(s *Site) { s.AssertNoFile("2023/roads/index.html") })
	expect(t, s, 1, func(s *Site) { s.AssertNoFile("") })
	expect(t, s, 1, func(s *Site) { s.AssertNowhere("农村公路养护项目") })
}

func TestAssertDiag(t *testing.T) {
	t.Parallel()
	s := CheckFails(t, tiny+"scroe = 1\n")
	expect(t, s, 0, func(s *Site) {
		s.AssertDiag("roads.toml:5:1", "error: scroe")
		s.AssertDiag("roads.toml:5", "error: scroe")
		s.AssertDiag("2023/evaluations/roads.toml:5", "scroe")
		s.AssertDiags("scroe", "! 草稿")
	})
	expect(t, s, 1, func(s *Site) { s.AssertDiag("roads.toml:4", "scroe") })    // another line
	expect(t, s, 1, func(s *Site) { s.AssertDiag("oads.toml:5", "scroe") })     // not a file name
	expect(t, s, 1, func(s *Site) { s.AssertDiag("roads.toml:5", "warning") })  // another text
	expect(t, s, 2, func(s *Site) { s.AssertDiags("no such text", "! scroe") }) // both ways
}

func TestFilesAndAgain(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	sitetest.WriteFiles(t, root, sitetest.Files(map[string]string{"b/c.txt": "丙\n", "a.txt": "甲"}))
	for name, want := range map[string]string{"a.txt": "甲\n", "b/c.txt": "丙\n"} {
		if b, err := os.ReadFile(filepath.Join(root, name)); err != nil || string(b) != want {
			t.Errorf("%s = %q, %v; want %q", name, b, err, want)
		}
	}

	s := Build(t, tiny)
	s.EditContent("2023/evaluations/roads.toml", `grade = "良"`, `grade = "良"`+"\nscroe = 1")
	again := s.Again()
	if again.Err() == nil || again.Out() != s.Out() {
		t.Errorf("a build again of broken content: err %v, out %s, want a failure into %s", again.Err(), again.Out(), s.Out())
	}
	again.AssertFileContent("2023/roads/index.html", "农村公路养护项目") // the previous output stays
}
