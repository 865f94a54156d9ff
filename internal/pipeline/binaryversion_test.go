package pipeline

import (
	"runtime/debug"
	"testing"
)

// TestPinnedBy checks which builds of evalpress key their pages by their
// version and revision alone, and which by the executable too: a build
// from a modified tree changes its code without changing its version,
// so its pages must not be taken for another such build's.
func TestPinnedBy(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	const rev = "9e26995f2d17bf2ce6803070f38d7dfbe69bb142"
	for _, tt := range []struct {
		name     string
		version  string
		settings []debug.BuildSetting
		pinned   bool
	}{
		{"a commit, built from a clean tree", "v0.0.0-20261204114304-9e26995f2d17", vcs(rev, "false"), true},
		{"a tagged release", "v1.2.0", vcs(rev, "false"), true},
		{"go install …@v1.2.0, no VCS", "v1.2.0", nil, true},
		{"a modified tree (Go 1.24 on)", "v0.0.0-20261204114304-9e26995f2d17+dirty", vcs(rev, "true"), false},
		{"a modified tree, an older Go", "(devel)", vcs(rev, "true"), false},
		{"-buildvcs=false", "(devel)", nil, false},
		{"a test binary", "", nil, false},
	} {
		info := &debug.BuildInfo{Main: debug.Module{Path: "github.com/evalpress/evalpress", Version: tt.version}, Settings: tt.settings}
		if _, pinned := pinnedBy(info); pinned != tt.pinned {
			t.Errorf("%s: pinned %v, want %v", tt.name, pinned, tt.pinned)
		}
	}
}
