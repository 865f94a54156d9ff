package decimal

import "testing"

func TestGroup(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// Short whole parts are left alone.
		{"0", "0"},
		{"89.974", "89.974"},
		{"999", "999"},
		{"999.999999", "999.999999"},
		// Four digits and more get a separator every three, from the
		// right, and the decimals are never touched or rounded.
		{"1000", "1,000"},
		{"1280.6", "1,280.6"},
		{"1300", "1,300"},
		{"12345.60", "12,345.60"},
		{"123456", "123,456"},
		{"1234567.000001", "1,234,567.000001"},
		{"999999999.999999", "999,999,999.999999"},
		// A site's total beyond an int64 of millionths (Sum.String).
		{"100000000000000", "100,000,000,000,000"},
		// Signs.
		{"-1234.5", "-1,234.5"},
		{"-999", "-999"},
		// Anything else is returned as it is.
		{"", ""},
		{"—", "—"},
		{"12a456", "12a456"},
		{"1,234", "1,234"},
	} {
		if got := Group(tt.in); got != tt.want {
			t.Errorf("Group(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestGroupedAsWritten checks that amounts and sums keep the places they
// were written or summed with.
func TestGroupedAsWritten(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"1280.6", "1,280.6"},
		{"1280.60", "1,280.60"},
		{"89.974", "89.974"},
		{"1300", "1,300"},
		{"520", "520"},
	} {
		a, err := ParseAmount(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := a.Grouped(); got != tt.want {
			t.Errorf("Amount(%q).Grouped() = %q, want %q", tt.in, got, tt.want)
		}
	}
	var s Sum
	for _, in := range []string{"1280.6", "520", "531.2", "89.974"} {
		d, _ := Parse(in)
		s.Add(d)
	}
	if got, want := s.Grouped(), "2,421.774"; got != want {
		t.Errorf("Sum.Grouped() = %q, want %q", got, want)
	}
	// A sum past an int64 of millionths goes through math/big.
	var big Sum
	for range 20 {
		big.Add(FromInt(999_999_999_999))
	}
	if got, want := big.Grouped(), "19,999,999,999,980"; got != want {
		t.Errorf("large Sum.Grouped() = %q, want %q", got, want)
	}
}
