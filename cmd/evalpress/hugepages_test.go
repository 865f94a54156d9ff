package main

import (
	"testing"
)

// TestHugeHeapFor: a build asks huge pages for about the heap its site
// grows to, within 3/4 of the memory limit, and nothing for a small
// site (under hugeHeapMin, preferHugePages does not ask).
func TestHugeHeapFor(t *testing.T) {
	const mb = 1 << 20
	limit10k := int64(gcLimitFor(0, gcLimitFloor, 0))
	floor100k := uint64(gcLimitFloor * gcScale(100000))
	limit100k := gcLimitFor(0, floor100k, 200*mb)
	for _, c := range []struct {
		n     int
		limit int64
		want  uint64
	}{
		{0, limit10k, 0},
		{18, limit10k, 18 * hugeHeapPerEvaluation}, // the default site: under hugeHeapMin
		{1000, limit10k, 1000 * hugeHeapPerEvaluation},
		{10000, limit10k, 336 * mb},                    // 3/4 of 448 MiB
		{100000, limit100k, uint64(limit100k) / 4 * 3}, // 3/4 of 1,217 MiB
		{5000, 0, 0}, // no room left
	} {
		if got := hugeHeapFor(c.n, c.limit); got != c.want {
			t.Errorf("%d evaluations, limit %d MiB: %d MiB, want %d MiB", c.n, c.limit/mb, got/mb, c.want/mb)
		}
	}
	if hugeHeapFor(18, limit10k) >= hugeHeapMin {
		t.Errorf("the default site asks for huge pages")
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
