// Package export writes the machine-readable outputs of a site: the open
// data (evaluations.json, evaluations.csv and one CSV per year), the Atom
// feed of disclosures, the sitemap and robots.txt.
//
// It formats what it is given and decides nothing: which evaluations are
// public, and which pages exist, is for its callers (internal/site).
// Every output is deterministic: no build time goes into any of them, so two
// builds of the same content are byte-identical.
package export
