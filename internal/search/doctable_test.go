package search

import (
	"strings"
	"testing"
)

// TestDocTable checks that the stream's packed documents come back with
// every field the index files show, across slabs, empty fields, a
// document larger than a slab, one put twice and one never put.
func TestDocTable(t *testing.T) {
	long := strings.Repeat("绩效", docSlab/3)
	docs := []Doc{
		{Title: "残疾人“两项补贴”项目", Department: "潜江市民政局", Year: "2023", Grade: "优", Kind: "project", Score: "93.5", Head: "开头", More: true},
		{Title: "空", Year: "2024"},
		{Title: "长", Head: long, More: true},
		{},
	}
	tb := newDocTable(len(docs) + 1)
	for i := range docs {
		tb.put(int32(i), &Doc{Title: "先放的", Head: long})
	}
	for i := range docs {
		tb.put(int32(i), &docs[i])
	}
	if len(tb.slabs) < 3 {
		t.Errorf("%d slabs, want documents larger than a slab in slabs of their own", len(tb.slabs))
	}
	for i, want := range docs {
		want.URL = "u/"
		if got := tb.doc(i, "u/"); got.URL != want.URL || got.Title != want.Title || got.Department != want.Department ||
			got.Year != want.Year || got.Grade != want.Grade || got.Kind != want.Kind || got.Score != want.Score ||
			got.Head != want.Head || got.More != want.More {
			t.Errorf("document %d came back as %+.40v", i, got)
		}
	}
	if got := tb.doc(len(docs), "none/"); got.URL != "none/" || got.Title != "" || got.More {
		t.Errorf("a document never put came back as %+v", got)
	}
}
