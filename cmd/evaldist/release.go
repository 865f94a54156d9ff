package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// release says what the archives are built from.
type release struct {
	Version string    // "v1.2.0", "9865aeb-dirty", or "dev"
	Commit  string    // the full commit hash; "" when unknown
	Time    time.Time // the modification time of every archive entry
}

// fixedTime dates the entries of a release built outside a git checkout
// without SOURCE_DATE_EPOCH: any constant keeps the archives reproducible.
var fixedTime = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// describe reads the release of the source in root from git; outside a
// git checkout it is version "dev" with no commit. sourceDateEpoch, when
// not empty, is the entries' time in seconds since 1970
// (https://reproducible-builds.org/specs/source-date-epoch/).
func describe(ctx context.Context, root, sourceDateEpoch string) (release, error) {
	rel := release{Version: "dev", Time: fixedTime}
	// Only root's own .git counts: a source tree unpacked inside some
	// other repository must not take that repository's version.
	if _, err := os.Stat(filepath.Join(root, ".git")); errors.Is(err, fs.ErrNotExist) {
		if sourceDateEpoch != "" {
			return rel.at(sourceDateEpoch)
		}
		return rel, nil
	}
	var err error
	if rel.Version, err = git(ctx, root, "describe", "--tags", "--always", "--dirty"); err != nil {
		return rel, err
	}
	if rel.Commit, err = git(ctx, root, "rev-parse", "HEAD"); err != nil {
		return rel, err
	}
	if sourceDateEpoch != "" {
		return rel.at(sourceDateEpoch)
	}
	ct, err := git(ctx, root, "log", "-1", "--format=%ct")
	if err != nil {
		return rel, err
	}
	return rel.at(ct)
}

// at returns rel dated seconds after 1970.
func (rel release) at(seconds string) (release, error) {
	s, err := strconv.ParseInt(seconds, 10, 64)
	if err != nil || s < 0 {
		return rel, fmt.Errorf("the time %q is not a number of seconds since 1970", seconds)
	}
	rel.Time = time.Unix(s, 0).UTC()
	// A zip entry's time is a DOS date, which begins in 1980.
	if rel.Time.Year() < 1980 {
		return rel, fmt.Errorf("the time %q is before 1980, which zip archives cannot hold", seconds)
	}
	return rel, nil
}

func git(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("git %s: %w\n%s", strings.Join(args, " "), err, stderr.Bytes())
	}
	return strings.TrimSpace(string(out)), nil
}

var (
	// versionSyntax keeps a version usable in file names and in a -X
	// linker flag, which a space would split.
	versionSyntax = regexp.MustCompile(`^[0-9A-Za-z][0-9A-Za-z.+_-]*$`)
	commitSyntax  = regexp.MustCompile(`^[0-9a-f]*$`)
)

// check says whether rel can name files and be linked into binaries.
func (rel release) check() error {
	if !versionSyntax.MatchString(rel.Version) {
		return fmt.Errorf("version %q: use letters, digits and . + _ - only, starting with a letter or digit", rel.Version)
	}
	if !commitSyntax.MatchString(rel.Commit) {
		return fmt.Errorf("commit %q: give the full hash in lowercase hexadecimal", rel.Commit)
	}
	return nil
}
