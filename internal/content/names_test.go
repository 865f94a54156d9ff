package content

import (
	"strings"
	"testing"
)

func TestReservedName(t *testing.T) {
	for _, tc := range []struct {
		seg  string
		want bool
	}{
		// Devices, in any case, alone or before an extension.
		{"con", true}, {"CON", true}, {"Aux", true}, {"nul", true}, {"prn", true},
		{"com0", true}, {"com1", true}, {"COM9", true}, {"lpt1", true}, {"LPT0", true},
		{"com¹", true}, {"lpt³", true},
		{"con.md", true}, {"nul.tar.gz", true}, {"aux .png", true}, {"con ", true},
		// Not devices.
		{"console", false}, {"com", false}, {"com10", false}, {"lpt", false},
		{"acon", false}, {"con-1", false}, {"nula", false}, {"x.con", false},
		{"", false}, {"roads", false},
	} {
		if got := ReservedName(tc.seg); got != tc.want {
			t.Errorf("ReservedName(%q) = %v, want %v", tc.seg, got, tc.want)
		}
	}
}

func TestSegmentProblem(t *testing.T) {
	for _, tc := range []struct {
		seg  string
		want string // part of the reason; "" for none
	}{
		{"photo.png", ""},
		{"评价报告.pdf", ""},
		{strings.Repeat("a", 255), ""},
		{strings.Repeat("a", 256), "256 字节"},
		{strings.Repeat("评", 86), "258 字节"}, // 3 bytes each
		{"CON.png", "Windows 的设备名"},
		{"a:b.png", "不允许的字符"},
		{"a?.png", "不允许的字符"},
		{"a\x01.png", "不允许的字符"},
		{"photo.", "以点或空格结尾"},
		{"..", "为空"},
	} {
		got := SegmentProblem(tc.seg)
		if tc.want == "" && got != "" || tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("SegmentProblem(%.20q) = %q, want %q", tc.seg, got, tc.want)
		}
	}
	if got := SafeSegment("CON.png"); got != "CON-1.png" {
		t.Errorf("SafeSegment(CON.png) = %q", got)
	}
}

// TestDeviceNameRecords: a record named like a Windows device cannot be
// copied to an IIS portal; the error says why and what to call it.
func TestDeviceNameRecords(t *testing.T) {
	for _, name := range []string{"con", "aux", "nul", "com1", "lpt1", "PRN", "Com9"} {
		file := "2023/evaluations/" + name + ".toml"
		_, ds := load(t, map[string]string{file: minimal})
		var found bool
		for _, d := range ds {
			if d.File == "content/"+file && strings.Contains(d.Message, "Windows") && strings.Contains(d.Hint, strings.ToLower(name)+"-1.toml") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: no error naming the Windows device with a suggested name; got %v", name, ds)
		}
	}
}

// TestRecordFolder: a folder named like a record holds its files and is
// not warned about; another folder still is.
func TestRecordFolder(t *testing.T) {
	_, ds := load(t, map[string]string{
		"2023/evaluations/roads.toml":      minimal,
		"2023/evaluations/roads/photo.png": "x",
		"2023/evaluations/stray/photo.png": "x",
	})
	got := strings.Join(shorts(ds), "\n")
	if got != "content/2023/evaluations/stray warning" {
		t.Errorf("diagnostics:\n%s\nwant only the stray folder's warning", got)
	}
}
