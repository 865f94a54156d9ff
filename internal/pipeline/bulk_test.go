package pipeline_test

import (
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/export"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

func searchBulk(o *pipeline.Options) { o.SearchBulk = true }

// TestSearchBulkFile builds with -search-bulk: the bulk file holds every
// published evaluation, with its narrative's text, under its absolute
// address, and nothing of a draft; without the flag there is none, and
// the file is the same from build to build.
func TestSearchBulkFile(t *testing.T) {
	t.Parallel()
	files := siteToml + goodRecord + `
-- content/2023/evaluations/roads.md --
## 一、基本情况

道路养护里程达到计划的百分之九十八。
-- content/2023/evaluations/secret-draft.toml --
title = "草稿机密项目"
department = "保密部门甲"
year = 2023
grade = "优"
draft = true
`
	s := wholesite.Build(t, files, searchBulk)
	bulk := s.File(export.BulkPath)
	lines := strings.Split(strings.TrimSuffix(bulk, "\n"), "\n")
	if len(lines) != 2*s.Stats().Evaluations {
		t.Fatalf("%d lines for %d evaluations:\n%s", len(lines), s.Stats().Evaluations, bulk)
	}
	if want := `{"index":{"_id":"https://example.gov.cn/jxgk/2023/roads/"}}`; lines[0] != want {
		t.Errorf("first action %s, want %s", lines[0], want)
	}
	for _, want := range []string{`"title":"农村公路养护项目"`, "道路养护里程达到计划的百分之九十八", `"score":85`} {
		if !strings.Contains(lines[1], want) {
			t.Errorf("the document has no %s:\n%s", want, lines[1])
		}
	}
	if strings.Contains(bulk, "草稿机密项目") || strings.Contains(bulk, "保密部门甲") {
		t.Error("a draft is in the bulk file")
	}
	if again := s.Again(searchBulk).File(export.BulkPath); again != bulk {
		t.Error("two builds give different bulk files")
	}
	s.Again().AssertNoFile(export.BulkPath)
}
