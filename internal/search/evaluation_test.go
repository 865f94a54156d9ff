package search

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/content/contenttest"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/score"
)

// TestDocPublishesTheList checks that the search document of an evaluation
// holds exactly the texts of its record that content's field lists mark
// Search, at every level of indicators: a field added to the record, to the
// lists or to Doc fails here until the three agree.
func TestDocPublishesTheList(t *testing.T) {
	r := new(content.Record)
	names := contenttest.Fill(r, contenttest.Marks)
	r.Year = 2023
	e := score.Evaluate([]*content.Record{r}, score.DefaultBands, new(diag.List))[0]
	want := map[string]bool{}
	for _, tx := range r.PublishedTexts() {
		if tx.In&content.Search != 0 {
			want[tx.Value] = true
		}
	}
	// The narrative is searched as its plain text, which DocOf is given.
	d := DocOf(e, "", nil)
	for _, p := range contenttest.Compare(fmt.Sprintf("%+v", d), want, names) {
		t.Errorf("search document: %s", p)
	}
}

// TestFormTextsAreSearchable checks that the words of a record's goal,
// outcome, findings and result use find its evaluation, both in the
// reference search and in the postings written for search.js, and that
// the result use is found by its Chinese name, not its key.
func TestFormTextsAreSearchable(t *testing.T) {
	var l diag.List
	c := content.Load(os.DirFS("../../testdata/full"), "content", &l)
	if len(l.Items()) != 0 || len(c.Records) != 1 {
		t.Fatalf("loading the fixture: %v", l.Items())
	}
	e := score.Evaluate(c.Records, score.DefaultBands, new(diag.List))[0]
	b := NewBuilder()
	for _, d := range small {
		b.Add(d)
	}
	b.Add(DocOf(e, "", nil))
	ix := b.Index()
	var fs memFS
	if err := ix.Write(&fs); err != nil {
		t.Fatal(err)
	}
	id := slices.IndexFunc(ix.docs, func(d Doc) bool { return d.URL == e.Path() })
	for _, q := range []string{
		"优良路率不低于", // goal
		"完成日常养护",  // outcome
		"巡查记录不完整", // a finding's problem
		"按月拨付台账",  // its measure
		"已按月拨付",   // its result
		"调减",      // the result use's decision, by its name
		"按执行情况",   // its note
	} {
		if got := ix.Search(q, nil); !slices.Equal(got, []int{id}) {
			t.Errorf("Search(%q) = %v, want [%d]", q, got, id)
		}
		bigram := string([]rune(q)[:2])
		if got := lookup(t, fs.files, bigram); !slices.Contains(got.docs, id) {
			t.Errorf("postings of %q = %v, lack the evaluation %d", bigram, got.docs, id)
		}
	}
	if got := ix.Search("reduce", nil); len(got) != 0 {
		t.Errorf(`Search("reduce") = %v: the decision's key is indexed`, got)
	}
}

// TestExcerptHeadIsProse checks what search results are excerpted from:
// the narrative's paragraphs without its headings, never the indicator
// names or the evaluator run together after them; for a record without a
// narrative, its goal and outcome.
func TestExcerptHeadIsProse(t *testing.T) {
	var l diag.List
	c := content.Load(os.DirFS("../../testdata/full"), "content", &l)
	if len(c.Records) != 1 {
		t.Fatalf("loading the fixture: %v", l.Items())
	}
	e := score.Evaluate(c.Records, score.DefaultBands, new(diag.List))[0]
	doc, err := narrative.New().Render([]byte("## 一、项目概况\n\n全县农村公路 320 公里。\n\n## 二、存在的问题\n\n部分路段破损。\n"))
	if err != nil {
		t.Fatal(err)
	}
	d := DocOf(e, doc.Text, doc.ProseLines())
	if d.Head != "全县农村公路 320 公里。 部分路段破损。" || d.More {
		t.Errorf("head = %q (more %v), want the two paragraphs without their headings", d.Head, d.More)
	}
	if !strings.Contains(d.Text, "一、项目概况") {
		t.Errorf("the headings are no longer searched: %q", d.Text)
	}
	// Without a narrative: the goal and outcome, not the indicator list.
	d = DocOf(e, "", nil)
	if !strings.HasPrefix(d.Head, "完成全县农村公路日常养护") || strings.Contains(d.Head, "日常养护里程") || strings.Contains(d.Head, e.Evaluator) {
		t.Errorf("head without a narrative = %q", d.Head)
	}
	long := strings.Repeat("评价", headRunes)
	if d := DocOf(e, long, slices.Values([]string{long})); len([]rune(d.Head)) != headRunes || !d.More {
		t.Errorf("a long narrative's head has %d runes (more %v), want %d and more", len([]rune(d.Head)), d.More, headRunes)
	}
}
