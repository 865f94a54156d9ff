package buildcache

import (
	"os"
	"sync"

	"github.com/evalpress/evalpress/internal/output"
)

// Held keeps, for a process that builds again and again (evalpress build
// -watch), the payloads of the cache's index and parts as it last wrote
// or read them, each with the size and identity its file had then. A
// later build that finds a file still so takes the payload held instead
// of reading the file and checking it against its hash: at 100,000
// evaluations, 200 MB read and hashed by every rebuild, a second of CPU.
// Any change of the file (written again, by this process or another,
// replaced, touched) changes its identity, and the file is read as
// usual. A system that gives no identity (Ino or CTime zero) holds
// nothing. A Held is safe for concurrent use; the payloads it gives must
// not be changed (they are shared, as a part's records share its
// payload).
type Held struct {
	mu    sync.Mutex
	files map[string]heldFile
}

type heldFile struct {
	size    int64
	id      output.Identity
	payload []byte
}

// NewHeld returns an empty Held.
func NewHeld() *Held { return &Held{files: map[string]heldFile{}} }

// Hold makes c keep its index and parts in h, and take them from it.
func (c *Cache) Hold(h *Held) { c.held = h }

// take returns the payload held for the file at path when the file is
// still the one it was taken from.
func (h *Held) take(path string) ([]byte, bool) {
	if h == nil {
		return nil, false
	}
	h.mu.Lock()
	f, ok := h.files[path]
	h.mu.Unlock()
	if !ok {
		return nil, false
	}
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() != f.size || output.IdentityOf(st) != f.id {
		return nil, false
	}
	return f.payload, true
}

// keep holds payload as the content of the file at path, as it is now:
// fi is what Lstat said of it after it was written or before it was
// read; nil to look now.
func (h *Held) keep(path string, fi os.FileInfo, payload []byte) {
	if h == nil {
		return
	}
	if fi == nil {
		var err error
		if fi, err = os.Lstat(path); err != nil {
			h.forget(path)
			return
		}
	}
	id := output.IdentityOf(fi)
	if !fi.Mode().IsRegular() || id.Ino == 0 || id.CTime == 0 {
		h.forget(path)
		return
	}
	h.mu.Lock()
	h.files[path] = heldFile{fi.Size(), id, payload}
	h.mu.Unlock()
}

// forget lets go of what is held for path.
func (h *Held) forget(path string) {
	if h == nil {
		return
	}
	h.mu.Lock()
	delete(h.files, path)
	h.mu.Unlock()
}
