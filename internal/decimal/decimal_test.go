package decimal

import (
	"errors"
	"math"
	"math/big"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in      string
		want    string // String()
		written string // Amount.String(): the places as written
		wantErr error
	}{
		// Scores and amounts as the forms print them.
		{"93.5", "93.5", "93.5", nil},
		{"26.50", "26.5", "26.50", nil},
		{"17", "17", "17", nil},
		{"0.1", "0.1", "0.1", nil},
		{"52.88", "52.88", "52.88", nil},
		{"89.974", "89.974", "89.974", nil},
		{"89.970", "89.97", "89.970", nil},
		{"12.3456", "12.3456", "12.3456", nil},
		{"0.000001", "0.000001", "0.000001", nil},
		{"-3.1", "-3.1", "-3.1", nil},
		{"+7", "7", "7", nil},
		{"45.0", "45", "45.0", nil},
		// The largest amount the content model allows, all 15 digits kept;
		// a float64 of it would print …999.99999900000…
		{"999999999.999999", "999999999.999999", "999999999.999999", nil},
		// 16 significant digits: exact here, not in a float64.
		{"1234567890.123456", "1234567890.123456", "1234567890.123456", nil},
		// TOML's other spellings.
		{"1_000.25", "1000.25", "1000.25", nil},
		{"8.9974e1", "89.974", "89.974", nil},
		{"1e3", "1000", "1000", nil},
		{"1E-6", "0.000001", "0.000001", nil},
		{"5e+2", "500", "500", nil},
		{"0e99", "0", "0", nil},
		// Never rounded.
		{"1.0000001", "", "", ErrTooPrecise},
		{"89.9740000", "", "", ErrTooPrecise},
		{"0.1e-6", "", "", ErrTooPrecise},
		{"1e-99", "", "", ErrTooPrecise},
		{"1e15", "", "", ErrTooLarge},
		{"1e99", "", "", ErrTooLarge},
		{"99999999999999999999999", "", "", ErrTooLarge},
		{"1000000000000", "", "", ErrTooLarge},
		{"", "", "", ErrSyntax},
		{"nan", "", "", ErrSyntax},
		{"inf", "", "", ErrSyntax},
		{"1.", "", "", ErrSyntax},
		{"1__0", "", "", ErrSyntax},
		{"_1", "", "", ErrSyntax},
		{"1e", "", "", ErrSyntax},
	}
	for _, tt := range tests {
		got, err := ParseAmount(tt.in)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("ParseAmount(%q) error = %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if s := got.Value.String(); s != tt.want {
			t.Errorf("ParseAmount(%q).Value = %s, want %s", tt.in, s, tt.want)
		}
		if s := got.String(); s != tt.written {
			t.Errorf("ParseAmount(%q) = %s, want %s as written", tt.in, s, tt.written)
		}
	}
}

func TestSumIsExact(t *testing.T) {
	// 0.1 + 0.2 is not 0.3 in binary floating point; in millionths it is.
	a, _ := Parse("0.1")
	b, _ := Parse("0.2")
	c, _ := Parse("0.3")
	if a+b != c {
		t.Errorf("0.1 + 0.2 = %s, want 0.3", a+b)
	}
	var sum D
	for _, p := range []string{"17", "26.5", "30", "20"} {
		v, _ := Parse(p)
		sum += v
	}
	if sum.String() != "93.5" {
		t.Errorf("sum = %s, want 93.5", sum)
	}
}

