package attach

import (
	"bytes"
	"testing"
)

// FuzzCheckSVG: checkSVG never panics, and what it accepts holds no
// script element, event attribute or javascript: URL in plain sight.
func FuzzCheckSVG(f *testing.F) {
	f.Add([]byte(goodSVG))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`))
	f.Add([]byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="x"/>`))
	f.Add([]byte(`<svg><a href="javascript:x"/></svg>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkSVG(data) != nil {
			return
		}
		lower := bytes.ToLower(data)
		for _, bad := range []string{"<script", "javascript:", "<foreignobject"} {
			if bytes.Contains(lower, []byte(bad)) && !bytes.Contains(lower, []byte("<!--")) && !bytes.Contains(lower, []byte("<![cdata[")) && !bytes.Contains(lower, []byte("&")) {
				t.Errorf("accepted an SVG with %s: %q", bad, data)
			}
		}
	})
}
