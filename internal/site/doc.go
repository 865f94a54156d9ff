// Package site turns scored evaluations into the pages of the static site:
// it groups them by year and department, renders every page with
// html/template, and hands each file to a writer as soon as it is rendered,
// so that a build of 10,000 evaluations never holds all its pages at once.
//
// It renders only: the narratives' HTML, the charts and the files beside
// records come from the assemble stage (internal/assemble) through
// Assembly, page by page. One entry point, Renderer.Render, renders a
// Selection: All for a build, a few pages for the preview server.
//
// It does not read content files, feed the search index or decide what is
// published: it renders what it is given.
package site