func TestRate(t *testing.T) {
	tests := []struct {
		part, whole, want string
		ok                bool
	}{
		// Scores out of full marks.
		{"26.5", "30", "88.33", true},
		{"17", "20", "85", true},
		{"2", "3", "66.67", true},
		{"1", "3", "33.33", true},
		{"0", "20", "0", true},
		{"20", "20", "100", true},
		// Rounded once, half away from zero: 1/8 % is 0.125 %.
		{"1", "800", "0.13", true},
		{"0.00005", "1", "0.01", true},
		{"0.000049", "1", "0", true},
		// The score limits: 1000 out of 0.01 and 0.01 out of 1000.
		{"1000", "0.01", "10000000", true},
		{"0.01", "1000", "0", true},
		// Amounts at the limit: spent/budget of 999999999.999999 万元 each,
		// and a spent of a millionth less. The product part×10^4 is beyond
		// an int64; the old code wrapped it and published nonsense.
		{"999999999.999999", "999999999.999999", "100", true},
		{"999999999.999998", "999999999.999999", "100", true},
		{"500000000", "999999999.999999", "50", true},
		{"999999999.999999", "1000", "100000000", true},
		{"999999999.9", "1000", "99999999.99", true},
		{"89.974", "90", "99.97", true},
		// A near-zero whole gives a rate beyond any D: not ok, not wrapped.
		{"999999999.999999", "0.000001", "", false},
		{"1", "0", "", false},
	}
	for _, tt := range tests {
		p, _ := Parse(tt.part)
		w, _ := Parse(tt.whole)
		got, ok := Rate(p, w)
		if ok != tt.ok || (ok && got.String() != tt.want) {
			t.Errorf("Rate(%s, %s) = %s, %v; want %s, %v", tt.part, tt.whole, got, ok, tt.want, tt.ok)
		}
	}
}

// TestRateAgainstBig checks Rate against math/big over values at and near
// the limits, where 64-bit arithmetic would overflow.
func TestRateAgainstBig(t *testing.T) {
	vals := []D{1, 3, 7, 999, Scale, 3 * Scale / 2, 89_974_000, 999_999_999_999_999, 999_999_999_999_998,
		500_000_000_000_000, 333_333_333_333_333, 123_456_789_123_456}
	for _, p := range vals {
		for _, w := range vals {
			got, ok := Rate(p, w)
			// Hundredths of a percent, half up: floor((p×10^4×2 + w) / (2w)).
			num := new(big.Int).Mul(big.NewInt(int64(p)), big.NewInt(20_000))
			num.Add(num, big.NewInt(int64(w)))
			q := num.Quo(num, big.NewInt(2*int64(w)))
			q.Mul(q, big.NewInt(Scale/100))
			if !q.IsInt64() {
				if ok {
					t.Errorf("Rate(%d, %d) = %d, want not ok", p, w, got)
				}
				continue
			}
			if !ok || int64(got) != q.Int64() {
				t.Errorf("Rate(%d, %d) = %d, %v; want %s", p, w, got, ok, q)
			}
		}
	}
}

func TestAtLeast(t *testing.T) {
	tests := []struct {
		part, whole, bound string
		want               bool
	}{
		{"90", "100", "90", true},
		{"89.99", "100", "90", false},
		{"27", "30", "90", true},
		{"26.99", "30", "90", false},
		{"0", "30", "0", true},
		// 89.995 % is below 90 %: no rounding before comparing.
		{"17.999", "20", "90", false},
		// At the amount limit, where part×100×10^6 is beyond an int64.
		{"999999999.999999", "999999999.999999", "100", true},
		{"999999999.999998", "999999999.999999", "100", false},
		{"899999999.999999", "999999999.999999", "90", false},
		{"900000000", "1000000000", "90", true},
	}
	for _, tt := range tests {
		p, _ := Parse(tt.part)
		w, _ := Parse(tt.whole)
		b, _ := Parse(tt.bound)
		if got := AtLeast(p, w, b); got != tt.want {
			t.Errorf("AtLeast(%s, %s, %s) = %v, want %v", tt.part, tt.whole, tt.bound, got, tt.want)
		}
	}
}

func TestMean(t *testing.T) {
	tests := []struct {
		sum  string
		n    int
		want string
	}{
		{"185.5", 2, "92.75"},
		{"100", 3, "33.33"},
		{"200", 3, "66.67"},
		{"0.01", 2, "0.01"}, // 0.005 rounds up
		{"0", 5, "0"},
		{"-100", 3, "-33.33"},
	}
	for _, tt := range tests {
		d, _ := Parse(tt.sum)
		var s Sum
		s.Add(d)
		if got := s.Mean(tt.n).String(); got != tt.want {
			t.Errorf("Mean(%s, %d) = %s, want %s", tt.sum, tt.n, got, tt.want)
		}
	}
}

