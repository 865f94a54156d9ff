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

// rareWord is a word of three or more characters that is not a phrase
// term, for the node test of what it reads: the files of its bigrams'
// position blocks, and the bytes of their positions.
type rareWord struct {
	Q     string     `json:"q"`
	Total int        `json:"total"`
	IDs   []int      `json:"ids"`
	Grams []rareGram `json:"grams"`
}

type rareGram struct {
	Gram     string   `json:"gram"`
	Blocks   []string `json:"blocks"`   // files of its position blocks, none when light
	PosBytes int      `json:"posBytes"` // bytes of its positions
}

// needNode returns the path of node, or skips the test (see TestClient).
func needNode(t *testing.T) string {
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
	return node
}

// writeClientIndex writes the index of docs into dir, and returns it with
// its rare words (see rareWords).
func writeClientIndex(t *testing.T, docs []Doc, dir string) (*Index, []rareWord) {
	b := NewBuilder()
	for _, d := range docs {
		b.Add(d)
	}
	ix := b.Index()
	fs := &memFS{}
	if err := ix.Write(fs); err != nil {
		t.Fatal(err)
	}
	for name, data := range fs.files {
		if err := dirFS(dir).Write(name, data); err != nil {
			t.Fatal(err)
		}
	}
	return ix, rareWords(t, ix, fs.files)
}

// rareWords returns words of 5 to 8 characters that are not phrase terms:
// rare combinations of common bigrams that no evaluation holds (项目 is in
// nearly every one, 项目完成及时率 in none), and substrings of the texts
// that few evaluations hold.
func rareWords(t *testing.T, ix *Index, files map[string][]byte) []rareWord {
	words := []string{"项目完成及时率", "资金项目单位", "落实项目标", "群众切实受到", "目实防止出现", "资金完成率", "目标执行及时"}
	ix.textsOnce.Do(ix.normaliseAll)
	rng := rand.New(rand.NewPCG(9, 10))
	for found, tries := 0, 0; found < 8 && tries < 400; tries++ {
		r := []rune(ix.texts[rng.IntN(len(ix.texts))])
		n := 5 + rng.IntN(4)
		if len(r) <= n {
			continue
		}
		i := rng.IntN(len(r) - n)
		w := string(r[i : i+n])
		if strings.Contains(w, " ") || lookup(t, files, w).found {
			continue
		}
		if total := len(ix.Search(w, nil)); total >= 1 && total <= 20 {
			words = append(words, w)
			found++
		}
	}
	var out []rareWord
	for _, w := range words {
		ids := ix.Search(w, nil)
		if ids == nil {
			ids = []int{}
		}
		rw := rareWord{Q: w, Total: len(ids), IDs: ids}
		r := []rune(w)
		for i := 0; i+1 < len(r); i++ {
			d := lookup(t, files, string(r[i:i+2]))
			if d.blocks == nil {
				d.blocks = []string{}
			}
			rw.Grams = append(rw.Grams, rareGram{Gram: string(r[i : i+2]), Blocks: d.blocks, PosBytes: d.posBytes})
		}
		out = append(out, rw)
	}
	return out
}

// TestClient runs the shipped assets/js/search.js under node's test runner
// (tools/searchtest) against an index of 2,000 generated evaluations and
// compares every total and result set with Index.Search. It skips when
// node is missing, except in CI (CI=true), where that is a failure.
func TestClient(t *testing.T) {
	t.Parallel()
	node := needNode(t)
	docs := synthDocs(t, 2000)
	dir := t.TempDir()
	ix, rare := writeClientIndex(t, docs, dir)
	runNode(t, node, ix, dir, clientQueries(ix, docs), rare, false, 0)
}

// TestClientSmallFiles runs the same node tests on an index whose lists
// and positions are cut so small (see inlineDocs, heavyPos, blockBytes)
// that most lists are in l/ and the common bigrams' positions in dozens
// of blocks, which a site has only at 100,000 evaluations and more.
func TestClientSmallFiles(t *testing.T) {
	// Not parallel: the sizes are the package's, which the parallel
	// tests' builders read.
	node := needNode(t)
	docs := synthDocs(t, 2000)
	dir := t.TempDir()
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes = 64, 1024, 4096 })
	ix, rare := writeClientIndex(t, docs, dir)
	runNode(t, node, ix, dir, clientQueries(ix, docs), rare, true, 0)
}

// TestClientLargeSite runs the node tests on an index of 2,000 generated
// evaluations whose sizes are cut as a site of 100,000 has them (each a
// fiftieth: contextDocs too, so that a pair as rare as at 100,000 keeps
// contexts), and holds the words that no evaluation holds to the byte
// budget of 100,000 evaluations, as a fiftieth of it for their position
// files: 资金项目单位 read every block of 资金 there, a pair of its that
// is rare at 10,000 having lost its contexts (5.2 MB gzip).
func TestClientLargeSite(t *testing.T) {
	// Not parallel: the sizes are the package's.
	node := needNode(t)
	docs := synthDocs(t, 2000)
	dir := t.TempDir()
	cutSizes(t, func() {
		inlineDocs, heavyPos, blockBytes, contextDocs = inlineDocs/50, heavyPos/50, blockBytes/50, contextDocs/50
	})
	ix, rare := writeClientIndex(t, docs, dir)
	runNode(t, node, ix, dir, clientQueries(ix, docs), rare, true, 150<<10/50)
}

// clientQueries returns the queries whose totals and results the node
// test compares with the reference.
func clientQueries(ix *Index, docs []Doc) []clientQuery {
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
	return queries
}

// runNode computes the reference answers of queries, writes them with the
// index directory as the fixture, and runs the node tests on them.
// The fixture also holds the rare words, says whether the index's files
// were cut small (see TestClientSmallFiles), and holds the most gzip
// bytes of position files a rare word that no evaluation holds may read
// (0 for no limit).
func runNode(t *testing.T, node string, ix *Index, dir string, queries []clientQuery, rare []rareWord, small bool, posBudget int) {
	for i := range queries {
		q := &queries[i]
		q.IDs = ix.Search(q.Q, q.Filters)
		if q.IDs == nil {
			q.IDs = []int{}
		}
		q.Total = len(q.IDs)
	}
	fixture := filepath.Join(dir, "fixture.json")
	data, err := json.Marshal(map[string]any{"dir": dir, "queries": queries, "rare": rare, "small": small,
		"posBudget": posBudget})
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
