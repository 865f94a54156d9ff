package sysfile

import (
	"errors"

	"golang.org/x/sys/windows"
)

// transient reports whether err is one Windows gives while another
// program holds a file open for a moment: access denied (a file open
// without delete sharing in a folder being renamed, or a file whose
// deletion is pending), a sharing or a lock violation.
func transient(err error) bool {
	return errors.Is(err, windows.ERROR_ACCESS_DENIED) ||
		errors.Is(err, windows.ERROR_SHARING_VIOLATION) ||
		errors.Is(err, windows.ERROR_LOCK_VIOLATION)
}
