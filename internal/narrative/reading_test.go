package narrative

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	src := "# 标题\n\n联系 138\\-1234\\-5678，" +
		"另 138**1234**5678 和 &#49;3812345678。\n\n" +
		"| 号段 | 尾号 |\n|---|---|\n| 138 | 1234 |\n\n" +
		"- 多行 138\n  1234\t\t5678\n\n" +
		"`138`1234 [x](https://example.com)y<br>z\n"
	rd, err := New().Read([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := "标题\n联系 138-1234-5678，另 13812345678 和 13812345678。\n号段 | 尾号\n138 | 1234\n多行 138 1234 5678\n1381234 xy z"
	if rd.Text != want {
		t.Errorf("Text:\n%s\nwant:\n%s", rd.Text, want)
	}
	var lines []int
	for i := 0; i < len(rd.Text); i++ {
		if i == 0 || rd.Text[i-1] == '\n' {
			lines = append(lines, rd.Line(i))
		}
	}
	// Each line of text at the source line where its block begins.
	if got := fmt.Sprint(lines); got != "[1 3 5 7 9 12]" {
		t.Errorf("lines of the source = %s, want [1 3 5 7 9 12]", got)
	}
}

// TestReadAgreesWithRender checks that Read sees what Render makes of the
// same source: the same words, but table cells apart.
func TestReadAgreesWithRender(t *testing.T) {
	src, err := os.ReadFile("testdata/evaluation.md")
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	doc, err := r.Render(src)
	if err != nil {
		t.Fatal(err)
	}
	rd, err := r.Read(src)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.ReplaceAll(rd.Text, " | ", " "); got != doc.Text {
		t.Errorf("Read and Render disagree:\n%s\n---\n%s", got, doc.Text)
	}
}
