package sysfile

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/windows"
)

// The errors Windows gives while a file is held open are the ones
// retried, also wrapped as os.Rename wraps them; others are not.
func TestTransientOnWindows(t *testing.T) {
	for _, e := range []error{windows.ERROR_ACCESS_DENIED, windows.ERROR_SHARING_VIOLATION, windows.ERROR_LOCK_VIOLATION} {
		wrapped := &os.LinkError{Op: "rename", Old: `C:\a`, New: `C:\b`, Err: e}
		if !transient(wrapped) {
			t.Errorf("%v is not retried", wrapped)
		}
	}
	for _, e := range []error{windows.ERROR_FILE_NOT_FOUND, windows.ERROR_DISK_FULL, fmt.Errorf("other")} {
		if transient(e) {
			t.Errorf("%v is retried", e)
		}
	}
}

// A folder with a file held open without delete sharing, as a scanner
// holds it, is renamed once the file is closed within the retry time.
func TestRenameWaitsForAHeldFile(t *testing.T) {
	dir := t.TempDir()
	a, b := dir+`\a`, dir+`\b`
	if err := os.Mkdir(a, 0o755); err != nil {
		t.Fatal(err)
	}
	name, err := windows.UTF16PtrFromString(a + `\page.html`)
	if err != nil {
		t.Fatal(err)
	}
	h, err := windows.CreateFile(name, windows.GENERIC_READ|windows.GENERIC_WRITE, windows.FILE_SHARE_READ, nil, windows.CREATE_ALWAYS, windows.FILE_ATTRIBUTE_NORMAL, 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- Rename(a, b) }()
	windows.SleepEx(200, false)
	windows.CloseHandle(h)
	if err := <-done; err != nil {
		t.Errorf("Rename with a file held for 200 ms: %v", err)
	}
}
