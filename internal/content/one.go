package content

import (
	"io/fs"
	"path"
	"strconv"
	"strings"

	"github.com/evalpress/evalpress/internal/diag"
)

// LoadRecord reads one evaluation record, name ("2023/evaluations/x.toml"
// in fsys), with its narrative if there is one, as Load would, checking it
// against the grade bands of site. It returns nil when the record has an
// error (reported in l) or name is not a record's place. The preview server
// reloads just the records that changed this way instead of the whole tree.
// Of opts, only InspectNarrative and Read are used.
func LoadRecord(fsys fs.FS, prefix, name string, site *Site, opts Options, l *diag.List) *Record {
	dir, base := path.Split(name)
	year, evals, _ := strings.Cut(strings.TrimSuffix(dir, "/"), "/")
	if evals != "evaluations" || !isYear(year) || !strings.HasSuffix(base, ".toml") {
		return nil
	}
	y, _ := strconv.Atoi(year)
	slug := strings.TrimSuffix(base, ".toml")
	file := path.Join(prefix, name)
	checkSlug(slug, file, l)
	j := job{year: y, slug: slug, src: name, file: file}
	md := strings.TrimSuffix(name, ".toml") + ".md"
	if st, err := fs.Stat(fsys, md); err == nil && !st.IsDir() {
		j.md, j.mf = md, path.Join(prefix, md)
	}
	if folder := strings.TrimSuffix(name, ".toml"); isDirIn(fsys, folder) {
		j.folder = folder
	}
	j.run(fsys, site.Grades, opts.Read, l)
	j.inspectOrphan(opts)
	return j.record
}

func isDirIn(fsys fs.FS, name string) bool {
	st, err := fs.Stat(fsys, name)
	return err == nil && st.IsDir()
}
