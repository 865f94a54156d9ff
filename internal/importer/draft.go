// Package importer turns the files a bureau already holds (self-evaluation
// forms in Excel and Word, results notices, published text abstracts) into
// draft records of the second edition, for a person to review before they
// are published (issue 15; ../shared/FORMS.md describes the sources).
//
// Each reader turns one source file into Drafts. A Draft is a record as
// package content models it, its narrative, and the account the staff are
// owed: which source cell became which field, which non-empty cells did
// not, and every guess the reader made. The writer turns Drafts into files
// under content/ and never overwrites one; the report prints the account
// in Chinese or as JSON.
package importer

import "github.com/evalpress/evalpress/internal/content"

// Draft is one record read from a source file, not yet written.
type Draft struct {
	// Source names the file as the staffer gave it, for the report and the
	// record's header comment.
	Source string
	// Record holds the fields read, amounts and scores as written (never
	// rounded). Record.Draft is set by the writer, not by readers; File,
	// Slug, Narrative and Pos are left empty by readers.
	Record *content.Record
	// Narrative is the Markdown read for the record's .md file (a report's
	// headings and paragraphs, an abstract's sections); nil when the
	// source has none.
	Narrative []byte
	// Mapped lists every source cell (or line) that became a field, in
	// source order.
	Mapped []Mapping
	// Unused lists every non-empty cell (or line) that became no field.
	Unused []Cell
	// Guesses lists every choice the reader made that a person should
	// confirm: a header matched by a synonym, a budget code split off a
	// name, a blank total row taken from its fund rows.
	Guesses []Guess
}

// Cell is a place in a source file and the text found there.
type Cell struct {
	// Ref names the place as a staffer finds it: "Sheet1!C12" in a
	// workbook, "表1 第3行第2列" in a Word document, "第12行" in a text
	// or CSV file.
	Ref string `json:"ref"`
	// Text is the cell's text as the file holds it.
	Text string `json:"text"`
}

// Mapping records that a source cell became a record field.
type Mapping struct {
	Cell
	// Field is the field's key as diagnostics write it: "spent",
	// "indicators[0].items[1].score", "funds[1].spent".
	Field string `json:"field"`
}

// Guess is a choice a reader made, said in Chinese for the report.
type Guess struct {
	Ref string `json:"ref"`
	// Note says in Chinese what was guessed and how to check it, e.g.
	// "表头“本年预算数”按“全年预算数”读取".
	Note string `json:"note"`
}
