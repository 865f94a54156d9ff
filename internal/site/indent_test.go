package site

import "testing"

// TestTrimIndent: the indentation of a template's lines goes, their line
// breaks stay, and white space that shows (<pre>, <textarea>) or belongs
// to a raw string of an action stays as written.
func TestTrimIndent(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"indented", "<ul>\n  <li>a</li>\n\t<li>b</li>\n</ul>\n", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n"},
		{"inline text keeps its break", "<p>一\n    二</p>", "<p>一\n二</p>"},
		{"no final newline", "  {{.}}", "{{.}}"},
		{"trailing space stays", "  <p>a  \n", "<p>a  \n"},
		{"pre", "<div>\n  <pre>\n  code\n    more\n  </pre>\n  <p>x</p>\n", "<div>\n<pre>\n  code\n    more\n  </pre>\n<p>x</p>\n"},
		{"pre with attributes", "<PRE class=\"x\">\n  a\n</PRE>\n  b\n", "<PRE class=\"x\">\n  a\n</PRE>\nb\n"},
		{"textarea", "<textarea>\n  a\n</textarea>\n  b\n", "<textarea>\n  a\n</textarea>\nb\n"},
		{"not pre", "<prefix>\n  a\n", "<prefix>\na\n"},
		{"one-line pre", "<pre>a</pre>\n  b\n", "<pre>a</pre>\nb\n"},
		{"raw string", "{{printf `a\n  b` }}\n  c\n", "{{printf `a\n  b` }}\nc\n"},
	} {
		if got := string(trimIndent([]byte(c.in))); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
