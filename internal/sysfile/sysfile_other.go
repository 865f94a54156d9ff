//go:build !unix

package sysfile

import "os"

// WriteFile creates name with data.
func WriteFile(name string, data []byte) error { return os.WriteFile(name, data, 0o644) }

// ReadFile returns the contents of name.
func ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }
