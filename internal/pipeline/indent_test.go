package pipeline_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestPagesCarryNoIndentation checks that the default templates'
// indentation does not reach the pages (site.trimIndent): no line of an
// HTML page begins with a space or a tab, but in a <pre> or <textarea>,
// where white space shows. It was some 1.7 KB of every evaluation's page.
func TestPagesCarryNoIndentation(t *testing.T) {
	t.Parallel()
	for _, out := range []string{wholesite.BuildDir(t, defaultContent).Out(), wholesite.BuildDir(t, fullContent, fullJuly).Out()} {
		pages := 0
		err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			pages++
			rel, _ := filepath.Rel(out, p)
			keep := 0
			for i, line := range bytes.Split(b, []byte("\n")) {
				if keep == 0 && len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
					t.Errorf("%s:%d is indented: %.60q", rel, i+1, line)
					break
				}
				for _, tag := range []string{"pre", "textarea"} {
					keep += bytes.Count(line, []byte("<"+tag)) - bytes.Count(line, []byte("</"+tag))
				}
			}
			return nil
		})
		if err != nil || pages < 5 {
			t.Fatalf("checked %d pages: %v", pages, err)
		}
	}
}
