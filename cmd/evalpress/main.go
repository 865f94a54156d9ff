// Command evalpress builds the static site of a finance bureau's budget
// performance evaluation results from TOML records and Markdown narratives.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/evalpress/evalpress/internal/console"
)

func main() {
	// On Windows, PowerShell and cmd read a pipe or a file of ours in the
	// console's code page, GBK on Chinese Windows (see package console).
	stdout, stderr := console.Wrap(os.Stdout), console.Wrap(os.Stderr)
	// SIGTERM is what timeout, systemd, docker stop and CI cancellation
	// send: a build stops on it as on Ctrl-C, removing its temporary
	// output and leaving the previous one in place.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], stdout, stderr)
	stop()
	code := exitCode(err, stderr)
	// os.Exit runs no deferred call: what the writers hold goes out first.
	stdout.Flush()
	stderr.Flush()
	os.Exit(code)
}

// exitCode is the exit status for run's error, which it reports to stderr
// unless that was done already.
func exitCode(err error, stderr io.Writer) int {
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case !errors.Is(err, errReported):
		fmt.Fprintln(stderr, "evalpress:", err)
	}
	return 1
}

// errUsage means the command line was wrong; the message is already out.
var errUsage = errors.New("usage")

// errReported means the failure was already explained to the user.
var errReported = errors.New("reported")
