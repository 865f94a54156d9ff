package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// fullContent is a site of one record with every field of the second
// edition of the record (see testdata/full in the repository's root).
const fullContent = "../../testdata/full"

// TestFullRecordChecks checks the whole-site fixture of the second edition:
// its one discrepancy is acknowledged, so check and -strict pass, and the
// build succeeds.
func TestFullRecordChecks(t *testing.T) {
	t.Parallel()
	july := func(o *pipeline.Options) { o.Now = time.Date(2024, 7, 1, 12, 0, 0, 0, time.UTC) }
	c := wholesite.CheckDir(t, fullContent, wholesite.Strict, july)
	if err := c.Err(); err != nil {
		t.Fatalf("check -strict: %v\n%s", err, c.DiagText())
	}
	if items := c.Diags(); len(items) != 1 || items[0].Severity != diag.Note || items[0].Field != "indicators[1].grade" {
		t.Errorf("diagnostics = %v, want one note", items)
	}
	wholesite.BuildDir(t, fullContent, july)
}

// TestMissingDocument checks that a document listed in a record but
// absent from its folder fails the check, at the record's line.
func TestMissingDocument(t *testing.T) {
	t.Parallel()
	rec := "2023/evaluations/road-maintenance.toml"
	files := map[string]string{}
	for _, name := range []string{"site.toml", rec} {
		b, err := os.ReadFile(filepath.Join(fullContent, name))
		if err != nil {
			t.Fatal(err)
		}
		files["content/"+name] = string(b)
	}
	c := wholesite.CheckFails(t, sitetest.Files(files))
	line := 0
	for i, s := range strings.Split(files["content/"+rec], "\n") {
		if strings.HasPrefix(s, "file = ") {
			line = i + 1
		}
	}
	found := false
	for _, d := range c.Diags() {
		if d.Severity == diag.Error && strings.HasSuffix(d.File, rec) && d.Line == line && d.Field == "documents[0].file" &&
			strings.Contains(d.Message, "不存在") {
			found = true
		}
	}
	if !found {
		t.Errorf("no error for the missing document at line %d: %v", line, c.Diags())
	}
}
