// Package par runs independent pieces of work on all cores. It is the one
// worker pool of evalpress: every stage that fans out (loading records,
// checking them, rendering pages, writing the search index) uses it, so
// that cancellation, the first error and the number of workers are decided
// in one place.
package par

import (
	"context"
	"runtime"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// Workers is the number of goroutines a pool runs: twice the usable cores,
// so that one worker waiting on the disk does not leave a core idle.
func Workers() int { return 2 * runtime.GOMAXPROCS(0) }

// Each calls fn(ctx, i) for every i in [0, n), on at most Workers()
// goroutines, in no particular order. It returns the first error, after
// which no new call starts and ctx, as passed to fn, is cancelled; the
// calls already running finish. A cancelled ctx stops the work the same
// way and returns ctx's error.
func Each(ctx context.Context, n int, fn func(ctx context.Context, i int) error) error {
	g, ctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	for range min(Workers(), n) {
		g.Go(func() error {
			for {
				if err := ctx.Err(); err != nil {
					return err
				}
				i := int(next.Add(1) - 1)
				if i >= n {
					return nil
				}
				if err := fn(ctx, i); err != nil {
					return err
				}
			}
		})
	}
	return g.Wait()
}

// All calls fn for every element of items, as Each does.
func All[T any](ctx context.Context, items []T, fn func(ctx context.Context, item T) error) error {
	return Each(ctx, len(items), func(ctx context.Context, i int) error { return fn(ctx, items[i]) })
}

// Ranges calls fn for consecutive ranges [lo, hi) that cover [0, n), as
// Each does for each range: for many small items (a name to look at, a
// key to hash), where a call each would cost more than the item. The
// ranges are RangeSize(n) long.
func Ranges(ctx context.Context, n int, fn func(lo, hi int) error) error {
	size := RangeSize(n)
	return Each(ctx, (n+size-1)/size, func(_ context.Context, i int) error {
		return fn(i*size, min((i+1)*size, n))
	})
}

// RangeSize is the length of the ranges into which Ranges splits n items:
// four a worker, so that a worker that finishes early takes another.
func RangeSize(n int) int {
	w := Workers()
	return max(1, (n+4*w-1)/(4*w))
}

// Do runs fns concurrently, each on its own goroutine, and returns the
// first error, as Each does. It is for a few unlike jobs (the lists, the
// data, the feeds) rather than many alike.
func Do(ctx context.Context, fns ...func(ctx context.Context) error) error {
	g, ctx := errgroup.WithContext(ctx)
	for _, fn := range fns {
		g.Go(func() error { return fn(ctx) })
	}
	return g.Wait()
}
