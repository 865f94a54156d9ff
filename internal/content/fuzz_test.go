package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/sysfile"
)

// seeds are record files the fuzzers start from: valid ones and the shapes
// the scanner must get right.
// formsSeeds exercise the second edition's decoding, appended to a
// minimal record.
var formsSeeds = []string{
	"budget_initial = 90\nexecution_rate = 99.97\n[[funds]]\nsource = \"s\"\nspent = 89.974\n[[funds]]\nsource = \"t\"\n",
	"goal = \"\"\"\na\n\"\"\"\nmethod = \"self\"\n[review]\nby = \"x\"\nscore = 86\ngrade = \"良\"\nofficial = true\n",
	"[[findings]]\nproblem = \"p\"\nstatus = \"done\"\ndone = 2024-05-20\ndeadline = 2022-01-01\n[[findings]]\nstatus = \"x\"\n",
	"[result_use]\ndecision = \"reduce\"\nnext_budget = 40\nnote = \"n\"\n[[documents]]\nfile = \"a/../../x.pdf\"\n",
	"[[corrections]]\ndate = 2024-05-10\nnote = \"n\"\n[[accept]]\nkey = \"indicators[1].grade\"\nreason = \"r\"\n",
	"review = 1\nfunds = [{source = \"a\", spent = 1}, 2]\nresult_use = [1]\naccept = {key = 1}\n",
	"title = \"（请填写项目名称）\"\n[[indicators]]\nname = \"n\"\nmax = 1\nscore = 0\ndeviation = \"（请填写\"\n",
}

var seeds = []string{
	minimal,
	fullRecord,
	"a = \"\"\"\nx = 1\n\"\"\"\nb = '''\n[c]\n'''\n",
	"a = \"\"\"q\"\"\"\"\"\nb = 1\n",
	"[ \"a b\" . 'c' ]\nd = 1\n[[x.y]]\n[[x.y]]\nz.w = 2\n",
	"t = {a = 1, b = [1, 2, {c = 3}], d = {e = \"}\"}}\n",
	"dt = [1979-05-27 07:32:00, 1979-05-27T07:32:00Z]\nn = 2\n",
	"a = [ # comment\n  1, # more\n  2,\n]\n# end",
	"\uFEFFtitle = \"t\"\r\nyear = 2023\r\n",
	"a = \"\\\"\\u00e9\"\n\"\\u0062\" = 1\n",
}

// FuzzScanKeys checks that the key scanner never panics, and that on
// documents the TOML parser accepts it finds every top-level key at a line
// within the file.
func FuzzScanKeys(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		pos := scanKeys(src, "f")
		lines := bytes.Count(src, []byte{'\n'}) + 1
		for k, p := range pos {
			if p.Line < 1 || p.Line > lines || p.Col < 1 {
				t.Fatalf("%q at %d:%d, file has %d lines", k, p.Line, p.Col, lines)
			}
		}
		var m map[string]any
		if _, err := toml.Decode(string(src), &m); err != nil {
			return
		}
		for k := range m {
			if _, ok := pos[k]; !ok {
				t.Fatalf("key %q not found by the scanner", k)
			}
		}
	})
}

// FuzzLoadRecord checks that any bytes as a record file load without a
// panic and that every diagnostic points into the file.
func FuzzLoadRecord(f *testing.F) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	// Nesting at and past the bounds, in each form the checker counts.
	f.Add([]byte(minimal + nested("a", "{a=", "}", MaxNesting/2) + nested("b", "[", "]", MaxNesting)))
	f.Add([]byte(minimal + "[[indicators" + strings.Repeat(".items", 5) + "]]\nname = \"x\"\n"))
	f.Add([]byte(minimal + strings.Repeat("a.", MaxNesting) + "a = 1\n" + "t = [\"[{\", '{[', # [[\n]\n"))
	// The second edition of the record: every new field, and each of its
	// checks that tables and dates go through.
	if full, err := os.ReadFile(filepath.Join(fullContent, "2023/evaluations/road-maintenance.toml")); err == nil {
		f.Add(full)
	} else {
		f.Fatal(err)
	}
	for _, s := range formsSeeds {
		f.Add([]byte(minimal + s))
	}
	// The Chinese input-method mistakes that syntaxHelp and misplacedItems
	// read the source line of.
	for _, s := range []string{"title2 = “残疾人补贴”\n", "kind ＝ \"x\" # ＝\n", "［［indicators］］\n",
		"tags = [\"a\"，'b，'，\"c\\\"，\"]\n", "published = 2025年2月30日\n", "published = \"2025/4/30\"\n",
		"[[indicators]]\nname = \"a\"\n[[items]]\nname = \"b\"\n", "[ items ]\n"} {
		f.Add([]byte(minimal + s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		var l diag.List
		fsys := fstest.MapFS{
			"site.toml": &fstest.MapFile{Data: []byte(siteTOML)},
			rec:         &fstest.MapFile{Data: src},
		}
		// The fuzzer does not notice an input that never returns; a
		// deadline turns a hang into a failure with the input saved.
		done := make(chan struct{})
		go func() {
			Load(fsys, "content", &l)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("Load still running after 5s")
		}
		lines := bytes.Count(src, []byte{'\n'}) + 1
		for _, d := range l.Items() {
			if d.File != "content/"+rec {
				t.Fatalf("diagnostic about another file: %s", d)
			}
			if d.Line < 0 || d.Line > lines || d.Col < 0 {
				t.Fatalf("diagnostic outside the file (%d lines): %s", lines, d)
			}
			if d.Message == "" {
				t.Fatalf("diagnostic without message: %s", d)
			}
		}
	})
}

