package pipeline_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/evalpress/evalpress/internal/sitetest"
	"github.com/evalpress/evalpress/internal/sitetest/wholesite"
)

// TestSearchTiesShowTheNewerYearFirst searches a site where one project was
// evaluated in three years with the same title and text: the results tie on
// relevance, and a reader expects the newest evaluation first (issue 14,
// item 7). The records are written oldest first, so file order would give
// the opposite.
func TestSearchTiesShowTheNewerYearFirst(t *testing.T) {
	files := siteToml
	for _, y := range []string{"2022", "2023", "2024"} {
		files += `
-- content/` + y + `/evaluations/water-` + y + `.toml --
title = "农村饮水安全巩固提升项目"
department = "测试市水利局"
year = ` + y + `
score = 88
-- content/` + y + `/evaluations/water-` + y + `.md --
项目完成了农村饮水安全巩固提升任务，群众满意度较高。
`
	}
	out := wholesite.Build(t, files).Out()
	base := sitetest.ServeDir(t, out, "/jxgk/")
	ctx := sitetest.NewBrowser(t)
	tab, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab, chromedp.Navigate(base+"search/?q=饮水")); err != nil {
		t.Fatal(err)
	}
	var facts []string
	deadline := time.Now().Add(10 * time.Second)
	for {
		var err error
		facts, err = chromedp.Run(tab, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll('#search-results .search-facts'), e => e.textContent)`))
		if err != nil {
			t.Fatal(err)
		}
		if len(facts) == 3 || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var years []string
	for _, f := range facts {
		years = append(years, strings.SplitN(f, " · ", 2)[0])
	}
	if want := []string{"2024年", "2023年", "2022年"}; !slices.Equal(years, want) {
		t.Errorf("results by year %q, want the newest first %q", years, want)
	}
}
