// Package linkcheck finds the references of a built site that lead nowhere
// or off the site: links and asset references to files that do not exist,
// fragments that name no element, absolute paths (the site must work under
// any base path) and requests to other hosts (the site must work offline).
//
// It reads any fs.FS, so `evalpress check` runs it on a site rendered in
// memory and the whole-site tests on a directory. It does not fetch anything
// and does not judge HTML validity or accessibility (package sitetest's
// browser and validator checks do).
package linkcheck
