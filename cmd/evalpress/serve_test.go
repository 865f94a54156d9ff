package main

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// TestPreviewFlagsOnlyOnServe: -drafts and -future exist on serve only; a
// build or check can never include a record that is not public.
func TestPreviewFlagsOnlyOnServe(t *testing.T) {
	for _, cmd := range []string{"build", "check"} {
		for _, flag := range []string{"-drafts", "-future"} {
			var out, errOut bytes.Buffer
			err := run(context.Background(), []string{cmd, flag}, &out, &errOut)
			if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "flag provided but not defined") {
				t.Errorf("evalpress %s %s = %v, %q; want a usage error", cmd, flag, err, errOut.String())
			}
		}
	}
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve", "-addr", "0.0.0.0:8080", "-drafts"}, &out, &errOut)
	if !errors.Is(err, errUsage) || !strings.Contains(errOut.String(), "本机") {
		t.Errorf("serve on 0.0.0.0 = %v, %q; want a refusal", err, errOut.String())
	}
}
