package narrative

import (
	"strings"
	"testing"
)

// TestRenderWith: the resolver sees each local reference decoded, with
// its line and kind, and its answer replaces the destination; other
// references never reach it.
func TestRenderWith(t *testing.T) {
	src := "## 一\n\n![照片](roads/photo.png \"t\")\n\n见[报告](./roads/%E6%8A%A5%E5%91%8A.pdf#page=2)、[别处](../x/)、\n[外部](https://a.example/)和[本页](#一)。\n\n![远程](https://a.example/p.png)\n"
	var got []Ref
	doc, err := New().RenderWith([]byte(src), func(r Ref) (string, bool) {
		got = append(got, r)
		if p, ok := strings.CutPrefix(r.Path, "./"); ok {
			return "rewritten/" + p + r.Suffix, true
		}
		return "", false
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []Ref{
		{Path: "roads/photo.png", Dest: "roads/photo.png", Image: true, Line: 3},
		{Path: "./roads/报告.pdf", Suffix: "#page=2", Dest: "./roads/%E6%8A%A5%E5%91%8A.pdf#page=2", Line: 5},
		{Path: "../x/", Dest: "../x/", Line: 5},
		{Path: "", Suffix: "#一", Dest: "#一", Line: 6},
	}
	if len(got) != len(want) {
		t.Fatalf("resolver saw %d references, want %d: %+v", len(got), len(want), got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("reference %d: got %+v, want %+v", i, got[i], want[i])
		}
	}
	html := string(doc.HTML)
	for _, s := range []string{`src="roads/photo.png"`, `href="rewritten/roads/%E6%8A%A5%E5%91%8A.pdf#page=2"`, `href="../x/"`} {
		if !strings.Contains(html, s) {
			t.Errorf("HTML lacks %s:\n%s", s, html)
		}
	}
}
