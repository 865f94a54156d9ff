package privacy

import "strings"

// Mask hides most of s, a match of the given kind, so that a message can
// name it without repeating it: 110101********1234 for an identity number
// (the birth date hidden), 138****5678 for a mobile number, 6222***********0123
// for a card, z***@example.com for an address. Separators and a +86 prefix
// are kept; full-width characters come back in ASCII.
func Mask(kind, s string) string {
	f := fold(s)
	if kind == KindEmail {
		at := strings.LastIndexByte(f, '@')
		if at <= 0 {
			return strings.Repeat("*", len(f))
		}
		return f[:1] + "***" + f[at:]
	}
	n := 0
	for i := 0; i < len(f); i++ {
		if isMaskable(f[i]) {
			n++
		}
	}
	head, tail := 2, 2
	switch kind {
	case KindID:
		head, tail = 6, 4
		if n == 15 {
			tail = 3
		}
	case KindMobile:
		head, tail = n-8, 4 // the middle four of the last eleven
	case KindBankCard:
		head, tail = 4, 4
	}
	b := []byte(f)
	k := 0
	for i, c := range b {
		if !isMaskable(c) {
			continue
		}
		if k >= head && k < n-tail {
			b[i] = '*'
		}
		k++
	}
	return string(b)
}

func isMaskable(c byte) bool { return isDigit(c) || c == 'X' || c == 'x' }
