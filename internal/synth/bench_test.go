package synth

import "testing"

// BenchmarkRecords measures filling and encoding records without the file
// system, the part of Generate this package controls.
func BenchmarkRecords(b *testing.B) {
	recs := plan(Options{N: b.N, Seed: 1})
	b.ResetTimer()
	for i, r := range recs {
		rng := stream(1, uint64(i)+1)
		r.fill(rng, Options{})
		r.fillForms(formsStream(1, i))
		r.toml()
		if len(r.indicators) > 0 {
			r.narrative(rng)
		}
	}
}

func BenchmarkPlan(b *testing.B) {
	for b.Loop() {
		plan(Options{N: 1000, Seed: 1})
	}
}
