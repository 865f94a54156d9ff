//go:build !linux

package pipeline

import "errors"

// openFolder opens nothing where files are looked at by path.
func openFolder(string) int { return -1 }

func closeFolder(int) {}

func statAt(int, string) (fileID, error) { return fileID{}, errors.New("statAt: not on this system") }
