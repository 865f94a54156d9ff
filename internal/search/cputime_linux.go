package search

import (
	"time"

	"golang.org/x/sys/unix"
)

// threadCPU returns the CPU time of the calling thread. Its caller locks
// the goroutine to the thread (runtime.LockOSThread), so that the
// difference of two calls is the goroutine's own CPU time: neither the
// time it waited for a lock nor the time it waited for a core counts.
func threadCPU() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return wallClock()
	}
	return time.Duration(ts.Nano())
}
