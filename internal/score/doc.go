// Package score computes totals, score rates and grades of loaded records and
// checks them against what the record states: children that do not add up to
// their parent, a stated total or grade that disagrees with the computed one,
// an execution rate or fund rows that disagree with the amounts, a review's
// grade that disagrees with its score, suspicious dates of findings.
//
// The stated value is the official one (it is what the bureau published), so
// an Evaluation carries both and the page shows the stated value with the
// reason it differs; when a record's [review] is official, the review's
// result is the headline and the record's own is kept beside it. A record
// may acknowledge a discrepancy ([[accept]]): its warning becomes a note
// and the Evaluation keeps the reason for the page.
//
// Dates are judged on the day of the build, which the caller passes
// (EvaluateAt); package score never reads the clock, reads no file and
// renders nothing.
package score
