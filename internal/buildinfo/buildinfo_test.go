package buildinfo

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/evalpress/evalpress/internal/site"
)

func TestEChartsVersionFromBanner(t *testing.T) {
	for _, c := range []struct {
		name string
		fs   fstest.MapFS
		want string
	}{
		{"built by make", fstest.MapFS{site.ECharts: {Data: []byte("/*! ECharts 6.1.0 (Apache-2.0), custom build for evalpress: bar. */\nvar echarts=1")}}, "6.1.0"},
		{"go install without make", fstest.MapFS{}, ""},
		{"a bundle without the banner", fstest.MapFS{site.ECharts: {Data: []byte("var echarts=1")}}, "unknown"},
		{"a banner on a later line only", fstest.MapFS{site.ECharts: {Data: []byte("x\n/*! ECharts 6.1.0 (Apache-2.0) */")}}, "unknown"},
	} {
		if got := echartsVersion(c.fs); got != c.want {
			t.Errorf("%s: echartsVersion = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestVersionText(t *testing.T) {
	release := Info{Version: "v1.2.0", Commit: "0123abcd", GoVersion: "go1.26.8", Platform: "linux/loong64", ECharts: "6.1.0"}.String()
	for _, want := range []string{"evalpress v1.2.0\n", "提交：0123abcd\n", "Go：go1.26.8 linux/loong64\n", "ECharts：6.1.0（已内嵌）\n"} {
		if !strings.Contains(release, want) {
			t.Errorf("release version text lacks %q:\n%s", want, release)
		}
	}
	plain := Info{Version: "(devel)", GoVersion: "go1.26.8", Platform: "windows/amd64", Modified: true}.String()
	for _, want := range []string{"提交：未知\n", "ECharts：未内嵌"} {
		if !strings.Contains(plain, want) {
			t.Errorf("go install's version text lacks %q:\n%s", want, plain)
		}
	}
	if strings.Contains(Info{Commit: "abc", Modified: true}.String(), "提交：abc（含未提交的改动）") == false {
		t.Error("a modified tree's commit is not marked")
	}
}

// The binary under test is built by go test from this repository, where
// make has put ECharts into the assets (make test depends on it).
func TestReadSeesTheEmbeddedBundle(t *testing.T) {
	in := Read()
	if in.ECharts == "" || in.ECharts == "unknown" {
		t.Errorf("Read().ECharts = %q: the test binary should embed the bundle make builds", in.ECharts)
	}
	if in.Version == "" || in.GoVersion == "" || !strings.Contains(in.Platform, "/") {
		t.Errorf("Read() = %+v: version, Go version and platform must be said", in)
	}
}
