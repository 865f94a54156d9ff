package output

import "golang.org/x/sys/unix"

// exchangeDirs swaps the folders at a and b in one step: at no moment is
// either name missing.
func exchangeDirs(a, b string) error {
	return unix.RenamexNp(a, b, unix.RENAME_SWAP)
}
