package main

import (
	"testing"
)

// TestHugeHeapFor: a rebuild asks huge pages for about the heap it
// grows to, within 3/4 of the memory limit, and nothing for a small
// site (under hugeHeapMin, preferHugePages does not ask).
func TestHugeHeapFor(t *testing.T) {
	const mb = 1 << 20
	limit10k := gcLimitFor(0, gcLimitFloor, 0)
	limit100k := gcLimitFor(0, uint64(gcLimitFloor*gcScale(100000)), 200*mb)
	for _, c := range []struct {
		pages int
		limit int64
		want  uint64
	}{
		{0, limit10k, 0},
		{18, limit10k, 18 * hugeHeapPerPage}, // the default site: under hugeHeapMin
		{10000, limit10k, 10000 * hugeHeapPerPage},
		{98311, limit100k, uint64(limit100k) / 4 * 3}, // 3/4 of 1,217 MiB
		{5000, 0, 0}, // no room left
	} {
		if got := hugeHeapFor(c.pages, c.limit); got != c.want {
			t.Errorf("%d pages, limit %d MiB: %d MiB, want %d MiB", c.pages, c.limit/mb, got/mb, c.want/mb)
		}
	}
	if hugeHeapFor(18, limit10k) >= hugeHeapMin {
		t.Errorf("the default site asks for huge pages")
	}
}

// TestFreshEnough: a build asks only while the heap's free memory is at
// most an eighth of the block, so that the block comes from the system
// and nothing is cleared; a heap that a full build left large and free
// (build -watch's next build) does not ask.
func TestFreshEnough(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		n, free uint64
		want    bool
	}{
		{900 * mb, 0, true},
		{900 * mb, 40 * mb, true},
		{800 * mb, 100 * mb, true},
		{800 * mb, 101 * mb, false},
		{900 * mb, 700 * mb, false},
	} {
		if got := freshEnough(c.n, c.free); got != c.want {
			t.Errorf("block %d MiB, free %d MiB: %v, want %v", c.n/mb, c.free/mb, got, c.want)
		}
	}
}

// TestThpDisabled follows the runtime's GODEBUG: the last disablethp
// setting counts, and only 1 disables.
func TestThpDisabled(t *testing.T) {
	for _, c := range []struct {
		godebug string
		want    bool
	}{
		{"", false},
		{"disablethp=1", true},
		{"gctrace=1,disablethp=1", true},
		{"disablethp=1, madvdontneed=0", true},
		{"disablethp=0", false},
		{"disablethp=1,disablethp=0", false},
		{"xdisablethp=1", false},
	} {
		if got := thpDisabled(c.godebug); got != c.want {
			t.Errorf("GODEBUG=%q: disabled %v, want %v", c.godebug, got, c.want)
		}
	}
}
