package main

import (
	"bytes"
	"os"
	"runtime/metrics"
	"runtime/pprof"
	"sync"
	"time"
)

// memSampleEvery is how often the heap is looked at by a -memprofile
// build: often enough that a stage holding its peak for a fraction of a
// second is caught, rarely enough to cost nothing measurable.
const memSampleEvery = 50 * time.Millisecond

// liveHeapMetric is the heap that survived the last garbage collection,
// the same moment a heap profile describes.
const liveHeapMetric = "/gc/heap/live:bytes"

// startMemProfile samples the live heap while the build runs and, when
// stop is called, writes to file the heap profile taken when the live heap
// was largest. A profile at the end of a build would show what is left,
// not what the build held at its peak, and the peak's stage is not known
// in advance: it moves as stages are made to stream, so it is found by
// sampling rather than by a hook at one point of the pipeline.
func startMemProfile(file string) (stop func() error, err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	s := &memSampler{done: make(chan struct{})}
	s.wg.Add(1)
	go s.run()
	return func() error {
		close(s.done)
		s.wg.Wait()
		s.sample() // the end of the build may be its peak
		_, werr := f.Write(s.best.Bytes())
		if cerr := f.Close(); werr == nil {
			werr = cerr
		}
		return werr
	}, nil
}

// memSampler keeps the heap profile of the largest live heap seen.
type memSampler struct {
	done chan struct{}
	wg   sync.WaitGroup
	// peak is the live heap when best was taken; gc is the cycle last
	// looked at, so that a profile is taken once per collection at most.
	peak, gc uint64
	best     bytes.Buffer
}

func (s *memSampler) run() {
	defer s.wg.Done()
	t := time.NewTicker(memSampleEvery)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			s.sample()
		}
	}
}

// sample takes a heap profile when a collection has run since the last
// look and left more live heap than any before it.
func (s *memSampler) sample() {
	m := []metrics.Sample{{Name: liveHeapMetric}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(m)
	if m[0].Value.Kind() != metrics.KindUint64 || m[1].Value.Kind() != metrics.KindUint64 {
		return
	}
	live, gc := m[0].Value.Uint64(), m[1].Value.Uint64()
	if s.best.Len() > 0 && (gc == s.gc || live <= s.peak) {
		s.gc = gc
		return
	}
	s.gc, s.peak = gc, live
	s.best.Reset()
	// The heap profile is as of the last collection, the moment live
	// was measured.
	_ = pprof.Lookup("heap").WriteTo(&s.best, 0)
}