// TestSumOfMaximalAmounts adds 100,000 of the largest amounts the content
// model accepts (and 100 large budgets), which an int64 of millionths
// cannot hold, and compares with math/big.
func TestSumOfMaximalAmounts(t *testing.T) {
	maxAmount, err := Parse("999999999.999999")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{100, 100_000} {
		var s Sum
		want := new(big.Int)
		for range n {
			s.Add(maxAmount)
			want.Add(want, big.NewInt(int64(maxAmount)))
		}
		if s.Big().Cmp(want) != 0 {
			t.Errorf("%d × max: Sum = %s, want %s millionths", n, s.Big(), want)
		}
		wantText := strings.TrimRight(strings.TrimRight(new(big.Rat).SetFrac(want, big.NewInt(Scale)).FloatString(MaxPlaces), "0"), ".")
		if got := s.String(); got != wantText {
			t.Errorf("%d × max: Sum = %s, want %s", n, got, wantText)
		}
	}
	// 100 budgets of 10^9 万元 less a millionth: 99,999,999,999.9999 万元,
	// which wrapped to a negative number in int64 hundredths of the old code
	// only beyond 9.2×10^16; in millionths it is past 9.2×10^12 万元.
	var s Sum
	for range 100 {
		s.Add(maxAmount)
	}
	if got, want := s.String(), "99999999999.9999"; got != want {
		t.Errorf("100 × max = %s, want %s", got, want)
	}
	if f := s.Float(); math.Abs(f-99999999999.9999) > 1e-3 {
		t.Errorf("Float = %v", f)
	}
}

func TestSumSmallAndNegative(t *testing.T) {
	var s Sum
	if s.String() != "0" || !s.IsZero() {
		t.Errorf("zero Sum = %s", s)
	}
	a, _ := Parse("89.974")
	b, _ := Parse("-100")
	s.Add(a)
	s.Add(b)
	if got := s.String(); got != "-10.026" {
		t.Errorf("89.974 - 100 = %s", got)
	}
	// Cross zero and the int64 boundary both ways.
	var big Sum
	for range 10_000 {
		big.Add(math.MaxInt64 / 2)
	}
	for range 10_000 {
		big.Add(-(math.MaxInt64 / 2))
	}
	if !big.IsZero() {
		t.Errorf("up and down again = %s", big)
	}
}

// TestMeanBeyondInt64 averages totals whose sum is beyond an int64.
func TestMeanBeyondInt64(t *testing.T) {
	var s Sum
	big, _ := Parse("999999999999.999999")
	for range 100_000 {
		s.Add(big)
	}
	if got := s.Mean(100_000).String(); got != "1000000000000" {
		t.Errorf("mean = %s, want 1000000000000", got)
	}
	s.Add(FromInt(1)) // +1/100,000 = 0.00001: below half a hundredth
	if got := s.Mean(100_000).String(); got != "1000000000000" {
		t.Errorf("mean = %s, want 1000000000000", got)
	}
}

func TestShare(t *testing.T) {
	maxAmount, _ := Parse("999999999.999999")
	one, _ := Parse("0.000001")
	var part, whole Sum
	for range 100_000 {
		whole.Add(maxAmount)
	}
	for range 25_000 {
		part.Add(maxAmount)
	}
	if got, ok := Share(part, whole); !ok || got.String() != "25" {
		t.Errorf("Share(25,000 of 100,000 max) = %s, %v; want 25", got, ok)
	}
	// One millionth of a 万元 in a total beyond int64: 0 %, not garbage.
	var tiny Sum
	tiny.Add(one)
	if got, ok := Share(tiny, whole); !ok || got != 0 {
		t.Errorf("Share(tiny) = %s, %v; want 0", got, ok)
	}
	if _, ok := Share(part, Sum{}); ok {
		t.Error("Share of a zero whole is ok")
	}
	// Small totals take Rate's path.
	var p, w Sum
	p.Add(FromInt(1))
	w.Add(FromInt(3))
	if got, _ := Share(p, w); got.String() != "33.33" {
		t.Errorf("Share(1, 3) = %s", got)
	}
}

