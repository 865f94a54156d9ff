// Package evalpress holds the default templates and assets that every site
// is built with, embedded so that `go install` gives a working tool. The
// program itself lives in cmd/evalpress and internal/.
package evalpress

import "embed"

// Files holds templates/ and assets/ as they are in the repository.
//
//go:embed templates assets
var Files embed.FS
