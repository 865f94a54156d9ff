package importer

import (
	"strings"
	"testing"
)

// FuzzReadGrid feeds arbitrary tables, with arbitrary merges, to the form
// and notice readers: they must never panic, whatever a bureau's file
// holds. Rows are lines, cells are separated by "|", and a line starting
// with "M" lists merges as four digits each.
func FuzzReadGrid(f *testing.F) {
	f.Add("项目名称|x\n项目资金|年初预算数|全年预算数|全年执行数\n年度资金总额|1|2|3\n年度总体目标|预期目标|a\n一级指标|二级指标|三级指标|分值|得分\n产出指标（50分）||a|50|40\n总分|100|40\nM0011")
	f.Add("序号|项目名称|得分|等级\n1|a|90|优\n一、财政评价\nM1013")
	f.Add("一级指标|二级指标\n(1)|\n|x|1|2\n合计\nM0000M0202")
	f.Fuzz(func(t *testing.T, s string) {
		var rows [][]string
		var merges []Merge
		for _, line := range strings.Split(s, "\n") {
			if m, ok := strings.CutPrefix(line, "M"); ok {
				for len(m) >= 4 {
					a, b, c, d := int(m[0]%8), int(m[1]%8), int(m[2]%8), int(m[3]%8)
					merges = append(merges, Merge{Top: min(a, c), Left: min(b, d), Bottom: max(a, c), Right: max(b, d)})
					m = m[4:]
				}
				continue
			}
			rows = append(rows, strings.Split(line, "|"))
		}
		g := NewGrid("S", rows, merges)
		if IsForm(g) {
			d := ReadForm("f", g)
			for _, m := range d.Mapped {
				if m.Field == "" || m.Ref == "" {
					t.Fatalf("empty mapping %+v", m)
				}
			}
		}
		g = NewGrid("S", rows, merges)
		if IsNotice(g) {
			ReadNotice("f", g)
		}
		_, _ = ReadCSV("f.csv", []byte(s))
	})
}
