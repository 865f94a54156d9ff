package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// A target is one platform a release is built for.
type target struct {
	GOOS, GOARCH string
}

// targets are the platforms of a release, the machines of the bureaus'
// web staff: Windows PCs, Linux on Intel/AMD, ARM64 (Kunpeng, Phytium)
// and LoongArch (Loongson) processors, and Apple silicon Macs.
var targets = []target{
	{"darwin", "arm64"},
	{"linux", "amd64"},
	{"linux", "arm64"},
	{"linux", "loong64"},
	{"windows", "amd64"},
}

// archiveName is the file name of t's archive of version; its top folder
// is the name without the extension.
func archiveName(version string, t target) string {
	ext := ".tar.gz"
	if t.GOOS == "windows" {
		ext = ".zip"
	}
	return topFolder(version, t) + ext
}

func topFolder(version string, t target) string {
	return "evalpress-" + version + "-" + t.GOOS + "-" + t.GOARCH
}

// sumsName is the checksum file written beside the archives.
const sumsName = "SHA256SUMS"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evaldist", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write the archives and "+sumsName+" to (default: dist in the module's root)")
	version := fs.String("version", os.Getenv("EVALPRESS_VERSION"), "the release's version (default: $EVALPRESS_VERSION, else git describe --tags --always --dirty, else dev)")
	commit := fs.String("commit", os.Getenv("EVALPRESS_COMMIT"), "the release's full commit hash (default: $EVALPRESS_COMMIT, else git rev-parse HEAD)")
	goCmd := fs.String("go", "go", "the go command to build with")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errors.New("usage: evaldist [-out DIR] [-version V] [-commit C] [-go CMD]")
	}

	root, err := moduleRoot(ctx, *goCmd)
	if err != nil {
		return err
	}
	rel, err := describe(ctx, root, os.Getenv("SOURCE_DATE_EPOCH"))
	if err != nil {
		return err
	}
	if *version != "" {
		rel.Version = *version
	}
	if *commit != "" {
		rel.Commit = *commit
	}
	if err := rel.check(); err != nil {
		return err
	}
	if err := checkECharts(root); err != nil {
		return err
	}
	if *out == "" {
		*out = filepath.Join(root, "dist")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	shared, err := sharedFiles(ctx, *goCmd, root)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "evaldist-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Fprintf(stdout, "evalpress %s, commit %s, files dated %s\n", rel.Version, or(rel.Commit, "unknown"), rel.Time.UTC().Format("2006-01-02 15:04:05 UTC"))
	var written []archive
	for _, t := range targets {
		fmt.Fprintf(stdout, "building %s/%s\n", t.GOOS, t.GOARCH)
		files, err := targetFiles(ctx, *goCmd, root, tmp, t, rel)
		if err != nil {
			return fmt.Errorf("%s/%s: %w", t.GOOS, t.GOARCH, err)
		}
		a, err := writeArchive(*out, archiveName(rel.Version, t), topFolder(rel.Version, t), append(files, shared...), rel.Time)
		if err != nil {
			return err
		}
		written = append(written, a)
	}
	if err := writeSums(*out, written); err != nil {
		return err
	}

	for _, a := range written {
		fmt.Fprintf(stdout, "  %-56s %5.1f MiB\n", display(filepath.Join(*out, a.Name)), float64(a.Size)/(1<<20))
	}
	fmt.Fprintln(stdout, "checksums:", display(filepath.Join(*out, sumsName)))
	return nil
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}

// display is path as the user would type it from the working directory.
func display(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return path
	}
	rel, err := filepath.Rel(wd, abs)
	if err != nil || strings.HasPrefix(rel, "..") {
		return abs
	}
	return rel
}
