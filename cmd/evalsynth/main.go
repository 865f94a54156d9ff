// Command evalsynth writes a synthetic content tree for benchmarks and
// volume tests:
//
//	evalsynth -out DIR -n 10000 -seed 1
//
// DIR must be empty or not exist. The same flags always give the same bytes.
// See package internal/synth for what the corpus contains.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/evalpress/evalpress/internal/synth"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "evalsynth:", err)
		}
		os.Exit(2)
	}
}

func run(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evalsynth", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "directory to write the content tree to (must be empty or not exist)")
	var opt synth.Options
	fs.IntVar(&opt.N, "n", 10000, "number of evaluation records")
	fs.Int64Var(&opt.Seed, "seed", 1, "random seed; the same seed gives the same files")
	fs.Float64Var(&opt.Warnings, "warnings", 0, "share of records (0–1) with a stated value that disagrees with the computed one")
	fs.Float64Var(&opt.Errors, "errors", 0, "share of records (0–1) whose second-level scores do not sum to their parent")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("usage: evalsynth -out DIR [-n 10000] [-seed 1]")
	}
	start := time.Now()
	if err := synth.GenerateWith(*out, opt); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d evaluations to %s in %.2fs\n", opt.N, *out, time.Since(start).Seconds())
	return nil
}
