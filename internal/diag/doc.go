// Package diag collects the problems found in a site's content: each one names
// the file, line, column and field, says what is wrong and how to fix it.
// Every stage adds to one List so that a build reports all problems in one run,
// sorted, instead of stopping at the first.
//
// It is not a logger: it holds findings about the user's input, not about the
// program's own progress.
package diag
