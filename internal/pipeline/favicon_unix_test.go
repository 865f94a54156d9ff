//go:build unix

package pipeline_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestFaviconLinkOutOfContent names, as the favicon, a symbolic link in
// the content folder to a file outside it, and one through a linked
// folder: nothing outside the content folder is read, the build fails at
// site.toml's favicon line, and no output holds the file.
func TestFaviconLinkOutOfContent(t *testing.T) {
	t.Parallel()
	for _, favicon := range []string{"favicon.png", "icons/favicon.png"} {
		t.Run(favicon, func(t *testing.T) {
			t.Parallel()
			s := wholesite.Run(t, siteToml+"favicon = \""+favicon+"\"\n"+goodRecord)
			outside := t.TempDir()
			secret := pngIcon + "SECRET-OUTSIDE-CONTENT"
			if err := os.WriteFile(filepath.Join(outside, "favicon.png"), []byte(secret), 0o600); err != nil {
				t.Fatal(err)
			}
			link, target := filepath.Join(s.Content(), "favicon.png"), filepath.Join(outside, "favicon.png")
			if strings.Contains(favicon, "/") {
				link, target = filepath.Join(s.Content(), "icons"), outside
			}
			if err := os.Symlink(target, link); err != nil {
				t.Fatal(err)
			}
			s = s.Again()
			if s.Err() == nil {
				t.Fatalf("the build read the icon through a link out of the content folder")
			}
			s.AssertDiag("site.toml:4", "error: favicon: favicon（网站图标）")
			if _, err := os.Stat(s.Out()); err == nil {
				s.AssertNowhere("SECRET-OUTSIDE-CONTENT")
			}
		})
	}
}
