package site

import (
	"bytes"
	"strconv"
	"testing"
)

// TestMemoStaysWithinItsBound checks that the fragment cache of a build
// never holds more than its bound however many fragments a site has (one
// per evaluation and finding), and that a value forgotten is made again
// the same.
func TestMemoStaysWithinItsBound(t *testing.T) {
	c := memo[int, string]{limit: 1000, sizeOf: func(s string) int { return len(s) + 10 }}
	made := 0
	for round := range 2 {
		for k := range 500 {
			v, err := c.get(k, func() (string, error) { made++; return "fragment " + strconv.Itoa(k), nil })
			if err != nil || v != "fragment "+strconv.Itoa(k) {
				t.Fatalf("round %d: key %d: %q, %v", round, k, v, err)
			}
			if c.size > c.limit {
				t.Fatalf("round %d: the memo holds %d, over its bound %d", round, c.size, c.limit)
			}
		}
	}
	if made <= 500 {
		t.Errorf("made %d values for 1,000 asks of 500 keys: nothing was ever forgotten", made)
	}
	// Asked again at once, a value kept is not made again.
	v, _ := c.get(499, func() (string, error) { made++; return "", nil })
	if v != "fragment 499" {
		t.Errorf("the last value made was not kept: %q", v)
	}
}

// TestLargeBuffersAreNotPooled checks that a buffer grown by a page of
// megabytes (a booklet, a ledger) is not kept for the pages after it.
func TestLargeBuffersAreNotPooled(t *testing.T) {
	r := &Renderer{}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	big := bytes.NewBuffer(make([]byte, 0, 2*maxPooled))
	r.putBuf(big)
	if got := r.bufs.Get().(*bytes.Buffer); got == big {
		t.Error("a buffer of 2 MiB went back to the pool")
	}
	small := bytes.NewBuffer(make([]byte, 0, pageSize))
	r.putBuf(small)
	r.putBuf(big)
	if got := r.bufs.Get().(*bytes.Buffer); got == big {
		t.Error("a buffer of 2 MiB went back to the pool")
	}
}
