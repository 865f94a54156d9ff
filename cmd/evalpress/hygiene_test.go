package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeContent writes a small content tree holding one record.
func writeContent(t *testing.T, record string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "content")
	files := map[string]string{
		"site.toml":                          "title = \"公开\"\norganization = \"财政局\"\nbase_url = \"https://x.example.gov.cn/\"\n",
		"2023/evaluations/subsidies.toml":    record,
		"2023/evaluations/subsidies.md":      "## 一、基本情况\n\n项目资金到位。\n",
		"2023/evaluations/other-record.toml": "title = \"其他\"\ndepartment = \"局\"\nyear = 2023\nscore = 90\n",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// rawControl returns the first character of s a terminal would act on.
func rawControl(s string) (rune, bool) {
	for _, r := range s {
		if r < 0x20 && r != '\n' || r == 0x7F || r >= 0x80 && r <= 0x9F || r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 {
			return r, true
		}
	}
	return 0, false
}

// TestCheckEchoesNoEscapeSequence checks that an indicator named with an
// escape sequence is reported, and that check's output, text or JSON,
// shows it escaped instead of rewriting the terminal.
func TestCheckEchoesNoEscapeSequence(t *testing.T) {
	dir := writeContent(t, `title = "补贴"
department = "民政局"
year = 2023
[[indicators]]
name = "a\u001b[2Jb"
max = 100
score = 90
  [[indicators.items]]
  name = "x\u001b]0;pwned\u0007"
  max = 100
  score = 80
`)
	for _, format := range []string{"text", "json"} {
		out, errOut, err := runCmd("check", "-content", dir, "-format", format)
		if !errors.Is(err, errReported) {
			t.Errorf("check -format %s: err = %v, want the record refused", format, err)
		}
		if r, ok := rawControl(out + errOut); ok {
			t.Errorf("check -format %s printed a raw U+%04X:\n%q", format, r, out+errOut)
		}
		if !strings.Contains(out+errOut, "indicators[0].name") || !strings.Contains(out+errOut, "U+001B（ESC）") {
			t.Errorf("check -format %s does not name the field and the character:\n%s", format, out+errOut)
		}
	}
}

// TestBuildRefusesControlCharacters checks the inputs of the issue: NUL,
// BEL and ESC, and U+202E, in a title do not reach the page and the CSV:
// the build fails, names the field and writes nothing.
func TestBuildRefusesControlCharacters(t *testing.T) {
	for _, title := range []string{`补贴\u0000项目`, `补贴\u0007项目`, `\u001b[2J补贴`, "补贴\u202e目项"} {
		dir := writeContent(t, "title = \""+title+"\"\ndepartment = \"民政局\"\nyear = 2023\nscore = 90\n")
		out := filepath.Join(filepath.Dir(dir), "public")
		_, errOut, err := runCmd("build", "-content", dir, "-out", out)
		if !errors.Is(err, errReported) || !strings.Contains(errOut, "subsidies.toml:1:1: error: title") {
			t.Errorf("build with title %q: err = %v, stderr:\n%s", title, err, errOut)
		}
		if _, err := os.Stat(filepath.Join(out, "data", "evaluations.csv")); err == nil {
			t.Errorf("build with title %q wrote the open data", title)
		}
		if r, ok := rawControl(errOut); ok {
			t.Errorf("build printed a raw U+%04X", r)
		}
	}
}

// TestBuildRefusesPersonalDataInSeriesAndSite checks two texts the
// personal-data check once skipped.
func TestBuildRefusesPersonalDataInSeriesAndSite(t *testing.T) {
	dir := writeContent(t, "title = \"补贴\"\ndepartment = \"民政局\"\nyear = 2023\nscore = 90\nseries = \"hotline-13812345678\"\n")
	site := filepath.Join(dir, "site.toml")
	if err := os.WriteFile(site, []byte("title = \"公开\"\norganization = \"财政局 13912345678\"\nbase_url = \"https://x.example.gov.cn/\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := runCmd("check", "-content", dir)
	if !errors.Is(err, errReported) ||
		!strings.Contains(errOut, "subsidies.toml:5:1: error: series: 疑似手机号 138****5678") ||
		!strings.Contains(errOut, "site.toml:2:1: error: organization: 疑似手机号 139****5678") {
		t.Errorf("check: err = %v, stderr:\n%s", err, errOut)
	}
}
