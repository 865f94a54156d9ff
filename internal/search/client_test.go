package search

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
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
	// TitleIDs, when set, are the documents with the (single) word in
	// their title, which must rank first; the client computes it.
	TitleIDs []int `json:"titleIDs,omitempty"`
	titles   bool
	// Budget, when set, bounds the cold gzip bytes of the index files
	// the query reads (not the client).
	Budget int `json:"budget,omitempty"`
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
	// Phrases of 3 to 8 characters common in the generated texts: a
	// standard indicator, template phrases, a department's full name.
	// Their cold cost is bounded: 40 KB gzip at 2,000 evaluations (the
	// budget is 100 KB at 10,000); bigram positions cost 100-300 KB.
	for _, q := range []string{"生活补贴", "资金使用", "绩效目标", "预算执行率", "项目完成及时率",
		"确保资金安全", "规范、有效使用", "不断增强群众的获", docs[5].Department} {
		queries = append(queries, clientQuery{Q: q, Budget: 40 << 10, titles: true})
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
		if q.titles {
			q.TitleIDs = []int{}
			for _, id := range q.IDs {
				if strings.Contains(Normalize(ix.docs[id].Title), Normalize(q.Q)) {
					q.TitleIDs = append(q.TitleIDs, id)
				}
			}
		}
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

// TestClientPhrases checks the client's phrase search against the
// reference on a small corpus built for it: a phrase common to a third of
// the documents and in some titles, a rare one, absent ones, a phrase
// whose bigrams all occur in a third of the documents but never in a row
// (which bigram lists alone would count), a character beyond the BMP, a
// phrase across two fields, and words longer than 8 characters. Families
// are split at 64 bytes and shards hold about 256, so that queries go down
// split grams into other shards too.
func TestClientPhrases(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node is needed for the search client test and is not installed")
		}
		t.Skip("node not installed")
	}
	defer func(m int32, b int) { maxFamily, gramShardBytes = m, b }(maxFamily, gramShardBytes)
	maxFamily, gramShardBytes = 64, 256
	grades := []string{"优", "良", "中", "差"}
	b := NewBuilder()
	for i := range 100 {
		text := "项目资金使用规范，确保资金安全有效。"
		title := fmt.Sprintf("第%d号项目", i)
		switch i % 3 {
		case 0:
			text += "甲乙丙丁戊己庚辛。"
			if i%6 == 0 {
				title = "甲乙丙丁项目" + title
			}
		case 1:
			text += "甲乙，乙丙，丙丁，丁戊。"
		}
		if i == 41 {
			text += "罕见词语组合出现一次。"
		}
		if i == 97 {
			title += "罕见词语"
		}
		if i%10 == 5 {
			text += "𠮷野家补贴发放。"
		}
		if i%7 == 0 {
			text += strings.Repeat("资金安全有效", 3)
		}
		b.Add(Doc{URL: fmt.Sprintf("p/%03d/", i), Title: title, Department: "市财政局", Evaluator: "审计局",
			Year: strconv.Itoa(2021 + i%3), Grade: grades[i%4], Kind: "project", Score: strconv.Itoa(60 + i%40),
			Text: text, Head: text})
	}
	ix := b.Index()
	dir := t.TempDir()
	if err := ix.Write(dirFS(dir)); err != nil {
		t.Fatal(err)
	}
	var queries []clientQuery
	for _, q := range []string{
		"甲乙丙丁", "甲乙丙丁戊己庚辛", "乙丙丁戊己庚", "甲乙丙", // common, some in titles
		"罕见词语", "罕见词语组合", "词语组合出现一次", // rare
		"资金安全使用", "甲乙丙丁戊己庚壬", "丁戊己庚辛。", "不存在的短语", // absent or absent at the end
		"乙丙丁", "乙丙丁戊", // bigrams everywhere, in a row in a third
		"𠮷野家", "野家补贴", "𠮷野家补贴发放", // beyond the BMP, and next to it
		"财政局审计", "市财政局", // across two fields, one field
		"项目资金使用规范，确保资金安全有效", "资金安全有效资金安全有效", // longer than 8
		"补贴", "资金", "有效资金安全", "效资金安全有效资",
	} {
		queries = append(queries, clientQuery{Q: q, titles: true})
	}
	// Every substring of 3 to 9 characters of a few texts.
	ix.textsOnce.Do(ix.normaliseAll)
	for _, id := range []int{0, 1, 41, 42, 95} {
		r := []rune(ix.texts[id])
		for i := range r {
			for n := 3; n <= 9 && i+n <= len(r); n++ {
				if !strings.Contains(string(r[i:i+n]), " ") {
					queries = append(queries, clientQuery{Q: string(r[i : i+n])})
				}
			}
		}
	}
	splits := 0
	for p := range ix.grams {
		log, tlog, err := ix.grams[p].logs(ix.spillDir, p)
		if err != nil {
			t.Fatal(err)
		}
		l := ix.grams[p].finish(log, tlog)
		for _, s := range ix.plan(&l, ix.gramShardCount(), p).split {
			if s {
				splits++
			}
		}
	}
	if splits == 0 {
		t.Error("no gram family is split")
	}
	runNode(t, node, ix, dir, queries)
	// The corpus is what the test says: the trap phrase's bigrams are in
	// the documents its reference result leaves out.
	if got := len(ix.Search("甲乙丙丁", nil)); got != 34 {
		t.Errorf("甲乙丙丁 in %d documents, want 34", got)
	}
	if got := len(ix.Search("甲乙 乙丙 丙丁", nil)); got != 67 {
		t.Errorf("甲乙, 乙丙 and 丙丁 in %d documents, want 67", got)
	}
}
