// Command evaldist builds the release archives of evalpress (make dist):
//
//	evaldist [-out dist] [-version V] [-commit C] [-go go]
//
// For each platform the bureaus use it cross-compiles ./cmd/evalpress and
// packs the binary with the staff's guide, the README, the example content
// and every licence of what the binary links into
// evalpress-VERSION-OS-ARCH.tar.gz (.zip for Windows, with two batch files
// to double-click), then writes SHA256SUMS beside them in the format
// `sha256sum -c` reads.
//
// The same source gives the same bytes: the binaries are built without
// paths, build IDs or VCS stamps, and every archive entry has a fixed
// order, mode, owner and time (SOURCE_DATE_EPOCH, else the commit's time).
// The version is `git describe --tags --always --dirty` and the commit
// `git rev-parse HEAD`, or "dev" and none outside a git checkout;
// -version and -commit (or EVALPRESS_VERSION and EVALPRESS_COMMIT) say
// otherwise.
//
// It refuses to build without the ECharts bundle in assets/vendor: every
// binary embeds it, and a release without it would draw no charts.
//
// It writes only into the output folder, each file through a temporary
// file renamed into place, and never removes a file it did not name.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "evaldist:", err)
		os.Exit(1)
	}
}
