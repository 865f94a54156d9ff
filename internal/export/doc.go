// Package export writes the machine-readable outputs of a site: the open
// data (evaluations.json and its JSON Schema; the CSV files of
// evaluations, indicators, findings and funds; one CSV of evaluations and
// one zip of all files per year; SHA256SUMS), the Atom feed of
// disclosures, the sitemap and robots.txt.
//
// It formats what it is given and decides nothing: which evaluations are
// public, and which pages exist, is for its callers (internal/site).
// Every output is deterministic: no build time goes into any of them, so two
// builds of the same content are byte-identical.
package export
