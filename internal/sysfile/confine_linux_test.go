package sysfile

import "testing"

// The checks hold where openat2 is missing too (Linux before 5.6, or a
// seccomp profile that forbids it).
func TestDirFSWithoutOpenat2(t *testing.T) {
	was := noOpenat2.Load()
	noOpenat2.Store(true)
	defer noOpenat2.Store(was)
	TestDirFSRefusesLinksAndSpecialFiles(t)
}
