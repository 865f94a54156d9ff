package console

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// message is a line evalpress prints when a build fails.
const message = "构建失败：内容有错误\n"

// name names an encoding in a test's failure; nil is UTF-8 as written.
func name(e encoding.Encoding) string {
	if e == nil {
		return "UTF-8"
	}
	return fmt.Sprint(e)
}

func TestChoose(t *testing.T) {
	for _, tt := range []struct {
		s    stream
		want encoding.Encoding
	}{
		// A console window: Go writes UTF-16, whatever else is said.
		{stream{console: true, codePage: 936}, nil},
		{stream{console: true, codePage: 936, override: "gbk"}, nil},
		{stream{console: true, codePage: 936, msys: true}, nil},

		// A pipe or file: the console's code page.
		{stream{codePage: 936}, simplifiedchinese.GBK},
		{stream{codePage: 54936}, simplifiedchinese.GB18030},
		{stream{codePage: 950}, traditionalchinese.Big5},
		{stream{codePage: 437}, charmap.CodePage437},
		{stream{codePage: 1252}, charmap.Windows1252},
		{stream{codePage: 65001}, nil},
		{stream{codePage: 0}, nil},    // no console
		{stream{codePage: 932}, nil},  // not in codePages
		{stream{codePage: 1200}, nil}, // UTF-16, which no console outputs

		// EVALPRESS_ENCODING, in any case, with spaces, wins.
		{stream{codePage: 936, override: "utf-8"}, nil},
		{stream{codePage: 936, override: " UTF8 "}, nil},
		{stream{codePage: 65001, override: "gbk"}, simplifiedchinese.GBK},
		{stream{codePage: 0, override: "GB18030"}, simplifiedchinese.GB18030},
		{stream{codePage: 936, override: "big5"}, traditionalchinese.Big5},
		{stream{codePage: 936, msys: true, override: "gbk"}, simplifiedchinese.GBK},
		// An unknown value is ignored.
		{stream{codePage: 936, override: "latin1"}, simplifiedchinese.GBK},
		{stream{codePage: 936, override: ""}, simplifiedchinese.GBK},

		// Under Git Bash or MSYS2, mintty and grep read UTF-8.
		{stream{codePage: 936, msys: true}, nil},
	} {
		if got := choose(tt.s); got != tt.want {
			t.Errorf("choose(%+v) = %s, want %s", tt.s, name(got), name(tt.want))
		}
	}
}

// encoded is s in e, as x/text encodes it.
func encoded(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	if e == nil {
		return []byte(s)
	}
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("%s cannot encode %q: %v", name(e), s, err)
	}
	return b
}

// TestWriteSplitMidCharacter: a message written in three pieces, cut
// anywhere, even inside a character, comes out as its GBK bytes; after
// each Write the output holds the whole characters written so far, so a
// character is never split across two writes to the stream.
func TestWriteSplitMidCharacter(t *testing.T) {
	e := choose(stream{codePage: 936})
	p := []byte(message)
	for i := 0; i <= len(p); i++ {
		for j := i; j <= len(p); j++ {
			var out bytes.Buffer
			w := newWriter(&out, e)
			for k, piece := range [][]byte{p[:i], p[i:j], p[j:]} {
				if n, err := w.Write(piece); n != len(piece) || err != nil {
					t.Fatalf("cut at %d, %d: Write(%q) = %d, %v", i, j, piece, n, err)
				}
				whole := string(p[:[]int{i, j, len(p)}[k]])
				whole = whole[:len(whole)-incomplete([]byte(whole))]
				if want := encoded(t, e, whole); !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("cut at %d, %d: after piece %d the stream holds % x, want % x", i, j, k, out.Bytes(), want)
				}
			}
			got, err := simplifiedchinese.GBK.NewDecoder().String(out.String())
			if err != nil || got != message {
				t.Fatalf("cut at %d, %d: decoded as GBK %q, %v; want %q", i, j, got, err, message)
			}
		}
	}
}

