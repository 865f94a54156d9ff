package main

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/evalpress/evalpress/internal/site"
)

// mainModule is the module whose ./cmd/evalpress a release ships.
const mainModule = "github.com/evalpress/evalpress"

// echartsDir holds the ECharts bundle that make builds from the pinned npm
// package (site.ECharts), with its licence and notice.
var echartsDir = path.Dir(site.ECharts)

// moduleRoot returns the folder of the evalpress module around the
// working directory.
func moduleRoot(ctx context.Context, goCmd string) (string, error) {
	out, err := goOutput(ctx, "", nil, goCmd, "list", "-m", "-f", "{{.Path}}\t{{.Dir}}")
	if err != nil {
		return "", fmt.Errorf("run evaldist inside the evalpress source tree (make dist): %w", err)
	}
	for line := range strings.Lines(out) {
		if p, dir, ok := strings.Cut(strings.TrimSpace(line), "\t"); ok && p == mainModule {
			return dir, nil
		}
	}
	return "", fmt.Errorf("run evaldist inside the evalpress source tree (make dist): the module here is not %s", mainModule)
}

// checkECharts refuses a release whose binaries would embed no ECharts:
// they would build sites whose charts are tables only, which is what the
// release archives exist to prevent.
func checkECharts(root string) error {
	bundle := filepath.Join(root, filepath.FromSlash(site.ECharts))
	fi, err := os.Stat(bundle)
	if err == nil && fi.Size() == 0 {
		err = errors.New("the file is empty")
	}
	if err != nil {
		return fmt.Errorf("no ECharts bundle (%v): a release built now would draw no charts.\n"+
			"Run `make dist`, which builds %s from the pinned npm package first", err, site.ECharts)
	}
	return nil
}

// sharedFiles are the files every archive holds: the guide, the README,
// the licences of evalpress, ECharts and Go, and the example content.
func sharedFiles(ctx context.Context, goCmd, root string) ([]file, error) {
	var files []file
	for _, c := range []struct{ from, to string }{
		{"README.md", "README.md"},
		{"LICENSE", "LICENSE"},
		{"docs/使用说明.md", "使用说明.md"},
		{echartsDir + "/LICENSE", "licenses/echarts/LICENSE"},
		{echartsDir + "/NOTICE", "licenses/echarts/NOTICE"},
	} {
		body, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(c.from)))
		if err != nil {
			return nil, err
		}
		files = append(files, file{Name: c.to, Mode: 0o644, Body: body})
	}

	// Go's runtime and standard library are linked into every binary.
	goroot, err := goOutput(ctx, root, nil, goCmd, "env", "GOROOT")
	if err != nil {
		return nil, err
	}
	lic, err := licences(strings.TrimSpace(goroot), "licenses/go")
	if err != nil {
		return nil, fmt.Errorf("Go: %w", err)
	}
	files = append(files, lic...)

	content, err := tree(filepath.Join(root, "content"), "content")
	if err != nil {
		return nil, err
	}
	return append(files, content...), nil
}

// tree returns the files under dir as entries under name, leaving out
// hidden ones (an editor's or a system's, not the example's).
func tree(dir, name string) ([]file, error) {
	var files []file
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file; a release holds copies of files only", p)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		body, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		files = append(files, file{Name: path.Join(name, filepath.ToSlash(rel)), Mode: 0o644, Body: body})
		return nil
	})
	return files, err
}

// windowsFiles are the batch files of the Windows archive, to be
// double-clicked in the unpacked folder.
//
//go:embed windows/*.bat
var windowsFiles embed.FS

