package decimal

import "strings"

// Group puts a thousands separator (",") into the whole part of a number
// formatted by this package (String, Fixed, Amount.String, Sum.String):
// "1280.6" becomes "1,280.6", "1234567.000001" becomes "1,234,567.000001".
// It only inserts commas: the digits, the sign and the decimal places stay
// exactly as they were, so an amount is still shown as written. Finance
// tables in China group digits this way (千分位); the congress table reads
// sums of hundreds of millions of 万元 that are hard to read without it.
// A string that is not such a number is returned as it is.
func Group(s string) string {
	sign, rest := "", s
	if strings.HasPrefix(rest, "-") {
		sign, rest = "-", rest[1:]
	}
	whole, frac, hasFrac := strings.Cut(rest, ".")
	if len(whole) <= 3 || strings.Trim(whole, "0123456789") != "" {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(whole)/3)
	b.WriteString(sign)
	first := len(whole) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(whole[:first])
	for i := first; i < len(whole); i += 3 {
		b.WriteByte(',')
		b.WriteString(whole[i : i+3])
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Grouped formats the amount as written, with thousands separators.
func (a Amount) Grouped() string { return Group(a.String()) }

// Grouped formats s as String does, with thousands separators.
func (s Sum) Grouped() string { return Group(s.String()) }
