package decimal

import (
	"errors"
	"math"
	"math/big"
	"math/bits"
	"strconv"
	"strings"
)

// D is a decimal number with at most six places, stored in millionths.
// The zero value is 0.
type D int64

// MaxPlaces is the most decimal places a D holds.
const MaxPlaces = 6

// Scale is the number of millionths in one unit.
const Scale = 1_000_000

// maxUnits bounds what Parse accepts, in units: 10^12, so that a parsed
// value (at most 10^18 millionths) always fits a D. The content model's
// own limits are far below it; this bound only keeps Parse total.
const maxUnits = 1_000_000_000_000

// Errors returned by Parse.
var (
	ErrSyntax     = errors.New("not a decimal number")
	ErrTooPrecise = errors.New("more than six decimal places")
	ErrTooLarge   = errors.New("too large")
)

// FromInt returns n units. n must be within ±9×10^12.
func FromInt(n int64) D { return D(n * Scale) }

// Parse reads a number as written in TOML and returns its exact value; see
// ParseAmount.
func Parse(s string) (D, error) {
	a, err := ParseAmount(s)
	return a.Value, err
}

// ParseAmount reads a number as written in TOML: an optional sign, digits
// with optional underscores between them, an optional fraction and an
// optional exponent ("93.5", "-3", "1_000.25", "8.9974e1"). It returns the
// exact value and the number of decimal places as written, after the
// exponent ("89.970" has 3, "8.9974e1" has 3, "45" has 0). It never rounds:
// more than six places is ErrTooPrecise, trailing zeros included, since
// they are part of what the author wrote and of what the page shows.
func ParseAmount(s string) (Amount, error) {
	d, places, err := parse(s)
	return Amount{Value: d, Places: places}, err
}

func parse(s string) (D, int, error) {
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	mant, exp := s, 0
	if i := strings.IndexAny(s, "eE"); i >= 0 {
		mant = s[:i]
		e, err := strconv.Atoi(strings.ReplaceAll(s[i+1:], "_", ""))
		if err != nil {
			return 0, 0, ErrSyntax
		}
		// Any exponent that large shifts every digit out of range or past
		// six places; bounding it keeps the arithmetic below small.
		if e > 40 || e < -40 {
			if strings.Trim(mant, "0._") == "" {
				e = 0 // 0e99 is zero
			} else if e > 0 {
				return 0, 0, ErrTooLarge
			} else {
				return 0, 0, ErrTooPrecise
			}
		}
		exp = e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if !digits(whole) || (frac != "" && !digits(frac)) || (strings.Contains(mant, ".") && frac == "") {
		return 0, 0, ErrSyntax
	}
	all := strings.ReplaceAll(whole+frac, "_", "")
	places := len(strings.ReplaceAll(frac, "_", "")) - exp
	if places > MaxPlaces {
		return 0, 0, ErrTooPrecise
	}
	// all × 10^(-places) units = all × 10^(6-places) millionths.
	all = strings.TrimLeft(all, "0")
	shift := MaxPlaces - places
	if len(all)+shift > 19 { // at least 10^18 millionths
		if all == "" {
			return 0, max(places, 0), nil
		}
		return 0, 0, ErrTooLarge
	}
	var n uint64
	for i := 0; i < len(all); i++ {
		n = n*10 + uint64(all[i]-'0')
	}
	for range shift {
		n *= 10
	}
	if n >= maxUnits*Scale {
		return 0, 0, ErrTooLarge
	}
	d := D(n)
	if neg {
		d = -d
	}
	return d, max(places, 0), nil
}

// digits reports whether s is a run of ASCII digits with single underscores
// between digits, as TOML allows in numbers.
func digits(s string) bool {
	if s == "" || s[0] == '_' || s[len(s)-1] == '_' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '_':
			if s[i-1] == '_' {
				return false
			}
		case c < '0' || c > '9':
			return false
		}
	}
	return true
}

// Float returns d as a float64, for charts and JSON consumers that want one.
// It is the nearest float64 of d: fine for drawing, never for arithmetic.
func (d D) Float() float64 { return float64(d) / Scale }

// String formats d with no trailing zeros: 93.5, 17, 0.25, -3.1, 89.974.
func (d D) String() string { return d.format(-1) }

// Fixed formats d with exactly places decimals (0 to 6), padding with zeros;
// d must not have more places than that.
func (d D) Fixed(places int) string { return d.format(places) }

// format writes d with places decimals, or with no trailing zeros when
// places is negative.
func (d D) format(places int) string {
	var buf [32]byte
	n := uint64(d)
	if d < 0 {
		n = -n
	}
	b := buf[:0]
	if d < 0 {
		b = append(b, '-')
	}
	b = strconv.AppendUint(b, n/Scale, 10)
	frac := n % Scale
	if places < 0 {
		places = MaxPlaces
		for places > 0 && frac%10 == 0 {
			frac /= 10
			places--
		}
	} else {
		places = min(places, MaxPlaces)
		for range MaxPlaces - places {
			frac /= 10
		}
	}
	if places == 0 {
		return string(b)
	}
	b = append(b, '.')
	var f [MaxPlaces]byte
	for i := places - 1; i >= 0; i-- {
		f[i] = byte('0' + frac%10)
		frac /= 10
	}
	return string(append(b, f[:places]...))
}

