package narrative

import (
	"flag"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.html from the current output")

// TestGolden renders testdata/*.md and compares with *.golden.html. Run
// `go test ./internal/narrative -update` and review the diff to accept a
// change.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	r := New()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			doc, err := r.Render(src)
			if err != nil {
				t.Fatal(err)
			}
			if err := checkSafe(string(doc.HTML)); err != nil {
				t.Errorf("unsafe output: %v", err)
			}
			golden := strings.TrimSuffix(f, ".md") + ".golden.html"
			if *update {
				if err := os.WriteFile(golden, []byte(doc.HTML), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run with -update to create it)", err)
			}
			if string(doc.HTML) != string(want) {
				t.Errorf("%s differs from %s; run with -update and review the diff\ngot:\n%s", f, golden, doc.HTML)
			}
		})
	}
}

func render(t *testing.T, src string) Doc {
	t.Helper()
	doc, err := New().Render([]byte(src))
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return doc
}

func TestHostile(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // substrings the HTML must contain
		not       []string // substrings it must not contain
	}{
		// raw HTML is shown as text
		{"script block", "<script>alert(1)</script>", []string{"&lt;script&gt;alert(1)&lt;/script&gt;"}, []string{"<script", "<!--"}},
		{"script inline", "a <script>alert(1)</script> b", []string{"a &lt;script&gt;alert(1)&lt;/script&gt; b"}, []string{"<script"}},
		{"img onerror", "x <img src=x onerror=alert(1)> y", []string{"&lt;img src=x onerror=alert(1)&gt;"}, []string{"<img"}},
		{"html block attrs", "<div onclick=\"x()\">\nhi\n</div>", []string{"<p>&lt;div onclick=&quot;x()&quot;&gt;\nhi\n&lt;/div&gt;</p>"}, []string{"<div"}},
		{"comment", "<!-- secret -->", []string{"&lt;!-- secret --&gt;"}, []string{"<!--"}},
		{"br survives", "一<br>二<BR />三<br/>四", []string{"一<br>二<br>三<br>四"}, nil},
		{"br with attrs does not", "一<br onclick=x>二", []string{"&lt;br onclick=x&gt;"}, []string{"<br"}},

		// links: allowlist of schemes
		{"javascript", "[x](javascript:alert(1))", []string{"<p>x</p>"}, []string{"href"}},
		{"mixed case", "[x](JaVaScRiPt:alert(1))", []string{"<p>x</p>"}, []string{"href"}},
		{"tab entity", "[x](java&#x09;script:alert(1))", []string{"<p>x</p>"}, []string{"href"}},
		{"newline entity", "[x](java&#10;script:alert(1))", []string{"<p>x</p>"}, []string{"href"}},
		{"numeric entity", "[x](&#106;avascript:alert(1))", []string{"<p>x</p>"}, []string{"href"}},
		{"named colon", "[x](javascript&colon;alert(1))", []string{"<p>x</p>"}, []string{"href"}},
		{"double encoded stays relative", "[x](&amp;#106;avascript&amp;#58;alert(1))", []string{`href="&amp;#106;avascript&amp;#58;alert(1)"`}, nil},
		{"escaped colon", `[x](javascript\:alert(1))`, []string{"<p>x</p>"}, []string{"href"}},
		{"leading space", "[x](< javascript:alert(1)>)", []string{"<p>x</p>"}, []string{"href"}},
		{"vbscript", "[x](vbscript:msgbox(1))", []string{"<p>x</p>"}, []string{"href"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"<p>x</p>"}, []string{"href"}},
		{"file", "[x](file:///etc/passwd)", []string{"<p>x</p>"}, []string{"href"}},
		{"reference", "[x][r]\n\n[r]: javascript:alert(1)", []string{"<p>x</p>"}, []string{"href"}},
		{"autolink", "<javascript:alert(1)>", []string{"<p>javascript:alert(1)</p>"}, []string{"href"}},
		{"autolink ftp", "<ftp://example.com/a>", []string{"<p>ftp://example.com/a</p>"}, []string{"href"}},
		{"linkify ftp", "ftp://example.com/a", nil, []string{"href"}},
		{"nested markup kept", "[**粗**](javascript:x)", []string{"<p><strong>粗</strong></p>"}, []string{"href"}},
		{"https", "[x](https://www.gov.cn/)", []string{`<a href="https://www.gov.cn/">x</a>`}, nil},
		{"http", "[x](http://www.gov.cn/)", []string{`<a href="http://www.gov.cn/">x</a>`}, nil},
		{"mailto", "[x](mailto:czj@example.gov.cn)", []string{`href="mailto:czj@example.gov.cn"`}, nil},
		{"relative", "[x](../2022/a.html?q=1#b)", []string{`href="../2022/a.html?q=1#b"`}, nil},
		{"fragment", "[x](#一项目)", []string{`href="#%E4%B8%80%E9%A1%B9%E7%9B%AE"`}, nil},
		{"colon after slash", "[x](a/b:c)", []string{`href="a/b:c"`}, nil},
		{"title cannot break out", `[x](https://a.cn/ "t\" onmouseover=\"y")`, []string{`title="t&quot; onmouseover=&quot;y"`}, nil},

		// images: only relative URLs become <img>
		{"local image", "![图](img/a.png)", []string{`<img src="img/a.png" alt="图">`}, nil},
		{"remote https image", "![图](https://e.cn/a.png)", []string{`<a href="https://e.cn/a.png">图</a>`}, []string{"<img"}},
		{"remote image no alt", "![](http://e.cn/a.png)", []string{`<a href="http://e.cn/a.png">http://e.cn/a.png</a>`}, []string{"<img"}},
		{"protocol relative image", "![图](//e.cn/a.png)", []string{`<a href="//e.cn/a.png">图</a>`}, []string{"<img"}},
		{"backslash host image", `![图](\\\\e.cn/a.png)`, nil, []string{"<img"}},
		{"escaped backslash is a path", `![图](\\e.cn/a.png)`, []string{`<img src="%5Ce.cn/a.png"`}, nil},
		{"data image", "![图](data:image/png;base64,iVBORw0KGgo=)", []string{"<p>图</p>"}, []string{"<img", "data:"}},
		{"javascript image", "![图](javascript:alert(1))", []string{"<p>图</p>"}, []string{"<img", "href"}},
		{"mailto image", "![图](mailto:a@b.cn)", []string{"<p>图</p>"}, []string{"<img", "href"}},
		{"image in link", "[![图](https://e.cn/a.png)](https://e.cn/)", nil, []string{"<img"}},

		// no attribute syntax
		{"no attributes", "## 标题 {onclick=x}", []string{`{onclick=x}</h2>`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(render(t, tt.src).HTML)
			for _, w := range tt.want {
				if !strings.Contains(got, w) {
					t.Errorf("Render(%q)\n got: %s\nwant it to contain %s", tt.src, got, w)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Render(%q)\n got: %s\nwant no %s", tt.src, got, n)
				}
			}
			if err := checkSafe(got); err != nil {
				t.Errorf("Render(%q) = %s: %v", tt.src, got, err)
			}
		})
	}
}

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"# 一、项目绩效评价分数和等级", []string{"一项目绩效评价分数和等级"}},
		{"# （一）项目取得的主要成效", []string{"一项目取得的主要成效"}},
		{"# 1.项目决策", []string{"1-项目决策"}},
		{"# 残疾人“两项补贴”项目", []string{"残疾人两项补贴项目"}},
		{"# Problems & Causes", []string{"problems-causes"}},
		{"# 2023年 预算　绩效", []string{"2023年-预算-绩效"}},
		{"# **重点** `项目`", []string{"重点-项目"}},
		{"# [附件](x.html)1", []string{"附件1"}},
		{"# ——", []string{"section"}},
		{"#", []string{"section"}},
		{"# Ｆｕｌｌ", []string{"ｆｕｌｌ"}},
		// duplicates get the first free suffix, also against a later heading
		{"# 成效\n# 成效\n# 成效", []string{"成效", "成效-1", "成效-2"}},
		{"# a-1\n# a\n# a", []string{"a-1", "a", "a-2"}},
		{"# ？\n# ！", []string{"section", "section-1"}},
	}
	for _, tt := range tests {
		doc := render(t, tt.src)
		var got []string
		for _, h := range doc.Headings {
			got = append(got, h.ID)
			if !strings.Contains(string(doc.HTML), `id="`+html.EscapeString(h.ID)+`"`) {
				t.Errorf("Render(%q): id %q not in HTML %s", tt.src, h.ID, doc.HTML)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Render(%q) ids = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestHeadingLevels(t *testing.T) {
	tests := []struct {
		name, src string
		want      []int
	}{
		{"starts at #", "# a\n## b\n### c\n# d", []int{2, 3, 4, 2}},
		{"starts at ##", "## a\n### b\n## c", []int{2, 3, 2}},
		{"starts at ###", "### a\n#### b", []int{2, 3}},
		{"source skip kept, not widened", "## a\n#### b", []int{2, 4}},
		{"deeper later heading sets the shift", "### a\n# b", []int{4, 2}},
		{"capped at 6", "# a\n##### b\n###### c", []int{2, 6, 6}},
		{"setext", "a\n===\nb\n---", []int{2, 3}},
		{"none", "text", nil},
	}
	for _, tt := range tests {
		doc := render(t, tt.src)
		var got []int
		for _, h := range doc.Headings {
			got = append(got, h.Level)
			if !strings.Contains(string(doc.HTML), fmt.Sprintf(`<h%d id="%s">`, h.Level, h.ID)) {
				t.Errorf("%s: heading %+v not rendered at its level: %s", tt.name, h, doc.HTML)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: levels = %v, want %v", tt.name, got, tt.want)
		}
		if strings.Contains(string(doc.HTML), "<h1") {
			t.Errorf("%s: <h1> in %s", tt.name, doc.HTML)
		}
	}
}

func TestCJKLineBreaks(t *testing.T) {
	tests := []struct {
		src, html, text string
	}{
		{"评价\n等级", "<p>评价等级</p>", "评价等级"},
		{"得分，\n评价", "<p>得分，评价</p>", "得分，评价"},
		{"（摘要版）\n一、", "<p>（摘要版）一、</p>", "（摘要版）一、"},
		{"2023年\n4月", "<p>2023年4月</p>", "2023年4月"},
		{"English\nwords", "<p>English\nwords</p>", "English words"},
		{"합니다\n그리고", "<p>합니다\n그리고</p>", "합니다 그리고"},
		{"中文\\\n换行", "<p>中文<br>\n换行</p>", "中文 换行"},
	}
	for _, tt := range tests {
		doc := render(t, tt.src)
		if got := strings.TrimSpace(string(doc.HTML)); got != tt.html {
			t.Errorf("Render(%q).HTML = %q, want %q", tt.src, got, tt.html)
		}
		if doc.Text != tt.text {
			t.Errorf("Render(%q).Text = %q, want %q", tt.src, doc.Text, tt.text)
		}
	}
}

func TestText(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"paragraphs", "第一段。\n\n第二段。", "第一段。\n第二段。"},
		{"heading and list", "## 一、成效\n\n1. 甲\n2. 乙\n\n- 丙\n\n  丁", "一、成效\n甲\n乙\n丙\n丁"},
		{"markup dropped", "**粗** *斜* ~~删~~ `码` [链](https://a.cn/) ![图](a.png)", "粗 斜 删 码 链 图"},
		{"escapes and entities", `\*星\* &amp; &copy; &#20013; \ 空`, "*星* & © 中 空"},
		{"table", "| 指标 | 分值 |\n| --- | --- |\n| 决策 | 20 |\n| 过程 | 30 |", "指标 分值\n决策 20\n过程 30"},
		{"raw html is text", "<b>x</b> 与<br>y\n\n<div>\nz\n</div>", "<b>x</b> 与 y\n<div> z </div>"},
		{"dropped image leaves one space", "甲 ![](data:x) 乙", "甲 乙"},
		{"remote image without alt", "![](https://a.cn/b.png)", "https://a.cn/b.png"},
		{"code block", "```\nx := 1\ny := 2\n```", "x := 1\ny := 2"},
		{"quote", "> 引用\n> 续", "引用续"},
		{"empty", "", ""},
		{"thematic break only", "---\n***", ""},
	}
	for _, tt := range tests {
		if got := render(t, tt.src).Text; got != tt.want {
			t.Errorf("%s: Render(%q).Text = %q, want %q", tt.name, tt.src, got, tt.want)
		}
	}
}

func TestHeadingText(t *testing.T) {
	doc := render(t, "# 一、**项目**绩效 &amp; `评价`\n\n正文")
	want := Heading{Level: 2, Text: "一、项目绩效 & 评价", ID: "一项目绩效-评价"}
	if len(doc.Headings) != 1 || doc.Headings[0] != want {
		t.Errorf("Headings = %+v, want [%+v]", doc.Headings, want)
	}
}

func TestTableWrapper(t *testing.T) {
	doc := render(t, "- 列表\n\n  | a |\n  | - |\n  | 1 |\n")
	h := string(doc.HTML)
	if !strings.Contains(h, "<li>") || !strings.Contains(h, `<div class="table-scroll" tabindex="0">`+"\n<table>") ||
		!strings.Contains(h, "</table>\n</div>") {
		t.Errorf("table in list item not wrapped: %s", h)
	}
}

// TestDeterministic renders the same input twice and on many goroutines; run
// with -race to check that a Renderer is safe for concurrent use.
func TestDeterministic(t *testing.T) {
	src, err := os.ReadFile("testdata/basics.md")
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	want, err := r.Render(src)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := r.Render(src)
				if err != nil || got.HTML != want.HTML || got.Text != want.Text || fmt.Sprint(got.Headings) != fmt.Sprint(want.Headings) {
					t.Errorf("Render differs between calls: %v", err)
					return
				}
			}
		})
	}
	wg.Wait()
}

