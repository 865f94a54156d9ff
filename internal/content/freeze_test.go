package content

import (
	"bytes"
	"reflect"
	"testing"
)

// TestFreezeIndicators: a frozen record gives back, by IndicatorTree,
// the very tree it was loaded with (texts, figures, the three levels, a
// level given as an empty list), holds no tree itself, and still says it
// has indicators; releasing its page data lets the packed tree go too.
func TestFreezeIndicators(t *testing.T) {
	c, ds := load(t, map[string]string{rec: `title = "t"
department = "d"
year = 2023

[[indicators]]
name = "产出指标"
max = 50
score = 47.5
grade = "优"
deviation = "个别乡镇资金拨付滞后，已督促整改。"

  [[indicators.items]]
  name = "数量指标"
  max = 30
  score = 28

    [[indicators.items.items]]
    name = "补贴发放人数"
    max = 30
    score = 28
    target = "≥12000人"
    actual = 11857

  [[indicators.items]]
  name = "质量指标"
  max = 20
  score = 19.5
  target = 100
  actual = 99.50
  items = []

[[indicators]]
name = "满意度指标"
max = 50
score = 45
`})
	for _, d := range ds {
		if d.Severity.String() == "error" {
			t.Fatal(d)
		}
	}
	r := c.Records[0]
	want := sprint(r.Indicators)
	if r.Indicators[0].Items[1].Items == nil {
		t.Fatal("items = [] loaded as no list: the test no longer covers an empty level")
	}
	r.FreezeIndicators()
	if r.Indicators != nil {
		t.Error("a frozen record still holds its tree")
	}
	if !r.HasIndicators() {
		t.Error("a frozen record says it has no indicators")
	}
	for range 2 {
		got := r.IndicatorTree()
		if s := sprint(got); s != want {
			t.Errorf("unpacked tree\n%s\nwant\n%s", s, want)
		}
		if got[0].Items[1].Items == nil || got[1].Items != nil {
			t.Error("an empty level and a missing one are not told apart")
		}
		if got[0].Items[0].Items[0].Key != "indicators[0].items[0].items[0]" {
			t.Errorf("key %q", got[0].Items[0].Items[0].Key)
		}
	}
	r.FreezeIndicators() // a second freeze changes nothing
	if s := sprint(r.IndicatorTree()); s != want {
		t.Errorf("after a second freeze\n%s\nwant\n%s", s, want)
	}
	r.ReleasePageData()
	if r.HasIndicators() || r.IndicatorTree() != nil {
		t.Error("released record still has indicators")
	}
}

// TestFreezeKeepsGivenKeys: a tree made by other code than the loader
// (the importer's) may have keys of its own; they come back as they were.
func TestFreezeKeepsGivenKeys(t *testing.T) {
	r := &Record{Indicators: []*Indicator{{Key: "x", Name: "甲", Items: []*Indicator{{Key: "x.items[0]", Name: "乙"}}}, {Name: "丙"}}}
	want := sprint(r.Indicators)
	r.FreezeIndicators()
	if got := sprint(r.IndicatorTree()); got != want {
		t.Errorf("got %s\nwant %s", got, want)
	}
	empty := &Record{}
	empty.FreezeIndicators()
	if empty.HasIndicators() || empty.IndicatorTree() != nil || !reflect.DeepEqual(empty, &Record{}) {
		t.Error("a record without indicators changed")
	}
}

// TestFrozenIndicators: the packed tree a cache keeps, given frozen,
// reads back as the very tree (an empty level, a given key) and thaws
// into it, unfrozen; no tree gives none; a block cut anywhere,
// lengthened, or announcing more or fewer indicators than it holds is
// refused, never read past its end.
func TestFrozenIndicators(t *testing.T) {
	r := &Record{Indicators: []*Indicator{
		{Key: "x", Name: "甲", Max: 500000, Score: 250000, Target: "≥1", Items: []*Indicator{{Key: "x.items[0]", Name: "乙", Items: []*Indicator{}}}},
		{Key: "indicators[1]", Name: "丙", Grade: "优", Actual: "2", Deviation: "无"},
	}}
	want := sprint(r.Indicators)
	b := r.PackedIndicators()
	got := &Record{}
	if !got.SetFrozenIndicators(b) {
		t.Fatal("a packed tree was refused")
	}
	if got.Indicators != nil || !got.HasIndicators() {
		t.Fatal("the record given its tree frozen is not frozen")
	}
	if s := sprint(got.IndicatorTree()); s != want {
		t.Errorf("frozen: got %s\nwant %s", s, want)
	}
	if !bytes.Equal(got.PackedIndicators(), b) {
		t.Error("the frozen record packs to other bytes")
	}
	got.ThawIndicators()
	if s := sprint(got.Indicators); s != want || got.frozen != nil {
		t.Errorf("thawed: got %s\nwant %s", s, want)
	}
	if got.Indicators[0].Items[0].Items == nil || got.Indicators[1].Items != nil {
		t.Error("an empty level and a missing one are not told apart")
	}
	none := &Record{}
	if none.PackedIndicators() != nil || !none.SetFrozenIndicators(nil) || none.HasIndicators() {
		t.Error("a record without indicators does not come back without them")
	}
	for i := range len(b) {
		if (&Record{}).SetFrozenIndicators(b[:i:i]) {
			t.Errorf("a packed tree cut at %d of %d bytes was accepted", i, len(b))
		}
	}
	if (&Record{}).SetFrozenIndicators(append(b[:len(b):len(b)], 0)) {
		t.Error("a packed tree with a byte after its end was accepted")
	}
	for _, n := range []byte{2, 4} { // the tree holds 3 indicators
		bad := append([]byte{n}, b[1:]...)
		if (&Record{}).SetFrozenIndicators(bad) {
			t.Errorf("a tree announcing %d indicators of 3 was accepted", n)
		}
	}
}
