package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"debug/buildinfo"
	"debug/elf"
	"debug/macho"
	"debug/pe"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// emulators run the Linux binaries this machine cannot run itself
// (Debian package qemu-user-static). They are invoked by name, so the test
// does not depend on binfmt being set up.
var emulators = map[string]string{
	"amd64":   "",
	"arm64":   "qemu-aarch64-static",
	"loong64": "qemu-loongarch64-static",
}

// TestDist builds the release twice into two folders and checks that the
// archives are byte for byte the same, that sha256sum accepts
// SHA256SUMS, and that each archive holds what a bureau's staff and its
// lawyers need. Then it unpacks the three Linux archives and, natively or
// under qemu, has each binary say its version and build the example
// content: the three sites must be identical.
func TestDist(t *testing.T) {
	if testing.Short() {
		t.Skip("cross-compiles five targets; not under -short")
	}
	qemuMissing := missingEmulators()
	if len(qemuMissing) > 0 && os.Getenv("EVALPRESS_REQUIRE_QEMU") == "1" {
		t.Fatalf("EVALPRESS_REQUIRE_QEMU=1 but %s not found (Debian package qemu-user-static)", strings.Join(qemuMissing, ", "))
	}

	dirs := [2]string{t.TempDir(), t.TempDir()}
	for i, dir := range dirs {
		start := time.Now()
		var log bytes.Buffer
		if err := run(t.Context(), []string{"-out", dir}, &log, &log); err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, log.Bytes())
		}
		t.Logf("run %d took %.1fs:\n%s", i+1, time.Since(start).Seconds(), log.Bytes())
	}
	assertSameFiles(t, "the second run's archives", dirs[0], dirs[1])

	sum := exec.Command("sha256sum", "-c", sumsName)
	sum.Dir = dirs[0]
	if out, err := sum.CombinedOutput(); err != nil {
		t.Errorf("sha256sum -c %s: %v\n%s", sumsName, err, out)
	}

	version := releaseVersion(t, dirs[0])
	releases := map[target]map[string]entry{}
	for _, tg := range targets {
		name := archiveName(version, tg)
		list := readArchive(t, filepath.Join(dirs[0], name))
		releases[tg] = checkArchive(t, name, topFolder(version, tg), tg, list)
	}

	t.Run("cross-architecture", func(t *testing.T) {
		if len(qemuMissing) > 0 {
			t.Skipf("%s not found (Debian package qemu-user-static); EVALPRESS_REQUIRE_QEMU=1 makes this a failure", strings.Join(qemuMissing, ", "))
		}
		sites := map[string]string{}
		for _, arch := range []string{"amd64", "arm64", "loong64"} {
			tg := target{"linux", arch}
			dir := filepath.Join(t.TempDir(), arch)
			unpack(t, dir, releases[tg])
			folder := filepath.Join(dir, topFolder(version, tg))

			out := runBinary(t, arch, folder, "version")
			for _, want := range []string{"evalpress " + version + "\n", " linux/" + arch + "\n", "（已内嵌）\n"} {
				if !strings.Contains(out, want) {
					t.Errorf("linux/%s: evalpress version lacks %q:\n%s", arch, want, out)
				}
			}
			// As the guide tells the staff: build the example content where
			// the archive unpacked.
			runBinary(t, arch, folder, "build", "-content", "content", "-out", "public")
			sites[arch] = filepath.Join(folder, "public")
			// With charts, drawn by the ECharts inside the binary: no
			// Node.js, no npm, nothing on the PATH (runBinary clears it).
			page, err := os.ReadFile(filepath.Join(folder, "public", "2023", "disability-subsidies", "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(folder, "public", "assets", "vendor", "echarts", "echarts.min.js")); err != nil ||
				!bytes.Contains(page, []byte(`src="../../assets/vendor/echarts/echarts.min.js"`)) {
				t.Errorf("linux/%s: the example site draws no charts (echarts.min.js: %v)", arch, err)
			}
		}
		assertSameFiles(t, "the site built on linux/arm64", sites["amd64"], sites["arm64"])
		assertSameFiles(t, "the site built on linux/loong64", sites["amd64"], sites["loong64"])
	})
}

func missingEmulators() []string {
	var missing []string
	for _, q := range emulators {
		if q == "" {
			continue
		}
		if _, err := exec.LookPath(q); err != nil {
			missing = append(missing, q)
		}
	}
	slices.Sort(missing)
	return missing
}

// runBinary runs the unpacked evalpress of linux/arch in folder, under
// its emulator if it has one, and returns its standard output.
func runBinary(t *testing.T, arch, folder string, args ...string) string {
	t.Helper()
	bin := filepath.Join(folder, "evalpress")
	var cmd *exec.Cmd
	if q := emulators[arch]; q != "" {
		cmd = exec.CommandContext(t.Context(), q, append([]string{bin}, args...)...)
	} else {
		cmd = exec.CommandContext(t.Context(), bin, args...)
	}
	cmd.Dir = folder
	// A staffer's machine without Go or Node.js: nothing to find on the
	// PATH (the emulator's path was resolved above).
	cmd.Env = []string{"PATH=" + filepath.Join(folder, "no-such-folder"), "HOME=" + folder, "LANG=C.UTF-8"}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("linux/%s: evalpress %s: %v\n%s%s", arch, strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
	}
	t.Logf("linux/%s: evalpress %s took %.2fs", arch, strings.Join(args, " "), time.Since(start).Seconds())
	return stdout.String()
}

// releaseVersion reads the version from the archive names in dir, which
// must be the five archives of one version and SHA256SUMS.
func releaseVersion(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	var version string
	for _, n := range names {
		if v, ok := strings.CutSuffix(n, "-linux-amd64.tar.gz"); ok {
			version = strings.TrimPrefix(v, "evalpress-")
		}
	}
	want := []string{sumsName}
	for _, tg := range targets {
		want = append(want, archiveName(version, tg))
	}
	slices.Sort(want)
	if !slices.Equal(names, want) {
		t.Fatalf("%s holds %q, want %q", dir, names, want)
	}
	return version
}

// readArchive returns the entries of a .tar.gz or .zip with their headers
// checked: fixed modes, root owner without names, one time for all.
func readArchive(t *testing.T, file string) []entry {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(file)
	var list []entry
	var times []time.Time
	if strings.HasSuffix(name, ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			if !f.Mode().IsDir() && f.Method != zip.Deflate {
				t.Errorf("%s: %s is stored with method %d, want Deflate", name, f.Name, f.Method)
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			body, err := io.ReadAll(rc)
			rc.Close()
			if err != nil {
				t.Fatalf("%s: %s: %v", name, f.Name, err)
			}
			list = append(list, entry{Name: f.Name, Mode: f.Mode(), Body: body})
			times = append(times, f.Modified)
		}
	} else {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if zr.Name != "" || !zr.ModTime.IsZero() {
			t.Errorf("%s: gzip header names %q, time %v", name, zr.Name, zr.ModTime)
		}
		tr := tar.NewReader(zr)
		for {
			h, err := tr.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			body, err := io.ReadAll(tr)
			if err != nil {
				t.Fatal(err)
			}
			if h.Uid != 0 || h.Gid != 0 || h.Uname != "" || h.Gname != "" {
				t.Errorf("%s: %s is owned by %d:%d (%q, %q), want 0:0 without names", name, h.Name, h.Uid, h.Gid, h.Uname, h.Gname)
			}
			mode := h.FileInfo().Mode()
			if h.Typeflag != tar.TypeDir && h.Typeflag != tar.TypeReg {
				t.Errorf("%s: %s has type %q", name, h.Name, h.Typeflag)
			}
			list = append(list, entry{Name: h.Name, Mode: mode, Body: body})
			times = append(times, h.ModTime)
		}
	}
	for i, tm := range times {
		if !tm.Equal(times[0]) {
			t.Errorf("%s: %s is dated %v, %s %v", name, list[i].Name, tm, list[0].Name, times[0])
		}
	}
	if !slices.IsSortedFunc(list, func(a, b entry) int { return strings.Compare(a.Name, b.Name) }) {
		t.Errorf("%s: entries are not in the order of their names", name)
	}
	return list
}

// checkArchive checks that list, the entries of the archive name of tg,
// holds what a release promises, and returns them by name under top.
func checkArchive(t *testing.T, name, top string, tg target, list []entry) map[string]entry {
	t.Helper()
	byName := map[string]entry{}
	for _, e := range list {
		rel, ok := strings.CutPrefix(e.Name, top+"/")
		if !ok && e.Name != top+"/" {
			t.Errorf("%s: %s is outside the folder %s/", name, e.Name, top)
			continue
		}
		want := fs.FileMode(0o644)
		switch {
		case e.Mode.IsDir():
			want = fs.ModeDir | 0o755
		case rel == "evalpress" || rel == "evalpress.exe" || strings.HasSuffix(rel, ".bat"):
			want = 0o755
		}
		if e.Mode != want {
			t.Errorf("%s: %s has mode %v, want %v", name, rel, e.Mode, want)
		}
		byName[rel] = e
	}

	bin := "evalpress"
	if tg.GOOS == "windows" {
		bin = "evalpress.exe"
	}
	for _, f := range []string{bin, "使用说明.md", "README.md", "LICENSE", "content/site.toml",
		"licenses/echarts/LICENSE", "licenses/echarts/NOTICE", "licenses/go/LICENSE",
		"licenses/github.com/BurntSushi/toml/COPYING"} {
		if len(byName[f].Body) == 0 {
			t.Errorf("%s: no %s", name, f)
		}
	}
	if !bytes.Contains(byName["LICENSE"].Body, []byte("Apache License")) {
		t.Errorf("%s: LICENSE is not the Apache licence", name)
	}

	body := byName[bin].Body
	checkBinary(t, name, tg, body)
	// Every module the binary says it links has its licence beside it.
	info, err := buildinfo.Read(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %s: %v", name, bin, err)
	}
	if len(info.Deps) == 0 {
		t.Errorf("%s: %s lists no modules", name, bin)
	}
	for _, m := range info.Deps {
		if !hasFileUnder(byName, "licenses/"+m.Path+"/") {
			t.Errorf("%s: no licence of %s, which %s links", name, m.Path, bin)
		}
	}
	for _, s := range info.Settings {
		if s.Key == "-trimpath" && s.Value != "true" || s.Key == "CGO_ENABLED" && s.Value != "0" || s.Key == "GOOS" && s.Value != tg.GOOS || s.Key == "GOARCH" && s.Value != tg.GOARCH {
			t.Errorf("%s: %s was built with %s=%s", name, bin, s.Key, s.Value)
		}
	}

	if tg.GOOS == "windows" {
		for bat, command := range map[string]string{
			"预览网站.bat": "evalpress.exe serve -content content -open\r\n",
			"生成网站.bat": "evalpress.exe build -content content -out public\r\npause\r\n",
		} {
			text := byName[bat].Body
			if !bytes.Contains(text, []byte("cd /d \"%~dp0\"\r\n")) || !bytes.Contains(text, []byte(command)) {
				t.Errorf("%s: %s lacks cd /d \"%%~dp0\" or %q:\n%s", name, bat, command, text)
			}
			if n := bytes.Count(text, []byte("\n")); n == 0 || n != bytes.Count(text, []byte("\r\n")) || !bytes.HasSuffix(text, []byte("\r\n")) {
				t.Errorf("%s: %s does not end every line with CRLF", name, bat)
			}
			for i, c := range text {
				if c >= 0x80 {
					t.Errorf("%s: %s has a non-ASCII byte at %d, which cmd.exe would read in the system's code page", name, bat, i)
					break
				}
			}
		}
	}
	return byName
}

// checkBinary checks that body is an executable of tg's format and
// processor: the Windows and macOS binaries cannot run here.
func checkBinary(t *testing.T, name string, tg target, body []byte) {
	t.Helper()
	r := bytes.NewReader(body)
	switch tg.GOOS {
	case "windows":
		if !bytes.HasPrefix(body, []byte("MZ")) {
			t.Errorf("%s: evalpress.exe does not begin with MZ", name)
		}
		f, err := pe.NewFile(r)
		if err != nil {
			t.Fatalf("%s: evalpress.exe: %v", name, err)
		}
		if f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
			t.Errorf("%s: evalpress.exe is for machine %#x", name, f.Machine)
		}
	case "darwin":
		f, err := macho.NewFile(r)
		if err != nil {
			t.Fatalf("%s: evalpress: %v", name, err)
		}
		if f.Cpu != macho.CpuArm64 || f.Type != macho.TypeExec {
			t.Errorf("%s: evalpress is a %v %v", name, f.Cpu, f.Type)
		}
	case "linux":
		f, err := elf.NewFile(r)
		if err != nil {
			t.Fatalf("%s: evalpress: %v", name, err)
		}
		want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64, "loong64": elf.EM_LOONGARCH}[tg.GOARCH]
		if f.Machine != want || f.Type != elf.ET_EXEC {
			t.Errorf("%s: evalpress is a %v %v, want %v executable", name, f.Machine, f.Type, want)
		}
	}
}

