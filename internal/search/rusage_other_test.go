//go:build !unix

package search

import "time"

// cpuTime is unknown where getrusage is missing; the benchmark then
// reports wall time only.
func cpuTime() time.Duration { return 0 }
