package main

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sync"
	"time"

	"github.com/evalpress/evalpress/internal/buildcache"
	"github.com/evalpress/evalpress/internal/pipeline"
	"github.com/evalpress/evalpress/internal/sysfile"
	"github.com/evalpress/evalpress/internal/watch"
)

// watchDebounce is how long build -watch waits for the content folder to
// be quiet after a change before it builds: an editor's save is often
// several events, and an import writes many files.
var watchDebounce = 100 * time.Millisecond

// watch builds once, then again after every change of the content folder
// until ctx is done (Ctrl-C), each build an incremental one from the
// cache of the build before: the output folder follows the content as
// the staff edit it. Each build is a whole build as evalpress build runs
// it (checked, swapped in whole, nothing undisclosed), so a build that
// fails leaves the previous output as it was, and the next change tries
// again. Only a first build that cannot start (no content folder, an
// output folder refused) ends the command.
//
// What the process keeps between builds spares each rebuild work a
// build started anew does for every record:
//   - the memory the last build used: at 100,000 evaluations on the
//     project's machine, a rebuild in a fresh process takes some 280,000
//     new pages from the system, one in the watching process 30,000 to
//     100,000;
//   - the cache's index and parts as the last build wrote or read them
//     (buildcache.Held), taken again while their files are unchanged,
//     instead of 200 MB read and hashed;
//   - which content files the system reported changed since the last
//     build began (changes): the others are not looked at again
//     (pipeline.Options.Quiet), 200,000 lstat calls at 100,000;
//   - the listings of the content's folders (pipeline.Options.Listings),
//     each dropped when the system reports a name in it made, removed or
//     renamed, or the folder itself or one above it (an editor's scratch
//     files included, which call for no build): the folders of 100,000
//     evaluations, read twice a build, were some 0.45 s of CPU.
func (b builder) watch(ctx context.Context, debounce time.Duration) error {
	// Watching starts before the first build, so that a file saved while
	// it runs is not missed.
	w, err := watch.New(b.opts.Content, nil)
	if err != nil {
		// The build says best what is wrong with the folder, if anything.
		if _, _, berr := b.build(ctx, true); berr != nil {
			return berr
		}
		fmt.Fprintf(b.stderr, "无法监视内容目录 %s：%v\n", b.opts.Content, err)
		return errReported
	}
	defer w.Close()
	var seen changes
	changed := make(chan struct{}, 1)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case c := <-w.Changes():
				seen.add(c)
				if c.Scratch {
					continue // no part of the site: no build
				}
				select {
				case changed <- struct{}{}:
				default:
				}
			}
		}
	}()
	b.opts.Held = buildcache.NewHeld()
	b.opts.Listings = sysfile.NewListings()
	seen.take()
	stats, perr, err := b.build(ctx, true)
	if ctx.Err() != nil {
		return nil
	}
	if perr != nil && !errors.Is(perr, pipeline.ErrFailed) {
		return err
	}
	fmt.Fprintf(b.stdout, "正在监视 %s：保存改动后自动重新构建 %s（按 Ctrl-C 停止）\n", b.opts.Content, b.opts.Out)
	for {
		select {
		case <-ctx.Done():
			fmt.Fprintln(b.stdout, "已停止监视。")
			return nil
		case err := <-w.Errors():
			fmt.Fprintln(b.stderr, "监视文件出错：", err)
			continue
		case <-changed:
		}
		// Wait until the folder has been quiet for debounce.
		for quiet := false; !quiet; {
			select {
			case <-ctx.Done():
				fmt.Fprintln(b.stdout, "已停止监视。")
				return nil
			case <-changed:
			case <-time.After(debounce):
				quiet = true
			}
		}
		fmt.Fprintf(b.stdout, "%s 内容有改动，重新构建……\n", time.Now().Format("15:04:05"))
		// The files changed since the previous build began are the only
		// ones it may not have seen as they are; the others it saw (or
		// trusted in turn) are taken as they were, if it saved what it
		// saw.
		since := seen.take()
		if since.unknown {
			b.opts.Listings.ForgetAll()
		} else {
			b.opts.Listings.Forget(since.entries)
		}
		b.opts.Quiet = nil
		if stats.RecordsSaved {
			b.opts.Quiet = since.quiet
		}
		stats, _, _ = b.build(ctx, false)
		if ctx.Err() != nil {
			fmt.Fprintln(b.stdout, "已停止监视。")
			return nil
		}
	}
}

// changes gathers the content files the watcher reports changed.
type changes struct {
	mu      sync.Mutex
	names   map[string]bool
	entries map[string]bool
	unknown bool // events were lost, or a file outside the content changed
}

// add notes the change c.
func (c *changes) add(ch watch.Change) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch.Content == "" {
		c.unknown = true
		return
	}
	if !ch.Scratch {
		if c.names == nil {
			c.names = map[string]bool{}
		}
		c.names[ch.Content] = true
	}
	if ch.Entry {
		if c.entries == nil {
			c.entries = map[string]bool{}
		}
		c.entries[ch.Content] = true
	}
}

// take returns what was noted so far and starts anew.
func (c *changes) take() changed {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := changed{c.names, c.entries, c.unknown}
	c.names, c.entries, c.unknown = nil, nil, false
	return t
}

// changed is what take returned: the changes noted over a span of time.
type changed struct {
	names map[string]bool // the content files changed (relative, with '/')
	// entries are the names made, removed or renamed, an editor's
	// scratch files among them: the folders holding them list other
	// names now (sysfile.Listings.Forget).
	entries map[string]bool
	unknown bool
}

// quiet reports that the content file name did not change over the span:
// neither it nor a folder above it (a folder renamed or replaced changes
// every file below without an event for each) was reported, and no
// event was lost.
func (c changed) quiet(name string) bool {
	if c.unknown {
		return false
	}
	for p := name; p != "." && p != "/" && p != ""; p = path.Dir(p) {
		if c.names[p] {
			return false
		}
	}
	return true
}
