package sitetest

import (
	"os"
	"path/filepath"

	"github.com/evalpress/evalpress/internal/linkcheck"
)

// Problem is one fault found in a file of a built site.
type Problem = linkcheck.Problem

// Links checks every reference of the site in the directory root; see
// linkcheck.Links.
func Links(root string) ([]Problem, error) { return linkcheck.Links(os.DirFS(root)) }

// LinksUnder is Links for a site served under basePath; see
// linkcheck.LinksUnder.
func LinksUnder(root, basePath string) ([]Problem, error) {
	return linkcheck.LinksUnder(os.DirFS(root), basePath)
}

// Offline finds requests to other hosts in the site in root; see
// linkcheck.Offline.
func Offline(root string) ([]Problem, error) { return linkcheck.Offline(os.DirFS(root)) }

// notFoundPage is the page a server sends for any missing URL.
const notFoundPage = "404.html"

// relSlash returns p relative to root, with slashes.
func relSlash(root, p string) (string, error) {
	rel, err := filepath.Rel(root, p)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(rel), nil
}
