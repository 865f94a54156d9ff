package wholesite

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sitetest"
)

// Now is the time at which Build and Check decide what is published, unless
// an Option says otherwise: fixed, so that a record dated "tomorrow" in a test
// stays tomorrow.
var Now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

// Option changes the pipeline.Options of one Build or Check.
type Option func(*pipeline.Options)

// Strict turns warnings into errors, as `-strict` does.
func Strict(o *pipeline.Options) { o.Strict = true }

// Site is one run of the pipeline over a small site written for one test,
// in the shape of Hugo's integration tests: the files go in as a txtar
// archive, the run's output and diagnostics come out with assertions on
// them. Its methods fail the test (with t.Fatal where nothing sensible can
// follow, t.Error otherwise).
//
// Package pipeline's own tests use it from package pipeline_test: wholesite
// imports pipeline, so an internal test of pipeline (or of a package that
// pipeline imports) cannot import wholesite.
type Site struct {
	t       testing.TB
	content string
	out     string // "" for a check, which writes nothing
	opts    pipeline.Options
	stats   pipeline.Stats
	err     error
	diags   []diag.Diagnostic
}

// Build writes files (a txtar archive whose names start with content/) into
// a new folder, builds the site into its public/ and fails the test, with
// every diagnostic, if the build fails.
func Build(t testing.TB, files string, opts ...Option) *Site {
	t.Helper()
	s := Run(t, files, opts...)
	s.mustSucceed("build")
	return s
}

// BuildFails is Build for a site whose build must fail on its content
// (pipeline.ErrFailed); the diagnostics say why.
func BuildFails(t testing.TB, files string, opts ...Option) *Site {
	t.Helper()
	s := Run(t, files, opts...)
	s.mustFail("build")
	return s
}

// Run is Build without a verdict: the test looks at Err itself.
func Run(t testing.TB, files string, opts ...Option) *Site {
	t.Helper()
	content := writeContent(t, files)
	return runIn(t, content, filepath.Join(filepath.Dir(content), "public"), opts)
}

// writeContent writes files into a new folder and returns its content/.
func writeContent(t testing.TB, files string) string {
	t.Helper()
	root := t.TempDir()
	sitetest.WriteFiles(t, root, files)
	return filepath.Join(root, "content")
}

// BuildDir builds an existing content folder, such as a copy of the seed
// under testdata, into a new folder, and fails the test if the build fails.
func BuildDir(t testing.TB, content string, opts ...Option) *Site {
	t.Helper()
	s := runIn(t, content, filepath.Join(t.TempDir(), "public"), opts)
	s.mustSucceed("build")
	return s
}

// Check writes files like Build and runs `evalpress check` on them: the
// whole pipeline rendered in memory, with nothing written. It fails the test
// if the check fails.
func Check(t testing.TB, files string, opts ...Option) *Site {
	t.Helper()
	s := checkIn(t, writeContent(t, files), opts)
	s.mustSucceed("check")
	return s
}

// CheckFails is Check for content that must fail (pipeline.ErrFailed).
func CheckFails(t testing.TB, files string, opts ...Option) *Site {
	t.Helper()
	s := checkIn(t, writeContent(t, files), opts)
	s.mustFail("check")
	return s
}

// CheckDir checks an existing content folder without a verdict: the test
// looks at Err itself.
func CheckDir(t testing.TB, content string, opts ...Option) *Site {
	t.Helper()
	return checkIn(t, content, opts)
}

func options(content, out string, opts []Option) pipeline.Options {
	o := pipeline.Options{Content: content, Out: out, Now: Now}
	for _, f := range opts {
		f(&o)
	}
	return o
}

func runIn(t testing.TB, content, out string, opts []Option) *Site {
	s := &Site{t: t, content: content, out: out, opts: options(content, out, opts)}
	var l diag.List
	s.stats, s.err = pipeline.Run(context.Background(), s.opts, &l)
	s.diags = l.Items()
	return s
}

func checkIn(t testing.TB, content string, opts []Option) *Site {
	s := &Site{t: t, content: content, opts: options(content, "", opts)}
	var l diag.List
	s.stats, s.err = pipeline.Check(context.Background(), s.opts, &l)
	s.diags = l.Items()
	return s
}

// Again runs the same kind of run (build or check) over the same content
// folder, and for a build into the same output, as it is now: after the test
// changed the content with EditContent, or with other options. It gives no
// verdict.
func (s *Site) Again(opts ...Option) *Site {
	s.t.Helper()
	if s.out == "" {
		return checkIn(s.t, s.content, opts)
	}
	return runIn(s.t, s.content, s.out, opts)
}

// EditContent replaces the first old in the content file name (relative to
// the content folder, with slashes) by new. It fails the test if old is not
// there, so that an edit meant to break something cannot silently do
// nothing.
func (s *Site) EditContent(name, old, new string) {
	s.t.Helper()
	p := filepath.Join(s.content, filepath.FromSlash(name))
	b, err := os.ReadFile(p)
	if err != nil {
		s.t.Fatal(err)
	}
	if !strings.Contains(string(b), old) {
		s.t.Fatalf("%s does not contain %q", name, old)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
		s.t.Fatal(err)
	}
}

