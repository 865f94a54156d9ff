package privacy

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// The numbers below are made up: identity numbers get a correct check
// character from id18, card numbers a correct Luhn digit from luhn. None is
// anybody's.

// id18 completes the first 17 characters of an identity number with its
// check character.
func id18(first17 string) string {
	sum := 0
	for i := range 17 {
		sum += int(first17[i]-'0') * idWeights[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

// id18X returns a made-up identity number born on birth whose check
// character is X.
func id18X(region, birth string) string {
	for seq := 100; seq < 1000; seq++ {
		if id := id18(region + birth + fmt.Sprint(seq)); id[17] == 'X' {
			return id
		}
	}
	panic("no X")
}

// badCheck returns id with a wrong check character.
func badCheck(id string) string {
	c := byte('0')
	if id[17] == '0' {
		c = '1'
	}
	return id[:17] + string(c)
}

// card completes a card number with its Luhn check digit.
func card(first string) string {
	for d := '0'; d <= '9'; d++ {
		if validCard(first + string(d)) {
			return first + string(d)
		}
	}
	panic("no Luhn digit for " + first)
}

// luhnAny completes a number with its Luhn digit, whatever its first digit.
func luhnAny(first string) string {
	for d := '0'; d <= '9'; d++ {
		if luhn(first + string(d)) {
			return first + string(d)
		}
	}
	panic("no Luhn digit")
}

// wideDigits writes the ASCII digits and letters of s in full width.
func wideDigits(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '!' && r <= '~':
			b.WriteRune(r + 0xFEE0)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func split(s string, sep string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	if s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, sep)
}

var (
	id       = id18("11010119900307123") // born 1990-03-07
	idX      = id18X("429005", "19850101")
	card16   = card("622202123456789")
	card19   = card("622848001234567890")
	card2023 = luhnAny("202342900500000") // a year-prefixed project code
)

func TestScan(t *testing.T) {
	future := id18("11010120990101123")
	tests := []struct {
		text string
		kind string // "" for no finding
		want string // the match; text when empty
	}{
		// 身份证号
		{id, KindID, ""},
		{"身份证号：" + id + "。", KindID, id},
		{idX, KindID, ""},
		{strings.ToLower(idX), KindID, ""},
		{split(id, " ", 6, 8), KindID, ""},
		{split(idX, " ", 6, 8), KindID, ""},
		{"证件" + wideDigits(id) + "号", KindID, wideDigits(id)},
		{"110101900307123", KindID, ""}, // 15-digit legacy, born 1990-03-07
		{"编号XM-" + id, KindID, id},      // a code that is itself a valid ID
		{badCheck(id), "", ""},
		{id[:17] + "X", "", ""},
		{id18("11010119901332123"), "", ""}, // 13th month
		{id18("11010119000229123"), "", ""}, // 1900 was not a leap year
		{id18("11010118991231123"), "", ""}, // before 1900
		{future, "", ""},
		{id18("99010119900307123"), "", ""}, // no province 99
		{"110101901332123", "", ""},         // legacy, 13th month
		{"990101900307123", "", ""},         // legacy, no province 99
		{"9" + id, "", ""},                  // inside a longer run
		{id + "0", "", ""},
		{"202342900500000001", "", ""}, // long project code

		// 手机号
		{"13812345678", KindMobile, ""},
		{"电话：13912345678。", KindMobile, "13912345678"},
		{"138-1234-5678", KindMobile, ""},
		{"138 1234 5678", KindMobile, ""},
		{"138–1234–5678", KindMobile, ""},
		{"+86 138 1234 5678", KindMobile, ""},
		{"+86-138-1234-5678", KindMobile, ""},
		{"+8613812345678", KindMobile, ""},
		{"0086 13812345678", KindMobile, ""},
		{"008613812345678", KindMobile, ""},
		{"联系人张三，" + wideDigits("13812345678"), KindMobile, wideDigits("13812345678")},
		{"手机 " + wideDigits("138-1234-5678") + "。", KindMobile, wideDigits("138-1234-5678")},
		{"2023年13812345678", KindMobile, "13812345678"},
		{"2023 138 1234 5678", KindMobile, "138 1234 5678"},
		{"14512345678", KindMobile, ""},
		{"16612345678", KindMobile, ""},
		{"19912345678", KindMobile, ""},
		{"12812345678", "", ""}, // 12x is not a mobile prefix
		{"15412345678", "", ""}, // unallocated
		{"19412345678", "", ""},
		{"14012345678", "", ""}, // 13-digit IoT range
		{"10012345678", "", ""},
		{"138123456789", "", ""}, // 12 digits
		{"913812345678", "", ""},
		{"1381234567", "", ""}, // 10 digits
		{"13812345678.5万元", "", ""},
		{"0.13812345678", "", ""},
		{"13812345678%", "", ""},
		{"138-1234-5678-90", "", ""}, // a hyphenated code
		{"9-138-1234-5678", "", ""},
		{"138,1234,5678", "", ""},

		// 银行卡号
		{card16, KindBankCard, ""},
		{card19, KindBankCard, ""},
		{"卡号" + card19 + "，", KindBankCard, card19},
		{split(card16, " ", 4, 4, 4), KindBankCard, ""},
		{split(card16, "-", 4, 4, 4), KindBankCard, ""},
		{split(card19, " ", 4, 4, 4, 4), KindBankCard, ""},
		{wideDigits(split(card19, " ", 4, 4, 4, 4)), KindBankCard, ""},
		{card16[:15] + string('0'+(card16[15]-'0'+1)%10), "", ""}, // Luhn fails
		{card2023, "", ""},
		{luhnAny("102342900500000"), "", ""},
		{luhnAny("8023429005000001"), "", ""},
		{luhnAny("72342900500000012345"), "", ""}, // 20 digits
		{"1" + card16, "", ""},

		// 电子邮箱
		{"zhang.san@example.com", KindEmail, ""},
		{"联系邮箱：abc_1@mail.example.gov.cn。", KindEmail, "abc_1@mail.example.gov.cn"},
		{"请发至 a@b.cn.", KindEmail, "a@b.cn"},
		{"<mailto:x+y@example.org>", KindEmail, "x+y@example.org"},
		{wideDigits("abc@example.com"), KindEmail, ""},
		{"zhang13812345678@163.com", KindEmail, ""}, // one finding, not two
		{"a@b", "", ""},
		{"a@b.c", "", ""},
		{"@example.com", "", ""},
		{"a@-b.com", "", ""},
		{"a@b..com", "", ""},
		{"a@b.c0m", "", ""},
		{"@@", "", ""},

		// Format characters (Cf) are invisible and do not split a number.
		{"138\u200b1234\u200b5678", KindMobile, ""},
		{"电话 138\u00ad1234\u00ad5678。", KindMobile, "138\u00ad1234\u00ad5678"},
		{"1\u20603812345678", KindMobile, ""},
		{"\ufeff13812345678", KindMobile, "13812345678"},
		{"138\u200d1234\u200c5678", KindMobile, ""},
		{"138-\u200b1234-5678", KindMobile, ""},
		{id[:9] + "\u200b" + id[9:], KindID, ""},
		{"zhang\u200b@example\u200b.com", KindEmail, ""},
		{"2023\u200b年12345热线", "", ""},

		// Ordinary figures of the content.
		{"项目实际成本52.88万元＞项目预算资金45万元", "", ""},
		{"共受理案件121421件", "", ""},
		{"截至20231231", "", ""},
		{"2023-12-31", "", ""},
		{"2023年12月31日", "", ""},
		{"（潜财绩[2023]1号）", "", ""},
		{"12345热线交办", "", ""},
		{"电话0728-6221234", "", ""},
		{"电话（0728）6221234", "", ""},
		{"07286221234", "", ""},
		{"受理率100%，得分率88.3%", "", ""},
		{"涉及资金11.52亿元", "", ""},
		{"1,234,567,890,123,456", "", ""},
		{"GB/T 37668-2019", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		got := Scan(tt.text)
		if tt.kind == "" {
			if len(got) != 0 {
				t.Errorf("Scan(%q) = %+v, want no finding", tt.text, got)
			}
			continue
		}
		want := tt.want
		if want == "" {
			want = tt.text
		}
		if len(got) != 1 || got[0].Kind != tt.kind || got[0].Match != want {
			t.Errorf("Scan(%q) = %+v, want one %s %q", tt.text, got, tt.kind, want)
		}
	}
}

func TestScanSeveral(t *testing.T) {
	text := "第一行没有\n" +
		"电话：13812345678，邮箱 a@b.cn\n" +
		"\n" +
		"１３９１２３４５６７８ 与 " + id
	got := Scan(text)
	want := []struct {
		kind      string
		line, col int
	}{
		{KindMobile, 2, 4},
		{KindEmail, 2, 19},
		{KindMobile, 4, 1},
		{KindID, 4, 15},
	}
	if len(got) != len(want) {
		t.Fatalf("Scan = %+v, want %d findings", got, len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Kind != w.kind || g.Line != w.line || g.Col != w.col {
			t.Errorf("finding %d = %s at %d:%d, want %s at %d:%d", i, g.Kind, g.Line, g.Col, w.kind, w.line, w.col)
		}
		if text[g.Offset:g.Offset+len(g.Match)] != g.Match {
			t.Errorf("finding %d: Offset %d does not hold %q", i, g.Offset, g.Match)
		}
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ kind, in, want string }{
		{KindID, "110101199003071234", "110101********1234"},
		{KindID, "42900519850101123X", "429005********123X"},
		{KindID, "110101 19900307 1234", "110101 ******** 1234"},
		{KindID, "110101900307123", "110101******123"},
		{KindMobile, "13812345678", "138****5678"},
		{KindMobile, "138-1234-5678", "138-****-5678"},
		{KindMobile, "+86 138 1234 5678", "+86 138 **** 5678"},
		{KindMobile, "１３８１２３４５６７８", "138****5678"},
		{KindBankCard, "6222021234567890123", "6222***********0123"},
		{KindBankCard, "6222 0212 3456 7890", "6222 **** **** 7890"},
		{KindEmail, "zhang.san@example.com", "z***@example.com"},
		{KindEmail, "ａｂｃ＠ｅｘａｍｐｌｅ．ｃｏｍ", "a***@example.com"},
	}
	for _, tt := range tests {
		if got := Mask(tt.kind, tt.in); got != tt.want {
			t.Errorf("Mask(%s, %q) = %q, want %q", tt.kind, tt.in, got, tt.want)
		}
	}
}

// TestWideIsNFKC checks the hand-written folds against the norm package:
// the full-width table is built from it, the spaces must agree with it.
func TestWideIsNFKC(t *testing.T) {
	for _, r := range []rune{0x3000, 0xA0} {
		if got := fold(string(r)); got != " " {
			t.Errorf("fold(%U) = %q, want a space", r, got)
		}
	}
	if got := fold("１３８－１２３４＋ＡＢｚ＠．％＿"); got != "138-1234+ABz@.%_" {
		t.Errorf("fold = %q", got)
	}
	if got := fold("，。（）"); got != "" {
		t.Errorf("fold of Chinese punctuation = %q, want nothing", got)
	}
}

// benchNarrative is about 7 KB of the default content's prose, with a few
// figures of every kind a scan has to look at and reject.
func benchNarrative(tb testing.TB) string {
	var b strings.Builder
	for _, f := range []string{"disability-subsidies.md", "digital-city-management.md"} {
		src, err := os.ReadFile("../../testdata/seed/2023/evaluations/" + f)
		if err != nil {
			tb.Fatal(err)
		}
		b.Write(src)
	}
	s := b.String()
	for len(s) < 7000 {
		s += s
	}
	// Cut at a rune boundary.
	n := 7000
	for !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func BenchmarkScan(b *testing.B) {
	text := benchNarrative(b)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if fs := Scan(text); len(fs) != 0 {
			b.Fatalf("findings in the default content: %+v", fs)
		}
	}
}

// BenchmarkScanFigures scans about 7 KB dense with figures and identifiers
// of every shape, written every way: the work of the number matchers
// rather than of the skipping of prose.
func BenchmarkScanFigures(b *testing.B) {
	var parts []string
	for _, s := range []string{
		"项目预算45万元，实际支出52.88万元，执行率117.51%，",
		"2023年12月31日（潜财绩[2023]1号），受理案件121421件，12345热线，电话0728-6221234，",
		"联系人 13812345678、138-1234-5678、+86 138 1234 5678、0086 13812345678，",
		"身份证 " + id + "、" + split(idX, " ", 6, 8) + "，卡号 " + card19 + "、" + split(card16, " ", 4, 4, 4) + "，",
		"项目编码 " + card2023 + "，GB/T 37668-2019，" + wideDigits("13912345678") + "。\n",
	} {
		parts = append(parts, s)
	}
	text := strings.Join(parts, "")
	for len(text) < 7000 {
		text += text
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if len(Scan(text)) == 0 {
			b.Fatal("no findings")
		}
	}
}

func FuzzScan(f *testing.F) {
	for _, s := range []string{
		id, idX, card16, "+86 138 1234 5678", "a@b.cn.", "0086-13812345678", "１３８１２３４５６７８",
		"潜财绩[2023]1号 52.88 2023-12-31", "1-2-3-4-5-6-7-8-9-10", "x@@y..z", split(idX, " ", 6, 8),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		prev := -1
		for _, g := range Scan(text) {
			end := g.Offset + len(g.Match)
			if g.Offset < 0 || end > len(text) || text[g.Offset:end] != g.Match || g.Match == "" {
				t.Fatalf("finding %+v outside the text or not at its offset", g)
			}
			if g.Offset < prev {
				t.Fatalf("findings out of order: %+v", g)
			}
			prev = g.Offset
			line := strings.Count(text[:g.Offset], "\n") + 1
			ls := strings.LastIndexByte(text[:g.Offset], '\n') + 1
			if g.Line != line || g.Col != utf8.RuneCountInString(text[ls:g.Offset])+1 {
				t.Fatalf("finding %+v: want line %d col %d", g, line, utf8.RuneCountInString(text[ls:g.Offset])+1)
			}
			if g.Masked == "" || strings.Contains(g.Masked, fold(g.Match)) && g.Kind != KindEmail {
				t.Fatalf("finding %+v: mask hides nothing", g)
			}
		}
	})
}

// TestIsFormat checks isFormat's shortcuts against the Unicode tables.
func TestIsFormat(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isFormat(r) != unicode.Is(unicode.Cf, r) {
			t.Errorf("isFormat(%U) = %v", r, isFormat(r))
		}
	}
}

// TestScanReusesCells checks that a scan takes its cell buffer from the
// previous scans instead of allocating one per text (a build scans every
// record and narrative), and that a buffer left by a longer text with
// findings does not leak into the next scan's findings.
func TestScanReusesCells(t *testing.T) {
	long := strings.Repeat("项目资金执行良好，电话 13812345678。\n", 200)
	short := "没有个人信息的一段文字，金额 12.5 万元。"
	if got := Scan(long); len(got) != 200 {
		t.Fatalf("Scan(long) found %d, want 200", len(got))
	}
	if got := Scan(short); len(got) != 0 {
		t.Errorf("Scan(short) after Scan(long) = %+v, want nothing", got)
	}
	allocs := testing.AllocsPerRun(100, func() { Scan(short) })
	if allocs >= 1 {
		t.Errorf("Scan of a text without findings makes %.1f allocations, want its cells from the pool (0)", allocs)
	}
}
