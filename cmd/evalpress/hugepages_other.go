//go:build !linux

package main

import "errors"

// hugePagesAdvised is whether the system takes advice on huge pages.
const hugePagesAdvised = false

// adviseHugePages does nothing where the system has no such advice.
func adviseHugePages(b []byte) error { return errors.ErrUnsupported }

func sliceAddr(b []byte) uintptr { return 0 }
