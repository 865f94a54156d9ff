package content

import (
	"strings"
	"unicode/utf8"
)

// BookletCover is the [booklet] table of site.toml: what the cover of the
// printed booklet for the people's congress (汇编) carries besides the
// organisation and the year. Each is optional; a cover shows only those
// that are set.
type BookletCover struct {
	// DocumentNumber is the 文号 the booklet is sent under, as written on
	// the bureau's letter: 潜财绩〔2024〕12号.
	DocumentNumber string
	// Date is the date printed on the cover (成文日期), zero when none is
	// set.
	Date Date
}

// bookletKeys are the keys [booklet] allows.
var bookletKeys = []string{"document_number", "date"}

// maxDocumentNumber bounds a 文号 in characters: a real one is about a
// dozen; a longer text is a paragraph pasted into the wrong field.
const maxDocumentNumber = 40

// booklet fills b from the [booklet] table of site.toml, reporting each
// problem at its line.
func (d *decoder) booklet(m map[string]any, b *BookletCover) {
	t, ok := d.table(m, "booklet")
	if !ok {
		return
	}
	d.unknown(t, "booklet", bookletKeys)
	if s, ok := d.str(t, "booklet", "document_number"); ok {
		s = strings.TrimSpace(s)
		switch n := utf8.RuneCountInString(s); {
		case n == 0:
			d.errorf("booklet.document_number", `写发文的文号，例如 document_number = "潜财绩〔2024〕12号"；没有文号就删除这一行`,
				"booklet.document_number（文号）是空的")
		case n > maxDocumentNumber:
			d.errorf("booklet.document_number", `只写文号本身，例如 document_number = "潜财绩〔2024〕12号"`,
				"booklet.document_number（文号）有 %d 个字，超过 %d 个字，不像是文号", n, maxDocumentNumber)
		default:
			b.DocumentNumber = s
		}
	}
	if date := d.date(t, "booklet", "date"); date != nil {
		b.Date = *date
	}
}
