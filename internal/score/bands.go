package score

import (
	"fmt"
	"strings"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/evalpress/evalpress/internal/decimal"
)

// Bands are grade bands, highest lower bound first; the last bound is 0.
type Bands []content.Band

// DefaultBands is the national rule for project evaluations.
var DefaultBands = Bands{
	{Grade: "优", Min: decimal.FromInt(90)},
	{Grade: "良", Min: decimal.FromInt(80)},
	{Grade: "中", Min: decimal.FromInt(60)},
	{Grade: "差", Min: decimal.FromInt(0)},
}

// Of returns the grade of a score rate of part out of whole, compared exactly
// (no rounding of the rate): 89.995 % is below 90.
func (b Bands) Of(part, whole decimal.D) string {
	for _, band := range b {
		if decimal.AtLeast(part, whole, band.Min) {
			return band.Grade
		}
	}
	if len(b) == 0 {
		return ""
	}
	return b[len(b)-1].Grade
}

// Rank returns the position of grade in the bands, 0 for the best, or -1.
func (b Bands) Rank(grade string) int {
	for i, band := range b {
		if band.Grade == grade {
			return i
		}
	}
	return -1
}

// Describe lists the bands for messages: "优 ≥ 90，良 ≥ 80，中 ≥ 60，差 < 60".
func (b Bands) Describe() string {
	parts := make([]string, 0, len(b))
	for i, band := range b {
		if i == len(b)-1 && band.Min == 0 && i > 0 {
			parts = append(parts, fmt.Sprintf("%s < %s", band.Grade, b[i-1].Min))
			continue
		}
		parts = append(parts, fmt.Sprintf("%s ≥ %s", band.Grade, band.Min))
	}
	return strings.Join(parts, "，")
}
