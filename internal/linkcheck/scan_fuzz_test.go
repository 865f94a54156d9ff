package linkcheck

import "testing"

// FuzzScanTags: whatever the document, the fast scan either declines it
// or reads the same elements as the tokenizer.
func FuzzScanTags(f *testing.F) {
	for _, s := range []string{
		`<a href='x.html' id=a1 title="a > b">x</a><img src=y.png alt=z>`,
		"<!-- <a href=\"no\"> -->\n<a href=\"yes\">\n</a>",
		"<script>if (a<b) {}</script>\n<a href=\"y\">",
		`<a href="a?x=1&amp;y=2#f&#233;">x</a>`,
		`<svg><![CDATA[ <a href="no"> ]]><use href="#i"/></svg>`,
		`</a title=">"><A HREF=x><noscript><a href=n></noscript>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if diff, _ := ScanDiff(data); diff != "" {
			t.Errorf("%q: %s", data, diff)
		}
	})
}
