package content

import (
	"fmt"
	"strings"
)

// baseNames are the base names of one kind of file in a folder (records
// without ".toml", narratives without ".md"), as written and by their
// lower case.
//
// A record and its narrative are paired by name, and a name differing
// only in case pairs too, on every system: on Windows and macOS, where
// the file system ignores case, Roads.toml and roads.md are one name to
// the staffer who saved them, and the content folder they make must build
// the same site on the Linux server it is copied to. Where both cases
// exist (possible on Linux only) the exact name wins, and a name that two
// files could claim is paired with neither.
type baseNames struct {
	exact  map[string]bool
	folded map[string][]string
}

func newBaseNames(n int) baseNames {
	return baseNames{exact: make(map[string]bool, n), folded: make(map[string][]string, n)}
}

func (b baseNames) add(name string) {
	b.exact[name] = true
	k := strings.ToLower(name)
	b.folded[k] = append(b.folded[k], name)
}

// match returns the name in b that goes with the name base of the other
// kind, whose names are others: base itself, or the one name of b that
// differs from base only in case when nothing in others is named as it
// is and base is the only name of others in that case; "" for none.
func (b baseNames) match(base string, others baseNames) string {
	if b.exact[base] {
		return base
	}
	k := strings.ToLower(base)
	if c := b.folded[k]; len(c) == 1 && !others.exact[c[0]] && len(others.folded[k]) == 1 {
		return c[0]
	}
	return ""
}

// sameCaseHint says how to give the record slug and its narrative md
// (names without extension, differing only in case) one name: the lower
// case one, which checkSlug asks of records too.
func sameCaseHint(slug, md string) string {
	want := strings.ToLower(slug)
	var steps []string
	if slug != want {
		steps = append(steps, fmt.Sprintf("把 %s.toml 改名为 %s.toml", slug, want))
	}
	if md != want {
		steps = append(steps, fmt.Sprintf("把 %s.md 改名为 %s.md", md, want))
	}
	return strings.Join(steps, "，") + "，两个文件名完全一致"
}
