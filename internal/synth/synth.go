package synth

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"

	"github.com/evalpress/evalpress/internal/par"
)

// Version identifies the generator's output: the same Version, N, Seed and
// options give the same bytes. Bump it with any change to what is written,
// so that a cached corpus (see cmd/evalbench) is regenerated.
const Version = 3

// FirstYear and LastYear bound the budget years of generated evaluations.
const (
	FirstYear = 2019
	LastYear  = 2024
)

// Options say what to generate. The zero value of every field but N and
// Seed gives a clean corpus.
type Options struct {
	// N is the number of evaluation records.
	N int
	// Seed fixes every random choice: the same Options give the same bytes.
	Seed int64
	// Warnings is the share of records with indicators (0–1) that get one
	// stated value disagreeing with the computed one — a first-level grade
	// one band off, as in the seed's 附件1, or a total off by 0.5 — which
	// the checker reports as a warning.
	Warnings float64
	// Errors is the share of records with second-level items (0–1) where
	// one item's score is 0.5 off, so that the items no longer sum to their
	// parent: an error that stops the build.
	Errors float64
}

// Generate writes a clean content tree of n evaluations to dir, which must
// be empty or not exist yet. It is GenerateWith with default options.
func Generate(dir string, n int, seed int64) error {
	return GenerateWith(dir, Options{N: n, Seed: seed})
}

// GenerateWith writes the content tree described by opt to dir, which must
// be empty or not exist yet: files of an earlier, larger corpus left in
// place would silently join the new one.
func GenerateWith(dir string, opt Options) error {
	if opt.N < 0 {
		return fmt.Errorf("synth: negative number of records %d", opt.N)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("synth: %s is not empty; remove it or choose another directory", dir)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}

	recs := plan(opt)
	for y := FirstYear; y <= LastYear; y++ {
		if err := os.MkdirAll(filepath.Join(dir, strconv.Itoa(y), "evaluations"), 0o755); err != nil {
			return err
		}
	}

	// Each record draws from its own stream, so the records can be filled in
	// and written in parallel with output independent of scheduling.
	err := parallel(len(recs), func(i int) error {
		r := recs[i]
		rng := stream(opt.Seed, uint64(i)+1)
		r.fill(rng, opt)
		r.fillForms(formsStream(opt.Seed, i))
		base := filepath.Join(dir, strconv.Itoa(r.year), "evaluations", r.slug)
		if err := os.WriteFile(base+".toml", r.toml(), 0o644); err != nil {
			return err
		}
		if len(r.indicators) == 0 {
			return nil // a list-only disclosure has no narrative
		}
		return os.WriteFile(base+".md", r.narrative(rng), 0o644)
	})
	if err != nil {
		return err
	}

	if err := os.WriteFile(filepath.Join(dir, "site.toml"), siteTOML(), 0o644); err != nil {
		return err
	}
	for y := FirstYear; y <= LastYear; y++ {
		rep := newReport(stream(opt.Seed, 1<<32+uint64(y)), y, recs)
		base := filepath.Join(dir, strconv.Itoa(y), "report")
		if err := os.WriteFile(base+".toml", rep.toml(), 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(base+".md", rep.narrative(), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// stream returns the random source for one part of the corpus. Stream 0
// plans the corpus, 1..n fill the records, 1<<32+year makes a year report.
func stream(seed int64, n uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), n))
}

// parallel calls f(0) … f(n-1) on the worker pool and returns the first
// error by index, not by time, so that the error too is deterministic.
func parallel(n int, f func(int) error) error {
	errs := make([]error, n)
	_ = par.Each(context.Background(), n, func(_ context.Context, j int) error {
		errs[j] = f(j)
		return nil
	})
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
