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
)

func main() {
	// SIGTERM is what timeout, systemd, docker stop and CI cancellation
	// send: a build stops on it as on Ctrl-C, removing its temporary
	// output and leaving the previous one in place.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "evalpress:", err)
		}
		os.Exit(1)
	}
}

// errUsage means the command line was wrong; the message is already out.
var errUsage = errors.New("usage")

// errReported means the failure was already explained to the user.
var errReported = errors.New("reported")

var _ io.Writer = os.Stdout
