// Package buildinfo says what a binary of evalpress is: its version and
// commit, the Go that built it, and the ECharts it embeds. A release
// (make dist, cmd/evaldist) sets Version and Commit at link time:
//
//	go build -ldflags "-X github.com/evalpress/evalpress/internal/buildinfo.Version=v1.2.0 \
//	    -X github.com/evalpress/evalpress/internal/buildinfo.Commit=0123abc…"
//
// A `go build` or `go install` without them reports what the Go toolchain
// recorded (the module's version, the VCS revision) instead.
package buildinfo

import (
	"bytes"
	"fmt"
	"io/fs"
	"regexp"
	"runtime"
	"runtime/debug"
	"strings"

	evalpress "github.com/evalpress/evalpress"
	"github.com/evalpress/evalpress/internal/site"
)

// Set by the linker in release builds; empty otherwise.
var (
	Version string
	Commit  string
)

// Info is what `evalpress version` prints.
type Info struct {
	Version   string // "v1.2.0", "v0.0.0-20261203…", or "(devel)"
	Commit    string // the full commit hash; "" when unknown
	Modified  bool   // built from a working tree with uncommitted changes
	GoVersion string // "go1.26.8"
	Platform  string // "linux/loong64"
	// ECharts is the version of the embedded ECharts ("6.1.0"), "" when
	// the binary has none (a `go install` without `make`): its sites
	// then show the charts' figures as tables only.
	ECharts string
}

// Read returns the Info of the running binary.
func Read() Info {
	in := Info{Version: Version, Commit: Commit, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if in.Version == "" && bi.Main.Version != "" {
			in.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if in.Commit == "" {
					in.Commit = s.Value
				}
			case "vcs.modified":
				if Commit == "" { // a release says what it was built from in Version
					in.Modified = s.Value == "true"
				}
			}
		}
	}
	if in.Version == "" {
		in.Version = "(devel)"
	}
	in.ECharts = echartsVersion(evalpress.Files)
	return in
}

// banner is the first line tools/echarts/build.mjs writes.
var banner = regexp.MustCompile(`^/\*! ECharts ([0-9A-Za-z.+-]+) `)

// echartsVersion reads the version from the bundle's banner in files;
// "" when there is no bundle, "unknown" when it has no banner.
func echartsVersion(files fs.FS) string {
	f, err := files.Open(site.ECharts)
	if err != nil {
		return ""
	}
	defer f.Close()
	head := make([]byte, 200)
	n, _ := f.Read(head)
	head = head[:n]
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	if m := banner.FindSubmatch(head); m != nil {
		return string(m[1])
	}
	return "unknown"
}

// String is the text of `evalpress version`, one fact a line.
func (in Info) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "evalpress %s\n", in.Version)
	commit := in.Commit
	if commit == "" {
		commit = "未知"
	} else if in.Modified {
		commit += "（含未提交的改动）"
	}
	fmt.Fprintf(&b, "提交：%s\n", commit)
	fmt.Fprintf(&b, "Go：%s %s\n", in.GoVersion, in.Platform)
	switch in.ECharts {
	case "":
		b.WriteString("ECharts：未内嵌（图表只以表格显示；用 make 或发布包中的程序可画出图表）\n")
	default:
		fmt.Fprintf(&b, "ECharts：%s（已内嵌）\n", in.ECharts)
	}
	return b.String()
}
