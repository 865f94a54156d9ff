package decimal

import (
	"math"
	"math/big"
	"math/bits"
)

// Sum is an exact total of any number of D values: a 128-bit accumulator,
// so that a site's budgets (100,000 records of up to 10^9 万元 each, 10^20
// millionths, beyond an int64) add up without overflow or rounding. Adding
// is two machine additions; only formatting and shares of totals that no
// longer fit a D go through math/big, once per total shown. The zero value
// is 0.
type Sum struct {
	hi int64
	lo uint64
}

// Add adds d to s.
func (s *Sum) Add(d D) {
	var carry uint64
	s.lo, carry = bits.Add64(s.lo, uint64(d), 0)
	// Sign-extend d into the high word.
	s.hi += int64(d>>63) + int64(carry)
}

// small returns s as a D when it fits one.
func (s Sum) small() (D, bool) {
	if (s.hi == 0 && s.lo <= math.MaxInt64) || (s.hi == -1 && s.lo > math.MaxInt64) {
		return D(s.lo), true
	}
	return 0, false
}

// Big returns s as a count of millionths.
func (s Sum) Big() *big.Int {
	b := new(big.Int).SetInt64(s.hi)
	b.Lsh(b, 64)
	return b.Add(b, new(big.Int).SetUint64(s.lo))
}

// IsZero reports whether s is 0.
func (s Sum) IsZero() bool { return s.hi == 0 && s.lo == 0 }

// String formats s as D.String does, with no trailing zeros.
func (s Sum) String() string {
	if d, ok := s.small(); ok {
		return d.String()
	}
	b := s.Big()
	neg := b.Sign() < 0
	b.Abs(b)
	q, r := new(big.Int).QuoRem(b, big.NewInt(Scale), new(big.Int))
	out := q.String()
	if f := D(r.Int64()).String(); f != "0" {
		out += f[1:] // ".974" from "0.974"
	}
	if neg {
		out = "-" + out
	}
	return out
}

// MarshalJSON writes s as a JSON number exactly as String formats it.
func (s Sum) MarshalJSON() ([]byte, error) { return []byte(s.String()), nil }

// Float returns s as the nearest float64, for charts.
func (s Sum) Float() float64 {
	if d, ok := s.small(); ok {
		return d.Float()
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(s.Big()), big.NewFloat(Scale)).Float64()
	return f
}

// Share returns part/whole×100 rounded once, half away from zero, to two
// places, like Rate but for totals: the share of a year's budgets that went
// to one grade. ok is false when whole is not positive.
func Share(part, whole Sum) (D, bool) {
	p, pok := part.small()
	w, wok := whole.small()
	if pok && wok {
		return Rate(p, w)
	}
	wb := whole.Big()
	if wb.Sign() <= 0 {
		return 0, false
	}
	// Hundredths of a percent: part×10^4/whole, rounded half away from zero.
	num := part.Big()
	neg := num.Sign() < 0
	num.Abs(num).Mul(num, big.NewInt(10_000))
	q, r := new(big.Int).QuoRem(num, wb, new(big.Int))
	if r.Lsh(r, 1).Cmp(wb) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() || q.Int64() > math.MaxInt64/(Scale/100) {
		return 0, false
	}
	rate := D(q.Int64() * (Scale / 100))
	if neg {
		rate = -rate
	}
	return rate, true
}

// Mean returns s/n rounded once, half away from zero, to two places: the
// way averages of scores are shown. n must be positive.
func (s Sum) Mean(n int) D {
	var q uint64
	d, small := s.small()
	if small {
		// s/n in hundredths is s/(n×10^4) in millionths.
		q, small = divRound(abs64(d), 1, uint64(n)*(Scale/100))
	}
	if !small {
		num := s.Big()
		num.Abs(num)
		den := new(big.Int).Mul(big.NewInt(int64(n)), big.NewInt(Scale/100))
		r := new(big.Int)
		b, _ := new(big.Int).QuoRem(num, den, r)
		if r.Lsh(r, 1).Cmp(den) >= 0 {
			b.Add(b, big.NewInt(1))
		}
		// The mean of Ds is within the range of a D.
		q = b.Uint64()
	}
	m := D(q) * (Scale / 100)
	if s.hi < 0 {
		m = -m
	}
	return m
}
