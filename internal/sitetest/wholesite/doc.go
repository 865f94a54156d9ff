// Package wholesite runs the pipeline over a small site written for one
// test, in the shape of Hugo's integration tests: the site goes in as a txtar
// archive (-- content/site.toml -- …), and the Site that Build or Check
// returns asserts on the output files and the diagnostics
// (AssertFileContent, AssertNoFile, AssertNowhere, AssertDiag).
//
// It is for tests only. It imports pipeline, so the tests of pipeline, and
// of any package pipeline imports, use it from an external test package
// (package pipeline_test); package sitetest, which it builds on, stays
// importable from everywhere.
package wholesite
