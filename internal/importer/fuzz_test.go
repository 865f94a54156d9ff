package importer

import (
	"os"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
)

// FuzzEncode checks that whatever text a source holds, the record written
// from it is valid TOML holding that text (made valid UTF-8) and nothing
// more: one title, one indicator, draft = true.
func FuzzEncode(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, source string) {
		sc := decimal.FromInt(90)
		r := &content.Record{Title: title, Department: title, Year: 2023, Kind: "project", Score: &sc, Goal: title,
			Tags:       []string{title},
			Indicators: []*content.Indicator{{Name: title, Max: decimal.FromInt(100), Score: sc, Deviation: title}}}
		b := encode(&Draft{Source: source, Record: r}, "x", sourceID{"0123456789abcdef", 1, 1})
		var m map[string]any
		if _, err := toml.Decode(string(b), &m); err != nil {
			t.Fatalf("written record is not TOML: %v\n%s", err, b)
		}
		want := strings.ToValidUTF8(title, "\uFFFD")
		if want != "" && (m["title"] != want || m["goal"] != want) {
			t.Errorf("title = %q, want %q", m["title"], want)
		}
		ins, _ := m["indicators"].([]map[string]any)
		if m["draft"] != true || len(ins) != 1 || len(m) > 10 {
			t.Errorf("the text changed the record's shape: %v", m)
		}
	})
}

// FuzzReadAbstract checks that the text reader never panics and that
// every draft it returns is written as valid TOML.
func FuzzReadAbstract(f *testing.F) {
	seed, err := os.ReadFile(seedText)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed)
	f.Add([]byte("附件1\n2023年项目\n一、分数\n综合得分90分，评价等级为：优。\n\n评价指标\t分值\t得分\n\n产出\t100\t90\n"))
	f.Add([]byte("\xff\xfe附件\n一、\n1.指标满分分，评价得分分"))
	f.Fuzz(func(t *testing.T, data []byte) {
		drafts, err := ReadAbstract("f.txt", data)
		if err != nil {
			return
		}
		for i, d := range drafts {
			if d.Record == nil {
				t.Fatalf("draft %d has no record", i)
			}
			b := encode(d, "x", sourceID{"0123456789abcdef", i + 1, len(drafts)})
			var m map[string]any
			if _, err := toml.Decode(string(b), &m); err != nil {
				t.Fatalf("draft %d is not TOML: %v\n%s", i, err, b)
			}
		}
	})
}
