// Package site turns scored evaluations into the pages of the static site:
// it groups them by year and department, renders every page with
// html/template, and hands each file to a writer as soon as it is rendered,
// so that a build of 10,000 evaluations never holds all its pages at once.
//
// It does not read content files or decide what is published: it renders
// what it is given.
package site

// ContentSecurityPolicy is the policy the pages are made for: the strictest
// one a static site with its own scripts, styles and images can live with,
// and one a portal may impose (no inline script or style, no eval, nothing
// from another host). The preview sends it, and the browser tests load
// every page under it.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'"
