package search

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// urlsOf returns the URLs of docs.
func urlsOf(docs []Doc) []string {
	var out []string
	for _, d := range docs {
		out = append(out, d.URL)
	}
	return out
}

// streamFiles writes docs through a Stream with the given bound, adding
// them in order from four goroutines, and returns the files and how many
// runs it spilled.
func streamFiles(t *testing.T, docs []Doc, order []int, bound int) (map[string][]byte, int) {
	t.Helper()
	s := NewStream(urlsOf(docs), t.TempDir(), bound)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(order); i += 4 {
				s.Add(docs[order[i]])
			}
		})
	}
	wg.Wait()
	runs := s.runCount()
	var fs memFS
	if err := s.Write(context.Background(), &fs); err != nil {
		t.Fatal(err)
	}
	return fs.files, runs
}

// runCount returns how many runs the Stream's stripes have spilled.
// It waits for the stripes to merge what they were sent.
func (s *Stream) runCount() int {
	s.mu.Lock()
	s.stop()
	s.mu.Unlock()
	s.running.Wait()
	n := 0
	for i := range s.stripes {
		n += len(s.stripes[i].runs)
	}
	return n
}

// builderFiles returns the files a Builder writes for docs: what a
// Stream must write too.
func builderFiles(t *testing.T, docs []Doc) map[string][]byte {
	t.Helper()
	b := NewBuilder()
	for _, d := range docs {
		b.Add(d)
	}
	var want memFS
	if err := b.Write(&want); err != nil {
		t.Fatal(err)
	}
	return want.files
}

// inOrder returns 0, 1, … n-1: documents added in their order.
func inOrder(n int) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	return order
}

