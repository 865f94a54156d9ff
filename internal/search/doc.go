// Package search builds the full-text search index of a site: a set of
// static files under search/ that assets/js/search.js reads in the browser,
// with no server, to find evaluations by any word of their text.
//
// Chinese has no spaces, so the index does not rely on them and needs no
// dictionary. Every text is normalised (see Normalize), and every character
// (unigram) and every pair of adjacent characters (bigram) of the
// normalised text is a term, whatever the script: 补贴, ppp and 2023 are found
// the same way. A query word without spaces matches exactly the evaluations
// whose normalised text contains it as a substring:
//
//   - one character: the unigram's document list;
//   - two characters: the bigram's document list;
//   - three to eight characters that many evaluations share (满意度,
//     资金使用, 规范、有效使用): the phrase's own document list, when the
//     index has the phrase as a term (see phrases.go);
//   - any other: candidates from the document lists of its rare bigrams,
//     confirmed with the positions of a set of bigrams that covers every
//     character of the word (生活补贴 = 生活 at p and 补贴 at p+2). A
//     bigram that is rare for the site's size also covers, by its
//     contexts, the three characters on either side of it (see
//     context.go); a heavy bigram's positions (and contexts, if it has
//     them) are read only in the blocks that hold candidates.
//
// Words separated by spaces must all match (AND); facet filters (year,
// department, grade, kind) narrow the result. The files are sharded by a
// hash of the term so that a query downloads only its own terms' shards:
// a small directory with the short lists (t/), which every word reads for
// each of its terms, the long lists apart (l/), read only for a term whose
// list the word needs. Positions live apart from the document lists
// because only words of three or more characters that are not phrase
// terms need them: a common bigram's positions are hundreds of KB, which
// is why the common phrases have lists of their own, why the rare
// bigrams' contexts let a word avoid them, and why they are split by
// document range. See Write for the file layout.
//
// Two builders write the same files for the same documents. A Builder
// keeps every document and builds an Index in memory, with Index.Search
// for tests; the preview keeps one to rebuild the index after an edit. A
// Stream, for a build, tokenises each document as it is added, keeps of it
// only what the files show (and its text in a temporary file, for the
// phrases), and spills its postings to temporary files past a bound, so
// that its memory does not grow with the texts.
//
// Index.Search is a reference implementation of the same semantics by
// plain substring search over the normalised texts, for tests.
//
// The package does not render pages, does not read content files and knows
// nothing of templates: the site's build hands it one Doc per published
// evaluation. It is not a general search engine: no stemming, no synonyms,
// no fuzzy matching, and it indexes at most 4,194,304 characters of a
// document (far more than any evaluation has).
package search
