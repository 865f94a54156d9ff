package importer

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/evalpress/evalpress/internal/content"
	"github.com/mozillazg/go-pinyin"
)

// maxSlugLen bounds a slug made from a title: it is a file name and a URL
// segment that staff read and type, and a long project name gives a long
// run of syllables. The cut falls between syllables.
const maxSlugLen = 40

// titleNoise are the parts of a project name every project shares: a
// leading year and the trailing 项目, which would only make slugs longer
// and alike.
var titleNoise = regexp.MustCompile(`^\d{4}\s*年度?|项目$`)

var pinyinArgs = func() pinyin.Args {
	a := pinyin.NewArgs()
	a.Style = pinyin.Normal // no tone marks: ASCII only
	return a
}()

// Slug makes a record's slug from a project name: the pinyin of its
// Chinese characters and its ASCII letters and digits, lower case, joined
// by '-', at most maxSlugLen characters, never a name Windows reserves.
// "残疾人“两项补贴”项目" gives "can-ji-ren-liang-xiang-bu-tie". A title
// with nothing to spell gives "import".
func Slug(title string) string {
	t := strings.TrimSpace(title)
	if s := titleNoise.ReplaceAllString(t, ""); s != "" {
		t = s
	}
	var words []string
	var ascii strings.Builder
	flush := func() {
		if ascii.Len() > 0 {
			words = append(words, ascii.String())
			ascii.Reset()
		}
	}
	for _, r := range t {
		switch {
		case r < 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			ascii.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Han, r):
			flush()
			if py := pinyin.SinglePinyin(r, pinyinArgs); len(py) > 0 && py[0] != "" {
				words = append(words, strings.ToLower(py[0]))
			}
		default:
			flush()
		}
	}
	flush()
	var b strings.Builder
	for _, w := range words {
		if b.Len() > 0 && b.Len()+1+len(w) > maxSlugLen {
			break
		}
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		if len(w) > maxSlugLen {
			w = w[:maxSlugLen]
		}
		b.WriteString(w)
	}
	s := b.String()
	if s == "" || content.ReservedName(s) {
		return "import"
	}
	return s
}
