package main

import "testing"

// On Windows the commands evalpress suggests are typed into cmd.exe or
// PowerShell: a path with a space is in double quotes, backslashes stay.
func TestStartedFromOnWindows(t *testing.T) {
	for _, tt := range []struct{ arg0, content, want string }{
		{`evalpress.exe`, "content", `evalpress.exe serve`},
		{`.\evalpress.exe`, `D:\网站\content`, `.\evalpress.exe serve -content D:\网站\content`},
		{`C:\Program Files\evalpress\evalpress.exe`, `D:\绩效 公开\content`, `"C:\Program Files\evalpress\evalpress.exe" serve -content "D:\绩效 公开\content"`},
	} {
		if got := startedFrom(tt.arg0, "").command("serve", tt.content); got != tt.want {
			t.Errorf("startedFrom(%q).command(serve, %q) = %q, want %q", tt.arg0, tt.content, got, tt.want)
		}
	}
}
