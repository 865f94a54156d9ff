package evalpress

import (
	"fmt"
	"os"
	"regexp"
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

// TestStylesheetNoPageWideHas checks that no rule of the site's style
// sheet asks whether the whole page (html, :root, body or main) has an
// element of some class or tag, as body:has(.congress-table) did. While a
// page loads, Chromium looks for that element again as each new element
// arrives: a year's congress table of 15,000 rows (100,000 evaluations)
// took 30 s to open at a phone's width with it and 14 s without it. The
// page's kind is the body's class instead (layout.html). A :has() that
// looks for one element by its id, as the elder mode's switch does
// (#elder:target), cost nothing measurable and is allowed.
func TestStylesheetNoPageWideHas(t *testing.T) {
	b, err := os.ReadFile("assets/css/site.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pageWideHas(string(b)) {
		t.Error(p)
	}
	for _, bad := range []string{
		"body:has(.congress-table) .wrap { max-width: 100rem; }",
		"  main.wrap:has(table) > p { max-width: 60rem; }",
		":root:not(.x):has(.booklet) .colophon { display: none; }",
	} {
		if len(pageWideHas(bad)) != 1 {
			t.Errorf("not caught: %s", bad)
		}
	}
	for _, good := range []string{
		":root:not([data-elder]):has(#elder:target) a { color: red; }",
		".scores tr:has(+ tr.deviation) > * { border-bottom: 0; }",
		".search-layout:has(.search-facets:empty) { grid-template-columns: 1fr; }",
		"body.congress-page .wrap { max-width: 100rem; }",
		"/* not body:has(.congress-table) */ .a { color: red; }",
	} {
		if ps := pageWideHas(good); len(ps) != 0 {
			t.Errorf("caught: %v", ps)
		}
	}
}

// pageWideHas returns, by line, each :has() of css whose compound
// selector is the page's html, :root, body or main, and whose argument
// does not start with an id. Comments are skipped.
func pageWideHas(css string) []string {
	var out []string
	for n, line := range strings.Split(stripComments(css), "\n") {
		for i := 0; ; {
			j := strings.Index(line[i:], ":has(")
			if j < 0 {
				break
			}
			i += j
			compound := line[compoundStart(line, i):i]
			arg := strings.TrimSpace(line[i+len(":has("):])
			for _, page := range []string{"html", ":root", "body", "main"} {
				if strings.HasPrefix(compound, page) && !strings.HasPrefix(arg, "#") {
					out = append(out, fmt.Sprintf("site.css:%d: %s:has(%s…) makes the browser look for that element again as each element of the page arrives; mark the page by its body's class instead", n+1, compound, firstWord(arg)))
					break
				}
			}
			i += len(":has(")
		}
	}
	return out
}

// compoundStart returns where the compound selector that ends at i in
// line begins: after the space, combinator, comma or brace before it,
// outside parentheses.
func compoundStart(line string, i int) int {
	depth := 0
	for k := i - 1; k >= 0; k-- {
		switch c := line[k]; {
		case c == ')':
			depth++
		case c == '(' && depth > 0:
			depth--
		case depth == 0 && strings.IndexByte(" \t,>+~{}(", c) >= 0:
			return k + 1
		}
	}
	return 0
}

// stripComments blanks the comments of css, keeping its lines.
func stripComments(css string) string {
	return cssComment.ReplaceAllStringFunc(css, func(c string) string {
		return strings.Repeat("\n", strings.Count(c, "\n"))
	})
}

// cssComment is a comment of a style sheet.
var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// firstWord is s up to its first space or closing parenthesis.
func firstWord(s string) string {
	if i := strings.IndexAny(s, " )"); i >= 0 {
		return s[:i]
	}
	return s
}
