// Package attach checks the files placed beside a record (images and
// documents in content/<year>/evaluations/<slug>/) before they are
// published: an allow-list of types, checked by extension and by content,
// a size limit, names any server can hold, and SVG images that carry no
// script and load nothing.
//
// It reads through the content's fs.FS, the one content.Load reads, so
// that the same rules on what may be read apply to these files.
package attach