func sameFiles(t *testing.T, what string, want, got map[string][]byte) {
	t.Helper()
	if !slices.Equal(slices.Sorted(maps.Keys(want)), slices.Sorted(maps.Keys(got))) {
		t.Fatalf("%s: wrote %d files, want %d", what, len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(data, got[name]) {
			t.Fatalf("%s: %s differs from Index.Write's", what, name)
		}
	}
}

// TestStreamSameFiles: a Stream writes byte for byte what Index.Write
// writes for the same documents, whether it spills or not, in whatever
// order and from however many goroutines the documents come. The small
// site has one shard (fewer than the partitions), the generated one more
// shards than partitions.
func TestStreamSameFiles(t *testing.T) {
	// Not parallel: it cuts the package's sizes, which the parallel
	// tests' builders read.
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	for _, docs := range [][]Doc{small, synthDocs(t, 1000)} {
		want, order := builderFiles(t, docs), inOrder(len(docs))
		// A bound of 1 spills every document: a run each.
		bounds := []int{0, 1, 0, 1}
		if len(docs) > 100 {
			bounds = []int{0, 256 << 10, 0, 64 << 10}
		}
		for round, bound := range bounds {
			if round > 0 {
				rand.New(rand.NewPCG(7, uint64(round))).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			}
			got, runs := streamFiles(t, docs, order, bound)
			if bound > 0 && runs < 2 {
				t.Errorf("bound %d: %d runs, want a test of several", bound, runs)
			}
			sameFiles(t, "stream", want, got)
		}
	}
	// And with lists and positions cut small: most lists in l/, the
	// common bigrams' positions in many blocks, those of the rarer ones
	// with contexts, moved to the temporary files as they are gathered.
	cutSizes(t, func() { inlineDocs, heavyPos, blockBytes, contextDocs, storeUnits = 64, 512, 2048, 100, 1024 })
	docs := synthDocs(t, 1000)
	want := builderFiles(t, docs)
	got, _ := streamFiles(t, docs, inOrder(len(docs)), 256<<10)
	sameFiles(t, "stream, small files", want, got)
}

// TestStreamBounded: what a Stream holds after adding documents is its
// metadata and at most its bound of postings, not the postings of every
// document (about 30 MB for these 1,000).
func TestStreamBounded(t *testing.T) {
	docs := synthDocs(t, 1000)
	heap := func() uint64 {
		// Twice: the pool of tokenised documents lets go of its spares
		// over two collections.
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	measure := func(bound int) uint64 {
		before := heap()
		s := NewStream(urlsOf(docs), t.TempDir(), bound)
		for _, d := range docs {
			s.Add(d)
		}
		// What the stripes hold once they merged all they were sent, not
		// the documents still in their queues.
		settle(s)
		held := heap() - min(before, heap())
		runtime.KeepAlive(s)
		s.Close()
		return held
	}
	all, bounded := measure(0), measure(1<<20)
	t.Logf("held without a bound %d KB, with 1 MB %d KB", all>>10, bounded>>10)
	if bounded > 4<<20 || bounded*4 > all {
		t.Errorf("with a 1 MB bound the stream holds %d KB (%d KB without)", bounded>>10, all>>10)
	}
}

// settle waits until s's stripes have merged every document sent to them:
// it sends each an empty batch, which they take after the others.
func settle(s *Stream) {
	b := &batch{}
	b.left.Store(stripes)
	s.mu.Lock()
	if !s.started || s.stopped {
		s.mu.Unlock()
		return
	}
	for i := range s.stripes {
		s.stripes[i].in <- b
	}
	s.mu.Unlock()
	for b.left.Load() > 0 {
		time.Sleep(time.Millisecond)
	}
}

// failing is a Writer that fails on its nth file.
type failing struct {
	mu sync.Mutex
	n  int
}

func (f *failing) Write(name string, data []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n--; f.n < 0 {
		return errors.New("disk full")
	}
	return nil
}

// TestStreamTemporaryFiles: the spilled runs are removed when the index
// is written, when writing it fails, when it is cancelled and when the
// build stops before writing it; an Add after that leaves nothing.
func TestStreamTemporaryFiles(t *testing.T) {
	docs := synthDocs(t, 300)
	left := func(dir string) []string {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		return names
	}
	for _, tc := range []struct {
		name string
		end  func(s *Stream) error
		want string // in the error; "" for none
	}{
		{"written", func(s *Stream) error { return s.Write(context.Background(), &memFS{}) }, ""},
		{"write fails", func(s *Stream) error { return s.Write(context.Background(), &failing{n: 5}) }, "disk full"},
		{"cancelled", func(s *Stream) error {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return s.Write(ctx, &memFS{})
		}, "context canceled"},
		{"closed", func(s *Stream) error { return s.Close() }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := NewStream(urlsOf(docs), dir, 16<<10)
			for _, d := range docs[:len(docs)-1] {
				s.Add(d)
			}
			if len(left(dir)) == 0 {
				t.Fatal("nothing spilled: the test tests nothing")
			}
			if tc.name != "closed" {
				s.Add(docs[len(docs)-1])
			}
			err := tc.end(s)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
			if names := left(dir); len(names) > 0 {
				t.Errorf("left %v", names)
			}
			for _, d := range docs {
				s.Add(d)
			}
			if names := left(dir); len(names) > 0 {
				t.Errorf("Add after the end left %v", names)
			}
		})
	}
}

// TestStreamDocuments: every document announced must come, once, and no
// other.
func TestStreamDocuments(t *testing.T) {
	t.Parallel()
	urls := urlsOf(small)
	for _, tc := range []struct {
		name string
		add  []Doc
		want string
	}{
		{"missing", small[:2], "no document for 2022/ppp/"},
		{"twice", append(slices.Clone(small), small[0]), "two documents at 2023/disability-subsidies/"},
		{"unexpected", append(slices.Clone(small), Doc{URL: "2024/new/"}), "2024/new/ was not expected"},
	} {
		s := NewStream(urls, "", 0)
		for _, d := range tc.add {
			s.Add(d)
		}
		err := s.Write(context.Background(), &memFS{})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// BenchmarkStream builds and writes the index of 2,000 generated
// evaluations through a Stream, without a bound and with one that spills
// a few runs, to compare with BenchmarkIndex/2000.
//
//	go test ./internal/search -run '^$' -bench 'Index/2000|Stream' -benchmem
func BenchmarkStream(b *testing.B) {
	docs := synthDocs(b, 2000)
	urls := urlsOf(docs)
	for _, bound := range []int{0, 8 << 20} {
		b.Run(strconv.Itoa(bound>>20)+"MB", func(b *testing.B) {
			b.ReportAllocs()
			var tok, merge, spill time.Duration
			for b.Loop() {
				s := NewStream(urls, b.TempDir(), bound)
				var wg sync.WaitGroup
				next := make(chan int)
				for range runtime.GOMAXPROCS(0) {
					wg.Go(func() {
						for i := range next {
							s.Add(docs[i])
						}
					})
				}
				for i := range docs {
					next <- i
				}
				close(next)
				wg.Wait()
				if err := s.Write(context.Background(), &memFS{}); err != nil {
					b.Fatal(err)
				}
				tm := s.Times()
				tok += tm.Tokenize
				merge += tm.Merge
				spill += tm.Spill
			}
			// The stream's own CPU time per build, by step: on a shared
			// machine steadier than the wall time.
			n := float64(b.N)
			b.ReportMetric(float64(tok.Milliseconds())/n, "tokenize-ms/op")
			b.ReportMetric(float64(merge.Milliseconds())/n, "merge-ms/op")
			b.ReportMetric(float64(spill.Milliseconds())/n, "spill-ms/op")
		})
	}
}

// TestStreamManyWorkers: many goroutines adding documents at once, in
// any order, with a bound that spills every stripe at every document,
// still give Index.Write's files; and a spill appends to its stripe's
// temporary file instead of making a file per run, so that the hundreds
// of runs of a large build do not run out of file descriptors.
func TestStreamManyWorkers(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	docs := synthDocs(t, 400)
	want := builderFiles(t, docs)
	order := rand.New(rand.NewPCG(3, 4)).Perm(len(docs))
	dir := t.TempDir()
	s := NewStream(urlsOf(docs), dir, 1)
	var wg sync.WaitGroup
	next := make(chan int)
	for range 32 {
		wg.Go(func() {
			for i := range next {
				s.Add(docs[i])
			}
		})
	}
	for _, i := range order {
		next <- i
	}
	close(next)
	wg.Wait()
	if runs := s.runCount(); runs < len(docs) {
		t.Errorf("%d runs, want a run per document at least", runs)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("temporary folders %v (%v), want one", entries, err)
	}
	files, err := os.ReadDir(dir + "/" + entries[0].Name())
	if err != nil {
		t.Fatal(err)
	}
	// And the documents' texts, for the phrases.
	if len(files) > stripes+1 {
		t.Errorf("%d temporary files for %d runs, want at most one a stripe and the texts", len(files), s.runCount())
	}
	var got memFS
	if err := s.Write(context.Background(), &got); err != nil {
		t.Fatal(err)
	}
	sameFiles(t, "32 workers", want, got.files)
}

// TestStreamInOrder: documents that come a little out of order, as a
// build's workers finish them, reach every term's buffer in id order, so
// that neither a spill nor the merge sorts them; and a document that
// waits for an earlier one does not hold up the stripes for the others.
func TestStreamInOrder(t *testing.T) {
	docs := synthDocs(t, 200)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(8))
	s := NewStream(urlsOf(docs), t.TempDir(), 0)
	// As a build's workers do, each takes the next document when it is
	// done with one; none is more than the window behind the others (a
	// document that is further ahead is added out of order, and sorted).
	var wg sync.WaitGroup
	next := make(chan int)
	done := make([]chan struct{}, len(docs))
	for i := range done {
		done[i] = make(chan struct{})
	}
	for range 8 {
		wg.Go(func() {
			for i := range next {
				s.Add(docs[i])
				close(done[i])
			}
		})
	}
	for i := range docs {
		if i >= window/2 {
			<-done[i-window/2]
		}
		next <- i
	}
	close(next)
	wg.Wait()
	s.runCount()
	for i := range s.stripes {
		for _, p := range s.stripes[i].buf.terms {
			if p.unsorted {
				t.Fatalf("term %x: entries out of order", p.key)
			}
		}
	}
	if n := s.Ahead(); n != 0 {
		t.Errorf("Ahead() = %d documents merged out of turn, want 0", n)
	}
	s.Close()
}

// TestStreamAhead: a document added more than the window ahead of the
// next one is merged out of turn, and counted, so that a build can tell
// that its pages come in an order that makes the index sort its lists.
func TestStreamAhead(t *testing.T) {
	docs := synthDocs(t, 200)
	s := NewStream(urlsOf(docs), t.TempDir(), 0)
	defer s.Close()
	// As a build in the order of slugs adds "roads" before "roads-2",
	// whose URL sorts first.
	s.Add(docs[window+10])
	for i, d := range docs {
		if i != window+10 {
			s.Add(d)
		}
	}
	if n := s.Ahead(); n != 1 {
		t.Errorf("Ahead() = %d, want 1", n)
	}
}

// TestStreamTimes: the times a Stream reports are its own work; the time
// a worker waited to hand a document on is reported apart, as Wait, and
// not in the work (a build's timings used to sum the workers' time in
// the index, waits included, and the index looked ten times as costly as
// it was).
func TestStreamTimes(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU time of a thread: Linux only")
	}
	docs := synthDocs(t, 20)
	s := NewStream(urlsOf(docs), t.TempDir(), 64<<10)
	for _, d := range docs[:10] {
		s.Add(d)
	}
	const held = time.Second
	s.mu.Lock()
	done := make(chan struct{})
	go func() {
		for _, d := range docs[10:] {
			s.Add(d)
		}
		close(done)
	}()
	time.Sleep(held)
	s.mu.Unlock()
	<-done
	if err := s.Write(context.Background(), &memFS{}); err != nil {
		t.Fatal(err)
	}
	tm := s.Times()
	t.Logf("%+v", tm)
	// The adding goroutine may reach the lock a little after the sleep
	// began (CI measured 971 ms of a held second), so half is asked.
	if tm.Wait < held/2 {
		t.Errorf("waited %v, want at least %v of the %v the lock was held", tm.Wait, held/2, held)
	}
	if tm.Tokenize <= 0 || tm.Merge <= 0 || tm.Spill <= 0 {
		t.Errorf("%+v: want the work measured", tm)
	}
	if work := tm.Tokenize + tm.Merge + tm.Spill; work >= held/2 {
		t.Errorf("work %v counts the wait", work)
	}
}

// TestStreamMergeKeeps: merging the runs keeps merged partitions in
// memory up to the bound and writes the others to temporary files; with
// both kinds, the files are still Index.Write's.
func TestStreamMergeKeeps(t *testing.T) {
	docs := synthDocs(t, 1000)
	const bound = 1 << 20
	s := NewStream(urlsOf(docs), t.TempDir(), bound)
	for _, d := range docs {
		s.Add(d)
	}
	s.runCount()
	s.mu.Lock()
	err := s.spillRest()
	var parts []merged
	if err == nil {
		parts, _, err = s.merge(context.Background())
	}
	s.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	kept, held, filed := 0, 0, 0
	for _, m := range parts {
		switch {
		case m.file != "":
			filed++
		case m.data != nil:
			kept++
			held += cap(m.data)
		}
	}
	s.Close()
	if kept == 0 || filed == 0 || held > bound {
		t.Fatalf("%d partitions kept (%d bytes of a bound of %d), %d in files: want both", kept, held, bound, filed)
	}

	want, order := builderFiles(t, docs), inOrder(len(docs))
	got, _ := streamFiles(t, docs, order, bound)
	sameFiles(t, "stream", want, got)
}