// BenchmarkLoad loads a tree of 10,000 records of about 2 KB of TOML and
// 6 KB of Markdown each, from disk, the size of a large bureau's archive.
func BenchmarkLoad(b *testing.B) {
	b.Run("disk", func(b *testing.B) { benchLoad(b, false) })
	// In memory, to tell the loader's own cost from the file system's.
	b.Run("memory", func(b *testing.B) { benchLoad(b, true) })
}

func benchLoad(b *testing.B, inMemory bool) {
	dir := b.TempDir()
	record := benchRecord()
	narrative := []byte(strings.Repeat("项目取得的主要成效：补贴资金按月发放到位，服务对象满意度100%。\n\n", 60))
	const years, perYear = 10, 1000
	must := func(err error) {
		if err != nil {
			b.Fatal(err)
		}
	}
	must(os.WriteFile(filepath.Join(dir, "site.toml"), []byte(siteTOML), 0o644))
	for y := range years {
		year := 2015 + y
		ev := filepath.Join(dir, fmt.Sprint(year), "evaluations")
		must(os.MkdirAll(ev, 0o755))
		rec := bytes.Replace(record, []byte("year = 2023"), fmt.Appendf(nil, "year = %d", year), 1)
		for i := range perYear {
			must(os.WriteFile(filepath.Join(ev, fmt.Sprintf("record-%04d.toml", i)), rec, 0o644))
			must(os.WriteFile(filepath.Join(ev, fmt.Sprintf("record-%04d.md", i)), narrative, 0o644))
		}
	}
	b.Logf("record %d bytes, narrative %d bytes, GOMAXPROCS %d", len(record), len(narrative), runtime.GOMAXPROCS(0))
	var fsys fs.FS = sysfile.DirFS(dir) // as the build reads
	if inMemory {
		mem := fstest.MapFS{}
		must(filepath.WalkDir(dir, func(p string, e os.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			data, err := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			mem[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
			return err
		}))
		fsys = mem
	}
	b.ReportAllocs()
	for b.Loop() {
		var l diag.List
		c := Load(fsys, "content", &l)
		if n := len(c.Records); n != years*perYear {
			b.Fatalf("loaded %d records: %v", n, l.Items()[:min(3, len(l.Items()))])
		}
	}
}

// benchRecord is a record of about 2 KB: four first-level indicators with
// three items each.
func benchRecord() []byte {
	var b bytes.Buffer
	b.WriteString(`# 附件1：潜江市民政局2023年度残疾人“两项补贴”项目财政评价结果（摘要版）
title = "残疾人“两项补贴”项目"
department = "潜江市民政局"
year = 2023
kind = "project"
attachment = "附件1"
evaluator = "潜江市财政局"
budget = 45.0
spent = 52.88
published = 2024-04-30
tags = ["民生", "残疾人"]
series = "disability-subsidies"
score = 90
grade = "优"
`)
	for _, name := range []string{"项目决策", "项目过程", "项目产出", "项目效益"} {
		fmt.Fprintf(&b, "\n[[indicators]]\nname = %q\nmax = 25\nscore = 22.5\ngrade = \"优\"\n", name)
		for k := range 3 {
			fmt.Fprintf(&b, "  [[indicators.items]]\n  name = \"二级指标%d\"\n  max = 8.33\n  score = 7.5\n  target = \"100%%\"\n  actual = \"98%%\"\n", k)
		}
	}
	return b.Bytes()
}
