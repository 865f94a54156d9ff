package content

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/par"
	"github.com/evalpress/evalpress/internal/sysfile"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// IgnoredDirs are top-level directories of a content tree that are not
// content: a site's own templates and files copied as they are. Load skips
// them without a word; any other unknown entry gets a warning.
var IgnoredDirs = []string{"templates", "assets", "static"}

// Load reads the content tree in fsys. prefix is prepended (path.Join) to
// every file name in records and diagnostics (the caller passes e.g.
// "content"). Every problem goes into l; Load never panics and never stops
// at the first problem. The returned Content holds everything that could be
// loaded: a record or report with any error is left out, so that later
// stages only see well-formed values and do not repeat the same complaint.
func Load(fsys fs.FS, prefix string, l *diag.List) *Content {
	return LoadWith(fsys, prefix, Options{}, l)
}

// Options change how LoadWith keeps what it loads.
type Options struct {
	// Inspect, if not nil, is called with each record that loaded
	// without error, drafts included, and the site it belongs to, while
	// its narrative and its key positions are still in memory: the checks
	// of a record run there, on the loading workers, so that what they
	// need of each file is dropped as soon as they are done. It reports
	// into l, the list of the record's own problems (see Remember). It
	// must be safe for concurrent use.
	Inspect func(s *Site, r *Record, l *diag.List)
	// InspectNarrative, if not nil, is called with the narrative of a
	// record or year report that did not load (its .toml has errors, or
	// the narrative has), with the narrative's name for messages: the
	// checks that need only the narrative (personal data) still run, so
	// that one run reports every problem of the pair. It must be safe for
	// concurrent use.
	InspectNarrative func(file string, src []byte)
	// DropNarratives makes the loaded records forget their narratives
	// once inspected: Record.ReadNarrative reads each again when its page
	// is made. A build and a check, which convert each narrative once,
	// set it, so that the sources (about 9 KB an evaluation, 90 MB at
	// 10,000) are never all in memory at once; the preview server, which
	// renders the same records again and again, keeps them.
	DropNarratives bool
	// Read, if not nil, is called with each file the loader reads (the
	// site's settings, records, narratives, year reports), by its name in
	// fsys, with its bytes as read, on the loading workers: it must be
	// safe for concurrent use and must not keep data. A build hashes them
	// for its incremental cache, so that no file is read once for the
	// cache and again for the load.
	Read func(name string, data []byte)
	// Recall, if not nil, is asked for each record before any of its
	// files is read, with the files the listing found for it: a record
	// it returns is taken as loaded and inspected from a cache of an
	// earlier load (Read is not given its files, Inspect is not called),
	// and Recall has reported the record's problems itself. It returns
	// nil to have the record loaded. It must be safe for concurrent use.
	Recall func(s *Site, f RecordFiles) *Record
	// Listed, if not nil, is told how many records (drafts included) the
	// listing of the year folders found, before any of them is read: a
	// build sizes the collector's memory budget by it, and the load is
	// where the heap grows with the site.
	Listed func(records int)
	// Remember, if not nil, is called with each record loaded and
	// inspected, after DropNarratives, and every problem its load and
	// Inspect reported, in the order reported (they go to the list as
	// well): what a cache needs to give the record back through Recall.
	// It must be safe for concurrent use.
	Remember func(f RecordFiles, r *Record, problems []diag.Diagnostic)
}

// RecordFiles name the files of one record in the content's fs.FS, as
// the listing found them: its .toml, its narrative ("" when it has
// none) and its folder of files ("" when it has none).
type RecordFiles struct {
	Record, Narrative, Folder string
}

