package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// After a build, the preview command printed is one the user can type as
// they started the tool (make serve under make, the binary's own path
// otherwise), never a bare evalpress that is not on their PATH, and there
// is no suggestion to open public/index.html from disk, where links and
// search do not work.
func TestPrintedCommandsMatchHowItWasStarted(t *testing.T) {
	work := t.TempDir()
	if err := os.Rename(copySeed(t), filepath.Join(work, "content")); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(work, "其他 内容")
	if err := os.Rename(copySeed(t), other); err != nil {
		t.Fatal(err)
	}
	t.Chdir(work)
	tests := []struct {
		name      string
		arg0      string
		makelevel string
		content   string
		want      []string // lines of stdout that must be there
	}{
		{"make site", "./bin/evalpress", "1", "content", []string{"预览：运行 make serve，然后在浏览器打开 http://127.0.0.1:8080/"}},
		{"the binary", "./bin/evalpress", "", "content", []string{"预览：运行 ./bin/evalpress serve，然后在浏览器打开 http://127.0.0.1:8080/"}},
		{"make with other content", "./bin/evalpress", "1", other,
			[]string{"预览：运行 ./bin/evalpress serve -content '" + other + "'，然后在浏览器打开 http://127.0.0.1:8080/"}},
		{"on the PATH", "evalpress", "", "content", []string{"预览：运行 evalpress serve，然后在浏览器打开 http://127.0.0.1:8080/"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := invoked
			invoked = startedFrom(tt.arg0, tt.makelevel)
			defer func() { invoked = saved }()
			out, e, err := runCmd("build", "-content", tt.content, "-out", filepath.Join(work, "public"))
			if err != nil {
				t.Fatalf("build: %v\n%s", err, e)
			}
			abs := filepath.Join(work, "public")
			want := append(tt.want, "发布：把 "+abs+" 文件夹整个复制到网站服务器；不要直接双击打开其中的 index.html（那样链接和搜索都不能用）")
			for _, w := range want {
				if !strings.Contains(out, w+"\n") {
					t.Errorf("build output lacks %q:\n%s", w, out)
				}
			}
			if strings.Contains(out, "直接打开 "+abs) || strings.Contains(out, "（或 make serve）") {
				t.Errorf("build still suggests opening index.html from disk:\n%s", out)
			}
		})
	}
}

// new names the commands to run next as the tool was started.
func TestNewPrintsCommandsAsStarted(t *testing.T) {
	dir := t.TempDir()
	site := "title = \"测试\"\norganization = \"测试市财政局\"\nbase_url = \"https://example.gov.cn/\"\n"
	writeFile(t, filepath.Join(dir, "site.toml"), site)
	saved := invoked
	invoked = startedFrom("./bin/evalpress", "")
	defer func() { invoked = saved }()
	out, e, err := runCmd("new", "-content", dir, "2024/road-maintenance")
	if err != nil {
		t.Fatalf("new: %v\n%s", err, e)
	}
	want := "运行 ./bin/evalpress check -content " + dir + " 检查，再 ./bin/evalpress build -content " + dir + "。"
	if !strings.Contains(out, want) {
		t.Errorf("new said %q, want it to contain %q", out, want)
	}
	_, e, _ = runCmd("new", "-content", dir)
	if want := "例如 ./bin/evalpress new -content " + dir + " 2024/disability-subsidies"; !strings.Contains(e, want) {
		t.Errorf("new without a target said %q, want it to contain %q", e, want)
	}
}

func TestStartedFrom(t *testing.T) {
	tests := []struct {
		arg0, makelevel, sub, content, want string
	}{
		{"./bin/evalpress", "1", "serve", "content", "make serve"},
		{"./bin/evalpress", "1", "build", "content", "make site"},
		{"./bin/evalpress", "1", "check", "content", "make check"},
		{"./bin/evalpress", "1", "new", "content", "./bin/evalpress new"},
		{"./bin/evalpress", "", "serve", "content", "./bin/evalpress serve"},
		{"bin/evalpress", "", "check", "mysite", "bin/evalpress check -content mysite"},
		{"evalpress", "", "serve", "content", "evalpress serve"},
		{"/opt/my tools/evalpress", "", "serve", "content", "'/opt/my tools/evalpress' serve"},
		{filepath.Join(os.TempDir(), "go-build123", "b001", "exe", "evalpress"), "", "serve", "content", "go run ./cmd/evalpress serve"},
	}
	for _, tt := range tests {
		if got := startedFrom(tt.arg0, tt.makelevel).command(tt.sub, tt.content); got != tt.want {
			t.Errorf("startedFrom(%q, %q).command(%q, %q) = %q, want %q", tt.arg0, tt.makelevel, tt.sub, tt.content, got, tt.want)
		}
	}
}
