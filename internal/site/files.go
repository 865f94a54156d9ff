package site

import (
	"cmp"
	"fmt"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/evalpress/evalpress/internal/narrative"
	"github.com/evalpress/evalpress/internal/score"
)

// Files gives the renderer the images and documents placed beside records,
// in a folder named like the record (content/2023/evaluations/roads/ for
// roads.toml). A narrative references them as its Markdown editor shows
// them, relative to the narrative's file: roads/photo.png or
// ./roads/photo.png in roads.md. The renderer publishes each referenced
// file beside the evaluation's page (2023/roads/photo.png) and points the
// reference there (photo.png on the page, ../../../2023/roads/photo.png in
// the print booklet).
type Files interface {
	// Read returns the contents of name, a slash path relative to the
	// content folder ("2023/evaluations/roads/photo.png"), if it may be
	// published; image says it is shown as an image. The error says why
	// not, in words for the web staffer.
	Read(name string, image bool) ([]byte, error)
}

// FileProblem is a reference to a file beside a record that cannot be
// published.
type FileProblem struct {
	File string // the narrative, as content.Record.NarrativeFile names it
	Line int
	Ref  string // the destination as written
	Err  error  // from Files.Read
	// Target is where the file would be published ("2023/roads/x.png"):
	// the pages link it all the same, and the link check need not
	// report it again.
	Target string
}

// SetFiles makes the renderer publish the files that narratives reference
// beside their records, read from files. Without it references are left
// as written.
func (r *Renderer) SetFiles(files Files) { r.files = files }

// FileProblems returns the references that could not be published, by
// file and line.
func (r *Renderer) FileProblems() []FileProblem {
	r.filesMu.Lock()
	defer r.filesMu.Unlock()
	out := slices.Clone(r.fileProblems)
	slices.SortFunc(out, func(a, b FileProblem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Ref, b.Ref))
	})
	return slices.CompactFunc(out, func(a, b FileProblem) bool {
		return a.File == b.File && a.Line == b.Line && a.Ref == b.Ref
	})
}

// Published returns the files beside records that the renderer published,
// as names relative to the content folder.
func (r *Renderer) Published() map[string]bool {
	r.filesMu.Lock()
	defer r.filesMu.Unlock()
	out := make(map[string]bool, len(r.published))
	for k := range r.published {
		out[k] = true
	}
	return out
}

// recordDir is the folder of e's record and narrative in the content.
func recordDir(e *score.Evaluation) string { return fmt.Sprintf("%d/evaluations", e.Year) }

// resolver returns the narrative resolver of e's page. With w, it
// publishes each file referenced (once) and notes the problems; without,
// it only rewrites the references (a booklet converting again).
func (r *Renderer) resolver(e *score.Evaluation, w Writer) narrative.Resolver {
	if r.files == nil {
		return nil
	}
	dir := recordDir(e)
	var werr error
	// read notes the files read and checked, and how: a file both
	// linked and shown as an image is checked as both.
	read := map[[2]string]error{}
	return func(ref narrative.Ref) (string, bool) {
		if ref.Path == "" {
			return "", false
		}
		// Relative to the narrative's folder, as the editor resolves it.
		rest, ok := strings.CutPrefix(path.Clean(ref.Path), e.Slug+"/")
		if !ok {
			return "", false
		}
		dest := escapePath(rest) + ref.Suffix
		if w == nil {
			return dest, true
		}
		name := dir + "/" + e.Slug + "/" + rest
		key := [2]string{name, fmt.Sprint(ref.Image)}
		err, done := read[key]
		var data []byte
		if !done {
			data, err = r.files.Read(name, ref.Image)
			read[key] = err
		}
		r.filesMu.Lock()
		defer r.filesMu.Unlock()
		if err != nil {
			// Each reference to a file that cannot be published is
			// reported at its own line.
			r.fileProblems = append(r.fileProblems, FileProblem{File: e.NarrativeFile, Line: ref.Line, Ref: ref.Dest, Err: err, Target: e.Path() + rest})
			return dest, true
		}
		if r.published == nil {
			r.published = map[string]bool{}
		}
		if !done && !r.published[name] && werr == nil {
			r.published[name] = true
			werr = w.Write(e.Path()+rest, data)
			if werr != nil {
				r.fileProblems = append(r.fileProblems, FileProblem{File: e.NarrativeFile, Line: ref.Line, Ref: ref.Dest, Err: werr, Target: e.Path() + rest})
			}
		}
		return dest, true
	}
}

// escapePath percent-encodes a slash path for an href: each segment as
// url.PathEscape does, and '&' too, so that the narrative renderer, which
// resolves entity references in a destination, leaves it as it is.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = strings.ReplaceAll(url.PathEscape(s), "&", "%26")
	}
	return strings.Join(segs, "/")
}

// filesState is the renderer's record of published files.
type filesState struct {
	files        Files
	filesMu      sync.Mutex
	fileProblems []FileProblem
	published    map[string]bool
}
