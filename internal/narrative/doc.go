// Package narrative renders the Markdown narrative of an evaluation or a year
// report (the prose beside a record: 成效, 问题, 改进措施 …) to HTML that is
// safe to place in a page, and extracts what the rest of the build needs from
// it: the headings for a table of contents and the plain text for the search
// index and page descriptions.
//
// The rules it enforces, whatever the Markdown says:
//
//   - Raw HTML is never passed through. Inline tags and HTML blocks are shown
//     as escaped text, so the author sees the mistake in the preview instead of
//     losing content silently. The one exception is an inline <br>, <br/> or
//     <br /> (common in table cells copied from Word), which becomes a line
//     break.
//   - Links keep their href only for http, https, mailto, relative and
//     fragment URLs. Anything else (javascript:, vbscript:, data:, file:,
//     ftp:, in any case and with tabs, newlines or entities hidden inside) is
//     rendered as the link's text without a link.
//   - Images are emitted as <img> only for relative URLs, because the site
//     makes no request to another host. An http, https or protocol-relative
//     (//host/…) image becomes a link to the image with its alt text (or its
//     URL when the alt text is empty); an image with any other scheme,
//     data: included, is reduced to its alt text.
//   - Headings are shifted so that the narrative's highest level renders as
//     <h2> (the page title is the <h1>): a narrative that starts at # and one
//     that starts at ## both produce <h2> for their top headings. The shift is
//     the same for every heading of a document, so the output skips a level
//     only where the source does; levels beyond 6 stay at 6.
//   - Every heading gets an id that keeps its Chinese text (see Heading.ID).
//   - A soft line break between two East Asian characters is dropped instead
//     of becoming a space (CSS Text 3 rules, as browsers apply them).
//   - Tables are wrapped in <div class="table-scroll"> so that wide tables
//     scroll on phones; the wrapper is focusable so keyboard users can scroll.
//
// It is not a general Markdown library and not an HTML sanitizer: it does not
// accept HTML input, it has no options, and it knows nothing of records,
// scores or templates. The figures of an evaluation come from its record and
// are rendered elsewhere; this package only renders prose.
package narrative
