package content

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
)

// nested returns key = open…1…close, n levels deep.
func nested(key, open, close string, n int) string {
	return key + " = " + strings.Repeat(open, n) + "1" + strings.Repeat(close, n) + "\n"
}

// fill repeats unit until the result is about size bytes.
func fill(head, unit string, size int) string {
	var b strings.Builder
	b.WriteString(head)
	for i := 0; b.Len() < size; i++ {
		b.WriteString(strings.ReplaceAll(unit, "#", fmt.Sprint(i)))
	}
	return b.String()
}

// pathological are inputs of about a megabyte that once took gigabytes,
// minutes or the whole process, or that a fuzzer or an attacker would try.
// Each must be refused or loaded within a few hundred MB.
func pathological() []struct{ name, src string } {
	return []struct{ name, src string }{
		{"inline tables 290 KB", nested("a", "{a=", "}", 290_000/4)},
		{"inline tables 520 KB", nested("a", "{a=", "}", 520_000/4)},
		{"arrays 1 MB", nested("a", "[", "]", 500_000)},
		{"dotted key 1 MB", strings.Repeat("a.", 500_000) + "a = 1\n"},
		{"table header 1 MB", "[" + strings.Repeat("a.", 500_000) + "a]\n"},
		{"array header 1 MB", "[[" + strings.Repeat("a.", 500_000) + "a]]\n"},
		{"indicators 50 levels", "[[indicators" + strings.Repeat(".items", 49) + "]]\nname = \"x\"\n"},
		{"depth at the bound, repeated", fill(minimal, nested("k#", "[", "]", MaxNesting-1), 1<<20)},
		{"many keys", fill(minimal, "key# = 1\n", 1<<20)},
		{"many indicators", fill(minimal, "[[indicators]]\nname = \"指标#\"\nmax = 1\nscore = 1\n", 1<<20)},
		{"huge array", fill(minimal+"tags = [", "1,", 1<<20) + "1]\n"},
		{"long line", minimal + "attachment = \"" + strings.Repeat("长", 1<<20/3) + "\"\n"},
		{"unclosed brackets", minimal + "tags = " + strings.Repeat("[{", 500_000)},
	}
}

// TestPathologicalRecords loads each input as a record and bounds the
// memory it allocates (TotalAlloc counts every allocation, freed or not,
// so it does not depend on when the collector runs). Wall time is left to
// BenchmarkPathological: the machines tests run on are shared.
func TestPathologicalRecords(t *testing.T) {
	const limit = 300 << 20
	for _, tt := range pathological() {
		t.Run(tt.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			var l diag.List
			done := make(chan struct{})
			go func() {
				defer close(done)
				loadRecord([]byte(tt.src), "content/"+rec, 2023, DefaultGrades(), &l)
			}()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatalf("loading did not end")
			}
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > limit {
				t.Errorf("allocated %d MB, want at most %d MB", got>>20, limit>>20)
			}
			t.Logf("%d KB: %d MB, %d diagnostics", len(tt.src)>>10, (after.TotalAlloc-before.TotalAlloc)>>20, len(l.Items()))
		})
	}
}

func TestBoundsDiagnostics(t *testing.T) {
	ind := func(levels int) string {
		s := minimal
		for k := 1; k <= levels; k++ {
			s += "[[indicators" + strings.Repeat(".items", k-1) + "]]\nname = \"第" + fmt.Sprint(k) + "级\"\nmax = 10\nscore = 9\n"
		}
		return s
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
		msg   string // must occur in the first diagnostic's message
	}{
		{"three levels are fine", map[string]string{rec: ind(3)}, nil, ""},
		{"four levels", map[string]string{rec: ind(4)},
			[]string{"content/" + rec + ":17:1 error indicators[0].items[0].items[0].items"}, "指标最多 3 级"},
		{"four levels inline", map[string]string{rec: minimal +
			`indicators = [{name = "a", max = 1, score = 1, items = [{name = "b", max = 1, score = 1, items = [{name = "c", max = 1, score = 1,` + "\n" +
			`  items = [{name = "d", max = 1, score = 1}]}]}]}]` + "\n"},
			[]string{"content/" + rec + ":6:3 error indicators[0].items[0].items[0].items"}, "这里的 items 是第 4 级"},
		{"50 levels", map[string]string{rec: minimal + "[[indicators" + strings.Repeat(".items", 49) + "]]\nname = \"x\"\nmax = 1\nscore = 1\n"},
			[]string{"content/" + rec + ":5:1 error"}, "嵌套超过 16 层"},
		{"nesting bomb", map[string]string{rec: minimal + "# a [ in a comment\nx = \"[[[[\"\n" + nested("a", "{a=", "}", 100_000)},
			// Each level is a key and a table: the eighth inner key is the 17th.
			[]string{"content/" + rec + ":7:27 error"}, "嵌套超过 16 层"},
		{"long array", map[string]string{rec: minimal + "tags = [" + strings.Repeat(`"a", `, MaxArrayItems) + `"b"]` + "\n"},
			[]string{"content/" + rec + ":5:" + fmt.Sprint(9+5*MaxArrayItems) + " error"}, "数组超过 10000 项"},
		{"oversized record", map[string]string{rec: minimal + "# " + strings.Repeat("x", RecordLimit) + "\n"},
			[]string{"content/" + rec + " error"}, "a.toml 文件过大（1 MiB，上限 1 MiB）"},
		{"oversized narrative", map[string]string{rec: minimal, "2023/evaluations/a.md": strings.Repeat("评价", NarrativeLimit/6+1)},
			[]string{"content/2023/evaluations/a.md error"}, "a.md 文件过大（4 MiB，上限 4 MiB）"},
		{"oversized site.toml", map[string]string{"site.toml": siteTOML + "# " + strings.Repeat("x", SiteLimit)},
			[]string{"content/site.toml error"}, "site.toml 文件过大（256.1 KiB，上限 256 KiB）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := load(t, tt.files)
			got := shorts(ds)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %q, want %q\n%v", got, tt.want, ds)
			}
			if tt.msg != "" && !strings.Contains(ds[0].Message, tt.msg) {
				t.Errorf("message %q does not contain %q", ds[0].Message, tt.msg)
			}
		})
	}
}

// A file of thousands of unknown keys lists the first maxProblems and
// counts the rest.
func TestManyProblemsCounted(t *testing.T) {
	_, ds := load(t, map[string]string{rec: fill(minimal, "key# = 1\n", 10_000)})
	if len(ds) != maxProblems+1 || ds[0].Pos.Line != 0 || !strings.Contains(ds[0].Message, "还有") {
		t.Fatalf("got %d diagnostics, first %v; want %d and a count of the rest first", len(ds), ds[0], maxProblems+1)
	}
}

// BenchmarkPathological loads each pathological input as a record; each
// should take well under a second.
func BenchmarkPathological(b *testing.B) {
	for _, tt := range pathological() {
		b.Run(tt.name, func(b *testing.B) {
			src := []byte(tt.src)
			for b.Loop() {
				var l diag.List
				loadRecord(src, "content/"+rec, 2023, DefaultGrades(), &l)
			}
		})
	}
}