func FuzzRender(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, name := range files {
		if src, err := os.ReadFile(name); err == nil {
			f.Add(src)
		}
	}
	for _, s := range []string{
		"[x](javascript:alert(1))", "![x](data:image/png;base64,AA)", "<img src=x onerror=alert(1)>",
		"<javascript:alert(1)>", "[x](java&#x09;script:x)", "# 一、标题\n## 一、标题",
		"| a | b |\n|---|---|\n| <script> | [x](vbscript:x) |", "<div>\n<script>\n</div>",
		"[a]: <javascript:x> \"t\"\n\n[a]", "`<script>`", "![a](//x/y) www.example.com a@b.cn",
	} {
		f.Add([]byte(s))
	}
	r := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := r.Render(src)
		if err != nil {
			t.Fatalf("Render: %v", err)
		}
		if err := checkSafe(string(doc.HTML)); err != nil {
			t.Fatalf("%v in\n%s", err, doc.HTML)
		}
		for _, h := range doc.Headings {
			if h.Level < 2 || h.Level > 6 || h.ID == "" {
				t.Fatalf("bad heading %+v", h)
			}
		}
	})
}

// checkSafe scans rendered HTML the way a browser tokenizes it and reports
// any script element, comment, event-handler attribute, or href/src whose
// scheme is not http, https or mailto.
func checkSafe(s string) error {
	if strings.Contains(strings.ToLower(s), "<script") {
		return fmt.Errorf("<script")
	}
	for i := 0; i < len(s); i++ {
		if s[i] != '<' {
			continue
		}
		rest := s[i+1:]
		if strings.HasPrefix(rest, "!") || strings.HasPrefix(rest, "?") {
			return fmt.Errorf("markup declaration or comment at %d", i)
		}
		j := 0
		if j < len(rest) && rest[j] == '/' {
			j++
		}
		if j >= len(rest) || !isASCIILetter(rest[j]) {
			return fmt.Errorf("bare '<' at %d", i) // text '<' is always escaped
		}
		for j < len(rest) && !isSpaceOrEnd(rest[j]) {
			j++
		}
		// attributes
		for {
			for j < len(rest) && (isSpace(rest[j]) || rest[j] == '/') {
				j++
			}
			if j >= len(rest) {
				return fmt.Errorf("unterminated tag at %d", i)
			}
			if rest[j] == '>' {
				break
			}
			start := j
			for j < len(rest) && !isSpace(rest[j]) && rest[j] != '=' && rest[j] != '>' && rest[j] != '/' {
				j++
			}
			name := strings.ToLower(rest[start:j])
			var value string
			if j < len(rest) && rest[j] == '=' {
				j++
				if j < len(rest) && (rest[j] == '"' || rest[j] == '\'') {
					q := rest[j]
					end := strings.IndexByte(rest[j+1:], q)
					if end < 0 {
						return fmt.Errorf("unterminated attribute at %d", i)
					}
					value = rest[j+1 : j+1+end]
					j += end + 2
				} else {
					start := j
					for j < len(rest) && !isSpace(rest[j]) && rest[j] != '>' {
						j++
					}
					value = rest[start:j]
				}
			}
			if strings.HasPrefix(name, "on") {
				return fmt.Errorf("event handler attribute %s=%q", name, value)
			}
			if name == "href" || name == "src" {
				if err := checkURL(name, html.UnescapeString(value)); err != nil {
					return err
				}
			}
		}
		i += j
	}
	return nil
}

