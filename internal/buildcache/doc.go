// Package buildcache keeps, beside a build's output, what the next build
// needs to take unchanged pages from the previous output instead of
// rendering them again: for each evaluation page, the key of its inputs,
// the files it wrote with their content hashes, the content files it
// published and its search document.
//
// The cache is a folder of its own (see Open), marked as evalpress's by a
// file that says it may be deleted at any time; evalpress never writes
// into a folder at that path that lacks the mark, nor one that is or holds
// the content folder. Everything in it is checked before use: the index
// carries a hash of itself and each document file hashes in the index,
// one per chunk of its documents (a read of a few documents checks their
// chunks only), so that a damaged or truncated cache reads as no cache (a
// full build), never as wrong pages.
//
// It is not a store of the output: the pages themselves stay in the
// output folder, and a page is taken from there only when its bytes still
// hash to what the cache recorded (internal/pipeline decides).
package buildcache
