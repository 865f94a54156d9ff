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
//   - three to eight characters: the word's own document list, as a gram
//     (below);
//   - more, or a word with a character beyond the Basic Multilingual Plane:
//     the intersection of the document lists of all its bigrams, confirmed
//     with the positions of a set of bigrams that covers every character of
//     the word (生活补贴 = 生活 at p and 补贴 at p+2).
//
// Grams. Evaluation texts are formulaic: nearly every phrase of an
// evaluation occurs in most others (资金使用 in 8,700 of 10,000), so
// confirming a phrase by positions downloads the positions of its bigrams
// in every evaluation, hundreds of KB. Instead every substring of 3 to 8
// characters of a text (a gram) has an exact document list. Listed plainly
// they would be 100 million postings at 10,000 evaluations; but a gram's
// documents are a subset of its prefix's (资金使用 ⊆ 资金使), so each is
// stored relative to its prefix in blocks of 32 documents: per block where
// it occurs, "the same documents", or the prefix's documents it keeps, or
// those it drops, as bits packed over the prefix's (pext). A gram in
// exactly as many documents as its prefix is in the same ones and costs no
// records at all (about half the grams of formulaic text). The grams form a
// trie sharded by family: the grams that start with the same three
// characters share the shard of those three, except below a gram whose
// extensions hold more than maxFamily bytes (the extensions of a common
// gram, 绩效目标为, 绩效目标的, … keep about half of its documents each):
// each of its extensions then heads a family in a shard of its own. A query
// reads its bigram's shard, its family's shard and one shard per split gram
// on its path, and walks the masks down from the bigram's list to its own.
// A gram keeps whether it occurs in a title, not how often it occurs, so
// phrases rank by title hits and rarity (tf counts as 1).
//
// The grams are built from windows: each position's next eight characters,
// collected per block of 32 documents with the mask of the documents
// holding them and sorted, so that one walk gives every gram of the block
// and its mask. Blocks are windowed on all cores while one goroutine logs
// them, in block order, into 256 partitions by family.
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
