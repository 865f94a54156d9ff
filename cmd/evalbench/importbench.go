package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/evalpress/evalpress/internal/importer"
)

// importForms is how many generated self-evaluation forms the import is
// measured on, and importTarget the time they must import in (issue 15).
const (
	importForms  = 500
	importTarget = 30 * time.Second
)

// importFigure is one timed `evalpress import` of a folder of forms.
type importFigure struct {
	forms   int           // forms in the folder
	records int           // draft records written
	wall    time.Duration // the import command's wall time
}

// measureImport generates importForms national self-evaluation forms
// (.xlsx) into DIR/forms, imports the folder with `evalpress import` into
// an empty content folder, and times it as a staffer would wait for it.
// Both folders are made afresh each time: the import never overwrites, so
// a second import into the same folder would measure nothing.
func measureImport(ctx context.Context, bin, dir string) (importFigure, error) {
	forms := filepath.Join(dir, "forms")
	content := filepath.Join(dir, "import-content")
	for _, d := range []string{forms, content} {
		if err := os.RemoveAll(d); err != nil {
			return importFigure{}, err
		}
		if err := os.MkdirAll(d, 0o755); err != nil {
			return importFigure{}, err
		}
	}
	defer os.RemoveAll(content)
	if err := importer.GenerateForms(forms, importForms, 1); err != nil {
		return importFigure{}, fmt.Errorf("generate forms: %w", err)
	}
	syncDisks()
	start := time.Now()
	out, err := exec.CommandContext(ctx, bin, "import", "-content", content, forms).CombinedOutput()
	wall := time.Since(start)
	if err != nil {
		return importFigure{}, fmt.Errorf("evalpress import: %v\n%s", err, tail(string(out), 20))
	}
	records := 0
	err = filepath.WalkDir(content, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".toml") {
			records++
		}
		return err
	})
	return importFigure{forms: importForms, records: records, wall: wall}, err
}

// importVerdict judges the import: every form became a record, in under
// importTarget.
func (f importFigure) verdict() string {
	switch {
	case f.forms == 0:
		return "n/a"
	case f.records != f.forms || f.wall >= importTarget:
		return "FAIL"
	}
	return "PASS"
}
