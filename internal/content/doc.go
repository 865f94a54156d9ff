// Package content loads a site's content tree (site.toml, year reports,
// evaluation records and their narratives) into typed values, and reports
// every problem of form — TOML syntax, types, unknown keys, missing fields,
// encodings, file names — with its file, line and field.
//
// It checks what can be checked of one file alone. It does not compute
// totals or grades and does not compare stated values with computed ones:
// that is package score's job, one stage further down the pipeline.
package content
