// Package assemble is the stage between scoring and rendering. For the
// pages a build renders it prepares, once per evaluation and per year, what
// the templates show beyond the model: the narrative's HTML and plain text
// (with the files beside the record it references, read and checked),
// the charts' options, the search index's document of each evaluation, and
// the narratives that a year's print booklet reprints.
//
// The renderer (internal/site) asks for this material page by page through
// site.Assembly, as it renders, so that a build of 10,000 evaluations holds
// the material of the pages in flight only, never all of it: a narrative's
// HTML outlives its page only when a booklet of the build reprints it, and
// then only until that booklet is rendered. The search documents are the
// exception the index needs whole; the pipeline builds the index from
// Docs once every page is rendered.
//
// It does not render templates, write pages or build the search index.
package assemble
