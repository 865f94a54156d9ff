package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// A site rebuilt every night after a few records changed should not pay
// for a full build: evalpress build keeps a cache beside its output and
// renders again only the pages whose inputs changed. The figures here are
// the times of two such rebuilds, each after one edited record: the first
// after a full build, and the next, as every night after that (the first
// leaves beside the output what the next one starts from: the spare of
// internal/output). Both are judged against the target of 5 s at 100,000
// evaluations (a smaller corpus's figures are informative).

// rebuildTarget is the longest an incremental rebuild after one edited
// record may take at rebuildTargetN evaluations.
const (
	rebuildTarget  = 5 * time.Second
	rebuildTargetN = 100000
)

// rebuildFigure is a sequence of incremental rebuilds.
type rebuildFigure struct {
	first  time.Duration // the rebuild right after a full build
	wall   time.Duration // the next one
	reused int           // evaluation pages the next one took from the previous output
	total  int           // evaluations built
	stages map[string]time.Duration
	record string // the record edited, relative to the content folder
}

// cacheOf is the incremental build cache evalpress keeps beside public.
func cacheOf(public string) string {
	return filepath.Join(filepath.Dir(public), "."+filepath.Base(public)+".evalpress-cache")
}

// spareOf is the spare evalpress keeps beside public for its next update.
func spareOf(public string) string {
	return filepath.Join(filepath.Dir(public), "."+filepath.Base(public)+".spare")
}

// measureRebuild edits the title of one record of content and rebuilds
// public (built from content just before, its cache beside it), twice,
// and puts the record back as it was, whatever happens.
func measureRebuild(ctx context.Context, bin, content, public string) (f rebuildFigure, err error) {
	rec, err := firstRecord(content)
	if err != nil {
		return f, err
	}
	f.record, _ = filepath.Rel(content, rec)
	orig, err := os.ReadFile(rec)
	if err != nil {
		return f, err
	}
	defer func() {
		if rerr := os.WriteFile(rec, orig, 0o644); rerr != nil && err == nil {
			err = fmt.Errorf("restoring %s: %w", rec, rerr)
		}
	}()
	edited := orig
	for i := range 2 {
		var ok bool
		if edited, ok = editTitle(edited); !ok {
			return f, fmt.Errorf("%s has no title line to edit", rec)
		}
		if err := os.WriteFile(rec, edited, 0o644); err != nil {
			return f, err
		}
		syncDisks()
		var out bytes.Buffer
		cmd := exec.CommandContext(ctx, bin, "build", "-timings", "-content", content, "-out", public)
		cmd.Stdout, cmd.Stderr = &out, &out
		start := time.Now()
		err = cmd.Run()
		wall := time.Since(start)
		if err != nil {
			return f, fmt.Errorf("%s build (incremental): %v\n%s", bin, err, tail(out.String(), 40))
		}
		f.total, f.reused = parseBuilt(out.String())
		if f.reused == 0 {
			return f, fmt.Errorf("the rebuild after one edited record took no page from the previous output:\n%s", tail(out.String(), 20))
		}
		if i == 0 {
			f.first = wall
			continue
		}
		f.wall = wall
		f.stages = parseTimings(out.String())
	}
	return f, nil
}

// firstRecord returns the first evaluation record of content in name
// order, so that every run edits the same one.
func firstRecord(content string) (string, error) {
	var found string
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".toml") && filepath.Base(filepath.Dir(p)) == "evaluations" {
			found = p
			return fs.SkipAll
		}
		return nil
	})
	if err == nil && found == "" {
		err = errors.New("no evaluation record in " + content)
	}
	return found, err
}

// editTitle appends a mark to the record's title, as a web staffer's
// correction would change it.
func editTitle(b []byte) ([]byte, bool) {
	lines := bytes.SplitAfter(b, []byte("\n"))
	for i, l := range lines {
		if bytes.HasPrefix(l, []byte(`title = "`)) {
			end := bytes.LastIndexByte(l, '"')
			if end <= len(`title = "`)-1 {
				return nil, false
			}
			lines[i] = slices.Concat(l[:end], []byte("（修订）"), l[end:])
			return bytes.Join(lines, nil), true
		}
	}
	return nil, false
}

var builtLine = regexp.MustCompile(`已生成 (\d+) 项评价`)
var reusedLine = regexp.MustCompile(`增量构建：(\d+) 个评价页面`)

// parseBuilt reads how many evaluations a build made and how many of
// their pages it took from the previous output.
func parseBuilt(out string) (total, reused int) {
	if m := builtLine.FindStringSubmatch(out); m != nil {
		total, _ = strconv.Atoi(m[1])
	}
	if m := reusedLine.FindStringSubmatch(out); m != nil {
		reused, _ = strconv.Atoi(m[1])
	}
	return total, reused
}

// verdict judges the figures against the target at n evaluations: only a
// corpus of the target's size can pass or fail it.
func (f rebuildFigure) verdict(n int) string {
	switch {
	case f.wall == 0:
		return "n/a"
	case n < rebuildTargetN:
		return "n/a (informative below 100,000)"
	case max(f.first, f.wall) > rebuildTarget:
		return "FAIL"
	}
	return "PASS"
}

// write reports the figures and where the next rebuild's time went.
func (f rebuildFigure) write(b *strings.Builder, n int) {
	if f.wall == 0 {
		return
	}
	fmt.Fprintf(b, "\nincremental rebuilds, each after one edited record (%s); target ≤ %s at %d evaluations: %s\n",
		filepath.ToSlash(f.record), seconds(rebuildTarget), rebuildTargetN, f.verdict(n))
	fmt.Fprintf(b, "  the first after a full build  %s\n", seconds(f.first))
	fmt.Fprintf(b, "  the next (as every night)     %s, %d of %d evaluation pages taken from the previous output\n",
		seconds(f.wall), f.reused, f.total)
	names := slices.Collect(func(yield func(string) bool) {
		for name := range f.stages {
			if !strings.HasPrefix(name, "render.") && !yield(name) {
				return
			}
		}
	})
	slices.SortFunc(names, func(a, c string) int { return cmp.Compare(f.stages[c], f.stages[a]) })
	rows := [][]string{}
	for _, name := range names {
		rows = append(rows, []string{"    " + name, seconds(f.stages[name])})
	}
	writeTable(b, rows)
}