// LoadWith is Load with options.
func LoadWith(fsys fs.FS, prefix string, opts Options, l *diag.List) *Content {
	c := &Content{Site: Site{File: path.Join(prefix, "site.toml"), TimeZone: DefaultTimeZone, Location: defaultLocation, Grades: DefaultGrades()}}
	loadSite(fsys, c, opts.Read, l)

	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		l.Errorf(diag.Pos{File: path.Join(prefix, ".")}, "", "检查 content 目录是否存在、是否有读取权限", "无法读取内容目录：%v", err)
		return c
	}
	// Each year's jobs are made apart and joined once: appended to one
	// slice, each year's were copied with every earlier year's into new
	// memory (at 100,000 records 0.13 s of a rebuild's CPU).
	var years [][]job
	for _, e := range entries {
		name := e.Name()
		file := path.Join(prefix, name)
		switch {
		case strings.HasPrefix(name, "."), name == "site.toml":
		case notRegular(fsys, ".", e, file, l):
		case e.IsDir() && slices.Contains(IgnoredDirs, name):
		case e.IsDir() && isYear(name):
			years = append(years, yearJobs(fsys, prefix, name, l))
		case e.IsDir() && name != "" && isDigit(name[0]):
			l.Errorf(diag.Pos{File: file}, "", "年度目录用四位数字命名，例如 2023",
				"目录 %s 不是四位年份，其中的内容没有读取", name)
		case name == c.Site.Favicon && !e.IsDir(), e.IsDir() && strings.HasPrefix(c.Site.Favicon, name+"/"):
			// The site's icon, or the folder that holds it (favicon.go).
		default:
			l.Warnf(diag.Pos{File: file}, "", "内容目录顶层只放 site.toml、年度目录（如 2023/）和 "+strings.Join(IgnoredDirs, "、")+" 目录",
				"不认识的文件或目录 %s，已忽略", name)
		}
	}

	jobs := slices.Concat(years...)
	if opts.Listed != nil {
		n := 0
		for _, j := range jobs {
			if j.slug != "" {
				n++
			}
		}
		opts.Listed(n)
	}
	runJobs(fsys, jobs, &c.Site, opts, l)
	for _, j := range jobs {
		if j.record != nil {
			c.Records = append(c.Records, j.record)
		}
		if j.report != nil {
			c.Reports = append(c.Reports, j.report)
		}
	}
	slices.SortFunc(c.Reports, func(a, b *Report) int { return cmp.Compare(a.Year, b.Year) })
	slices.SortFunc(c.Records, func(a, b *Record) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Slug, b.Slug))
	})
	return c
}

func loadSite(fsys fs.FS, c *Content, read func(string, []byte), l *diag.List) {
	file := c.Site.File
	src, ok := readSource(fsys, "site.toml", file, siteFile, read, l)
	if !ok {
		return
	}
	m, pos, ok := parse(src, file, l)
	if !ok {
		return
	}
	d := &decoder{file: file, src: src, pos: pos, l: l}
	d.site(m, &c.Site)
	d.finish()
}

// isYear reports whether name is a four-digit year folder in 1900–2100.
func isYear(name string) bool {
	if len(name) != 4 {
		return false
	}
	n, err := strconv.Atoi(name)
	return err == nil && isDigit(name[0]) && n >= 1900 && n <= 2100
}

// job is one record or year report to load, with the result filled in by
// whichever worker takes it.
type job struct {
	year     int
	slug     string // "" for a year report
	src, md  string // names in fsys; md may be ""
	folder   string // the record's folder of files in fsys, or ""
	file, mf string // names with prefix, for messages
	record   *Record
	report   *Report
	// orphan is the narrative that was read when neither the record nor
	// the report loaded, for Options.InspectNarrative; nil otherwise.
	orphan []byte
}

