package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// A timed build must not pay for what the bench removed before it.
//
// On ext4 without a journal (the file system of this project's bench
// machine), the kernel does not give a new file or folder the number of
// one removed less than a minute before (six minutes while the removal is
// not yet written out): each one it makes looks past every such number in
// its block group first. A build of 10,000 evaluations right after the
// removal of another such output spent 6 s of CPU in mkdir instead of
// 0.7 s, and took 24 s instead of 12; Hugo's timed runs, each after the
// removal of the one before, paid the same. The bench therefore keeps
// every output until its end, as it did for the disk's write-back, notes
// the time of each removal of its own (removeOutputs), and before a
// timed build writes out what is pending and waits until a minute has
// passed since the last one (settle). A file system without the rule
// costs the bench that minute at most.

// removalWindow is how long a removal slows the files made after it,
// once written out.
var removalWindow = 60 * time.Second

// removalStamp is the file whose modification time is the bench's last
// removal, shared by make bench and make bench-large, which use one disk.
var removalStamp = filepath.Join(os.TempDir(), "evalbench-removed")

// removeOutputs removes paths, which a bench made, and notes the time
// when any of them existed.
func removeOutputs(paths ...string) error {
	var first error
	removed := false
	for _, p := range paths {
		if _, err := os.Lstat(p); err != nil {
			continue
		}
		removed = true
		if err := os.RemoveAll(p); err != nil && first == nil {
			first = err
		}
	}
	if removed {
		noteRemoval()
	}
	return first
}

// noteRemoval records that the bench removed something now.
func noteRemoval() {
	now := time.Now()
	if err := os.Chtimes(removalStamp, now, now); err == nil {
		return
	}
	if f, err := os.Create(removalStamp); err == nil {
		f.Close()
	}
}

// settle writes out what the disk has pending and waits until
// removalWindow has passed since the bench's last removal, saying so on
// stderr when it waits; then it reads every file of inputs (warm).
func settle(stderr io.Writer, inputs ...string) {
	// An input it cannot read fails the build that follows, which says
	// why.
	defer func() { _, _ = warm(inputs...) }()
	syncDisks()
	st, err := os.Stat(removalStamp)
	if err != nil {
		return
	}
	wait := time.Until(st.ModTime().Add(removalWindow))
	if wait <= 0 {
		return
	}
	if wait > removalWindow {
		wait = removalWindow // a clock set back
	}
	fmt.Fprintf(stderr, "waiting %.0f s after removing an earlier output, so that the next build is not billed for it …\n", wait.Seconds())
	time.Sleep(wait)
}

// freshOutput returns dir's folder name for a build of input, timed or
// profiled: what an earlier run left there (the output, its cache and
// spare) removed, the folder added to outs, which the bench removes at
// its end, the disk settled and input read once (settle). A build into
// a folder an interrupted run left would be incremental.
func freshOutput(dir, name, input string, outs *[]string, stderr io.Writer) (string, error) {
	public := filepath.Join(dir, name)
	if err := removeOutputs(public, cacheOf(public), spareOf(public)); err != nil {
		return "", err
	}
	*outs = append(*outs, public)
	settle(stderr, input)
	return public, nil
}

// warm reads every file under dirs and returns how many bytes it read.
//
// A timed build should find its input where the build before it left it:
// in the page cache. Otherwise the first build of a corpus reads it from
// the disk: make bench-large's single build of 100,000 evaluations (856
// MB in 190,000 files, last read minutes before) took 34 s to load rather
// than 20 s, and was judged against the median of three builds of 10,000
// that found theirs in memory. Every timed build, Hugo's too, has its
// input read once just before it starts.
func warm(dirs ...string) (int64, error) {
	var total int64
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || !d.Type().IsRegular() {
				return err
			}
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			n, err := io.Copy(io.Discard, f)
			total += n
			return err
		})
		if err != nil {
			return total, err
		}
	}
	return total, nil
}
