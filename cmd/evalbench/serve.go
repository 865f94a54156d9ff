package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/serve"
)

// Edits are the preview's edit-to-visible times, one per edit.
type Edits struct {
	// Narrative edits touch only the evaluation's page (and, later, its
	// booklet and the search index).
	Narrative []time.Duration
	// Record edits also redraw the lists that show the record: its year
	// page and congress table, its department page and the home page.
	Record []time.Duration
}

// editToVisible measures the preview's edit-to-visible time on the site in
// contentDir: it serves the site, then rounds times appends a new sentence
// to one evaluation's narrative, and rounds times gives its record a new
// evaluator (评价机构), and times from writing the file to the served page
// showing the change, as a web staffer's browser would see it (polling the
// page every 2 ms). It restores both files before it returns. The times
// include the watcher's debounce (100 ms).
func editToVisible(ctx context.Context, contentDir string, rounds int) (Edits, error) {
	var e Edits
	md, page, err := pickNarrative(contentDir)
	if err != nil {
		return e, err
	}
	toml := strings.TrimSuffix(md, ".md") + ".toml"
	origMD, err := os.ReadFile(md)
	if err != nil {
		return e, err
	}
	defer os.WriteFile(md, origMD, 0o644)
	origTOML, err := os.ReadFile(toml)
	if err != nil {
		return e, err
	}
	defer os.WriteFile(toml, origTOML, 0o644)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- serve.Run(ctx, serve.Config{Build: pipeline.Options{Content: contentDir}, Addr: "127.0.0.1:0",
			Ready: func(u string, _ io.Writer) { ready <- u }})
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		return e, fmt.Errorf("preview server: %v", err)
	}
	url := base + page
	measure := func(file string, data []byte, mark string) (time.Duration, error) {
		start := time.Now()
		if err := os.WriteFile(file, data, 0o644); err != nil {
			return 0, err
		}
		if err := waitFor(ctx, url, mark, start.Add(30*time.Second)); err != nil {
			return 0, err
		}
		d := time.Since(start)
		// Let the background work of this round (related pages, booklet,
		// search index) finish so that rounds do not overlap.
		time.Sleep(4 * time.Second)
		return d, nil
	}
	for i := range rounds {
		mark := fmt.Sprintf("预览计时第%d次%d。", i+1, time.Now().UnixNano())
		d, err := measure(md, append(slices.Clip(origMD), "\n\n"+mark+"\n"...), mark)
		if err != nil {
			return e, err
		}
		e.Narrative = append(e.Narrative, d)
	}
	for i := range rounds {
		mark := fmt.Sprintf("预览计时机构%d号%d", i+1, time.Now().UnixNano())
		d, err := measure(toml, withEvaluator(origTOML, mark), mark)
		if err != nil {
			return e, err
		}
		e.Record = append(e.Record, d)
	}
	cancel()
	<-done
	return e, nil
}

// withEvaluator returns a record with its evaluator set to name: the
// evaluator line replaced, or one added at the top.
func withEvaluator(record []byte, name string) []byte {
	line := []byte(fmt.Sprintf("evaluator = %q", name))
	lines := bytes.Split(record, []byte("\n"))
	for i, l := range lines {
		if bytes.HasPrefix(bytes.TrimSpace(l), []byte("[")) {
			break // the top-level keys end at the first table
		}
		if bytes.HasPrefix(l, []byte("evaluator")) {
			lines[i] = line
			return bytes.Join(lines, []byte("\n"))
		}
	}
	return append(append(line, '\n'), record...)
}

// pickNarrative finds an evaluation with a narrative in the content: the
// last record of the newest year, and its page's path under the site.
func pickNarrative(contentDir string) (md, page string, err error) {
	years, err := filepath.Glob(filepath.Join(contentDir, "[12][0-9][0-9][0-9]", "evaluations", "*.md"))
	if err != nil || len(years) == 0 {
		return "", "", errors.New("内容中没有带评价说明（.md）的记录")
	}
	md = years[len(years)-1]
	slug := strings.TrimSuffix(filepath.Base(md), ".md")
	year := filepath.Base(filepath.Dir(filepath.Dir(md)))
	return md, year + "/" + slug + "/", nil
}

// waitFor polls url until its body contains text.
func waitFor(ctx context.Context, url, text string, deadline time.Time) error {
	for time.Now().Before(deadline) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if bytes.Contains(body, []byte(text)) {
				return nil
			}
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		time.Sleep(2 * time.Millisecond)
	}
	return fmt.Errorf("%s 在期限内没有出现 %q", url, text)
}
