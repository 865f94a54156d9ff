package decimal

import (
	"errors"
	"math"
	"testing"
)

func TestFromFloat(t *testing.T) {
	tests := []struct {
		in      float64
		want    string
		wantErr error
	}{
		{93.5, "93.5", nil},
		{26.5, "26.5", nil},
		{17, "17", nil},
		{0.1, "0.1", nil},
		{52.88, "52.88", nil},
		{0.07, "0.07", nil},
		{-3.1, "-3.1", nil},
		{1.005, "", ErrTooPrecise},
		{93.456, "", ErrTooPrecise},
		{math.NaN(), "", ErrNotFinite},
		{math.Inf(1), "", ErrNotFinite},
		{1e300, "", ErrTooLarge},
	}
	for _, tt := range tests {
		got, err := FromFloat(tt.in)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("FromFloat(%v) error = %v, want %v", tt.in, err, tt.wantErr)
			continue
		}
		if err == nil && got.String() != tt.want {
			t.Errorf("FromFloat(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSumIsExact(t *testing.T) {
	// 0.1 + 0.2 is not 0.3 in binary floating point; in hundredths it is.
	a, _ := FromFloat(0.1)
	b, _ := FromFloat(0.2)
	c, _ := FromFloat(0.3)
	if a+b != c {
		t.Errorf("0.1 + 0.2 = %s, want 0.3", a+b)
	}
	parts := []float64{17, 26.5, 30, 20}
	var sum D
	for _, p := range parts {
		v, _ := FromFloat(p)
		sum += v
	}
	if sum.String() != "93.5" {
		t.Errorf("sum = %s, want 93.5", sum)
	}
}

func TestRate(t *testing.T) {
	tests := []struct{ part, whole, want string }{
		{"26.5", "30", "88.33"},
		{"17", "20", "85"},
		{"2", "3", "66.67"},
		{"1", "3", "33.33"},
		{"0", "20", "0"},
		{"20", "20", "100"},
	}
	for _, tt := range tests {
		p, _ := Parse(tt.part)
		w, _ := Parse(tt.whole)
		if got := Rate(p, w).String(); got != tt.want {
			t.Errorf("Rate(%s, %s) = %s, want %s", tt.part, tt.whole, got, tt.want)
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