func TestFixed(t *testing.T) {
	d, _ := Parse("89.97")
	for places, want := range []string{"90", "90.0", "89.97", "89.970", "89.9700", "89.97000", "89.970000"} {
		if places < 2 {
			continue // Fixed does not round; only places ≥ the value's own
		}
		if got := d.Fixed(places); got != want {
			t.Errorf("Fixed(%d) = %s, want %s", places, got, want)
		}
	}
}

// BenchmarkRate is the per-row cost of a score rate, on the path of every
// indicator of every evaluation.
func BenchmarkRate(b *testing.B) {
	p, _ := Parse("26.5")
	w, _ := Parse("30")
	for b.Loop() {
		Rate(p, w)
	}
}

// FuzzParseAmount checks Parse against math/big on any text: it never
// panics, and what it accepts is exactly the value written, with at most
// six places.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"93.5", "89.970", "8.9974e1", "1_000.25", "-0.000001", "999999999.999999", "1e-7", "1e40", "0e99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAmount(s)
		if err != nil {
			return
		}
		if a.Places < 0 || a.Places > MaxPlaces {
			t.Fatalf("ParseAmount(%q) places = %d", s, a.Places)
		}
		want, ok := new(big.Rat).SetString(strings.ReplaceAll(s, "_", ""))
		if !ok {
			t.Fatalf("ParseAmount(%q) = %s, but it is not a number", s, a)
		}
		got := new(big.Rat).SetFrac(big.NewInt(int64(a.Value)), big.NewInt(Scale))
		if got.Cmp(want) != 0 {
			t.Fatalf("ParseAmount(%q) = %s, want %s", s, a, want.FloatString(8))
		}
		if back, err := ParseAmount(a.String()); err != nil || back != a {
			t.Fatalf("ParseAmount(%q).String() = %s does not read back: %v, %v", s, a, back, err)
		}
	})
}

func TestRateAgrees(t *testing.T) {
	amt := func(s string) Amount {
		a, err := ParseAmount(s)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	d := func(s string) D { return amt(s).Value }
	tests := []struct {
		stated, part, whole string
		want                bool
	}{
		// 89.974/90 = 99.97111…%
		{"99.97", "89.974", "90", true},   // rounded or cut
		{"99.98", "89.974", "90", false},  // a unit too high
		{"99.96", "89.974", "90", false},  // a unit too low
		{"99.971", "89.974", "90", true},  // three places
		{"99.9711", "89.974", "90", true}, // four places
		{"99.9712", "89.974", "90", false},
		{"100", "89.974", "90", true}, // written without decimals: rounded
		{"99", "89.974", "90", true},  // or cut
		{"98", "89.974", "90", false},
		// 2/3 = 66.666…%: rounded up, cut, both fine.
		{"66.67", "2", "3", true},
		{"66.66", "2", "3", true},
		{"66.65", "2", "3", false},
		// Exact rates.
		{"100", "90", "90", true},
		{"100.00", "90", "90", true},
		{"99.99", "90", "90", false},
		// Overspending: 52.88/45 = 117.5111…%
		{"117.51", "52.88", "45", true},
		{"117.5", "52.88", "45", true},
		{"117.52", "52.88", "45", false},
		// The largest amounts do not overflow.
		{"100", "999999999.999999", "999999999.999999", true},
		{"0.0001", "0.000001", "999999999.999999", false},
		{"0", "0.000001", "999999999.999999", true},
	}
	for _, tt := range tests {
		if got := RateAgrees(amt(tt.stated), d(tt.part), d(tt.whole)); got != tt.want {
			t.Errorf("RateAgrees(%s, %s, %s) = %v, want %v", tt.stated, tt.part, tt.whole, got, tt.want)
		}
	}
	if RateAgrees(amt("0"), 0, 0) {
		t.Error("RateAgrees with a zero whole is true")
	}
}