// MarshalJSON writes d as a JSON number exactly as String formats it.
func (d D) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// Amount is a sum of money as the author wrote it: its exact value and the
// number of decimal places written, so that 89.970 is shown as 89.970 and
// 45 as 45, on every page and in the open data. Arithmetic uses Value.
type Amount struct {
	Value  D
	Places int
}

// String formats the amount with the places it was written with.
func (a Amount) String() string { return a.Value.Fixed(a.Places) }

// MarshalJSON writes the amount as a JSON number with its written places.
func (a Amount) MarshalJSON() ([]byte, error) { return []byte(a.String()), nil }

// Rate returns part/whole×100 as a percentage rounded once, half away from
// zero, to two places: Rate(26.5, 30) is 88.33. It is exact for any two
// values of D (the product is formed in 128 bits); ok is false when whole is
// not positive or the rate itself does not fit a D (above about 9×10^12 %,
// which only a near-zero whole can give).
func Rate(part, whole D) (rate D, ok bool) {
	if whole <= 0 {
		return 0, false
	}
	// part/whole×100 in hundredths of a percent is part×10^4/whole.
	q, ok := divRound(abs64(part), 10_000, uint64(whole))
	if !ok || q > math.MaxInt64/(Scale/100) {
		return 0, false
	}
	rate = D(q * (Scale / 100))
	if part < 0 {
		rate = -rate
	}
	return rate, true
}

// divRound returns a×b/c rounded half up, computed in 128 bits; ok is false
// when the quotient does not fit 64 bits. c must not be 0.
func divRound(a, b, c uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	if hi >= c {
		return 0, false
	}
	q, r := bits.Div64(hi, lo, c)
	// r < c ≤ 2^64-1, so compare r ≥ c-r rather than 2r ≥ c, which could wrap.
	if r >= c-r {
		if q == math.MaxUint64 {
			return 0, false
		}
		q++
	}
	return q, true
}

// AtLeast reports whether part/whole×100 ≥ bound, exactly, with no rounding
// of the rate: 89.995 % is below a bound of 90. whole must be positive.
func AtLeast(part, whole, bound D) bool {
	if whole <= 0 {
		return false
	}
	// In millionths: part/whole×100 ≥ bound/10^6 ⇔ part×100×10^6 ≥
	// bound×whole (whole > 0), both sides formed in 128 bits so that
	// nothing overflows.
	switch {
	case part >= 0 && bound <= 0:
		return true
	case part < 0 && bound >= 0:
		return false
	}
	lh, ll := bits.Mul64(abs64(part), 100*Scale)
	rh, rl := bits.Mul64(abs64(bound), uint64(whole))
	ge := lh > rh || (lh == rh && ll >= rl)
	if part < 0 { // both negative: the larger magnitude is the smaller value
		return lh < rh || (lh == rh && ll <= rl)
	}
	return ge
}

func abs64(d D) uint64 {
	if d < 0 {
		return -uint64(d)
	}
	return uint64(d)
}

// RateAgrees reports whether stated, a percentage as a form prints it, is
// part/whole×100 at the precision it is written with: the exact rate
// rounded half up, or cut, to stated's places. Forms do either, so 99.97
// agrees with 89.974/90 (99.9711…), 66.67 and 66.66 both agree with 2/3,
// and 100, written without decimals, agrees with 99.9711… too; 99.98 and
// 99.96 do not. part must not be negative and whole must be positive.
func RateAgrees(stated Amount, part, whole D) bool {
	if whole <= 0 || part < 0 {
		return false
	}
	p := min(max(stated.Places, 0), MaxPlaces)
	// The exact rate in units of 10^-p is part×100×10^p/whole.
	unit := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(p)), nil)
	num := new(big.Int).Mul(big.NewInt(int64(part)), big.NewInt(100))
	num.Mul(num, unit)
	w := big.NewInt(int64(whole))
	cut, rem := new(big.Int).QuoRem(num, w, new(big.Int))
	rounded := new(big.Int).Set(cut)
	if rem.Lsh(rem, 1).Cmp(w) >= 0 {
		rounded.Add(rounded, big.NewInt(1))
	}
	// stated in the same units; it has at most p places, so this is exact.
	st := new(big.Int).Mul(big.NewInt(int64(stated.Value)), unit)
	st.Quo(st, big.NewInt(Scale))
	return st.Cmp(cut) == 0 || st.Cmp(rounded) == 0
}
