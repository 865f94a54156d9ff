package pipeline_test

import (
	"encoding/xml"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestEveryPageHasTheIcon checks that every page names the site's icon
// and that the file it names is there and is SVG: without one, a browser
// asks the portal for /favicon.ico on every page and logs a 404 (issue 14).
func TestEveryPageHasTheIcon(t *testing.T) {
	t.Parallel()
	s := wholesite.BuildDir(t, defaultContent)
	icon := regexp.MustCompile(`<link rel="icon" href="([^"]+)" type="image/svg\+xml">`)
	pages := 0
	for _, name := range s.OutputFiles() {
		if !strings.HasSuffix(name, ".html") {
			continue
		}
		pages++
		m := icon.FindStringSubmatch(s.File(name))
		if m == nil {
			t.Errorf("%s names no icon", name)
			continue
		}
		if name == "404.html" {
			continue // absolute under the base path; the link check covers it
		}
		target := path.Join(path.Dir(name), m[1])
		var svg struct {
			XMLName xml.Name
		}
		if err := xml.Unmarshal([]byte(s.File(target)), &svg); err != nil || svg.XMLName.Local != "svg" {
			t.Errorf("%s: the icon %s is not an SVG image: %v", name, target, err)
		}
	}
	if pages < 10 {
		t.Fatalf("only %d pages: the test proves little", pages)
	}
}
