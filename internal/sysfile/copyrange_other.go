//go:build !linux

package sysfile

import "os"

// copyRange copies nothing: CopyRange copies through the process.
func copyRange(dst, src *os.File, off, n int64) (int64, error) { return 0, nil }
