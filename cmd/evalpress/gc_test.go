package main

import (
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/sysfile"
)

// TestGCPercentFor is the tuning rule: GOGC lets the heap reach the
// ceiling, at most 4× the live heap more, and is never under the
// default, so that the heap is never allowed more than the default
// allows past the ceiling (at 100,000 evaluations).
func TestGCPercentFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 100},
		{10 * mb, 400},  // small: at most 4× more
		{50 * mb, 400},  // 256 ÷ 50 − 1 = 4.12
		{64 * mb, 300},  // reaches the ceiling exactly
		{100 * mb, 156}, // 256 ÷ 100 − 1
		{128 * mb, 100}, // half the ceiling: the default
		{200 * mb, 100},
		{2000 * mb, 100}, // a province: the default, no more
	} {
		if got := gcPercentFor(c.live, gcCeiling); got != c.want {
			t.Errorf("live %d MiB: GOGC %d, want %d", c.live/mb, got, c.want)
		}
	}
}

// TestGCLimitFor: the memory limit is the floor, or 3/2 of the live
// heap, never under it: a site whose live heap is over the floor is
// collected at most twice as often as by default, never without pause.
// Files mapped into memory take their bytes off the limit, down to 5/4
// of the live heap.
func TestGCLimitFor(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, mapped uint64
		want         int64
	}{
		{0, 0, gcLimitFloor},
		{200 * mb, 0, gcLimitFloor},
		{256 * mb, 0, gcLimitFloor},
		{298 * mb, 0, gcLimitFloor},
		{400 * mb, 0, 600 * mb},
		{2000 * mb, 0, 3000 * mb},
		{0, 48 * mb, gcLimitFloor - 48*mb},
		{200 * mb, 100 * mb, gcLimitFloor - 100*mb},
		{400 * mb, 100 * mb, 500 * mb},
		{400 * mb, 400 * mb, 500 * mb}, // 5/4 of the live heap, no less
		{0, 1000 * mb, 0},              // nothing live, nothing left: collect
		{2000 * mb, 200 * mb, 2800 * mb},
	} {
		if got := gcLimitFor(c.live, gcLimitFloor, c.mapped); got != c.want {
			t.Errorf("live %d MiB, mapped %d MiB: limit %d MiB, want %d MiB", c.live/mb, c.mapped/mb, got/mb, c.want/mb)
		}
	}
	// The first build after an upgrade of evalpress at 100,000
	// evaluations: 899 MB live at its peak, 200 MB of the cache mapped.
	// With them, it has the limit of a first build (1,417 MiB, which
	// peaks at 1,437 MiB of its 1,536), no more.
	floor := uint64(gcLimitFloor * gcScale(100000))
	if got := uint64(gcLimitFor(899*mb, floor, 200*mb)) + 200*mb; got > floor {
		t.Errorf("limit and mapped files at 100,000 evaluations %d MiB, want at most a first build's limit, %d MiB", got/mb, floor/mb)
	}
}

// untunedGC clears GOGC and GOMEMLIMIT from the environment for the
// test, sets GOGC 100 and puts the one before back after it, and returns
// the memory limit before the test.
func untunedGC(t *testing.T) int64 {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	before := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(before) })
	return debug.SetMemoryLimit(-1)
}

// TestTuneGCFollowsCollections checks that the tuning is applied after
// a collection and that stop puts the setting back.
func TestTuneGCFollowsCollections(t *testing.T) {
	limit := untunedGC(t)
	stop, scale, _ := tuneGC()
	// The live heap of this test is far under the ceiling: after a
	// collection, GOGC is raised.
	deadline := time.Now().Add(5 * time.Second)
	got := 100
	for got == 100 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
		got = debug.SetGCPercent(-1)
		debug.SetGCPercent(got)
	}
	if got <= 100 {
		t.Errorf("GOGC %d after collections with a small heap, want it raised", got)
	}
	// Less what earlier builds of this process left mapped (a build's
	// mapped cache lasts as long as the process).
	mapped := int64(mappedBytes())
	if got := debug.SetMemoryLimit(-1); got != gcLimitFloor-mapped {
		t.Errorf("memory limit %d with a small heap and %d bytes mapped, want the floor %d less them", got, mapped, gcLimitFloor)
	}
	// A site of 90,000 evaluations gets three times the floor.
	scale(90000)
	runtime.GC()
	deadline = time.Now().Add(5 * time.Second)
	var got3 int64
	want3 := 3*gcLimitFloor - mapped
	for got3 != want3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		got3 = debug.SetMemoryLimit(-1)
		if got3 != want3 {
			runtime.GC()
		}
	}
	if got3 != want3 {
		t.Errorf("memory limit %d MiB for 90,000 evaluations, want 3× the floor, %d MiB, less %d bytes mapped", got3>>20, 3*gcLimitFloor>>20, mapped)
	}
	stop()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC %d after stop, want the setting before (100)", got)
	}
	if got := debug.SetMemoryLimit(-1); got != limit {
		t.Errorf("memory limit %d after stop, want the one before (%d)", got, limit)
	}
	// A user's own setting stands.
	t.Setenv("GOGC", "50")
	stop, scale, _ = tuneGC()
	scale(100000)
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC %d with GOGC set by the user, want it untouched", got)
	}
	stop()
}