// yearJobs lists the files of one year folder, reporting misplaced ones,
// and returns its jobs.
func yearJobs(fsys fs.FS, prefix, dir string, l *diag.List) (jobs []job) {
	year, _ := strconv.Atoi(dir)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		l.Errorf(diag.Pos{File: path.Join(prefix, dir)}, "", "检查目录权限", "无法读取目录：%v", err)
		return jobs
	}
	var report job
	hasReportMD := false
	for _, e := range entries {
		name := e.Name()
		file := path.Join(prefix, dir, name)
		switch {
		case strings.HasPrefix(name, "."):
		case notRegular(fsys, dir, e, file, l):
		case name == "evaluations" && e.IsDir():
			jobs = evaluationJobs(fsys, prefix, dir, year, jobs, l)
		case name == "report.toml" && !e.IsDir():
			report = job{year: year, src: path.Join(dir, name), file: file}
		case name == "report.md" && !e.IsDir():
			hasReportMD = true
		case strings.HasSuffix(name, ".toml") || strings.HasSuffix(name, ".md"):
			l.Warnf(diag.Pos{File: file}, "", fmt.Sprintf("评价记录放在 %s/evaluations/ 目录中；年度目录只放 report.toml 和 report.md", dir),
				"文件 %s 不在 evaluations/ 目录中，已忽略", name)
		default:
			l.Warnf(diag.Pos{File: file}, "", "年度目录只放 report.toml、report.md 和 evaluations/ 目录",
				"不认识的文件或目录 %s，已忽略", name)
		}
	}
	if hasReportMD {
		md, mf := path.Join(dir, "report.md"), path.Join(prefix, dir, "report.md")
		if report.src == "" {
			l.Errorf(diag.Pos{File: mf}, "", "加一个 report.toml（至少写 title），或删除 report.md",
				"有年度工作情况说明 report.md，但没有 report.toml")
		} else {
			report.md, report.mf = md, mf
		}
	}
	if report.src != "" {
		jobs = append(jobs, report)
	}
	return jobs
}

// evaluationJobs lists the records of one year's evaluations/ folder, pairing
// each record with its narrative.
func evaluationJobs(fsys fs.FS, prefix, year string, y int, jobs []job, l *diag.List) []job {
	dir := path.Join(year, "evaluations")
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		l.Errorf(diag.Pos{File: path.Join(prefix, dir)}, "", "检查目录权限", "无法读取目录：%v", err)
		return jobs
	}
	// What each base name has, found in one pass: looking up a record's
	// narrative by a scan of the folder made the listing quadratic in the
	// number of records.
	records := newBaseNames(len(entries) / 2)
	narratives := newBaseNames(len(entries) / 2)
	folders := map[string]bool{}
	for _, e := range entries {
		name := e.Name()
		switch {
		case e.IsDir():
			folders[name] = true
		case strings.HasSuffix(name, ".toml"):
			records.add(strings.TrimSuffix(name, ".toml"))
		case strings.HasSuffix(name, ".md") && e.Type().IsRegular():
			narratives.add(strings.TrimSuffix(name, ".md"))
		}
	}
	// Room for the folder's records at once: grown by appends, the jobs
	// were copied into fresh memory at each doubling (at 100,000
	// records 0.2 s of a rebuild's CPU).
	jobs = slices.Grow(jobs, len(records.names))
	join := joiner(prefix)
	for _, e := range entries {
		name := e.Name()
		file := join(dir, name)
		switch {
		case strings.HasPrefix(name, "."):
		case notRegular(fsys, dir, e, file, l):
		case e.IsDir() && records.exact[name]:
			// The record's own folder: images and documents its narrative
			// links, published beside its page when referenced (the
			// build reads them; internal/attach checks them).
		case e.IsDir():
			hint := "evaluations/ 中的子目录只用来放某条记录的图片和文件，要与记录同名（例如 roads.toml 的文件放在 roads/ 中）"
			if c := records.alike(name); len(c) == 1 {
				// Links name the folder as the record does, on every system.
				hint = fmt.Sprintf("把文件夹改名为 %s，与记录 %s.toml 的大小写完全一致", c[0], c[0])
			}
			l.Warnf(diag.Pos{File: file}, "", hint, "子目录 %s 没有同名的记录，已忽略", name)
		case strings.HasSuffix(name, ".toml"):
			slug := strings.TrimSuffix(name, ".toml")
			checkSlug(slug, file, l)
			// The names in fsys are the tails of the names with the
			// prefix, and the folder's the record's without ".toml":
			// one string each for the record and the narrative, which
			// the records keep (at 100,000 evaluations a string made
			// for each was 300,000 strings held to the end).
			j := job{year: y, slug: slug, src: tail(file, dir, name), file: file}
			if md := narratives.match(slug, records); md != "" {
				j.mf = join(dir, md+".md")
				j.md = tail(j.mf, dir, md+".md")
				if md != slug {
					l.Warnf(diag.Pos{File: j.mf}, "", sameCaseHint(slug, md),
						"说明 %s.md 与记录 %s 的文件名只差字母大小写，已把它们当作一对", md, name)
				}
			}
			if folders[slug] {
				j.folder = strings.TrimSuffix(j.src, ".toml")
			}
			jobs = append(jobs, j)
		case strings.HasSuffix(name, ".md"):
			slug := strings.TrimSuffix(name, ".md")
			if records.match(slug, narratives) == "" {
				l.Errorf(diag.Pos{File: file}, "", fmt.Sprintf("加上记录 %s.toml，或检查两个文件名是否一致（包括大小写）", slug),
					"评价说明 %s 没有对应的记录文件 %s.toml", name, slug)
			}
		default:
			hint := "evaluations/ 中只放 .toml 记录和同名 .md 说明"
			if ext := path.Ext(name); strings.EqualFold(ext, ".toml") || strings.EqualFold(ext, ".md") {
				hint = "扩展名要小写：改名为 " + strings.TrimSuffix(name, ext) + strings.ToLower(ext)
			}
			l.Warnf(diag.Pos{File: file}, "", hint, "不认识的文件 %s，已忽略", name)
		}
	}
	return jobs
}

