package sysfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var (
	errHeld   = errors.New("the process cannot access the file because it is being used by another process")
	errDenied = errors.New("permission denied for good")
)

func heldOnly(err error) bool { return errors.Is(err, errHeld) }

func TestRetryOutlastsAFileHeldForAMoment(t *testing.T) {
	calls := 0
	err := retryWhile(heldOnly, func() error {
		calls++
		if calls <= 3 {
			return errHeld // a scanner reading the new pages
		}
		return nil
	})
	if err != nil || calls != 4 {
		t.Errorf("retry = %v after %d calls, want success at the 4th", err, calls)
	}
}

func TestRetryGivesUpOnOtherErrorsAtOnce(t *testing.T) {
	calls := 0
	err := retryWhile(heldOnly, func() error { calls++; return errDenied })
	if !errors.Is(err, errDenied) || calls != 1 {
		t.Errorf("retry = %v after %d calls, want the error after one call", err, calls)
	}
}

func TestRetryStopsAfterItsTime(t *testing.T) {
	defer func(d time.Duration) { retryFor = d }(retryFor)
	retryFor = 50 * time.Millisecond
	start := time.Now()
	calls := 0
	err := retryWhile(heldOnly, func() error { calls++; return errHeld })
	took := time.Since(start)
	if !errors.Is(err, errHeld) {
		t.Errorf("retry = %v, want the held error once time is up", err)
	}
	if took > time.Second || calls < 3 {
		t.Errorf("retry tried %d times in %v, want a few tries within its 50 ms", calls, took)
	}
}

func TestRenameAndRemoveAll(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.MkdirAll(filepath.Join(a, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := Rename(a, b); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(b, "sub")); err != nil {
		t.Errorf("after Rename: %v", err)
	}
	if err := RemoveAll(b); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("after RemoveAll the folder is still there: %v", err)
	}
	// Not transient here: a missing source fails at once.
	start := time.Now()
	if err := Rename(a, b); err == nil || time.Since(start) > time.Second {
		t.Errorf("Rename of a missing folder = %v after %v, want an error at once", err, time.Since(start))
	}
}
