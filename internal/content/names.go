package content

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// MaxSegment is the longest file or folder name, in bytes, that the file
// systems a site is deployed to hold: ext4, XFS and APFS count 255 bytes,
// NTFS 255 UTF-16 units, which a name of at most 255 UTF-8 bytes never
// exceeds.
const MaxSegment = 255

// ReservedName reports whether seg, one segment of a path, names a device on
// Windows: CON, PRN, AUX, NUL, COM0–COM9 and LPT0–LPT9 (with the superscript
// digits ¹²³ too), in any case, alone or before an extension ("con.md",
// "nul.tar.gz"), and with trailing spaces. Windows opens the device instead
// of a file of such a name, so an IIS portal cannot hold it.
func ReservedName(seg string) bool {
	base, _, _ := strings.Cut(seg, ".")
	base = strings.TrimRight(base, " ")
	switch len(base) {
	case 3:
		switch strings.ToUpper(base) {
		case "CON", "PRN", "AUX", "NUL":
			return true
		}
	case 4, 5, 6: // COM1, or COM¹ with a two-byte superscript digit
		upper := strings.ToUpper(base[:3])
		if upper != "COM" && upper != "LPT" {
			return false
		}
		switch base[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// SegmentProblem says, in Chinese for the web staffer, why seg cannot be a
// file or folder name in a site that may be copied to any server,
// Windows/IIS included; "" when it can. It checks the length (MaxSegment),
// device names (ReservedName), the characters Windows forbids in names
// (< > : " / \ | ? * and control characters) and a trailing dot or space,
// which Windows silently drops.
func SegmentProblem(seg string) string {
	switch {
	case seg == "" || seg == "." || seg == "..":
		return "名称为空或是 . 或 .."
	case len(seg) > MaxSegment:
		return fmt.Sprintf("名称长 %d 字节，超过文件系统允许的 %d 字节", len(seg), MaxSegment)
	case ReservedName(seg):
		return fmt.Sprintf("%q 是 Windows 的设备名（CON、PRN、AUX、NUL、COM0–COM9、LPT0–LPT9，不分大小写，带扩展名也一样），Windows/IIS 门户网站无法存放这样的文件", seg)
	case strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " "):
		return "名称以点或空格结尾，Windows 会把它去掉，链接就对不上了"
	case !utf8.ValidString(seg):
		return "名称不是有效的 UTF-8 文字"
	}
	for _, r := range seg {
		if r < ' ' || r == 0x7f || strings.ContainsRune(`<>:"/\|?*`, r) {
			return fmt.Sprintf("名称含有 Windows 不允许的字符 %q", r)
		}
	}
	return ""
}

// SafeSegment returns seg, or seg with "-1" added before its extension when
// seg is a Windows device name: the name to suggest for a file, or to use
// for a generated folder.
func SafeSegment(seg string) string {
	if !ReservedName(seg) {
		return seg
	}
	base, ext, _ := strings.Cut(seg, ".")
	if ext != "" {
		ext = "." + ext
	}
	return strings.TrimRight(base, " ") + "-1" + ext
}
