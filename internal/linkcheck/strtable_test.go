package linkcheck

import (
	"strconv"
	"strings"
	"testing"
)

// TestStrTable: every string gets one number, the same each time it is
// asked, and reads back as it was, through the table's growth, with
// empty and long strings among them; a string never numbered is not
// found.
func TestStrTable(t *testing.T) {
	var tb strTable
	if _, ok := tb.lookup("x"); ok {
		t.Fatal("an empty table found a string")
	}
	long := strings.Repeat("长", slabSize/8)
	var want []string
	for i := range 5000 {
		s := "../../" + strconv.Itoa(i) + "/index.html#finding-" + strconv.Itoa(i%7)
		switch i {
		case 10:
			s = ""
		case 20, 3000:
			s = long + strconv.Itoa(i)
		}
		buf := []byte(s) // the table copies what it keeps
		if n := tb.id(string(buf)); int(n) != i {
			t.Fatalf("%q got number %d, want %d", s, n, i)
		}
		clear(buf)
		want = append(want, s)
	}
	for i, s := range want {
		if got := tb.str(uint32(i)); got != s {
			t.Fatalf("number %d reads %q, want %q", i, got, s)
		}
		if n, ok := tb.lookup(s); !ok || int(n) != i {
			t.Fatalf("lookup %q = %d, %v", s, n, ok)
		}
		if n := tb.id(s); int(n) != i {
			t.Fatalf("%q numbered again: %d", s, n)
		}
	}
	if _, ok := tb.lookup("../../5000/index.html"); ok {
		t.Error("found a string never numbered")
	}
	if k := tb.keep("2024/a/index.html"); k != "2024/a/index.html" {
		t.Errorf("keep = %q", k)
	}
	if got := tb.str(4999); got != want[4999] {
		t.Errorf("after keep, number 4999 reads %q", got)
	}
}
