package main

import (
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePagesAdvised is whether the system takes advice on huge pages.
const hugePagesAdvised = true

// adviseHugePages asks the system to back b with huge pages where it
// can; the error says why it refused (a kernel without them).
func adviseHugePages(b []byte) error {
	return unix.Madvise(b, unix.MADV_HUGEPAGE)
}

func sliceAddr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }
