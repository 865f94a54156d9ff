// Package watch reports the changed files of a content folder, for the
// commands that follow it: the preview (evalpress serve) and the builds
// that keep an output folder up to date (evalpress build -watch).
package watch

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// Watcher reports changed files of the content directory and of the other
// watched folders (templates and assets of a source checkout). fsnotify
// watches one folder at a time, so every folder below is added, and new
// ones as they appear (a new year, its evaluations/).
type Watcher struct {
	w       *fsnotify.Watcher
	content string // absolute
	changes chan Change
	errors  chan error
	done    chan struct{}
}

// Change is one changed file.
type Change struct {
	// Content is the file's path relative to the content directory, with
	// '/'; "" for a file elsewhere (a default template or asset), or when
	// the system lost events: only a full build is then sure to be right.
	Content string
	At      time.Time
	// Entry says that the file or folder was created, removed or
	// renamed: the names its folder holds changed, not only a file's
	// content.
	Entry bool
	// Created says that the name was made, or a file was renamed to it:
	// it was not there before this event.
	Created bool
	// Scratch says that the name is an editor's scratch file (a swap
	// or backup file, a hidden one), which is no part of the site and
	// calls for no build; it is reported only when it comes or goes, for
	// those who hold the folders' listings (sysfile.Listings).
	Scratch bool
}

// New watches contentDir and the folders others, each with every folder
// below it but hidden ones, until Close.
func New(contentDir string, others []string) (*Watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	abs, err := filepath.Abs(contentDir)
	if err != nil {
		fw.Close()
		return nil, err
	}
	w := &Watcher{w: fw, content: abs, changes: make(chan Change, 64), errors: make(chan error, 1), done: make(chan struct{})}
	for _, dir := range append([]string{abs}, others...) {
		if err := w.addTree(dir); err != nil {
			fw.Close()
			return nil, err
		}
	}
	go w.run()
	return w, nil
}

// addTree watches dir and every folder below it, except hidden ones.
func (w *Watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // gone already, or unreadable: the build will say
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		return w.w.Add(p)
	})
}

func (w *Watcher) run() {
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.w.Events:
			if !ok {
				return
			}
			w.event(ev)
		case err, ok := <-w.w.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Events were lost: only a full build is sure to be right.
				select {
				case w.changes <- Change{At: time.Now()}:
				case <-w.done:
				}
				continue
			}
			select {
			case w.errors <- err:
			default:
			}
		}
	}
}

func (w *Watcher) event(ev fsnotify.Event) {
	entry := ev.Has(fsnotify.Create) || ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename)
	scratch := ignored(filepath.Base(ev.Name))
	if ev.Op == fsnotify.Chmod || scratch && !entry {
		return
	}
	now := time.Now()
	// Every folder but hidden ones is watched, as at the start, a
	// scratch-named one too (sysfile.Listings holds its listing).
	if ev.Has(fsnotify.Create) && !strings.HasPrefix(filepath.Base(ev.Name), ".") {
		if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
			w.addTree(ev.Name)
		}
	}
	c := Change{At: now, Entry: entry, Created: ev.Has(fsnotify.Create), Scratch: scratch}
	if rel, err := filepath.Rel(w.content, ev.Name); err == nil && !strings.HasPrefix(rel, "..") {
		c.Content = filepath.ToSlash(rel)
	}
	select {
	case w.changes <- c:
	case <-w.done:
	}
}

// ignored reports an editor's scratch file: a swap or backup file, or the
// probe vim writes to test a folder.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		strings.HasSuffix(name, ".swp") || strings.HasSuffix(name, ".swx") || name == "4913"
}

// Changes are the changed files, as they are seen.
func (w *Watcher) Changes() <-chan Change { return w.changes }

// Errors are the errors of the system's watch (at most one waits).
func (w *Watcher) Errors() <-chan error { return w.errors }

// Close stops watching.
func (w *Watcher) Close() {
	close(w.done)
	w.w.Close()
}
