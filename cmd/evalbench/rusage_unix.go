//go:build unix

package main

import (
	"os"
	"runtime"
	"syscall"
)

// peakRSSKiB returns the child's peak resident set size in KiB. Linux
// reports ru_maxrss in KiB, macOS in bytes.
func peakRSSKiB(st *os.ProcessState) int64 {
	ru, ok := st.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0
	}
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		return int64(ru.Maxrss) / 1024
	}
	return int64(ru.Maxrss)
}

// syncDisks asks the kernel to write dirty pages out.
func syncDisks() { syscall.Sync() }

// keepFromChildren marks fd as closed on exec, so that the command a
// launcher runs does not hold the launcher's report pipe open.
func keepFromChildren(fd int) { syscall.CloseOnExec(fd) }
