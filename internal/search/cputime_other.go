//go:build !linux

package search

import "time"

// threadCPU returns the time elapsed since the process started: on this
// system the Stream's times are wall times, the time waited for a core
// included (see StreamTimes).
func threadCPU() time.Duration { return wallClock() }
