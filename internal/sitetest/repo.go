package sitetest

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// repoRoot returns the directory of the repository's go.mod, found by walking
// up from the working directory (a test's working directory is its package's
// directory). node_modules and tools/ live there.
var repoRoot = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory: run the tests inside the evalpress repository")
		}
		dir = parent
	}
})

// nodeTool returns the path of a file of node_modules, or an error that says
// how to install it.
func nodeTool(rel string) (string, error) {
	root, err := repoRoot()
	if err != nil {
		return "", err
	}
	p := filepath.Join(root, "node_modules", filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		return "", errors.New(p + " is missing: run npm ci in " + root)
	}
	return p, nil
}
