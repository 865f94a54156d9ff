package sitetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/linkcheck"
)

// htmlValidateConfig is the html-validate configuration, relative to the
// repository root. It extends html-validate:recommended; every rule it
// changes carries its reason there.
const htmlValidateConfig = "tools/htmlvalidate.mjs"

// validateBatch bounds the files of one html-validate run, so that a large
// site does not exceed the limit on the length of a command line.
const validateBatch = 200

// ValidateHTML validates the HTML files with html-validate (offline; from
// node_modules, installed by `npm ci`) and fails the test with one line per
// fault: file:line: rule: message.
func ValidateHTML(t testing.TB, files []string) {
	t.Helper()
	ps, err := Validate(files)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) > 0 {
		t.Errorf("html-validate (%s) found %d problems:\n%s", htmlValidateConfig, len(ps), joinLines(ps))
	}
}

// Validate validates the HTML files with html-validate and returns its
// findings as problems, with Page the file as given, Ref the rule and Reason
// its message. The error is for a validator that could not run.
func Validate(files []string) ([]Problem, error) {
	if len(files) == 0 {
		return nil, nil
	}
	bin, err := nodeTool(".bin/html-validate")
	if err != nil {
		return nil, err
	}
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	config := filepath.Join(root, filepath.FromSlash(htmlValidateConfig))
	var out []Problem
	for start := 0; start < len(files); start += validateBatch {
		batch := files[start:min(start+validateBatch, len(files))]
		ps, err := validateFiles(bin, config, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, ps...)
	}
	linkcheck.Sort(out)
	return out, nil
}

// htmlValidateResult is one file of html-validate's JSON formatter.
type htmlValidateResult struct {
	FilePath string `json:"filePath"`
	Messages []struct {
		RuleID   string `json:"ruleId"`
		Severity int    `json:"severity"`
		Message  string `json:"message"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
	} `json:"messages"`
}

func validateFiles(bin, config string, files []string) ([]Problem, error) {
	args := append([]string{"--config", config, "--formatter", "json", "--"}, files...)
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	// html-validate exits 1 when it finds errors; that is a result, not a
	// failure to run. Anything else, or output that is not its JSON, is.
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return nil, fmt.Errorf("html-validate: %v\n%s", err, stderr.Bytes())
	}
	var results []htmlValidateResult
	if err := json.Unmarshal(stdout.Bytes(), &results); err != nil {
		return nil, fmt.Errorf("html-validate: reading its output: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
	}
	// The JSON names files by absolute path; report them as the caller
	// named them.
	given := map[string]string{}
	for _, f := range files {
		if abs, err := filepath.Abs(f); err == nil {
			given[abs] = f
		}
	}
	var out []Problem
	for _, r := range results {
		name := r.FilePath
		if g, ok := given[name]; ok {
			name = g
		}
		for _, m := range r.Messages {
			reason := m.Message
			if m.Severity < 2 {
				reason = "warning: " + reason
			}
			out = append(out, Problem{Page: name, Line: m.Line, Ref: m.RuleID, Reason: reason})
		}
	}
	return out, nil
}

// joinLines lists the problems one a line.
func joinLines[T fmt.Stringer](items []T) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("\t")
		b.WriteString(it.String())
		b.WriteString("\n")
	}
	return b.String()
}

// htmlFiles returns the .html files under root as slash paths relative to
// root, in lexical order.
func htmlFiles(root string) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if ext := strings.ToLower(filepath.Ext(p)); ext == ".html" || ext == ".htm" {
			rel, err := relSlash(root, p)
			if err != nil {
				return err
			}
			out = append(out, rel)
		}
		return nil
	})
	return out, err
}
