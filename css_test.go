package evalpress

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestStylesheetBlocksClose checks the structure of the site's style
// sheet: every block closes, and no @media or @supports block opens
// inside another. A
// browser accepts a stylesheet whose print block lost its closing brace,
// and silently applies every later rule to paper only: a merge once did
// that to the congress view's filter and columns, and no page test saw it.
func TestStylesheetBlocksClose(t *testing.T) {
	b, err := os.ReadFile("assets/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	if err := checkBlocks(string(b)); err != nil {
		t.Error(err)
	}
	// The check itself: a lost brace and a nested block are caught.
	for _, bad := range []string{
		"@media print {\n  .a { color: red; }\n\n.b { color: blue; }\n",
		"@media print {\n  .a { color: red; }\n@media screen {\n  .b { color: blue; }\n}\n}\n",
		".a { color: red; }\n}\n",
	} {
		if checkBlocks(bad) == nil {
			t.Errorf("not caught:\n%s", bad)
		}
	}
	if err := checkBlocks("/* { */\n@media print {\n  .a::before { content: \"}\"; }\n}\n"); err != nil {
		t.Errorf("braces in a comment or a string: %v", err)
	}
}

// checkBlocks reports the first brace that closes nothing, a @media or
// @supports block opened inside another, or a block left open, by line.
func checkBlocks(css string) error {
	line, depth, atLine := 1, 0, 0
	inAt := false
	for i := 0; i < len(css); i++ {
		switch c := css[i]; {
		case c == '\n':
			line++
		case strings.HasPrefix(css[i:], "/*"):
			end := strings.Index(css[i+2:], "*/")
			if end < 0 {
				return fmt.Errorf("line %d: a comment never closes", line)
			}
			line += strings.Count(css[i:i+2+end], "\n")
			i += end + 3
		case c == '"' || c == '\'':
			end := strings.IndexByte(css[i+1:], c)
			if end < 0 {
				return fmt.Errorf("line %d: a string never closes", line)
			}
			i += end + 1
		case c == '@':
			// @page may stand in @media print; a conditional block may not
			// stand in another in this style sheet.
			if inAt && (strings.HasPrefix(css[i:], "@media") || strings.HasPrefix(css[i:], "@supports")) {
				return fmt.Errorf("line %d: an at-rule inside the block opened at line %d (is a } missing?)", line, atLine)
			}
			if depth == 0 {
				inAt, atLine = true, line
			}
		case c == '{':
			depth++
		case c == '}':
			depth--
			if depth < 0 {
				return fmt.Errorf("line %d: a } that closes nothing", line)
			}
			if depth == 0 {
				inAt = false
			}
		}
	}
	if depth != 0 {
		return fmt.Errorf("a block opened at line %d never closes", atLine)
	}
	return nil
}
