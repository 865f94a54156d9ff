//go:build !unix

package main

import "os"

// peakRSSKiB is unknown here: the report prints "?" and skips the target.
func peakRSSKiB(*os.ProcessState) int64 { return 0 }

// minorFaults is unknown here: the report leaves the faults out.
func minorFaults(*os.ProcessState) int64 { return 0 }

// syncDisks does nothing here.
func syncDisks() {}

// keepFromChildren does nothing here: no launcher runs (runMeasured).
func keepFromChildren(int) {}
