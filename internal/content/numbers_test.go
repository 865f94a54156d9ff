package content

import (
	"strings"
	"testing"
)

// TestNumberLimits checks the stated limits of numbers (scores and full
// marks 0–1000 with two places, amounts below 10^9 万元 with six): what is
// within them is read exactly as written, what is beyond them is an error at
// its line that states the limit.
func TestNumberLimits(t *testing.T) {
	tests := []struct {
		name  string
		extra string // appended to a minimal record, from line 5
		// want is the first diagnostic ("" for none) and msg a text its
		// message or hint must hold.
		want, msg string
	}{
		// Amounts.
		{"amount with three places", "spent = 89.974\n", "", ""},
		{"amount with four places", "spent = 12.3456\n", "", ""},
		{"amount with six places", "spent = 0.000001\n", "", ""},
		{"largest amount", "budget = 999999999.999999\n", "", ""},
		{"amount at the limit", "budget = 1000000000\n", "5:1 error budget", "10 万亿元"},
		{"amount of 1e15, integer", "budget = 1000000000000000\n", "5:1 error budget", "10 万亿元"},
		{"amount of 1e15, float", "budget = 999999999999999.99\n", "5:1 error budget", "10 万亿元"},
		{"amount in exponent form", "budget = 1e15\n", "5:1 error budget", "超出范围"},
		{"amount with seven places", "spent = 89.9740001\n", "5:1 error spent", "最多六位小数"},
		{"amount with trailing zeros past six", "spent = 89.9740000\n", "5:1 error spent", "最多六位小数"},
		// 17 significant digits: a float64 holds 1.1 exactly the same, so
		// only the written text tells that the author wrote more places.
		{"amount with 17 digits", "spent = 1.1000000000000001\n", "5:1 error spent", "最多六位小数"},

		// Scores and full marks.
		{"score with two places", "[[indicators]]\nname = \"a\"\nmax = 20\nscore = 17.25\n", "", ""},
		{"score with three places", "[[indicators]]\nname = \"a\"\nmax = 20\nscore = 17.255\n",
			"8:1 error indicators[0].score", "最多两位小数"},
		// 93.500000000000001 is the float64 93.5: read from the text, it is
		// refused rather than silently shortened.
		{"score with 18 digits", "", "4:1 error score", "最多两位小数"},
		{"max over 1000", "[[indicators]]\nname = \"a\"\nmax = 1000.01\nscore = 1\n",
			"7:1 error indicators[0].max", "0 到 1000"},
		{"max of 1000", "[[indicators]]\nname = \"a\"\nmax = 1000\nscore = 1000\n", "", ""},
		{"score of 1e15 in an inline table", "indicators = [{name = \"a\", max = 20, score = 1e15}]\n",
			"5:38 error indicators[0].score", "0 到 1000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := minimal + tt.extra
			if tt.name == "score with 18 digits" {
				src = strings.Replace(minimal, "score = 90", "score = 93.500000000000001", 1)
			}
			_, ds := load(t, map[string]string{rec: src})
			if tt.want == "" {
				if len(ds) != 0 {
					t.Fatalf("diagnostics: %v", shorts(ds))
				}
				return
			}
			if len(ds) == 0 {
				t.Fatalf("no diagnostic, want %s", tt.want)
			}
			if got := short(ds[0]); got != "content/"+rec+":"+tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
			if text := ds[0].Message + ds[0].Hint; !strings.Contains(text, tt.msg) {
				t.Errorf("message %q lacks %q", text, tt.msg)
			}
		})
	}
}

// TestNumbersAsWritten checks that values are read from the text: exact
// beyond what a float64 carries, with their written places for amounts and
// figures, in every spelling TOML allows.
func TestNumbersAsWritten(t *testing.T) {
	c, ds := load(t, map[string]string{
		rec: minimal + `budget = 999_999_999.999999
spent = 89.970
indicators = [
  {name = "a", max = 0.3, score = 0.1},
  {name = "b", max = 8.95e1, score = 0.2},
]
`,
		"2023/evaluations/b.toml": minimal + "budget = 45.00\nspent = 8.9974e1\n",
		// Two texts of one value (26.5 and 26.50), and look-alikes in a
		// string and a comment: each field gets its own text.
		"2023/evaluations/c.toml": `title = "预算 = 26.500"
department = "d"
year = 2023
# spent = 26.5000
spent = 26.50
[[indicators]]
name = "a"
max = 30
score = 26.5
`,
		"2023/report.toml": "title = \"说明\"\n[[figures]]\nlabel = \"资金\"\nvalue = 11.520\nunit = \"亿元\"\n[[figures]]\nlabel = \"项目\"\nvalue = 1_000.5\n",
	})
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", shorts(ds))
	}
	a, b, cc := c.Records[0], c.Records[1], c.Records[2]
	for _, tt := range []struct{ name, got, want string }{
		{"budget", a.Budget.String(), "999999999.999999"},
		{"spent", a.Spent.String(), "89.970"},
		{"spent's value", a.Spent.Value.String(), "89.97"},
		{"inline max", a.Indicators[0].Max.String(), "0.3"},
		{"inline score + score", (a.Indicators[0].Score + a.Indicators[1].Score).String(), "0.3"},
		{"exponent max", a.Indicators[1].Max.String(), "89.5"},
		{"budget with zeros", b.Budget.String(), "45.00"},
		{"spent with exponent", b.Spent.String(), "89.974"},
		{"spent beside a score of the same value", cc.Spent.String(), "26.50"},
		{"title", cc.Title, "预算 = 26.500"},
		{"figure with a zero", c.Reports[0].Figures[0].Value, "11.520"},
		{"figure with underscore", c.Reports[0].Figures[1].Value, "1000.5"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %s, want %s", tt.name, tt.got, tt.want)
		}
	}
	// The sum is exact: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
	if a.Indicators[0].Score+a.Indicators[1].Score != a.Indicators[0].Max {
		t.Errorf("0.1 + 0.2 != 0.3")
	}
}
