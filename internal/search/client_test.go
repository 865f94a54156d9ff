package search

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// dirFS writes files under a directory.
type dirFS string

func (d dirFS) Write(name string, data []byte) error {
	p := filepath.Join(string(d), filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

type clientQuery struct {
	Q       string            `json:"q"`
	Filters map[string]string `json:"filters,omitempty"`
	Total   int               `json:"total"`
	IDs     []int             `json:"ids"`
}

// TestClient runs the shipped assets/js/search.js under node's test runner
// (tools/searchtest) against an index of 2,000 generated evaluations and
// compares every total and result set with Index.Search. It skips when
// node is missing, except in CI (CI=true), where that is a failure.
func TestClient(t *testing.T) {
	t.Parallel()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is needed for the search client test and is not installed")
		}
		t.Skip("node not installed")
	}
	if testing.Short() {
		t.Skip("builds 2,000 evaluations")
	}
	docs := synthDocs(t, 2000)
	b := NewBuilder()
	for _, d := range docs {
		b.Add(d)
	}
	ix := b.Index()
	dir := t.TempDir()
	if err := ix.Write(dirFS(dir)); err != nil {
		t.Fatal(err)
	}

	queries := []clientQuery{
		// Single characters, two-character words, longer phrases.
		{Q: "贴"}, {Q: "补"}, {Q: "资"}, {Q: "率"}, {Q: "补贴"}, {Q: "资金"}, {Q: "贴补"}, {Q: "生活补贴"},
		{Q: "绩效评价"}, {Q: "资金使用"}, {Q: "项目资金管理"}, {Q: "满意度"},
		// Latin and digits, in every width and case.
		{Q: "ppp"}, {Q: "PPP"}, {Q: "ＰＰＰ"}, {Q: "p"}, {Q: "gdp"}, {Q: "2023"}, {Q: "２０２３"}, {Q: "12345"},
		{Q: "100%"}, {Q: "12"}, {Q: "0"}, {Q: "2023年"},
		// AND of words.
		{Q: "资金 绩效"}, {Q: "补贴 2023"}, {Q: "补贴　ＰＰＰ"}, {Q: "生活补贴 资金 满意度"},
		// No match.
		{Q: "不存在的词语"}, {Q: "zzzz"}, {Q: "补贴 zzzz"}, {Q: "。。。。"},
		// Filters, alone and with words.
		{Q: "补贴", Filters: map[string]string{"year": "2023"}},
		{Q: "资金", Filters: map[string]string{"grade": "优"}},
		{Q: "资金", Filters: map[string]string{"kind": "policy", "grade": "良"}},
		{Q: "", Filters: map[string]string{"year": "2021"}},
		{Q: "", Filters: map[string]string{"department": docs[7].Department}},
		{Q: ""},
		// A department and a title, which the reference finds in their fields.
		{Q: docs[3].Department}, {Q: docs[11].Title},
	}
	// Substrings of random texts: 1 to 12 characters, spaces included
	// (then they are AND queries).
	ix.textsOnce.Do(ix.normaliseAll) // for the random substrings below
	rng := rand.New(rand.NewPCG(7, 8))
	for range 150 {
		r := []rune(ix.texts[rng.IntN(len(ix.texts))])
		n := 1 + rng.IntN(12)
		if len(r) <= n {
			continue
		}
		i := rng.IntN(len(r) - n)
		queries = append(queries, clientQuery{Q: string(r[i : i+n])})
	}
	runNode(t, node, ix, dir, queries)
}

// runNode computes the reference answers of queries, writes them with the
// index directory as the fixture, and runs the node tests on them.
func runNode(t *testing.T, node string, ix *Index, dir string, queries []clientQuery) {
	for i := range queries {
		q := &queries[i]
		q.IDs = ix.Search(q.Q, q.Filters)
		if q.IDs == nil {
			q.IDs = []int{}
		}
		q.Total = len(q.IDs)
	}
	fixture := filepath.Join(dir, "fixture.json")
	data, err := json.Marshal(map[string]any{"dir": dir, "queries": queries})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(fixture, data, 0o644); err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(node, "--test", "--test-reporter=tap", "tools/searchtest/")
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "SEARCHTEST_FIXTURE="+fixture)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node --test tools/searchtest/: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if line = strings.TrimSpace(line); strings.HasPrefix(line, "# ") && strings.Contains(line, "gzip") || strings.HasPrefix(line, "# pass") || strings.HasPrefix(line, "# skipped") {
			t.Log(strings.TrimPrefix(line, "# "))
		}
	}
}
