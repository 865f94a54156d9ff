package sysfile

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"
)

// Listings holds the listings of the folders read through a DirFS made by
// DirFSListed, from one build to the next, for a process that the system
// tells of every change of the folder (evalpress build -watch): a folder
// whose names did not change is not read again. At 100,000 evaluations
// the content's folders were read twice a build (the load's records and
// the list of every content file), some 0.45 s of CPU of each rebuild.
//
// A listing says which names a folder holds and what each is (file,
// folder, link); what it does not hold is each file's content or size,
// which the build reads or looks at anew (DirEntry.Info looks when
// asked). Hidden folders, and those below one, are neither held nor
// answered from the listings, since a watch does not follow them.
type Listings struct {
	mu   sync.Mutex
	dirs map[string][]fs.DirEntry // by name within the FS, "." for its root
}

// NewListings returns empty Listings.
func NewListings() *Listings { return &Listings{dirs: map[string][]fs.DirEntry{}} }

// Forget drops the listings that a change of the entries names (each a
// file or folder created, removed or renamed, with its path within the
// FS, '/' between names) may have made stale: that of the folder it is
// in, and, in case it is a folder (renamed, removed or replaced), its own
// and every one below it. A file written in place changes no listing.
func (l *Listings) Forget(names map[string]bool) {
	if l == nil || len(names) == 0 {
		return
	}
	parents := make(map[string]bool, len(names))
	for name := range names {
		parents[path.Dir(name)] = true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for dir := range l.dirs {
		if parents[dir] {
			delete(l.dirs, dir)
			continue
		}
		for p := dir; p != "." && p != "/"; p = path.Dir(p) {
			if names[p] {
				delete(l.dirs, dir)
				break
			}
		}
	}
}

// ForgetAll drops every listing: for a change the system could not name
// (its events overflowed).
func (l *Listings) ForgetAll() {
	if l == nil {
		return
	}
	l.mu.Lock()
	clear(l.dirs)
	l.mu.Unlock()
}

// held returns a copy of the listing held for the folder name.
func (l *Listings) held(name string) ([]fs.DirEntry, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	entries, ok := l.dirs[name]
	return slices.Clone(entries), ok
}

// hold keeps a copy of the listing of the folder name.
func (l *Listings) hold(name string, entries []fs.DirEntry) {
	l.mu.Lock()
	l.dirs[name] = slices.Clone(entries)
	l.mu.Unlock()
}

// followed reports whether a watch of the FS's root follows the folder
// name: no name on its path is hidden.
func followed(name string) bool {
	for part := range strings.SplitSeq(name, "/") {
		if strings.HasPrefix(part, ".") && part != "." {
			return false
		}
	}
	return true
}

// DirFSListed is DirFS, whose ReadDir answers from l for a folder it
// holds and holds each listing it reads; DirFS when l is nil.
func DirFSListed(dir string, l *Listings) fs.FS {
	d := DirFS(dir).(*dirFS)
	d.listings = l
	return d
}
