package sysfile

import (
	"os"
	"time"
)

// Rename is os.Rename, tried again for a while when the system refuses it
// for a moment. On Windows a folder cannot be renamed, nor a file
// replaced, while another program holds one of its files open without
// sharing it for deletion, and programs do that briefly and often: a
// virus scanner or the search indexer reading the pages just written,
// Explorer showing the folder. Go's own tools retry such errors for two
// seconds (cmd/go/internal/robustio); so does the build, which would
// otherwise fail at random where the web staff work. Elsewhere it is
// os.Rename: no error there passes by itself.
func Rename(oldpath, newpath string) error {
	return retryWhile(transient, func() error { return os.Rename(oldpath, newpath) })
}

// RemoveAll is os.RemoveAll, tried again as Rename is.
func RemoveAll(path string) error {
	return retryWhile(transient, func() error { return os.RemoveAll(path) })
}

// retryFor is how long retryWhile tries again; a test may shorten it.
var retryFor = 2 * time.Second

// retryWhile calls f until it succeeds, fails with an error that is not
// transient, or retryFor has passed since the first call, waiting 1 ms
// after the first failure and twice as long after each next one (at most
// 100 ms). It returns f's last error.
func retryWhile(transient func(error) bool, f func() error) error {
	start := time.Now()
	wait := time.Millisecond
	for {
		err := f()
		if err == nil || !transient(err) || time.Since(start)+wait > retryFor {
			return err
		}
		time.Sleep(wait)
		wait = min(2*wait, 100*time.Millisecond)
	}
}