func (s *Site) mustSucceed(what string) {
	s.t.Helper()
	if s.err != nil {
		s.t.Fatalf("%s: %v\n%s", what, s.err, s.DiagText())
	}
}

func (s *Site) mustFail(what string) {
	s.t.Helper()
	if !errors.Is(s.err, pipeline.ErrFailed) {
		s.t.Fatalf("%s: err = %v, want pipeline.ErrFailed\n%s", what, s.err, s.DiagText())
	}
}

// Err is the error the run returned.
func (s *Site) Err() error { return s.err }

// Stats are the statistics the run returned, notices included.
func (s *Site) Stats() pipeline.Stats { return s.stats }

// Diags are the run's diagnostics, sorted as the command prints them.
func (s *Site) Diags() []diag.Diagnostic { return s.diags }

// DiagText is the run's diagnostics, one a line, as the command prints them.
func (s *Site) DiagText() string {
	var b strings.Builder
	for _, d := range s.diags {
		b.WriteString(d.String() + "\n")
	}
	return b.String()
}

// Content is the content folder the run read.
func (s *Site) Content() string { return s.content }

// Out is the output folder of a build; a check has none and fails the test.
func (s *Site) Out() string {
	s.t.Helper()
	if s.out == "" {
		s.t.Fatal("a check writes no output")
	}
	return s.out
}

// File returns the output file name (relative, with slashes), and fails the
// test if there is none.
func (s *Site) File(name string) string {
	s.t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Out(), filepath.FromSlash(name)))
	if err != nil {
		s.t.Fatalf("reading output: %v", err)
	}
	return string(b)
}

// AssertFileContent checks that the output file name holds each of matches;
// a match that starts with "! " must not be in it (as in Hugo's tests).
func (s *Site) AssertFileContent(name string, matches ...string) {
	s.t.Helper()
	assertText(s.t, name, s.File(name), matches)
}

// AssertNoFile checks that the output has no file or folder name ("" for
// the output folder itself, which a failed build must not write).
func (s *Site) AssertNoFile(name string) {
	s.t.Helper()
	p := filepath.Join(s.Out(), filepath.FromSlash(name))
	if _, err := os.Lstat(p); err == nil {
		s.t.Errorf("%s exists, and should not", p)
	}
}

// OutputFiles lists the files of the output, relative and with slashes, in
// lexical order.
func (s *Site) OutputFiles() []string {
	s.t.Helper()
	var names []string
	out := s.Out()
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, p)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return names
}

// AllOutput concatenates every output file in lexical order of their
// names: for "appears nowhere" checks and for comparing two builds.
func (s *Site) AllOutput() string {
	s.t.Helper()
	var b strings.Builder
	for _, name := range s.OutputFiles() {
		b.WriteString(s.File(name))
	}
	return b.String()
}

// AssertNowhere checks that no output file holds any of texts.
func (s *Site) AssertNowhere(texts ...string) {
	s.t.Helper()
	files := map[string]string{}
	for _, name := range s.OutputFiles() {
		files[name] = s.File(name)
	}
	for _, text := range texts {
		for _, name := range slices.Sorted(maps.Keys(files)) {
			if strings.Contains(files[name], text) {
				s.t.Errorf("%q reached the output, in %s", text, name)
				break
			}
		}
	}
}

// AssertDiag checks that a diagnostic at at (a file's name or its path's
// tail, with its line and column as far as given, such as "roads.toml:4:1"
// or "links.md:3") holds want in its printed form (severity, field, message
// and hint).
func (s *Site) AssertDiag(at, want string) {
	s.t.Helper()
	for _, d := range s.diags {
		if atPos(d.Pos, at) && strings.Contains(d.String(), want) {
			return
		}
	}
	s.t.Errorf("no diagnostic at %s holds %q:\n%s", at, want, s.DiagText())
}

// atPos reports whether at names p: its file (the whole path or a tail
// after a slash), with its line and column as far as at gives them.
func atPos(p diag.Pos, at string) bool {
	for _, q := range []diag.Pos{p, {File: p.File, Line: p.Line}, {File: p.File}} {
		s := filepath.ToSlash(q.String())
		if s == at || strings.HasSuffix(s, "/"+at) {
			return true
		}
	}
	return false
}

// AssertDiags checks that the diagnostics, printed one a line, hold each of
// matches; a match that starts with "! " must appear in none of them.
func (s *Site) AssertDiags(matches ...string) {
	s.t.Helper()
	assertText(s.t, "the diagnostic text", s.DiagText(), matches)
}

// assertText checks text for each of matches, "! " marking one that must be
// absent; what names the text in a failure.
func assertText(t testing.TB, what, text string, matches []string) {
	t.Helper()
	for _, m := range matches {
		if absent, ok := strings.CutPrefix(m, "! "); ok {
			if strings.Contains(text, absent) {
				t.Errorf("%s holds %q, and should not", what, absent)
			}
			continue
		}
		if !strings.Contains(text, m) {
			if len(text) < 2000 {
				t.Errorf("%s lacks %q:\n%s", what, m, text)
			} else {
				t.Errorf("%s lacks %q", what, m)
			}
		}
	}
}
