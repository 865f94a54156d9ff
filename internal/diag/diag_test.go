package diag

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestItemsAreSortedAndDeduplicated(t *testing.T) {
	var l List
	var wg sync.WaitGroup
	// Stages report from several goroutines, in any order.
	for _, d := range []Diagnostic{
		{Pos: Pos{File: "b.toml", Line: 2, Col: 1}, Field: "score", Message: "m"},
		{Pos: Pos{File: "a.toml", Line: 9, Col: 1}, Field: "grade", Message: "m", Severity: Warning},
		{Pos: Pos{File: "a.toml", Line: 3, Col: 5}, Field: "title", Message: "m"},
		{Pos: Pos{File: "a.toml", Line: 3, Col: 5}, Field: "title", Message: "m"},
	} {
		wg.Go(func() { l.Add(d) })
	}
	wg.Wait()
	var got []string
	for _, d := range l.Items() {
		got = append(got, d.Pos.String())
	}
	if want := "a.toml:3:5 a.toml:9:1 b.toml:2:1"; strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
	if e, w := l.Count(); e != 3 || w != 1 {
		t.Errorf("Count() = %d errors, %d warnings; want 3, 1", e, w)
	}
}

func TestFailed(t *testing.T) {
	var l List
	if l.Failed(true) {
		t.Error("an empty list failed")
	}
	l.Warnf(Pos{File: "x"}, "", "", "w")
	if l.Failed(false) || !l.Failed(true) {
		t.Errorf("a warning: Failed(false) = %v, Failed(true) = %v; want false, true", l.Failed(false), l.Failed(true))
	}
	l.Errorf(Pos{File: "x"}, "", "", "e")
	if !l.Failed(false) {
		t.Error("an error did not fail the build")
	}
}

func TestWrite(t *testing.T) {
	var l List
	l.Errorf(Pos{File: "content/2023/evaluations/x.toml", Line: 4, Col: 1}, "scroe", "把 scroe 改成 score", "不认识的字段 %s", "scroe")
	l.Warnf(Pos{File: "content/site.toml"}, "", "", "整个文件的问题")
	var b bytes.Buffer
	if err := l.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := "content/2023/evaluations/x.toml:4:1: error: scroe: 不认识的字段 scroe（把 scroe 改成 score）\n" +
		"content/site.toml: warning: 整个文件的问题\n" +
		"共 1 个错误，1 个警告\n"
	if b.String() != want {
		t.Errorf("Write:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := l.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var items []map[string]any
	if err := json.Unmarshal(b.Bytes(), &items); err != nil || len(items) != 2 || items[0]["severity"] != "error" || items[0]["line"] != float64(4) {
		t.Errorf("WriteJSON = %s (%v)", b.String(), err)
	}
	var empty List
	b.Reset()
	empty.WriteJSON(&b)
	if strings.TrimSpace(b.String()) != "[]" {
		t.Errorf("WriteJSON of no diagnostics = %q, want []", b.String())
	}
}

func TestNotesNeverFail(t *testing.T) {
	var l List
	l.Notef(Pos{File: "x.toml", Line: 3}, "indicators[1].grade", "", "已确认")
	if l.Failed(true) || l.Failed(false) {
		t.Errorf("a note failed the build: Failed(true) = %v", l.Failed(true))
	}
	if e, w := l.Count(); e != 0 || w != 0 || l.Notes() != 1 {
		t.Errorf("Count() = %d, %d and Notes() = %d; want 0, 0, 1", e, w, l.Notes())
	}
	var b bytes.Buffer
	if err := l.Write(&b); err != nil {
		t.Fatal(err)
	}
	if want := "x.toml:3: note: indicators[1].grade: 已确认\n共 0 个错误，0 个警告，1 条说明（已确认的差异，不影响构建）\n"; b.String() != want {
		t.Errorf("Write:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	l.WriteJSON(&b)
	if !strings.Contains(b.String(), `"severity": "note"`) {
		t.Errorf("WriteJSON = %s, want severity note", b.String())
	}
}
