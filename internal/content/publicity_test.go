package content

import (
	"testing"
	"time"
)

// TestPublicity is the one rule of what is public, at the boundaries of a
// published date in the site's time zone.
func TestPublicity(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	china := &Site{TimeZone: "Asia/Shanghai", Location: shanghai}
	utc := &Site{TimeZone: "UTC", Location: time.UTC}
	may1 := &Date{Year: 2024, Month: time.May, Day: 1}
	// 16:30 UTC on 30 April is 00:30 on 1 May in Shanghai.
	night := time.Date(2024, time.April, 30, 16, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		record Record
		site   *Site
		now    time.Time
		want   Publicity
	}{
		{"no date", Record{}, china, night, Public},
		{"draft", Record{Draft: true}, china, night, Draft},
		{"draft with a past date", Record{Draft: true, Published: may1}, china, night.AddDate(1, 0, 0), Draft},
		// The date is the site's: already 1 May in Shanghai, not yet in UTC.
		{"due in the site's zone", Record{Published: may1}, china, night, Public},
		{"not due in another zone", Record{Published: may1}, utc, night, Pending},
		{"one second before", Record{Published: may1}, china, may1.In(shanghai).Add(-time.Second), Pending},
		{"at midnight", Record{Published: may1}, china, may1.In(shanghai), Public},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.record.Publicity(tt.site, tt.now); got != tt.want {
				t.Errorf("record: got %d, want %d", got, tt.want)
			}
			if tt.record.Draft {
				return
			}
			r := Report{Published: tt.record.Published}
			if got := r.Publicity(tt.site, tt.now); got != tt.want {
				t.Errorf("report: got %d, want %d", got, tt.want)
			}
		})
	}
}

// TestYearPath checks that a record's page lies in its year's folder, the
// one rule both follow.
func TestYearPath(t *testing.T) {
	r := Record{Year: 2023, Slug: "roads"}
	if got, want := YearPath(2023), "2023/"; got != want {
		t.Errorf("YearPath: got %q, want %q", got, want)
	}
	if got, want := r.Path(), YearPath(r.Year)+"roads/"; got != want {
		t.Errorf("Path: got %q, want %q", got, want)
	}
}
