//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package output

import (
	"context"
	"errors"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive lock on the file at path, creating it, and
// waits (calling waiting once) while another build holds it. The lock
// dies with its process, so a killed build never blocks the next. release
// removes the file before it unlocks, so that no lock file stays beside
// the output; a waiter that then gets the lock of the removed file sees
// that the path no longer names it and starts again.
func lockFile(ctx context.Context, path string, waiting func()) (release func(), err error) {
	told := false
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, err
		}
		err = unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
		if err == nil {
			if sameFile(f, path) {
				return func() {
					_ = os.Remove(path)
					_ = f.Close()
				}, nil
			}
			_ = f.Close()
			continue
		}
		_ = f.Close()
		if !errors.Is(err, unix.EWOULDBLOCK) {
			return nil, err
		}
		if !told && waiting != nil {
			waiting()
			told = true
		}
		// Polling instead of a blocking flock keeps the wait cancellable
		// by SIGINT or SIGTERM.
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func sameFile(f *os.File, path string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Stat(path)
	return err == nil && os.SameFile(a, b)
}
