//go:build !windows

package sysfile

// transient reports whether err may pass by itself: never, on these
// systems (a busy mount point stays busy).
func transient(error) bool { return false }
