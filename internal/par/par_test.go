package par

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestEachCallsEveryIndexOnce(t *testing.T) {
	t.Parallel()
	const n = 1000
	var seen [n]atomic.Int32
	if err := Each(context.Background(), n, func(_ context.Context, i int) error {
		seen[i].Add(1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	eachOnce(t, seen[:])
}

// eachOnce checks that every index was seen once.
func eachOnce(t *testing.T, seen []atomic.Int32) {
	t.Helper()
	for i := range seen {
		if got := seen[i].Load(); got != 1 {
			t.Fatalf("index %d of %d called %d times", i, len(seen), got)
		}
	}
}

func TestEachStopsAtFirstError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var calls atomic.Int64
	err := Each(context.Background(), 100000, func(_ context.Context, i int) error {
		calls.Add(1)
		if i == 10 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	// Workers that were running finish their item; none starts many more.
	if c := calls.Load(); c > 10+int64(Workers())*1000 {
		t.Errorf("%d calls after the error: the pool did not stop", c)
	}
}

func TestEachHonoursCancelledContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var calls atomic.Int64
	err := Each(ctx, 100, func(context.Context, int) error { calls.Add(1); return nil })
	if !errors.Is(err, context.Canceled) || calls.Load() != 0 {
		t.Fatalf("err = %v after %d calls, want context.Canceled and none", err, calls.Load())
	}
}

func TestDoRunsAllAndReturnsError(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	var ran atomic.Int32
	err := Do(context.Background(),
		func(context.Context) error { ran.Add(1); return nil },
		func(context.Context) error { ran.Add(1); return boom },
	)
	if !errors.Is(err, boom) || ran.Load() != 2 {
		t.Fatalf("err = %v, ran %d", err, ran.Load())
	}
}

func TestEmpty(t *testing.T) {
	t.Parallel()
	if err := Each(context.Background(), 0, func(context.Context, int) error { panic("called") }); err != nil {
		t.Fatal(err)
	}
	if err := All(context.Background(), []int(nil), func(context.Context, int) error { panic("called") }); err != nil {
		t.Fatal(err)
	}
}

func TestClockSumsStagesByName(t *testing.T) {
	t.Parallel()
	c := NewClock("a", "b")
	start := time.Now().Add(-2 * time.Second)
	next := c.Since(1, start)
	c.Since(1, next.Add(-time.Second))
	got := c.Spent()
	if got["a"] != 0 || got["b"] < 3*time.Second || len(got) != 2 {
		t.Errorf("Spent() = %v, want a 0 and b at least 3s", got)
	}
}

// TestRangesCoverEveryIndexOnce: the ranges cover [0, n) without overlap,
// for sizes around the workers' count, and an error is returned.
func TestRangesCoverEveryIndexOnce(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, 7, Workers()*4 - 1, Workers() * 4, 1001} {
		seen := make([]atomic.Int32, n)
		if err := Ranges(context.Background(), n, func(lo, hi int) error {
			if hi-lo > RangeSize(n) || lo >= hi {
				t.Errorf("n %d: range [%d, %d) against size %d", n, lo, hi, RangeSize(n))
			}
			for i := lo; i < hi; i++ {
				seen[i].Add(1)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		eachOnce(t, seen)
	}
	boom := errors.New("boom")
	if err := Ranges(context.Background(), 100, func(lo, hi int) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
}
