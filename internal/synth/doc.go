// Package synth writes a synthetic content tree — site.toml, a year report
// for each year and any number of evaluation records with narratives — in
// exactly the format of a real site's content/, for benchmarks and for tests
// that need volume: 10,000 evaluations over the years 2019–2024 whose sizes,
// score distributions, indicator depth, series, drafts and future publication
// dates resemble what bureaus publish.
//
// The output is a function of the seed alone: the same seed and options give
// byte-identical files, so a benchmark measures the same corpus every time.
// Departments, programmes and evaluators are plausible but invented; the
// prose is assembled from phrase banks and means nothing.
//
// The generated corpus is clean — every sum adds up and every stated grade
// agrees with the default bands — unless Options asks for deliberate
// mistakes. It is not a fixture for the checker's rules one by one: small
// hand-written sites do that better.
package synth