// joiner returns path.Join(prefix, dir, name) as a function of a clean
// relative dir and a name of one element, which it joins to prefix
// without cleaning them again when prefix is clean: it is made for each
// of the 200,000 files of 100,000 evaluations, and cleaning was 0.08 s
// of a rebuild's CPU.
func joiner(prefix string) func(dir, name string) string {
	switch {
	case prefix == "" || prefix == ".":
		return func(dir, name string) string { return dir + "/" + name }
	case prefix == "/":
		return func(dir, name string) string { return "/" + dir + "/" + name }
	case path.Clean(prefix) == prefix:
		return func(dir, name string) string { return prefix + "/" + dir + "/" + name }
	}
	return func(dir, name string) string { return path.Join(prefix, dir, name) }
}

// tail returns path.Join(dir, name) (dir and name clean, name one
// element), as the end of full, path.Join of some prefix, dir and name,
// when full ends so: it shares full's bytes.
func tail(full, dir, name string) string {
	n := len(dir) + 1 + len(name)
	if len(full) >= n && strings.HasSuffix(full, name) && full[len(full)-len(name)-1] == '/' &&
		strings.HasSuffix(full[:len(full)-len(name)-1], dir) &&
		(len(full) == n || full[len(full)-n-1] == '/') {
		return full[len(full)-n:]
	}
	return path.Join(dir, name)
}

// runJobs loads the jobs on the worker pool. Every file is independent,
// so the loading scales with cores; results go into the job itself, so no
// result needs a lock, and problems go to l, so no job fails the others.
//
// With Recall, a record the cache gives back is not read at all; with
// Remember, each record's problems are gathered in a list of its own
// before they go to l, for the cache.
func runJobs(fsys fs.FS, jobs []job, site *Site, opts Options, l *diag.List) {
	_ = par.Each(context.Background(), len(jobs), func(_ context.Context, i int) error {
		j := &jobs[i]
		isRecord := j.slug != ""
		if isRecord && opts.Recall != nil {
			if r := opts.Recall(site, j.files()); r != nil {
				r.KeepPath()
				j.record = r
				return nil
			}
		}
		jl := l
		if isRecord && opts.Remember != nil {
			jl = new(diag.List)
		}
		j.run(fsys, site.Grades, opts.Read, jl)
		j.inspectOrphan(opts)
		if r := j.record; r != nil {
			if opts.Inspect != nil {
				opts.Inspect(site, r, jl)
			}
			if opts.DropNarratives {
				r.dropNarrative()
			}
		}
		if jl != l {
			problems := jl.All()
			for _, d := range problems {
				l.Add(d)
			}
			if j.record != nil {
				opts.Remember(j.files(), j.record, problems)
			}
		}
		return nil
	})
}

// files names the record's files for Options.Recall and Remember.
func (j *job) files() RecordFiles {
	return RecordFiles{Record: j.src, Narrative: j.md, Folder: j.folder}
}

