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
	exact map[string]bool
	names []string
	// folded are the names by their lower case, made the first time a
	// name is not found as it is written: most folders never need it.
	folded map[string][]string
}

func newBaseNames(n int) *baseNames {
	return &baseNames{exact: make(map[string]bool, n), names: make([]string, 0, n)}
}

func (b *baseNames) add(name string) {
	b.exact[name] = true
	b.names = append(b.names, name)
}

// alike returns the names that are name in another case (or the same).
func (b *baseNames) alike(name string) []string {
	if b.folded == nil {
		b.folded = make(map[string][]string, len(b.names))
		for _, n := range b.names {
			k := strings.ToLower(n)
			b.folded[k] = append(b.folded[k], n)
		}
	}
	return b.folded[strings.ToLower(name)]
}

// match returns the name in b that goes with the name base of the other
// kind, whose names are others: base itself, or the one name of b that
// differs from base only in case when nothing in others is named as it
// is and base is the only name of others in that case; "" for none.
func (b *baseNames) match(base string, others *baseNames) string {
	if b.exact[base] {
		return base
	}
	if c := b.alike(base); len(c) == 1 && !others.exact[c[0]] && len(others.alike(base)) == 1 {
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
