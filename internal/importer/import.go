package importer

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Reader turns one source file into Drafts. name is the file's name as
// the staffer gave it (for Draft.Source and cell references); data is its
// whole content. A Reader returns an error only when the file cannot be
// read as its kind at all (a damaged workbook); everything it can read
// but not place goes into the Drafts' Unused cells and Guesses instead.
type Reader func(name string, data []byte) ([]*Draft, error)

// Readers maps a lower-case file extension with its dot (".txt") to the
// Reader for that kind of file. Import chooses a reader by extension only;
// files of any other extension are listed in the report as not supported,
// never an error.
//
// Each reader registers itself from an init function in its own file, so
// that adding a kind of source touches no other file:
//
//	func init() { Readers[".xlsx"] = ReadWorkbook }
var Readers = map[string]Reader{
	".txt": ReadAbstract,
}

// maxSource bounds the size of one source file: a self-evaluation form or
// an abstract is kilobytes, a results notice a few megabytes; a file far
// larger is not one of them, and reading it whole could exhaust memory.
const maxSource = 64 << 20

// Options are the settings of one import run.
type Options struct {
	// Content is the content folder the records are written into.
	Content string
	// Year is the budget year for drafts whose source states none; 0 when
	// not given. A source that states its year keeps it.
	Year int
	// DryRun reads and reports everything but writes no file.
	DryRun bool
}

// Import reads every file named in paths (a folder stands for every file
// directly in it, in name order) with the reader for its extension, writes
// each Draft as a draft record under opts.Content unless opts.DryRun, and
// returns the report of the whole run. A source that cannot be read, or a
// record that cannot be written, is reported in the Report and does not
// stop the others; the error is for a run that could not start (a content
// folder that does not exist, a path that cannot be listed).
func Import(opts Options, paths []string) (*Report, error) {
	if st, err := os.Stat(opts.Content); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("找不到内容目录 %s（用 -content 指定）", opts.Content)
	}
	files, err := expand(paths)
	if err != nil {
		return nil, err
	}
	w := newWriter(opts)
	rep := &Report{DryRun: opts.DryRun}
	for _, f := range files {
		read := Readers[strings.ToLower(filepath.Ext(f))]
		if read == nil {
			rep.Skipped = append(rep.Skipped, Skipped{File: f, Reason: unsupported(f)})
			continue
		}
		src := &Source{File: f}
		rep.Sources = append(rep.Sources, src)
		data, err := readSource(f)
		if err != nil {
			src.Error = err.Error()
			continue
		}
		drafts, err := read(f, data)
		if err != nil {
			src.Error = fmt.Sprintf("无法读取：%v", err)
			continue
		}
		if len(drafts) == 0 {
			src.Error = "没有找到可以导入的评价：请确认这是评价结果（摘要版）、自评表或结果公示"
			continue
		}
		fp := fingerprint(data)
		for i, d := range drafts {
			src.Records = append(src.Records, w.write(d, sourceID{fp, i + 1, len(drafts)}))
		}
	}
	return rep, nil
}

// expand turns the command line's paths into the files to read: a file
// as given, a folder as the regular files directly in it, sorted by name
// so that two runs over the same folder report and name slugs alike.
func expand(paths []string) ([]string, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("找不到要导入的文件或文件夹 %s", p)
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("无法读取文件夹 %s：%w", p, err)
		}
		var in []string
		for _, e := range entries {
			// Hidden files are a system's own (.DS_Store) and ~$ files
			// are the lock files Office leaves beside an open document.
			if strings.HasPrefix(e.Name(), ".") || strings.HasPrefix(e.Name(), "~$") || !e.Type().IsRegular() {
				continue
			}
			in = append(in, filepath.Join(p, e.Name()))
		}
		slices.Sort(in)
		files = append(files, in...)
	}
	return files, nil
}

// unsupported says why a file was not read, naming what is.
func unsupported(name string) string {
	exts := make([]string, 0, len(Readers))
	for e := range Readers {
		exts = append(exts, e)
	}
	slices.Sort(exts)
	switch strings.ToLower(filepath.Ext(name)) {
	case ".xls", ".wps", ".et", ".doc":
		return "旧版 Office/WPS 格式不能直接导入：在 Excel、Word 或 WPS 中“另存为” " + strings.Join(exts, "、") + " 后再导入"
	case ".pdf", ".ofd", ".jpg", ".jpeg", ".png":
		return "扫描件和版式文件不能导入：请找到原始的表格或文字版；它可以作为原始文件随页面发布（[[documents]]）"
	}
	return "不支持这种文件，没有导入（能导入的是 " + strings.Join(exts, "、") + "）"
}

// readSource reads a source file whole, refusing one too large to be a
// form.
func readSource(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("无法打开：%w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSource+1))
	if err != nil {
		return nil, fmt.Errorf("无法读取：%w", err)
	}
	if len(b) > maxSource {
		return nil, fmt.Errorf("文件超过 %d MB，不像是自评表或评价摘要，没有读取", maxSource>>20)
	}
	return b, nil
}
