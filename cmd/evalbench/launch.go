package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// A child's peak resident set, as Linux reports it when the child ends, is
// not the child's own alone: when a process execs a program, the kernel
// keeps the peak of the memory it leaves (fs/exec.c,
// setmax_mm_hiwater_rss), and a child of a Go program leaves its parent's
// memory (os/exec starts it with vfork, sharing that memory until the
// exec). So every build evalbench measured reported at least evalbench's
// own peak: after evalbench had generated the 100,000-evaluation corpus
// (some 570 MB of its memory), the 10,000 build of make bench-large
// reported 568.7 MiB, though that build peaks at 462 MiB on its own.
//
// The commands measured are therefore started through a launcher:
// evalbench itself, run anew with launchEnv set, which starts the
// command, waits for it and reports the command's own usage to evalbench
// on a pipe. The launcher's own memory (about 20 MiB) is then the least
// peak a command can report, far below the builds' hundreds.
const launchEnv = "EVALBENCH_LAUNCH"

// usage is what a launched command used.
type usage struct {
	cpu     time.Duration // user + system, all threads
	peakKiB int64         // peak resident set; 0 where unknown
}

// runMeasured runs cmd (not yet started; its Path, Args, Env, Dir,
// Stdin, Stdout and Stderr are used) through the launcher, and returns
// what the command used. Cancelling ctx stops the launcher, which stops
// the command.
func runMeasured(ctx context.Context, cmd *exec.Cmd) (usage, error) {
	if runtime.GOOS == "windows" {
		// No pipe on fd 3 there (exec.Cmd.ExtraFiles), and no peak to
		// measure (peakRSSKiB): the command runs as it is.
		err := cmd.Run()
		if st := cmd.ProcessState; st != nil {
			return usage{cpu: st.UserTime() + st.SystemTime()}, err
		}
		return usage{}, err
	}
	self, err := os.Executable()
	if err != nil {
		return usage{}, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return usage{}, err
	}
	defer r.Close()
	l := exec.CommandContext(ctx, self, append([]string{cmd.Path}, cmd.Args[1:]...)...)
	env := cmd.Env
	if env == nil {
		env = os.Environ()
	}
	l.Env = append(env[:len(env):len(env)], launchEnv+"=1")
	l.Dir, l.Stdin, l.Stdout, l.Stderr = cmd.Dir, cmd.Stdin, cmd.Stdout, cmd.Stderr
	l.ExtraFiles = []*os.File{w} // fd 3 in the launcher
	// On cancel, the launcher passes the interrupt on to the command
	// and waits for it; it is killed only if that takes too long.
	l.Cancel = func() error { return l.Process.Signal(os.Interrupt) }
	l.WaitDelay = 30 * time.Second
	err = l.Start()
	w.Close()
	if err != nil {
		return usage{}, err
	}
	report, rerr := io.ReadAll(r)
	err = l.Wait()
	if rerr != nil {
		return usage{}, rerr
	}
	u, perr := parseUsage(string(report))
	if err != nil {
		return u, err
	}
	return u, perr
}

// parseUsage reads the launcher's report: "cpu-ns peak-KiB".
func parseUsage(s string) (usage, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return usage{}, fmt.Errorf("evalbench launcher: no usage reported (%q)", s)
	}
	cpu, err1 := strconv.ParseInt(f[0], 10, 64)
	peak, err2 := strconv.ParseInt(f[1], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return usage{}, fmt.Errorf("evalbench launcher: %v", err)
	}
	return usage{cpu: time.Duration(cpu), peakKiB: peak}, nil
}

// launch is the launcher's main: it runs args, with the environment
// but launchEnv, passes an interrupt on to it, writes its usage to fd 3
// and returns its exit code.
func launch(args []string) int {
	keepFromChildren(3)
	report := os.NewFile(3, "usage")
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, "evalbench launcher: nothing to run")
		return 2
	}
	cmd := exec.Command(args[0], args[1:]...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, launchEnv+"=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	// An interrupt (Ctrl-C, or evalbench cancelled) is the command's to
	// handle: the launcher passes it on and waits.
	interrupts := make(chan os.Signal, 1)
	signal.Notify(interrupts, os.Interrupt)
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "evalbench launcher:", err)
		return 2
	}
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-interrupts:
				cmd.Process.Signal(os.Interrupt)
			case <-done:
				return
			}
		}
	}()
	cmd.Wait()
	close(done)
	st := cmd.ProcessState
	fmt.Fprintf(report, "%d %d\n", st.UserTime()+st.SystemTime(), peakRSSKiB(st))
	report.Close()
	if code := st.ExitCode(); code >= 0 {
		return code
	}
	return 1 // ended by a signal
}
