package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/evalpress/evalpress/internal/search"
)

func bulkDocs() []search.Doc {
	var docs []search.Doc
	for i := range 40 {
		docs = append(docs, search.Doc{URL: fmt.Sprintf("2023/p%02d/", i), Title: fmt.Sprintf("项目%d <b>&", i),
			Department: "测试局", Year: "2023", Kind: "project", Grade: "良", Score: []string{"93.50", "88", "", "未评分"}[i%4],
			Indicators: []string{"项目决策"}, Text: strings.Repeat("资金使用情况。", 50)})
	}
	return docs
}

// writeBulk adds docs from several goroutines in an order of its seed
// and returns the file.
func writeBulk(t *testing.T, base string, seed uint64) []byte {
	t.Helper()
	b, err := NewBulk(base, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	docs := bulkDocs()
	rand.New(rand.NewPCG(seed, 1)).Shuffle(len(docs), func(i, j int) { docs[i], docs[j] = docs[j], docs[i] })
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(docs); i += 4 {
				b.Add(docs[i])
			}
		})
	}
	wg.Wait()
	var out bytes.Buffer
	if _, err := b.WriteTo(&out); err != nil {
		t.Fatal(err)
	}
	name := b.spill.Name()
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(name); !os.IsNotExist(err) {
		t.Errorf("the temporary file %s is still there after Close", name)
	}
	return out.Bytes()
}

// TestBulkFile checks the bulk file an OpenSearch loader reads: pairs of
// an index action and a document, in address order whatever the order of
// Add, ids absolute under the site's base URL, scores as published.
func TestBulkFile(t *testing.T) {
	first := writeBulk(t, "https://czj.example.gov.cn/jxgk/", 1)
	if again := writeBulk(t, "https://czj.example.gov.cn/jxgk/", 2); !bytes.Equal(first, again) {
		t.Fatal("two orders of Add give different files")
	}
	sc := bufio.NewScanner(bytes.NewReader(first))
	sc.Buffer(nil, 1<<20)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if len(lines) != 80 {
		t.Fatalf("%d lines, want 80 (an action and a document for each of 40)", len(lines))
	}
	for i := 0; i < len(lines); i += 2 {
		var action map[string]map[string]string
		var doc map[string]any
		if err := json.Unmarshal([]byte(lines[i]), &action); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if err := json.Unmarshal([]byte(lines[i+1]), &doc); err != nil {
			t.Fatalf("line %d: %v", i+2, err)
		}
		want := fmt.Sprintf("https://czj.example.gov.cn/jxgk/2023/p%02d/", i/2)
		if id := action["index"]["_id"]; id != want || doc["url"] != want {
			t.Errorf("document %d: _id %q, url %q, want %q", i/2, id, doc["url"], want)
		}
	}
	for _, want := range []string{`"score":93.50,`, `"score":88,`, `"title":"项目0 <b>&"`} {
		if !bytes.Contains(first, []byte(want)) {
			t.Errorf("the file has no %s", want)
		}
	}
	// A total that is not a number is left out, not written as a string.
	if bytes.Contains(first, []byte(`"score":"`)) {
		t.Error("a score written as a string")
	}
	if rel := writeBulk(t, "", 1); !bytes.HasPrefix(rel, []byte(`{"index":{"_id":"2023/p00/"}}`)) {
		t.Errorf("without a base URL the id should be the page's path: %.60s", rel)
	}
}
