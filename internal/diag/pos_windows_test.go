package diag

import "testing"

// On Windows a message names a content file as the staffer types it
// there, with backslashes, whatever separator the build uses inside.
func TestPosBackslashesOnWindows(t *testing.T) {
	for _, c := range []struct {
		pos  Pos
		want string
	}{
		{Pos{File: "D:/网站/content/2023/evaluations/a.toml", Line: 3, Col: 9}, `D:\网站\content\2023\evaluations\a.toml:3:9`},
		{Pos{File: "content/site.toml"}, `content\site.toml`},
		{Pos{File: `\\fileserver\绩效\content/2024/evaluations/b.md`, Line: 1}, `\\fileserver\绩效\content\2024\evaluations\b.md:1`},
	} {
		if got := c.pos.String(); got != c.want {
			t.Errorf("%#v.String() = %q, want %q", c.pos, got, c.want)
		}
	}
}
