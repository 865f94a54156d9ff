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
	if md := narrativeOf(fsys, dir, slug); md != "" {
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

// narrativeOf returns the name in fsys of the narrative of the record
// slug in the folder dir ("2023/evaluations/"), paired as the full load
// pairs it (baseNames): slug.md, or else the one narrative differing only
// in case; "" for none.
func narrativeOf(fsys fs.FS, dir, slug string) string {
	// The folder is listed rather than slug.md looked up: on Windows
	// and macOS that lookup finds roads.md as Roads.md, a name the full
	// load does not give it. A preview edit lists one year's folder.
	entries, err := fs.ReadDir(fsys, strings.TrimSuffix(dir, "/"))
	if err != nil {
		return ""
	}
	records, narratives := newBaseNames(0), newBaseNames(0)
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
		case strings.HasSuffix(name, ".toml"):
			records.add(strings.TrimSuffix(name, ".toml"))
		case strings.HasSuffix(name, ".md"):
			// Not only regular files: a narrative replaced by a named
			// pipe or a link is paired, and the read refuses it, naming
			// what it is, as the full load's listing does.
			narratives.add(strings.TrimSuffix(name, ".md"))
		}
	}
	if m := narratives.match(slug, records); m != "" {
		return dir + m + ".md"
	}
	return ""
}
