package serve

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

	"github.com/evalpress/evalpress/internal/build"
)

// EditToVisible measures the preview's edit-to-visible time on the site in
// contentDir: it serves the site, then rounds times appends a new sentence
// to one evaluation's narrative and times from writing the file to the
// served page containing the sentence, as a web staffer's browser would
// see it (polling the page every 2 ms). It restores the narrative before
// it returns. The times include the watcher's debounce (100 ms).
func EditToVisible(ctx context.Context, contentDir string, rounds int) ([]time.Duration, error) {
	md, page, err := pickNarrative(contentDir)
	if err != nil {
		return nil, err
	}
	orig, err := os.ReadFile(md)
	if err != nil {
		return nil, err
	}
	defer os.WriteFile(md, orig, 0o644)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, Config{Build: build.Options{Content: contentDir}, Addr: "127.0.0.1:0",
			Ready: func(u string) { ready <- u }})
	}()
	var base string
	select {
	case base = <-ready:
	case err := <-done:
		return nil, fmt.Errorf("preview server: %v", err)
	}
	url := base + page
	var times []time.Duration
	for i := range rounds {
		mark := fmt.Sprintf("预览计时第%d次%d。", i+1, time.Now().UnixNano())
		start := time.Now()
		if err := os.WriteFile(md, append(slices.Clip(orig), "\n\n"+mark+"\n"...), 0o644); err != nil {
			return nil, err
		}
		if err := waitFor(ctx, url, mark, start.Add(30*time.Second)); err != nil {
			return nil, err
		}
		times = append(times, time.Since(start))
		// Let the background work of this round (related pages, search
		// index) finish so that rounds do not overlap.
		time.Sleep(4 * time.Second)
	}
	cancel()
	<-done
	return times, nil
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
