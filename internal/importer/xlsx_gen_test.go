package importer

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
	"github.com/evalpress/evalpress/internal/diag"
	"github.com/evalpress/evalpress/internal/score"
)

// TestGeneratedFormsImport reads generated forms back: each is one draft
// whose stated total is the sum of its first-level scores, whose fund rows
// add up to the totals the form states, and which package score checks
// without an error; only the signature line and an empty 二级 row are
// left unused.
func TestGeneratedFormsImport(t *testing.T) {
	dir := t.TempDir()
	if err := GenerateForms(dir, 40, 7); err != nil {
		t.Fatal(err)
	}
	blankTotals, emptyL2 := 0, 0
	for i := range 40 {
		name := filepath.Join(dir, "form-"+pad4(i+1)+".xlsx")
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		drafts, err := ReadXLSX(name, data)
		if err != nil || len(drafts) != 1 {
			t.Fatalf("%s: %d drafts, %v", name, len(drafts), err)
		}
		d := drafts[0]
		r := d.Record
		var sum decimal.D
		for _, in := range r.Indicators {
			sum += in.Score
		}
		if r.Score == nil || *r.Score != sum || len(r.Indicators) != 4 || r.Title == "" || r.Department == "" {
			t.Errorf("%s: score %v, sum %s, %d indicators, %q %q", name, r.Score, sum, len(r.Indicators), r.Title, r.Department)
		}
		if strings.ContainsAny(r.Department, "0123456789-") {
			t.Errorf("%s: code left in department %q", name, r.Department)
		}
		for _, u := range d.Unused {
			switch {
			case u.Text == "填报人：（签字）":
			case strings.HasPrefix(u.Text, "可持续影响指标"):
				emptyL2++
			default:
				t.Errorf("%s: unused %s %q", name, u.Ref, u.Text)
			}
		}
		if r.Spent == nil {
			blankTotals++
			// The staffer writes the totals the guesses give.
			for _, f := range r.Funds {
				r.Spent = addAmounts(r.Spent, f.Spent)
				r.Budget = addAmounts(r.Budget, f.Budget)
				r.BudgetInitial = addAmounts(r.BudgetInitial, f.BudgetInitial)
			}
		}
		r.File = name
		var l diag.List
		score.Evaluate([]*content.Record{r}, score.DefaultBands, &l)
		for _, it := range l.Items() {
			t.Errorf("%s: check: %s", name, it)
		}
	}
	if blankTotals == 0 || emptyL2 == 0 {
		t.Errorf("the generator made no blank total (%d) or no empty 二级 row (%d)", blankTotals, emptyL2)
	}
}

func addAmounts(a, b *decimal.Amount) *decimal.Amount {
	if b == nil {
		return a
	}
	if a == nil {
		c := *b
		return &c
	}
	return &decimal.Amount{Value: a.Value + b.Value, Places: max(a.Places, b.Places)}
}

func pad4(i int) string { return fmt.Sprintf("%04d", i) }

func TestGenerateFormsIsDeterministicAndNeverOverwrites(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	for _, dir := range []string{a, b} {
		if err := GenerateForms(dir, 3, 42); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []string{"form-0001.xlsx", "form-0003.xlsx"} {
		x, _ := os.ReadFile(filepath.Join(a, n))
		y, _ := os.ReadFile(filepath.Join(b, n))
		dx, _ := ReadXLSX(n, x)
		dy, _ := ReadXLSX(n, y)
		if len(dx) != 1 || len(dy) != 1 || !sameDraft(dx[0], dy[0]) {
			t.Errorf("%s differs between two runs with one seed", n)
		}
	}
	before, _ := os.ReadFile(filepath.Join(a, "form-0001.xlsx"))
	err := GenerateForms(a, 1, 43)
	after, _ := os.ReadFile(filepath.Join(a, "form-0001.xlsx"))
	if err == nil || !strings.Contains(err.Error(), "不覆盖") || !bytes.Equal(before, after) {
		t.Errorf("overwrote an existing form: %v", err)
	}
}

func sameDraft(a, b *Draft) bool {
	return strings.Join(mappings(a), "\n") == strings.Join(mappings(b), "\n") &&
		guessNotes(a) == guessNotes(b) && strings.Join(indicatorTree(a.Record.Indicators), "\n") == strings.Join(indicatorTree(b.Record.Indicators), "\n")
}

// BenchmarkReadXLSX500 reads 500 generated forms per iteration: the
// reading half of `make bench`'s "500 generated forms import in under
// 30 s".
func BenchmarkReadXLSX500(b *testing.B) {
	dir := b.TempDir()
	if err := GenerateForms(dir, 500, 1); err != nil {
		b.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var files [][]byte
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		files = append(files, data)
	}
	b.ResetTimer()
	for b.Loop() {
		for i, data := range files {
			if _, err := ReadXLSX(entries[i].Name(), data); err != nil {
				b.Fatal(err)
			}
		}
	}
}
