// Package scaffold starts a new evaluation: it writes a record and its
// narrative from templates embedded in the binary, with every field present
// and explained in Chinese, the standard first-level indicators and the
// standard narrative headings of an evaluation abstract, so that a web
// staffer can fill in a record without reading a manual. The record is a
// draft: the site still builds, and the new evaluation is not published until
// a person clears draft.
//
// It is not the loader and does not check content: what it writes passes
// `evalpress check`, and the tests prove that with the real loader.
package scaffold
