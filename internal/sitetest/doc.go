// Package sitetest checks a built site directory for the faults that a reader
// of the site would notice, for the tests: links and fragments that lead nowhere, requests to
// other hosts, invalid HTML, scripts that throw or break the Content Security
// Policy, and accessibility failures against WCAG 2.1 AA.
//
// Whole-site tests use it on the output of a build (see CheckSite), and
// `evalpress check` uses the same link check (package linkcheck) on the site
// it renders in memory.
//
// The static checks (Links, Offline) need only the files. The other checks
// need tools that are not Go: ValidateHTML runs html-validate and Axe injects
// axe-core, both from the repository's node_modules (installed by `npm ci`),
// and the browser helpers drive a Chromium binary through chromedp. Without
// Chromium the browser helpers skip the test, except under CI=true or
// EVALPRESS_REQUIRE_BROWSER=1, where a missing browser is a failure.
//
// It is not a checker of content: the records, narratives, scores and personal
// data are checked before anything is written, by the stages of the build.
package sitetest
