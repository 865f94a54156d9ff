package linkcheck

import (
	"fmt"
	"slices"
	"strings"
)

// ScanDiff compares scanTags with walkHTML on data: "" when they agree
// or scanTags declines the document (and says so with declined).
func ScanDiff(data []byte) (diff string, declined bool) {
	show := func(e element) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%d <%s", e.line, e.tag)
		for _, a := range e.attrs {
			if attrNames[a.Key] != "" {
				fmt.Fprintf(&b, " %s=%q", a.Key, a.Val)
			}
		}
		return b.String() + ">"
	}
	var fast, slow []string
	if !scanTags(data, func(e element) { fast = append(fast, show(e)) }) {
		return "", true
	}
	walkHTML(data, func(e element) { slow = append(slow, show(e)) }, nil)
	if slices.Equal(fast, slow) {
		return "", false
	}
	for i := range max(len(fast), len(slow)) {
		var f, s string
		if i < len(fast) {
			f = fast[i]
		}
		if i < len(slow) {
			s = slow[i]
		}
		if f != s {
			return fmt.Sprintf("element %d: scan %s, tokenizer %s", i, f, s), false
		}
	}
	return "", false
}
