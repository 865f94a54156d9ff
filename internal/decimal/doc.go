// Package decimal holds the exact numbers of evaluation records: scores,
// full marks and amounts with at most two decimal places, kept as integer
// hundredths so that 17 + 26.5 + 30 + 20 is exactly 93.5.
//
// It is not a general decimal library: it knows two places, no more, because
// that is what the bureaus publish and what the content model allows.
package decimal
