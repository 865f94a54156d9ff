package par

import (
	"sync/atomic"
	"time"
)

// Clock sums, over all workers, the time spent in each of a few named
// stages, for the figures a build prints (make bench holds some of them to
// a budget). The zero value is not usable: make one with NewClock.
type Clock struct {
	names []string
	spent []atomic.Int64
}

// NewClock returns a clock for the stages named names; a stage is its
// index in names.
func NewClock(names ...string) *Clock {
	return &Clock{names: names, spent: make([]atomic.Int64, len(names))}
}

// Since adds the time since start to stage and returns now, the start of
// whatever comes next.
func (c *Clock) Since(stage int, start time.Time) time.Time {
	now := time.Now()
	c.spent[stage].Add(int64(now.Sub(start)))
	return now
}

// Spent returns the time each stage took, by name. Summed over workers, it
// can exceed the wall time on several cores.
func (c *Clock) Spent() map[string]time.Duration {
	m := make(map[string]time.Duration, len(c.names))
	for i, name := range c.names {
		m[name] = time.Duration(c.spent[i].Load())
	}
	return m
}