// inspectOrphan hands the narrative of a pair that did not load to
// opts.InspectNarrative, then forgets it.
func (j *job) inspectOrphan(opts Options) {
	if j.orphan != nil && opts.InspectNarrative != nil {
		opts.InspectNarrative(j.mf, j.orphan)
	}
	j.orphan = nil
}

func (j *job) run(fsys fs.FS, bands []Band, read func(string, []byte), l *diag.List) {
	// A panic here is a bug in evalpress, but a web staffer's build should
	// still name the file that triggered it rather than crash without one.
	defer func() {
		if r := recover(); r != nil {
			j.record, j.report = nil, nil
			l.Errorf(diag.Pos{File: j.file}, "", "这是 evalpress 的缺陷，请把这个文件发给维护人员",
				"读取文件时程序内部出错：%v", r)
		}
	}()
	kind := recordFile
	if j.slug == "" {
		kind = reportFile
	}
	src, ok := readSource(fsys, j.src, j.file, kind, read, l)
	if !ok {
		return
	}
	var narrative []byte
	if j.md != "" {
		narrative, ok = readSource(fsys, j.md, j.mf, narrativeFile, read, l)
		if !ok || !checkMarkdown(narrative, j.mf, l) {
			return
		}
		// Registered before the defer below, so it runs after it.
		defer func() {
			if j.record == nil && j.report == nil {
				j.orphan = narrative
			}
		}()
		if !checkNarrative(narrative, j.mf, l) {
			// The record is still read, so that one run reports all its
			// problems, then left out like any record with an error.
			defer func() { j.record, j.report = nil, nil }()
		}
	}
	if j.slug == "" {
		j.report = loadReport(src, j.file, j.year, l)
		if j.report != nil && j.md != "" {
			j.report.Narrative, j.report.NarrativeFile = narrative, j.mf
		}
		return
	}
	r, ok := decodeRecord(src, j.file, j.year, bands, l)
	// The narrative of a record that is to be published is checked for
	// placeholders even when the record has errors, so that one run
	// reports all of them.
	if r != nil && !r.Draft && j.md != "" && !checkNarrativePlaceholders(narrative, j.mf, l) {
		ok = false
	}
	if !ok {
		return
	}
	j.record = r
	j.record.Slug = j.slug
	j.record.Folder = j.folder
	j.record.KeepPath()
	if j.md != "" {
		j.record.Narrative, j.record.NarrativeFile = narrative, j.mf
		j.record.narrativeName = j.md
	}
}

// checkNarrativePlaceholders reports each line of a published record's
// narrative that still holds a placeholder of `evalpress new`, and
// returns whether there is none.
func checkNarrativePlaceholders(src []byte, file string, l *diag.List) bool {
	if !bytes.Contains(src, []byte(Placeholder)) {
		return true
	}
	n := 0
	for i, line := range bytes.Split(src, []byte{'\n'}) {
		col := bytes.Index(line, []byte(Placeholder))
		if col < 0 || bytes.HasPrefix(bytes.TrimSpace(line), []byte("[//]: #")) {
			continue // a Markdown comment is not published
		}
		if n++; n > maxNarrativeReports {
			continue
		}
		l.Errorf(diag.Pos{File: file, Line: i + 1, Col: utf8.RuneCount(line[:col]) + 1}, "",
			"换成公开文件中的内容，没有的部分连同标题一起删除；还没有写好的，在记录中保留 draft = true",
			"评价说明中还有 evalpress new 留下的占位文字“%s…”，不能公开", Placeholder)
	}
	if n > maxNarrativeReports {
		l.Errorf(diag.Pos{File: file}, "", "把所有“"+Placeholder+"……）”换成原文",
			"评价说明中共有 %d 处占位文字，上面只列出了前 %d 处", n, maxNarrativeReports)
	}
	return n == 0
}

// loadRecord decodes one record file. It returns nil if the file has any
// error.
func loadRecord(src []byte, file string, year int, bands []Band, l *diag.List) *Record {
	if r, ok := decodeRecord(src, file, year, bands, l); ok {
		return r
	}
	return nil
}

