package output

import "golang.org/x/sys/unix"

// exchangeDirs swaps the folders at a and b in one step: at no moment is
// either name missing.
func exchangeDirs(a, b string) error {
	return unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
}