func hasFileUnder(byName map[string]entry, prefix string) bool {
	for n, e := range byName {
		if strings.HasPrefix(n, prefix) && !e.Mode.IsDir() && len(e.Body) > 0 {
			return true
		}
	}
	return false
}

// unpack writes entries (by name under the top folder) into dir, as tar
// would.
func unpack(t *testing.T, dir string, byName map[string]entry) {
	t.Helper()
	for _, e := range byName {
		p := filepath.Join(dir, filepath.FromSlash(e.Name))
		if e.Mode.IsDir() {
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, e.Body, e.Mode.Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

// assertSameFiles checks that the folders a and b hold the same files
// with the same bytes, and says where the first difference of each file
// is, so that a difference between machines can be traced to its cause.
func assertSameFiles(t *testing.T, what, a, b string) {
	t.Helper()
	fa, fb := readTree(t, a), readTree(t, b)
	var names []string
	for n := range fa {
		names = append(names, n)
	}
	for n := range fb {
		if _, ok := fa[n]; !ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	for _, n := range names {
		x, inA := fa[n]
		y, inB := fb[n]
		switch {
		case !inA:
			t.Errorf("%s: %s is only in %s", what, n, b)
		case !inB:
			t.Errorf("%s: %s is missing (it is in %s)", what, n, a)
		case !bytes.Equal(x, y):
			t.Errorf("%s: %s differs: %s", what, n, firstDifference(x, y))
		}
	}
}

func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		body, err := os.ReadFile(p)
		files[path.Clean(filepath.ToSlash(rel))] = body
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("%s holds no files", dir)
	}
	return files
}

// firstDifference describes where x and y first differ, with the bytes
// around it.
func firstDifference(x, y []byte) string {
	i := 0
	for i < len(x) && i < len(y) && x[i] == y[i] {
		i++
	}
	around := func(b []byte) []byte {
		return b[max(0, i-60):min(len(b), i+60)]
	}
	return fmt.Sprintf("sizes %d and %d, first difference at byte %d:\n  %q\n  %q", len(x), len(y), i, around(x), around(y))
}
