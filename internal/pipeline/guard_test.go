package pipeline

import (
	"slices"
	"strings"
	"testing"
)

// TestGuardPassesTogether: the guard's check of many files at once (a
// rebuild keeps its pages so) refuses what it refuses one at a time: a
// name Windows cannot store, and one differing only in case from a name
// passed before, in the same call or an earlier one.
func TestGuardPassesTogether(t *testing.T) {
	g := &guard{seen: map[string]string{}}
	if !g.pass("2023/roads/index.html") {
		t.Fatal("the guard refuses a plain name")
	}
	got := g.passAll([]string{"2023/bridges/index.html", "2023/Roads/index.html", "2023/CON/index.html", "2023/BRIDGES/index.html", "2023/rivers/index.html"})
	if want := []string{"2023/bridges/index.html", "2023/rivers/index.html"}; !slices.Equal(got, want) {
		t.Errorf("passed %q, want %q", got, want)
	}
	var refused []string
	for _, p := range g.problems {
		refused = append(refused, p[0]+" "+p[1])
	}
	if len(refused) != 3 || !strings.Contains(strings.Join(refused, "\n"), "2023/Roads/index.html 与 2023/roads/index.html 只差字母大小写") ||
		!strings.Contains(strings.Join(refused, "\n"), "2023/BRIDGES/index.html 与 2023/bridges/index.html 只差字母大小写") ||
		!strings.Contains(strings.Join(refused, "\n"), "2023/CON/index.html \"CON\" 是 Windows 的设备名") {
		t.Errorf("the guard's problems are:\n%s", strings.Join(refused, "\n"))
	}
}