// TestWriteByteByByte: one byte at a time, in each encoding with a
// character of its own, the output decodes back to the text.
func TestWriteByteByByte(t *testing.T) {
	for _, tt := range []struct {
		e    encoding.Encoding
		text string
	}{
		{simplifiedchinese.GBK, message},
		// GB18030 takes 4 bytes for ß and ü, which UTF-8 writes in 2.
		{simplifiedchinese.GB18030, "错误𠀀 ßü" + message},
		{traditionalchinese.Big5, "建置失敗：內容有錯誤\n"},
		{charmap.Windows1252, "Fehler: Größe ungültig – €\n"},
	} {
		var out bytes.Buffer
		w := newWriter(&out, tt.e)
		for _, b := range []byte(tt.text) {
			if _, err := w.Write([]byte{b}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := tt.e.NewDecoder().String(out.String())
		if err != nil || got != tt.text {
			t.Errorf("%s, byte by byte: decoded %q, %v; want %q", name(tt.e), got, err, tt.text)
		}
	}
}

// TestWriteUTF8Unchanged: a console window, code page 65001, no console,
// the override and an MSYS2 shell get the bytes as written, each Write
// passed on at once, even one that ends inside a character.
func TestWriteUTF8Unchanged(t *testing.T) {
	for _, s := range []stream{
		{console: true, codePage: 936},
		{codePage: 65001},
		{codePage: 0},
		{codePage: 936, override: "utf-8"},
		{codePage: 936, msys: true},
	} {
		var out bytes.Buffer
		w := newWriter(&out, choose(s))
		p := []byte(message)
		for _, piece := range [][]byte{p[:4], p[4:11], p[11:]} {
			before := out.Len()
			if n, err := w.Write(piece); n != len(piece) || err != nil {
				t.Fatalf("%+v: Write = %d, %v", s, n, err)
			}
			if !bytes.Equal(out.Bytes()[before:], piece) {
				t.Errorf("%+v: Write(% x) wrote % x", s, piece, out.Bytes()[before:])
			}
		}
		if err := w.Flush(); err != nil || out.String() != message {
			t.Errorf("%+v: got %q, %v; want %q", s, out.String(), err, message)
		}
	}
}

// TestWriteWhatTheCodePageLacks: a character GBK lacks, and a byte that
// is not UTF-8, become "?"; the line around them is written.
func TestWriteWhatTheCodePageLacks(t *testing.T) {
	gbk := simplifiedchinese.GBK
	for _, tt := range []struct {
		in, want string
	}{
		{"评价𠀀😀完成\n", "评价??完成\n"},
		{"分值\xff满分\n", "分值?满分\n"},
		{"等级\xe4\xb8x\n", "等级??x\n"},
	} {
		var out bytes.Buffer
		w := newWriter(&out, gbk)
		if n, err := w.Write([]byte(tt.in)); n != len(tt.in) || err != nil {
			t.Errorf("Write(%q) = %d, %v", tt.in, n, err)
		}
		if want := encoded(t, gbk, tt.want); !bytes.Equal(out.Bytes(), want) {
			t.Errorf("Write(%q) wrote % x, want % x (%q)", tt.in, out.Bytes(), want, tt.want)
		}
	}
}

// TestFlushWritesAnUnfinishedCharacter: the start of a character whose
// end never comes is held by Write and written by Flush as one "?".
func TestFlushWritesAnUnfinishedCharacter(t *testing.T) {
	gbk := simplifiedchinese.GBK
	var out bytes.Buffer
	w := newWriter(&out, gbk)
	w.Write([]byte("错\xe8\xaf"))
	if want := encoded(t, gbk, "错"); !bytes.Equal(out.Bytes(), want) {
		t.Errorf("after Write: % x, want % x", out.Bytes(), want)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if want := encoded(t, gbk, "错?"); !bytes.Equal(out.Bytes(), want) {
		t.Errorf("after Flush: % x, want % x", out.Bytes(), want)
	}
	// Flushed, the Writer goes on, holding nothing.
	w.Write([]byte("误\n"))
	w.Flush()
	if want := encoded(t, gbk, "错?误\n"); !bytes.Equal(out.Bytes(), want) {
		t.Errorf("after more: % x, want % x", out.Bytes(), want)
	}
}

// TestWriteLong: a write longer than the buffers the Writer keeps comes
// out whole, and so does the next.
func TestWriteLong(t *testing.T) {
	gbk := simplifiedchinese.GBK
	long := strings.Repeat("项目资金到位率低于计划，扣2分。\n", 4000)
	var out bytes.Buffer
	w := newWriter(&out, gbk)
	w.Write([]byte(long))
	w.Write([]byte(message))
	if want := encoded(t, gbk, long+message); !bytes.Equal(out.Bytes(), want) {
		t.Errorf("got %d bytes, want %d", out.Len(), len(want))
	}
}

// TestConcurrentWriters: goroutines writing lines at once lose no byte,
// split no line, and each one's lines stay in its order.
func TestConcurrentWriters(t *testing.T) {
	const writers, lines = 8, 300
	var out bytes.Buffer
	w := newWriter(&out, simplifiedchinese.GBK)
	var wg sync.WaitGroup
	for g := range writers {
		wg.Go(func() {
			for i := range lines {
				fmt.Fprintf(w, "第%d路第%d行：构建失败\n", g, i)
			}
		})
	}
	wg.Wait()
	text, err := simplifiedchinese.GBK.NewDecoder().String(out.String())
	if err != nil {
		t.Fatal(err)
	}
	next := make([]int, writers)
	got := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	for _, line := range got {
		var g, i int
		if _, err := fmt.Sscanf(line, "第%d路第%d行：构建失败", &g, &i); err != nil || g < 0 || g >= writers {
			t.Fatalf("a line came out as %q", line)
		}
		if i != next[g] {
			t.Fatalf("writer %d: line %d came after line %d", g, i, next[g]-1)
		}
		next[g]++
	}
	if len(got) != writers*lines {
		t.Errorf("%d lines, want %d", len(got), writers*lines)
	}
}
