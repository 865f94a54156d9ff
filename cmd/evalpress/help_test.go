package main

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestServeHelpNamesTheMarks checks that serve -h says how the preview
// marks what it shows beyond the published site, in the words the pages
// use: its -future help once ended mid-sentence at “并标明”.
func TestServeHelpNamesTheMarks(t *testing.T) {
	_, stderr, _ := runCmd("serve", "-h")
	for _, want := range []string{"-drafts", "“未公开”", "-future", "“尚未到公开日期”"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("serve -h lacks %s:\n%s", want, stderr)
		}
	}
}

// TestFlagsInChinese: a mistyped flag, a flag without its value, a value
// that is not one, and the help itself are said in Chinese, the error
// before the usage; the flag package's own words were English ("flag
// provided but not defined", "(default ...)").
func TestFlagsInChinese(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"build", "-contnet", "content"}, "evalpress build: 没有这个参数：-contnet（参数名拼错了？下面是全部参数）"},
		{[]string{"serve", "-addr"}, "evalpress serve: 参数 -addr 后面要跟一个值"},
		{[]string{"import", "-year", "abc", "x.xlsx"}, `evalpress import: 参数 -year 的值 "abc" 不对`},
		{[]string{"build", "-watch=maybe"}, `evalpress build: 参数 -watch 的值 "maybe" 不对：只能是 true 或 false，例如 -watch=true`},
		{[]string{"new", "-x", "2024/a"}, "evalpress new: 没有这个参数：-x"},
	}
	for _, tt := range tests {
		_, stderr, err := runCmd(tt.args...)
		if !errors.Is(err, errUsage) {
			t.Errorf("%v: %v, want a usage error", tt.args, err)
		}
		if !strings.HasPrefix(stderr, tt.want) || !strings.Contains(stderr, "用法：evalpress") {
			t.Errorf("%v: stderr does not start with %q and then the usage:\n%s", tt.args, tt.want, stderr)
		}
		for _, english := range []string{"flag provided", "flag needs", "invalid value", "(default"} {
			if strings.Contains(stderr, english) {
				t.Errorf("%v: stderr holds the flag package's %q:\n%s", tt.args, english, stderr)
			}
		}
	}
	_, stderr, err := runCmd("build", "-h")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "  -content 文字\n    \t内容目录（默认 content）") || strings.Contains(stderr, "(default") {
		t.Errorf("build -h: %v\n%s", err, stderr)
	}
}
