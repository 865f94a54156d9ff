package sitetest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags that Axe runs: WCAG 2.0 and 2.1, levels
// A and AA, which GB/T 37668 follows.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one accessibility rule that a page breaks, as axe-core reports
// it.
type Violation struct {
	ID      string          `json:"id"`     // the axe rule, such as "image-alt"
	Impact  string          `json:"impact"` // minor, moderate, serious or critical
	Help    string          `json:"help"`   // what the rule asks for
	HelpURL string          `json:"helpUrl"`
	Nodes   []ViolationNode `json:"nodes"`
}

// ViolationNode is one element that breaks a rule.
type ViolationNode struct {
	Target  string `json:"target"`  // a CSS selector of the element
	HTML    string `json:"html"`    // the element's start tag, as axe shows it
	Summary string `json:"summary"` // how to fix it
}

func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s", v.ID, v.Impact, v.Help)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n\t%s  %s", n.Target, n.HTML)
	}
	return b.String()
}

var axeSource = sync.OnceValues(func() (string, error) {
	p, err := nodeTool("axe-core/axe.min.js")
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(p)
	return string(b), err
})

// axeRun runs the rules of AxeTags on the document and returns the
// violations in the shape of Violation. Only violations are collected: the
// passes and incomplete results are large and nobody reads them here.
var axeRun = `axe.run(document, {
	runOnly: {type: "tag", values: ` + jsStrings(AxeTags) + `},
	resultTypes: ["violations"]
}).then(r => r.violations.map(v => ({
	id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
	nodes: v.nodes.map(n => ({
		target: n.target.map(String).join(" "),
		html: n.html,
		summary: n.failureSummary || ""
	}))
})))`

func jsStrings(ss []string) string {
	return `["` + strings.Join(ss, `", "`) + `"]`
}

// Axe opens url in a new tab of the browser ctx (from NewBrowser), runs
// axe-core's WCAG 2.1 A and AA rules on it, and returns the violations. It
// needs node_modules/axe-core from `npm ci`.
//
// axe-core is injected with Runtime.evaluate, which the page's Content
// Security Policy does not govern, so the page is tested under the same
// policy it is served with.
func Axe(ctx context.Context, url string) ([]Violation, error) {
	if _, err := axeSource(); err != nil {
		return nil, err // before the page loads: the fix is `npm ci`
	}
	_, vs, err := checkPage(ctx, url, true, false)
	return vs, err
}

// AxeIn runs axe-core's WCAG 2.1 A and AA rules on the page already loaded
// in tab (a chromedp context), in the state the test has put it in (a
// mode switched on, a script disabled, a phone's viewport emulated), and
// returns the violations; url
// names the page in errors. It needs node_modules/axe-core from `npm ci`.
func AxeIn(tab context.Context, url string) ([]Violation, error) {
	return runAxe(tab, url)
}

// runAxe injects axe-core into the page loaded in tab and runs it.
func runAxe(tab context.Context, url string) ([]Violation, error) {
	src, err := axeSource()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(tab, pageTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](src)); err != nil {
		return nil, fmt.Errorf("%s: inject axe-core: %w", url, err)
	}
	vs, err := chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise))
	if err != nil {
		return nil, fmt.Errorf("%s: run axe-core: %w", url, err)
	}
	return vs, nil
}
