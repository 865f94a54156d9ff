package diag

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sync"
)

// Severity says whether a problem stops the build.
type Severity int

const (
	// Error stops the build: nothing is written.
	Error Severity = iota
	// Warning is printed; under -strict it stops the build too.
	Warning
	// Note is printed and never stops the build, not even under -strict:
	// a finding the content acknowledges on purpose (a record's [[accept]]
	// of a discrepancy that the published document holds), so that staff
	// still see it without learning to ignore warnings.
	Note
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Note:
		return "note"
	}
	return "error"
}

// MarshalText writes the severity as "error", "warning" or "note".
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Pos is a place in a content file. Line and Col start at 1; zero means unknown
// (a problem with the whole file).
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// String writes p as file:line:col, without what is zero. The file is
// written with the system's separator (a backslash on Windows), as the
// staffer types and sees paths there; the JSON of `check -format json`
// keeps the forward slashes.
func (p Pos) String() string {
	p.File = Escape(filepath.FromSlash(p.File))
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Diagnostic is one problem in the content.
type Diagnostic struct {
	Pos
	Severity Severity `json:"severity"`
	// Field is the record key the problem is about, as written in the file,
	// e.g. "indicators[2].score"; empty for problems of a whole file.
	Field string `json:"field,omitempty"`
	// Message says what is wrong, in Chinese for web staff.
	Message string `json:"message"`
	// Hint says how to fix it; may be empty.
	Hint string `json:"hint,omitempty"`
}

// String formats d as one line, file:line:col: severity: field: message
// (hint), with every quoted character that a terminal would act on escaped
// (see Escape).
func (d Diagnostic) String() string {
	d = d.escaped()
	s := fmt.Sprintf("%s: %s: ", d.Pos, d.Severity)
	if d.Field != "" {
		s += d.Field + ": "
	}
	s += d.Message
	if d.Hint != "" {
		s += "（" + d.Hint + "）"
	}
	return s
}

// List accumulates diagnostics. It is safe for concurrent use, so that the
// stages that work in parallel can report into one list.
type List struct {
	mu    sync.Mutex
	items []Diagnostic
}

// Add records a diagnostic. Its texts are stored escaped (see Escape), so
// that no consumer of the list, printed or served, ever gets a raw control
// or bidi character from the user's content.
func (l *List) Add(d Diagnostic) {
	d = d.escaped()
	l.mu.Lock()
	l.items = append(l.items, d)
	l.mu.Unlock()
}

// Errorf records an error at pos about field.
func (l *List) Errorf(pos Pos, field, hint, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Error, Field: field, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Warnf records a warning at pos about field.
func (l *List) Warnf(pos Pos, field, hint, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Warning, Field: field, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// Notef records a note at pos about field: printed, never failing.
func (l *List) Notef(pos Pos, field, hint, format string, args ...any) {
	l.Add(Diagnostic{Pos: pos, Severity: Note, Field: field, Message: fmt.Sprintf(format, args...), Hint: hint})
}

// All returns the diagnostics in the order they were added, as stored
// (escaped), without sorting or removing repeats: what one record's
// load reported, to be added to another list later as it is (Add of an
// escaped text leaves it as it is).
func (l *List) All() []Diagnostic {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.items)
}

// Items returns the diagnostics sorted by file, line, column, field and
// message, so that output is stable whatever order the stages ran in.
func (l *List) Items() []Diagnostic {
	l.mu.Lock()
	items := slices.Clone(l.items)
	l.mu.Unlock()
	slices.SortStableFunc(items, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Field, b.Field),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.CompactFunc(items, func(a, b Diagnostic) bool { return a == b })
}

// Count returns the number of errors and warnings; notes are not
// counted (see Notes).
func (l *List) Count() (errors, warnings int) {
	errors, warnings, _ = l.count()
	return errors, warnings
}

// Notes returns the number of notes.
func (l *List) Notes() int {
	_, _, notes := l.count()
	return notes
}

func (l *List) count() (errors, warnings, notes int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range l.items {
		switch d.Severity {
		case Error:
			errors++
		case Warning:
			warnings++
		default:
			notes++
		}
	}
	return errors, warnings, notes
}

// Failed reports whether the build must stop: any error, or, when strict,
// any warning. Notes never fail.
func (l *List) Failed(strict bool) bool {
	e, w := l.Count()
	return e > 0 || (strict && w > 0)
}

// Write prints every diagnostic, one a line, then a summary line.
func (l *List) Write(w io.Writer) error {
	for _, d := range l.Items() {
		if _, err := fmt.Fprintln(w, d); err != nil {
			return err
		}
	}
	e, wn, n := l.count()
	if e+wn+n == 0 {
		return nil
	}
	var err error
	if n == 0 {
		_, err = fmt.Fprintf(w, "共 %d 个错误，%d 个警告\n", e, wn)
	} else {
		_, err = fmt.Fprintf(w, "共 %d 个错误，%d 个警告，%d 条说明（已确认的差异，不影响构建）\n", e, wn, n)
	}
	return err
}

// WriteJSON prints the diagnostics as a JSON array, for automation. The
// texts are escaped as in Write: encoding/json escapes C0 characters as
// \u001b, which a consumer decodes back to a raw ESC and prints, and it
// writes C1 and bidi characters raw; so JSON carries the same visible
// \u001b that text output shows.
func (l *List) WriteJSON(w io.Writer) error {
	items := l.Items()
	if items == nil {
		items = []Diagnostic{}
	}
	for i := range items {
		items[i] = items[i].escaped()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(items)
}
