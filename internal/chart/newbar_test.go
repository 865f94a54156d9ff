package chart

import (
	"reflect"
	"sync"
	"testing"

	"github.com/go-echarts/go-echarts/v2/charts"
)

// TestNewBarIsNewBar checks that newBar's copy of the prototype is the chart
// charts.NewBar makes, field by field, but for the chart's random ID and its
// renderer (which points at the chart itself); neither is in the option.
func TestNewBarIsNewBar(t *testing.T) {
	want, got := charts.NewBar(), newBar()
	for _, c := range []*charts.Bar{want, got} {
		c.ChartID = ""
		c.Renderer = nil
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("newBar() = %+v\nwant charts.NewBar() = %+v", got, want)
	}
}

// TestNewBarShares checks that charts made from the prototype do not write
// into it or into one another: the race detector (go test -race) reports
// a shared write, and the option of a chart must not change when another
// is made at the same time.
func TestNewBarShares(t *testing.T) {
	b := bar{Horizontal: true, Categories: []string{"产出", "效益"}, Grades: []string{"优", "良"},
		Items: []item{{Value: 90, Rank: 0, Label: "90%"}, {Value: 80, Rank: 1, Label: "80%"}}, ValueMax: 100}
	want, err := b.option()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other := bar{Categories: []string{"2021", "2022", "2023"}, Grades: []string{"优"},
				Items: []item{{Value: 1, Label: "1"}, {Value: 2, Label: "2"}, {Value: 3, Label: "3"}}}
			for j := 0; j < 20; j++ {
				if _, err := other.option(); err != nil {
					t.Error(err)
				}
				got, err := b.option()
				if err != nil {
					t.Error(err)
				}
				if got != want {
					t.Errorf("option changed while other charts were made:\n%s\nwant\n%s", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	if p := newBar(); len(p.XAxisList) != 1 || p.XAxisList[0].Data != nil || len(p.MultiSeries) != 0 || len(p.GridList) != 0 {
		t.Errorf("the prototype was written into: %+v %+v %+v", p.XAxisList, p.MultiSeries, p.GridList)
	}
}