// decodeRecord decodes one record file and reports whether it has no
// error. The record is returned even with errors, as far as it could be
// decoded (nil when the file is not TOML), for the checks that depend on
// whether it is a draft.
func decodeRecord(src []byte, file string, year int, bands []Band, l *diag.List) (*Record, bool) {
	m, pos, ok := parse(src, file, l)
	if !ok {
		return nil, false
	}
	d := &decoder{file: file, src: src, pos: pos, l: l}
	r := &Record{File: file, Pos: pos}
	d.record(m, r, year, bands)
	d.finish()
	return r, d.errs == 0
}

// loadReport decodes one report.toml. It returns nil if the file has any
// error.
func loadReport(src []byte, file string, year int, l *diag.List) *Report {
	m, pos, ok := parse(src, file, l)
	if !ok {
		return nil
	}
	d := &decoder{file: file, src: src, pos: pos, l: l}
	r := &Report{File: file, Pos: pos}
	d.report(m, r, year)
	d.finish()
	if d.errs > 0 {
		return nil
	}
	return r
}

// parse decodes TOML into plain maps, so that only syntax errors can come
// from the parser; types are checked by the decoder, which knows positions.
func parse(src []byte, file string, l *diag.List) (map[string]any, *Positions, bool) {
	if !checkNesting(src, file, l) {
		return nil, nil, false
	}
	var m map[string]any
	if _, err := toml.Decode(string(src), &m); err != nil {
		var pe toml.ParseError
		p := diag.Pos{File: file}
		msg := err.Error()
		if errors.As(err, &pe) {
			p.Line, p.Col = errorPos(src, pe.Position)
			msg = pe.Message
		}
		if m, h, ok := syntaxHelp(src, p.Line, p.Col); ok && p.Line > 0 {
			l.Errorf(p, "", h, "%s", m)
			return nil, nil, false
		}
		if m, h, ok := parserHelp(msg); ok {
			l.Errorf(p, "", h, "%s", m)
			return nil, nil, false
		}
		l.Errorf(p, "", "检查这一行及上一行：引号、括号是否成对，文字是否加了英文双引号，等号两边是否完整",
			"TOML 格式错误：%s", msg)
		return nil, nil, false
	}
	return m, newPositions(src, file), true
}

// errorPos turns the parser's position into line and character column,
// kept within the file: the parser counts columns in bytes, and at the end
// of input it may point one line past the last.
func errorPos(src []byte, p toml.Position) (line, col int) {
	lines := bytes.Count(src, []byte{'\n'}) + 1
	line = min(max(p.Line, 1), lines)
	start := 0
	for k := 1; k < line; k++ {
		i := bytes.IndexByte(src[start:], '\n')
		if i < 0 {
			break
		}
		start += i + 1
	}
	end := len(src)
	if i := bytes.IndexByte(src[start:], '\n'); i >= 0 {
		end = start + i
	}
	col = 1
	if line == p.Line && p.Start >= start && p.Start <= end {
		col = utf8.RuneCount(src[start:p.Start]) + 1
	} else if line == p.Line && p.Col > 0 {
		col = p.Col
	}
	return line, col
}

