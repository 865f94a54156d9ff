// Command evalbench measures a full build of a large synthetic site:
//
//	evalbench -n 10000 -seed 1 -dir .bench
//
// It generates the corpus into DIR/content (reused while DIR/stamp says it
// was made with the same n, seed and generator version), builds
// ./cmd/evalpress into DIR, runs "evalpress build" on the corpus several
// times as a child process, and prints wall time, peak resident memory,
// CPU time and output size of the best and the median run, with the
// project's targets as PASS or FAIL. It exits non-zero when a build fails
// or a target is missed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	if os.Getenv(launchEnv) != "" {
		os.Exit(launch(os.Args[1:]))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	case errors.Is(err, errTargetMissed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "evalbench:", err)
		os.Exit(1)
	}
}
