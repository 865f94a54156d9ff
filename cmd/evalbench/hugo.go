package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// The issue that set the scale targets compared evalpress with Hugo, the
// fastest general static-site generator, building a pages-only site of
// the same records: one page per evaluation (title, department, year,
// grade, the narrative), one list per year and a home page, with no
// charts, no search index, no open data. evalpress's full site should
// build at least as fast as that. The comparison runs when a hugo
// binary is on PATH (Debian: apt-get install hugo); without one it is
// reported as not measured, never as passed.

// hugoFigure is the side-by-side measurement; runs is empty when Hugo is
// not installed.
type hugoFigure struct {
	version string
	runs    []measurement // sorted by wall time
	pages   int
}

func (h hugoFigure) median() measurement { return h.runs[len(h.runs)/2] }

// hugoMeasure writes the Hugo project of the corpus under dir/hugo and
// builds it runs times into dir/hugo-public-1, -2, …, as evalpress's
// timed builds are: a folder of its own each time, the disks synced and
// the bench's last removal a minute past before (settle, on stderr).
// The project and the outputs are added to outs, for the caller to
// remove at the end with its own: removed here, they would make the
// bench's next build wait (settle.go).
func hugoMeasure(ctx context.Context, content, dir string, runs int, outs *[]string, stderr io.Writer) (hugoFigure, error) {
	var h hugoFigure
	bin, err := exec.LookPath("hugo")
	if err != nil {
		return h, nil
	}
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err != nil {
		return h, fmt.Errorf("hugo version: %v", err)
	}
	h.version = strings.TrimSpace(string(out))
	// Hugo resolves a relative --destination against --source.
	if dir, err = filepath.Abs(dir); err != nil {
		return h, err
	}
	project := filepath.Join(dir, "hugo")
	if err := removeOutputs(project); err != nil {
		return h, err
	}
	*outs = append(*outs, project)
	if h.pages, err = writeHugoProject(content, project); err != nil {
		return h, err
	}
	// Each run writes a folder of its own, as evalpress's runs do: a run
	// right after the removal of the one before would pay for it.
	for i := range runs {
		public, err := freshOutput(dir, fmt.Sprintf("hugo-public-%d", i+1), project, outs, stderr)
		if err != nil {
			return h, err
		}
		var log bytes.Buffer
		cmd := exec.CommandContext(ctx, bin, "--quiet", "--source", project, "--destination", public)
		cmd.Stdout, cmd.Stderr = &log, &log
		start := time.Now()
		u, err := runMeasured(ctx, cmd)
		m := measurement{wall: time.Since(start), cpu: u.cpu, peakKiB: u.peakKiB}
		if err != nil {
			return h, fmt.Errorf("hugo: %v\n%s", err, tail(log.String(), 20))
		}
		if m.files, m.outBytes, err = treeSize(public); err != nil {
			return h, err
		}
		h.runs = append(h.runs, m)
	}
	slices.SortStableFunc(h.runs, func(a, b measurement) int { return int(a.wall - b.wall) })
	return h, nil
}

// hugoRecord is what the Hugo pages show of a record.
type hugoRecord struct {
	Title      string `toml:"title"`
	Department string `toml:"department"`
	Year       int    `toml:"year"`
	Grade      string `toml:"grade"`
	Published  any    `toml:"published"`
}

// writeHugoProject turns the corpus's evaluation records into a Hugo
// project: content/<year>/<slug>.md with the record's title, department
// and grade as front matter and its narrative as the body, and three
// small layouts. It returns the number of pages.
func writeHugoProject(content, project string) (int, error) {
	files := map[string]string{
		"hugo.toml": `baseURL = "/"
languageCode = "zh-cn"
title = "预算绩效评价结果"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
`,
		"layouts/_default/baseof.html": `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
<p>{{ .Params.department }} · {{ .Params.year }} · {{ .Params.grade }}</p>
{{ .Content }}{{ end }}
`,
		"layouts/_default/list.html": `{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.department }}</li>{{ end }}</ul>{{ end }}
`,
	}
	for name, text := range files {
		if err := writeFile(filepath.Join(project, name), []byte(text)); err != nil {
			return 0, err
		}
	}
	pages := 0
	err := filepath.WalkDir(content, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(name, ".toml") || filepath.Base(filepath.Dir(name)) != "evaluations" {
			return err
		}
		var r hugoRecord
		if _, err := toml.DecodeFile(name, &r); err != nil {
			return err
		}
		body, err := os.ReadFile(strings.TrimSuffix(name, ".toml") + ".md")
		if err != nil && !os.IsNotExist(err) {
			return err
		}
		var b bytes.Buffer
		b.WriteString("+++\n")
		if err := toml.NewEncoder(&b).Encode(map[string]any{
			"title": r.Title, "date": fmt.Sprint(r.Published),
			"params": map[string]any{"department": r.Department, "year": r.Year, "grade": r.Grade},
		}); err != nil {
			return err
		}
		b.WriteString("+++\n")
		b.Write(body)
		slug := strings.TrimSuffix(filepath.Base(name), ".toml")
		pages++
		return writeFile(filepath.Join(project, "content", fmt.Sprint(r.Year), slug+".md"), b.Bytes())
	})
	return pages, err
}

func writeFile(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return os.WriteFile(name, data, 0o644)
}

// write prints the comparison, judged on the median runs; evalpress is
// the median of its own timed builds.
func (h hugoFigure) write(b *strings.Builder, ours measurement) {
	b.WriteString("\nHugo, pages-only site of the same records (same disk, same corpus):\n")
	if len(h.runs) == 0 {
		b.WriteString("  not measured: no hugo on PATH (Debian: apt-get install hugo)\n")
		return
	}
	m := h.median()
	fmt.Fprintf(b, "  %s\n  %d pages, %d builds: median wall %s, peak RSS %s, CPU %s, %d files, %s\n",
		h.version, h.pages, len(h.runs), seconds(m.wall), mib(m.peakKiB*1024), seconds(m.cpu), m.files, mib(m.outBytes))
	fmt.Fprintf(b, "  evalpress full site: median wall %s = %.2f× Hugo's\n", seconds(ours.wall), float64(ours.wall)/float64(m.wall))
}

// verdict judges "the build at least as fast as Hugo's pages-only build".
func (h hugoFigure) verdict(ours measurement) string {
	if len(h.runs) == 0 {
		return "n/a"
	}
	if ours.wall <= h.median().wall {
		return "PASS"
	}
	return "FAIL"
}
