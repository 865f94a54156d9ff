//go:build unix && !linux

package output

// mountTableLists has no mount table to read here; the device check of
// isMountPoint stands alone.
func mountTableLists(dir string) bool { return false }
