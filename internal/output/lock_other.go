//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd || windows)

package output

import "context"

// lockFile does not lock on this system: builds on one output folder are
// not serialised here (the README says so).
func lockFile(ctx context.Context, path string, waiting func()) (release func(), err error) {
	return func() {}, nil
}
