package main

import (
	"strings"
	"testing"
)

// TestServeHelpNamesTheMarks checks that serve -h says how the preview
// marks what it shows beyond the published site, in the words the pages
// use: its -future help once ended mid-sentence at “并标明”.
func TestServeHelpNamesTheMarks(t *testing.T) {
	_, stderr, _ := runCmd("serve", "-h")
	for _, want := range []string{"-drafts", "“未公开”", "-future", "“尚未到公开日期”"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("serve -h lacks %s:\n%s", want, stderr)
		}
	}
}
