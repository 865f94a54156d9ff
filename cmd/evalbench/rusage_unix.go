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

// minorFaults returns the page faults the child took that the system
// served from memory (ru_minflt): on this project's machine each costs
// some 12 µs, so they tell where a build's system time went.
func minorFaults(st *os.ProcessState) int64 {
	if ru, ok := st.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Minflt)
	}
	return 0
}

// syncDisks asks the kernel to write dirty pages out.
func syncDisks() { syscall.Sync() }

// keepFromChildren marks fd as closed on exec, so that the command a
// launcher runs does not hold the launcher's report pipe open.
func keepFromChildren(fd int) { syscall.CloseOnExec(fd) }