// targetFiles builds t's binary into tmp and returns it with the licences
// of the modules linked into it and, for Windows, the batch files.
func targetFiles(ctx context.Context, goCmd, root, tmp string, t target, rel release) ([]file, error) {
	bin := "evalpress"
	if t.GOOS == "windows" {
		bin += ".exe"
	}
	out := filepath.Join(tmp, t.GOOS+"-"+t.GOARCH, bin)
	ldflags := "-s -w -buildid= -X " + mainModule + "/internal/buildinfo.Version=" + rel.Version
	if rel.Commit != "" {
		ldflags += " -X " + mainModule + "/internal/buildinfo.Commit=" + rel.Commit
	}
	if _, err := goOutput(ctx, root, targetEnv(t), goCmd, "build", "-trimpath", "-buildvcs=false", "-ldflags", ldflags, "-o", out, "./cmd/evalpress"); err != nil {
		return nil, err
	}
	body, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	files := []file{{Name: bin, Mode: 0o755, Body: body}}

	mods, err := linkedModules(ctx, goCmd, root, t)
	if err != nil {
		return nil, err
	}
	for _, m := range mods {
		lic, err := licences(m.dir, "licenses/"+m.path)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", m.path, err)
		}
		files = append(files, lic...)
	}

	if t.GOOS == "windows" {
		bats, err := fs.Glob(windowsFiles, "windows/*.bat")
		if err != nil {
			return nil, err
		}
		for _, name := range bats {
			body, err := windowsFiles.ReadFile(name)
			if err != nil {
				return nil, err
			}
			files = append(files, file{Name: path.Base(name), Mode: 0o755, Body: crlf(body)})
		}
	}
	return files, nil
}

// crlf gives text Windows line ends whatever the checkout made of them:
// cmd.exe misreads labels and the last line of a batch file ended by LF.
func crlf(text []byte) []byte {
	text = bytes.ReplaceAll(text, []byte("\r\n"), []byte("\n"))
	return bytes.ReplaceAll(text, []byte("\n"), []byte("\r\n"))
}

// targetEnv is the environment of the go commands for t. GOFLAGS is set,
// not inherited, so that a developer's flags (-tags, -gcflags) cannot
// change a release; the architecture levels are the baselines, so the
// binaries run on a bureau's oldest PC whatever GOAMD64 this machine sets.
func targetEnv(t target) []string {
	return []string{"CGO_ENABLED=0", "GOOS=" + t.GOOS, "GOARCH=" + t.GOARCH, "GOFLAGS=-buildvcs=false", "GOAMD64=v1", "GOARM64=v8.0"}
}

// A module is a Go module linked into a binary.
type module struct {
	path string // its module path, under which its licences are filed
	dir  string // where its files are, in the module cache or a replacement
}

// linkedModules lists the modules of the packages linked into t's binary,
// leaving out the standard library (licenses/go) and evalpress itself.
func linkedModules(ctx context.Context, goCmd, root string, t target) ([]module, error) {
	const format = `{{with .Module}}{{if not .Main}}{{.Path}}{{"\t"}}{{with .Replace}}{{.Dir}}{{else}}{{.Dir}}{{end}}{{end}}{{end}}`
	out, err := goOutput(ctx, root, targetEnv(t), goCmd, "list", "-deps", "-f", format, "./cmd/evalpress")
	if err != nil {
		return nil, err
	}
	var mods []module
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		p, dir, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			continue
		}
		if dir == "" {
			return nil, fmt.Errorf("module %s is not downloaded: run go mod download", p)
		}
		mods = append(mods, module{path: p, dir: dir})
	}
	slices.SortFunc(mods, func(a, b module) int { return strings.Compare(a.path, b.path) })
	return slices.Compact(mods), nil
}

// licenceName matches the files in which a module states its licence,
// copyright and patent grants: LICENSE, LICENCE.txt, COPYING, NOTICE,
// PATENTS, LICENSE-MIT and the like.
var licenceName = regexp.MustCompile(`(?i)^(licen[cs]e|copying|notice|patents|copyright)([._-].*)?$`)

// licences returns the licence files at the top of dir as entries under
// name. A module without one is an error: a release must be able to show
// the terms of everything it contains.
func licences(dir, name string) ([]file, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []file
	for _, e := range entries {
		if !e.Type().IsRegular() || !licenceName.MatchString(e.Name()) {
			continue
		}
		body, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, file{Name: name + "/" + e.Name(), Mode: 0o644, Body: body})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no licence file (LICENSE, COPYING, NOTICE…) in %s", dir)
	}
	return files, nil
}

// goOutput runs the go command in dir with env added to this process's
// environment and returns its standard output; its standard error, which
// explains a failure, goes into the error.
func goOutput(ctx context.Context, dir string, env []string, goCmd string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("%s %s: %w\n%s", goCmd, strings.Join(args, " "), err, bytes.TrimSpace(stderr.Bytes()))
	}
	return string(out), nil
}
