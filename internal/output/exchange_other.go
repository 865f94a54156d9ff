//go:build !linux && !darwin

package output

import "errors"

// exchangeDirs is not offered by this system; Commit falls back to two
// renames.
func exchangeDirs(a, b string) error { return errors.ErrUnsupported }