func checkURL(attr, v string) error {
	var b strings.Builder
	for _, r := range v {
		if r > ' ' { // browsers drop tab/newline anywhere and controls at the ends
			b.WriteRune(r)
		}
	}
	u := strings.ToLower(b.String())
	if i := strings.IndexAny(u, ":/?#"); i >= 0 && u[i] == ':' && isScheme(u[:i]) {
		switch u[:i] {
		case "http", "https", "mailto":
		default:
			return fmt.Errorf("%s with scheme %q: %q", attr, u[:i], v)
		}
		if attr == "src" {
			return fmt.Errorf("src on another host: %q", v)
		}
	}
	if attr == "src" && (strings.HasPrefix(u, "//") || strings.HasPrefix(u, `\`) || strings.HasPrefix(u, `/\`)) {
		return fmt.Errorf("src on another host: %q", v)
	}
	return nil
}

// isScheme reports whether a browser reads s as a URL scheme; anything
// else before a ':' makes the URL relative.
func isScheme(s string) bool {
	if s == "" || !isASCIILetter(s[0]) {
		return false
	}
	for i := range len(s) {
		c := s[i]
		if !isASCIILetter(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isSpace(c byte) bool       { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
func isSpaceOrEnd(c byte) bool  { return isSpace(c) || c == '>' || c == '/' }

func BenchmarkRender(b *testing.B) {
	src, err := os.ReadFile("testdata/evaluation.md")
	if err != nil {
		b.Fatal(err)
	}
	r := New()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(src); err != nil {
			b.Fatal(err)
		}
	}
}

// TestManyIdenticalHeadings renders 20,000 identical headings, whose ids
// were once found by trying every suffix from -1: 200 million tries, each
// allocating its candidate. The allocation total bounds the tries without
// depending on the speed of a shared machine.
func TestManyIdenticalHeadings(t *testing.T) {
	const n = 20_000
	src := []byte(strings.Repeat("## 成效\n\n", n))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	doc, err := New().Render(src)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Headings) != n || doc.Headings[n-1].ID != "成效-"+fmt.Sprint(n-1) {
		t.Fatalf("%d headings, last id %q", len(doc.Headings), doc.Headings[len(doc.Headings)-1].ID)
	}
	// About 60 MB today; the quadratic search allocated a string per try,
	// some 200 million of them.
	if got := after.TotalAlloc - before.TotalAlloc; got > 300<<20 {
		t.Errorf("allocated %d MB for %d headings", got>>20, n)
	}
}
