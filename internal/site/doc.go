// Package site turns scored evaluations into the pages of the static site:
// it groups them by year and department, renders every page with
// html/template, and hands each file to a writer as soon as it is rendered,
// so that a build of 10,000 evaluations never holds all its pages at once.
//
// It does not read content files or decide what is published: it renders
// what it is given.
package site
