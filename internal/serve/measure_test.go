package serve

import (
	"context"
	"os"
	"testing"
)

// TestEditToVisible measures the edit-to-visible time on the corpus in
// $EVALPRESS_SERVE_CORPUS (e.g. one made by go run ./cmd/evalsynth -out
// /tmp/c10k -n 10000 -seed 1); it is skipped without one.
func TestEditToVisible(t *testing.T) {
	dir := os.Getenv("EVALPRESS_SERVE_CORPUS")
	if dir == "" {
		t.Skip("set EVALPRESS_SERVE_CORPUS to a content directory to measure")
	}
	edits, err := EditToVisible(context.Background(), dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range edits.Narrative {
		t.Logf("narrative edit %d visible after %v", i+1, d)
	}
	for i, d := range edits.Record {
		t.Logf("record edit %d visible after %v", i+1, d)
	}
}

func TestWithEvaluator(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"title = \"x\"\nevaluator = \"甲\"\nyear = 2023\n", "title = \"x\"\nevaluator = \"乙\"\nyear = 2023\n"},
		{"title = \"x\"\n\n[[indicators]]\nevaluator = \"不是这个\"\n", "evaluator = \"乙\"\ntitle = \"x\"\n\n[[indicators]]\nevaluator = \"不是这个\"\n"},
	} {
		if got := string(withEvaluator([]byte(tc.in), "乙")); got != tc.want {
			t.Errorf("withEvaluator(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
