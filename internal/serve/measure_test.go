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
	times, err := EditToVisible(context.Background(), dir, 5)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range times {
		t.Logf("edit %d visible after %v", i+1, d)
	}
}
