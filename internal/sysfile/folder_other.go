//go:build !linux

package sysfile

import "errors"

// openFolder opens nothing: files are looked at by path (Folder).
func openFolder(string) int { return -1 }

func closeFolder(int) {}

func statAt(int, string) (FileStat, error) {
	return FileStat{}, errors.New("statAt: not on this system")
}
