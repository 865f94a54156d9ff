package search

import "time"

var started = time.Now()

// wallClock returns the time since the process started, monotonic.
func wallClock() time.Duration { return time.Since(started) }
