package site

import (
	"bytes"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/evalpress/evalpress/internal/score"
)

// TestMemoStaysWithinItsBound checks that the fragment cache of a build
// never holds more than its bound however many fragments a site has (one
// per evaluation and finding), and that a value forgotten is made again
// the same.
func TestMemoStaysWithinItsBound(t *testing.T) {
	pool := &memoPool{limit: 1000}
	c := newMemo(pool, func(_ int, s string) int { return len(s) + 10 })
	// A second memo of the pool is forgotten with the first.
	other := newMemo[string, string](pool, nil)
	other.get("x", func() (string, error) { return "x", nil })
	made := 0
	for round := range 2 {
		for k := range 500 {
			v, err := c.get(k, func() (string, error) { made++; return "fragment " + strconv.Itoa(k), nil })
			if err != nil || v != "fragment "+strconv.Itoa(k) {
				t.Fatalf("round %d: key %d: %q, %v", round, k, v, err)
			}
			if pool.size > pool.limit {
				t.Fatalf("round %d: the memo holds %d, over its bound %d", round, pool.size, pool.limit)
			}
		}
	}
	if made <= 500 {
		t.Errorf("made %d values for 1,000 asks of 500 keys: nothing was ever forgotten", made)
	}
	if other.m != nil {
		t.Errorf("another memo of the pool kept its entries when the bound was reached: %v", other.m)
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

// TestPageBufferSizedFromLastPage checks that a page's buffer starts as
// large as the last page of its template, so that a page of megabytes
// is not grown by doubling from pageSize, and that such a buffer is still
// not kept in the pool.
func TestPageBufferSizedFromLastPage(t *testing.T) {
	r := &Renderer{sizes: map[string]*atomic.Int64{"booklet.html": new(atomic.Int64), "evaluation.html": new(atomic.Int64)}}
	r.bufs.New = func() any { return new(bytes.Buffer) }
	const big = 3 << 20
	buf := r.pageBuf("booklet.html")
	if buf.Cap() < pageSize {
		t.Errorf("a first page's buffer holds %d bytes, want at least %d", buf.Cap(), pageSize)
	}
	buf.Write(make([]byte, big))
	r.donePage("booklet.html", buf)
	next := r.pageBuf("booklet.html")
	if next == buf {
		t.Error("a buffer of 3 MiB went back to the pool")
	}
	if next.Cap() < big || next.Len() != 0 {
		t.Errorf("the next booklet's buffer holds %d bytes (length %d), want room for the last one's %d", next.Cap(), next.Len(), big)
	}
	if other := r.pageBuf("evaluation.html"); other.Cap() >= big {
		t.Errorf("an evaluation page's buffer was sized from a booklet: %d bytes", other.Cap())
	}
}

// TestRowFragmentWeighsItsKey checks that an indicator row kept in the
// fragment cache counts the text its key keeps alive: a long deviation
// analysis held by the key, not only the HTML made of it, weighs against
// the cache's bound.
func TestRowFragmentWeighsItsKey(t *testing.T) {
	long := strings.Repeat("偏差原因", 500) // 6,000 bytes
	row := score.Row{Name: "产出数量", Deviation: long}
	got := rowFragmentSize(row, "<tr></tr>")
	if want := len(long) + len("<tr></tr>") + fragmentOverhead; got < want {
		t.Errorf("a row with a deviation of %d bytes weighs %d in the cache, want at least %d", len(long), got, want)
	}
	// Other fragments weigh their HTML and their slot.
	if got := fragmentSize([2]string{"../", "years"}, "<header></header>"); got != len("<header></header>")+fragmentOverhead {
		t.Errorf("a masthead weighs %d in the cache, want %d", got, len("<header></header>")+fragmentOverhead)
	}
}
