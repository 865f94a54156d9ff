// Package score computes totals, score rates and grades of loaded records and
// checks them against what the record states: children that do not add up to
// their parent, a stated total or grade that disagrees with the computed one.
//
// The stated value is the official one (it is what the bureau published), so
// an Evaluation carries both and the page shows the stated value with the
// reason it differs. Package score does not read files or render anything.
package score
