package decimal

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// D is a decimal number with at most two places, stored in hundredths.
// The zero value is 0.
type D int64

// Scale is the number of hundredths in one unit.
const Scale = 100

// maxAbs bounds the magnitude of a D so that sums of many values never
// overflow; no score or amount in 万元 comes near it.
const maxAbs = 1e15

// Errors returned by FromFloat and Parse.
var (
	ErrNotFinite  = errors.New("not a finite number")
	ErrTooPrecise = errors.New("more than two decimal places")
	ErrTooLarge   = errors.New("too large")
)

// FromInt returns n units.
func FromInt(n int64) D { return D(n * Scale) }

// FromFloat converts a value decoded from TOML. The float must be within
// rounding distance of a number with at most two decimal places: TOML's 26.5
// and 0.1 are accepted, 93.456 is rejected with ErrTooPrecise.
func FromFloat(f float64) (D, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, ErrNotFinite
	}
	if math.Abs(f) > maxAbs {
		return 0, ErrTooLarge
	}
	h := math.Round(f * Scale)
	// The shortest decimal representation of f is what the author wrote;
	// compare against it rather than against f*100, which is inexact.
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i-1 > 2 {
		return 0, ErrTooPrecise
	}
	return D(h), nil
}

// Parse reads a plain decimal such as "93.5", "-3" or "0.25".
func Parse(s string) (D, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return FromFloat(f)
}

// Hundredths returns d as an integer count of hundredths.
func (d D) Hundredths() int64 { return int64(d) }

// Float returns d as a float64, for charts and JSON consumers that want one.
func (d D) Float() float64 { return float64(d) / Scale }

// String formats d with no trailing zeros: 93.5, 17, 0.25, -3.1.
func (d D) String() string {
	n := int64(d)
	sign := ""
	if n < 0 {
		sign = "-"
		n = -n
	}
	whole, frac := n/Scale, n%Scale
	switch {
	case frac == 0:
		return sign + strconv.FormatInt(whole, 10)
	case frac%10 == 0:
		return fmt.Sprintf("%s%d.%d", sign, whole, frac/10)
	default:
		return fmt.Sprintf("%s%d.%02d", sign, whole, frac)
	}
}

// MarshalJSON writes d as a JSON number exactly as String formats it.
func (d D) MarshalJSON() ([]byte, error) { return []byte(d.String()), nil }

// Rate returns part/whole×100 in hundredths of a percent, rounded half away
// from zero: Rate(26.5, 30) is 88.33. whole must be positive.
func Rate(part, whole D) D {
	if whole <= 0 {
		return 0
	}
	num := int64(part) * 100 * Scale
	q, r := num/int64(whole), num%int64(whole)
	if 2*abs(r) >= int64(whole) {
		if num < 0 {
			q--
		} else {
			q++
		}
	}
	return D(q)
}

// AtLeast reports whether part/whole×100 ≥ bound, exactly, with no rounding
// of the rate: 89.995 % is below a bound of 90.
func AtLeast(part, whole, bound D) bool {
	if whole <= 0 {
		return false
	}
	// In hundredths: part/whole×100 ≥ bound/100 ⇔ part×100×100 ≥ bound×whole
	// (whole > 0), all in integers.
	return int64(part)*100*Scale >= int64(bound)*int64(whole)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
