// Package decimal holds the exact numbers of evaluation records: scores,
// full marks and amounts in 万元, kept as integer millionths so that
// 17 + 26.5 + 30 + 20 is exactly 93.5 and 89.974 is exactly 89.974.
//
// Values are read from the text the author wrote (Parse), never from a
// binary float, so that no digit is gained or lost on the way in. Sums of a
// whole site use a 128-bit accumulator (Sum) and rates are computed in
// 128-bit integers and rounded once, so nothing overflows at the limits the
// content model states.
//
// It is not a general decimal library: it knows six places, no more,
// because that is the most any published figure carries (万元 to the 分 is
// six places), and the content model bounds what it reads.
package decimal
