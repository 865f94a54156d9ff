package build

import (
	"context"
	"time"

	"github.com/evalpress/evalpress/internal/diag"
)

// Options configure one build.
type Options struct {
	// Content is the content directory; Out the output directory.
	Content string
	Out     string
	// Strict turns warnings into errors.
	Strict bool
	// Now decides which records are published yet; zero means time.Now().
	Now time.Time
}

// Stats describe a finished build.
type Stats struct {
	Evaluations int
	Pages       int
	Files       int
	Bytes       int64
}

// Run builds the site. Problems with the content go into l; Run returns an
// error when the build failed (l has errors, or warnings under Strict, or the
// output could not be written), and then the previous output is untouched.
func Run(ctx context.Context, opts Options, l *diag.List) (Stats, error) {
	panic("not yet")
}