// TestTuneGCLeavesMappedFilesRoom: a file mapped into memory (the build
// cache's, in a build started anew) takes its bytes off the limit that
// the tuner sets at the next collection, and gives them back once let go.
func TestTuneGCLeavesMappedFilesRoom(t *testing.T) {
	untunedGC(t)
	name := filepath.Join(t.TempDir(), "part")
	if err := os.WriteFile(name, make([]byte, 8<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	stop, _, _ := tuneGC()
	defer stop()
	limitAfterGC := func(want int64) int64 {
		deadline := time.Now().Add(5 * time.Second)
		var got int64
		for got != want && time.Now().Before(deadline) {
			runtime.GC()
			time.Sleep(20 * time.Millisecond)
			got = debug.SetMemoryLimit(-1)
		}
		return got
	}
	base := int64(mappedBytes())
	if got := limitAfterGC(gcLimitFloor - base); got != gcLimitFloor-base {
		t.Fatalf("memory limit %d before the mapping, want %d", got, gcLimitFloor-base)
	}
	_, release, err := sysfile.MapFile(name)
	if err != nil {
		t.Fatal(err)
	}
	if int64(mappedBytes()) == base {
		release()
		t.Skip("files are read, not mapped, on this system")
	}
	if got, want := limitAfterGC(gcLimitFloor-base-8<<20), gcLimitFloor-base-8<<20; got != want {
		t.Errorf("memory limit %d MiB with 8 MiB mapped, want %d MiB", got>>20, want>>20)
	}
	release()
	if got := limitAfterGC(gcLimitFloor - base); got != gcLimitFloor-base {
		t.Errorf("memory limit %d MiB once the mapping is let go, want %d MiB", got>>20, (gcLimitFloor-base)>>20)
	}
}

// TestTuneGCFollowsUnaskedCollections: the collections the runtime starts
// of itself, while every core is busy allocating, are followed as they
// come (the tuner once missed them, see gcPollMin): GOGC is raised for
// the small live heap, and the collections are followed one after the
// other, not once.
func TestTuneGCFollowsUnaskedCollections(t *testing.T) {
	untunedGC(t)
	stop, _, _ := tuneGC()
	defer stop()
	followedBefore := gcFollowed.Load()
	var cycles [1]metrics.Sample
	cycles[0].Name = "/gc/cycles/total:gc-cycles"
	metrics.Read(cycles[:])
	before := cycles[0].Value.Uint64()
	var wg sync.WaitGroup
	busy := make(chan struct{})
	var sink [8][]byte
	for w := range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				select {
				case <-busy:
					return
				default:
				}
				sink[w%len(sink)] = make([]byte, 1<<20)
			}
		})
	}
	time.Sleep(1500 * time.Millisecond)
	close(busy)
	wg.Wait()
	metrics.Read(cycles[:])
	ran := int64(cycles[0].Value.Uint64() - before)
	followed := gcFollowed.Load() - followedBefore
	if ran < 4 {
		t.Skipf("only %d collections in 1.5 s of allocating", ran)
	}
	// The live heap the last collection left: small, but for what was
	// allocated while it marked, which counts as live. On a machine busy
	// with other tests a collection marks slowly, and once left over 128
	// MB live (CI, session 54): the tuner then rightly keeps the default.
	time.Sleep(5 * gcPollMin) // the tuner follows the last collection
	live := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(live)
	got := debug.SetGCPercent(-1)
	debug.SetGCPercent(got)
	switch want := gcPercentFor(live[0].Value.Uint64(), gcCeiling); {
	case want <= 100:
		t.Logf("the last collection left %d MB live: GOGC %d, as it should", live[0].Value.Uint64()>>20, got)
	case got <= 100:
		t.Errorf("GOGC %d after %d collections over a small heap (%d MB live), want it raised", got, ran, live[0].Value.Uint64()>>20)
	}
	if followed < 3 {
		t.Errorf("%d of %d collections followed, want at least 3", followed, ran)
	}
}

// TestGCScale: a site of up to 10,000 evaluations has the budget that
// make bench measures; a larger one √(n/10,000) times it, so that
// 100,000 evaluations have about 1.4 GB of limit, within their 1.5 GiB.
func TestGCScale(t *testing.T) {
	for _, c := range []struct {
		n    int
		want float64
	}{{0, 1}, {500, 1}, {10000, 1}, {40000, 2}, {90000, 3}} {
		if got := gcScale(c.n); got != c.want {
			t.Errorf("%d evaluations: scale %v, want %v", c.n, got, c.want)
		}
	}
	if limit := gcLimitFor(0, uint64(gcLimitFloor*gcScale(100000)), 0); limit < 1400<<20 || limit > 1450<<20 {
		t.Errorf("limit for 100,000 evaluations %d MiB, want about 1,417", limit>>20)
	}
}
