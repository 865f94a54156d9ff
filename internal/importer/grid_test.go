package importer

import (
	"slices"
	"testing"
)

func TestA1(t *testing.T) {
	for _, c := range []struct {
		row, col int
		want     string
	}{{0, 0, "A1"}, {11, 2, "C12"}, {0, 25, "Z1"}, {0, 26, "AA1"}, {9, 701, "ZZ10"}, {0, 702, "AAA1"}} {
		if got := A1(c.row, c.col); got != c.want {
			t.Errorf("A1(%d, %d) = %s, want %s", c.row, c.col, got, c.want)
		}
	}
}

func TestCleanNumber(t *testing.T) {
	for in, want := range map[string]string{
		"89.974":                "89.974",
		"89.974000000000004":    "89.974",
		"1234.5678000000001":    "1234.5678",
		"0.30000000000000004":   "0.3",
		"1.0000000000000001E-3": "0.001",
		"90":                    "90",
		"90.00":                 "90.00", // trailing zeros a staffer typed as text stay
		"≥50个":                  "≥50个",
		"219-池州":                "219-池州",
		"123456789012345678":    "123456789012345678", // an ID, not a float: 18 digits, no point
	} {
		if got := cleanNumber(in); got != want {
			t.Errorf("cleanNumber(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestMergedText: a merged range's text is known at every covered
// position, but it is one cell: listed unused once, at its top-left.
func TestMergedText(t *testing.T) {
	g := NewGrid("S", [][]string{{"产出指标", "a"}, {"", "b"}, {"", ""}}, []Merge{{Top: 0, Left: 0, Bottom: 2, Right: 0}})
	if g.Text(2, 0) != "产出指标" || g.Ref(2, 0) != "S!A1" || !g.Merged(1, 0) || g.Merged(0, 0) {
		t.Errorf("text %q ref %s", g.Text(2, 0), g.Ref(2, 0))
	}
	g.Use(1, 1)
	if got := refs(g.Unused()); !slices.Equal(got, []string{"S!A1", "S!B1"}) {
		t.Errorf("unused %v", got)
	}
	g.Use(2, 0)
	if got := refs(g.Unused()); !slices.Equal(got, []string{"S!B1"}) {
		t.Errorf("unused after using a covered cell %v", got)
	}
}

// TestSplitCode: a budget code in front of a unit's name is split off, but
// a year at the start of a project's name is part of the name.
func TestSplitCode(t *testing.T) {
	cases := []struct{ in, code, name string }{
		{"219-池州市贵池区棠溪镇人民政府", "219", "池州市贵池区棠溪镇人民政府"},
		{"219001 潜江市民政局", "219001", "潜江市民政局"},
		{"2023年困难群众救助项目", "", "2023年困难群众救助项目"},
		{"2023年度农村公路养护项目", "", "2023年度农村公路养护项目"},
		{"潜江市民政局", "", "潜江市民政局"},
	}
	for _, c := range cases {
		if code, name := splitCode(c.in); code != c.code || name != c.name {
			t.Errorf("splitCode(%q) = %q, %q; want %q, %q", c.in, code, name, c.code, c.name)
		}
	}
}