// readSource reads a text file of the given kind, within its size limit,
// and checks that it is UTF-8. It strips a UTF-8 byte-order mark (Windows
// Notepad writes one), which leaves every line number as it was. read,
// if not nil, is given the file's bytes as read (Options.Read).
func readSource(fsys fs.FS, name, file string, kind fileKind, read func(string, []byte), l *diag.List) ([]byte, bool) {
	b, err := sysfile.ReadFileLimit(fsys, name, kind.limit)
	if err != nil {
		reportReadError(err, file, kind, l)
		return nil, false
	}
	if read != nil {
		read(name, b)
	}
	if !checkEncoding(b, file, l) {
		return nil, false
	}
	return bytes.TrimPrefix(b, bom), true
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// checkEncoding reports a file that is not UTF-8, naming the encoding it
// most likely is: staff on Windows save GBK from Notepad or Excel.
func checkEncoding(b []byte, file string, l *diag.List) bool {
	if utf8.Valid(b) {
		return true
	}
	const convert = "在编辑器中“另存为”UTF-8 编码，或执行 iconv -f GBK -t UTF-8 旧文件 > 新文件"
	if bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF}) {
		l.Errorf(diag.Pos{File: file, Line: 1, Col: 1}, "", "在编辑器中“另存为”UTF-8 编码",
			"文件不是 UTF-8 编码，看起来是 UTF-16（Unicode）")
		return false
	}
	// The first invalid byte, and its line and column counted in valid
	// characters before it.
	bad := 0
	for bad < len(b) {
		r, n := utf8.DecodeRune(b[bad:])
		if r == utf8.RuneError && n <= 1 {
			break
		}
		bad += n
	}
	// GBK's two-byte characters often pass as UTF-8 by chance (潜 is C7 B1,
	// a valid UTF-8 sequence), so the first invalid byte may lie a few
	// characters into the text. Point at the start of its run of non-ASCII
	// bytes instead, where the Chinese text begins.
	for bad > 0 && b[bad-1] >= utf8.RuneSelf {
		bad--
	}
	ls := bytes.LastIndexByte(b[:bad], '\n') + 1
	p := diag.Pos{File: file, Line: bytes.Count(b[:bad], []byte{'\n'}) + 1, Col: utf8.RuneCount(b[ls:bad]) + 1}
	if looksGBK(b) {
		l.Errorf(p, "", convert, "文件不是 UTF-8 编码，看起来是 GBK（Windows 记事本常见）")
	} else {
		l.Errorf(p, "", "用 UTF-8 编码重新保存文件；若是从别处复制的内容，删掉这一处乱码",
			"文件不是 UTF-8 编码（这一处有无法识别的字节）")
	}
	return false
}

// looksGBK reports whether b decodes as GB18030 (a superset of GBK) with no
// invalid sequence, and contains some Chinese text there.
func looksGBK(b []byte) bool {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return false
	}
	for _, r := range string(out) {
		if r >= 0x4E00 && r <= 0x9FFF {
			return true
		}
	}
	return false
}

// validSlug reports whether s can be a page's slug: ASCII letters, digits
// and '-', not starting or ending with '-'.
func validSlug(s string) bool {
	if s == "" || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || isDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

// checkSlug reports a record file name that cannot be a URL path segment
// (error) or is not lower-case (warning: URLs are case-sensitive on most
// servers, and staff type them in lower case).
func checkSlug(slug, file string, l *diag.List) {
	if !validSlug(slug) {
		hint := "文件名只用英文字母、数字和 -，例如 disability-subsidies.toml；同名的 .md 也一起改"
		if s := suggestSlug(slug); s != "" {
			hint = "改名为 " + s + ".toml（同名的 .md 也一起改）"
		}
		l.Errorf(diag.Pos{File: file}, "", hint, "文件名 %q 不能用作网址：只能用英文字母、数字和 -，且不以 - 开头或结尾", slug)
		return
	}
	if ReservedName(slug) {
		l.Errorf(diag.Pos{File: file}, "", "改名为 "+strings.ToLower(SafeSegment(slug))+".toml（同名的 .md 和同名文件夹也一起改）",
			"文件名 %q 是 Windows 的设备名（CON、PRN、AUX、NUL、COM0–COM9、LPT0–LPT9，不分大小写）：生成的 %s/ 文件夹无法复制到 Windows/IIS 门户网站", slug, slug)
		return
	}
	if len(slug)+len(".toml") > MaxSegment {
		l.Errorf(diag.Pos{File: file}, "", "用一个更短的英文名称",
			"文件名长 %d 字节，超过文件系统允许的 %d 字节", len(slug)+len(".toml"), MaxSegment)
		return
	}
	if s := strings.ToLower(slug); s != slug {
		l.Warnf(diag.Pos{File: file}, "", "改名为 "+s+".toml（同名的 .md 也一起改）", "文件名建议全部小写")
	}
}

// suggestSlug makes a valid slug from a bad one by lower-casing it and
// turning every run of other characters into one '-'. It returns "" when
// nothing usable is left (an all-Chinese name).
func suggestSlug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < utf8.RuneSelf && (isDigit(byte(r)) || 'a' <= r && r <= 'z') {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}
