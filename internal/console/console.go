package console

import (
	"errors"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/transform"
)

// stream is what the system says about one output stream: the facts choose
// decides on, gathered by inspect on Windows and zero elsewhere.
type stream struct {
	// console is true when the stream is a console window, to which Go
	// writes UTF-16 itself.
	console bool
	// codePage is the output code page of the process's console, which
	// whoever reads the pipe or file decodes with; 0 when the process has
	// no console.
	codePage uint32
	// override is the value of EVALPRESS_ENCODING.
	override string
	// msys is true under an MSYS2 shell (MSYSTEM is set): its terminal,
	// mintty, and its tools read UTF-8, though the hidden console it gives
	// a Windows program has the system's code page.
	msys bool
}

// overrides are the values EVALPRESS_ENCODING can take, lower case; nil
// means UTF-8 as written.
var overrides = map[string]encoding.Encoding{
	"utf-8":   nil,
	"utf8":    nil,
	"gbk":     simplifiedchinese.GBK,
	"gb2312":  simplifiedchinese.GBK, // what many call GBK; GBK is a superset
	"cp936":   simplifiedchinese.GBK,
	"gb18030": simplifiedchinese.GB18030,
	"big5":    traditionalchinese.Big5,
}

// codePages are the Windows console output code pages Wrap encodes in.
// 65001 is UTF-8 and needs nothing; a code page not listed (932, 949 among
// them, whose tables would grow the program for readers it does not have)
// gets UTF-8 too.
var codePages = map[uint32]encoding.Encoding{
	936:   simplifiedchinese.GBK,
	54936: simplifiedchinese.GB18030,
	950:   traditionalchinese.Big5,

	// The OEM code pages a console starts with outside East Asia.
	437: charmap.CodePage437,
	850: charmap.CodePage850,
	852: charmap.CodePage852,
	855: charmap.CodePage855,
	858: charmap.CodePage858,
	860: charmap.CodePage860,
	862: charmap.CodePage862,
	863: charmap.CodePage863,
	865: charmap.CodePage865,
	866: charmap.CodePage866,

	// Windows ("ANSI") code pages, which chcp can set.
	874:  charmap.Windows874,
	1250: charmap.Windows1250,
	1251: charmap.Windows1251,
	1252: charmap.Windows1252,
	1253: charmap.Windows1253,
	1254: charmap.Windows1254,
	1255: charmap.Windows1255,
	1256: charmap.Windows1256,
	1257: charmap.Windows1257,
	1258: charmap.Windows1258,

	20866: charmap.KOI8R,
	21866: charmap.KOI8U,
	28591: charmap.ISO8859_1,
	28592: charmap.ISO8859_2,
	28593: charmap.ISO8859_3,
	28594: charmap.ISO8859_4,
	28595: charmap.ISO8859_5,
	28596: charmap.ISO8859_6,
	28597: charmap.ISO8859_7,
	28598: charmap.ISO8859_8,
	28599: charmap.ISO8859_9,
	28603: charmap.ISO8859_13,
	28605: charmap.ISO8859_15,
}

// choose returns the encoding to write s in; nil means UTF-8 as written.
func choose(s stream) encoding.Encoding {
	if s.console {
		// Go's console writer decodes UTF-8 into UTF-16: any other
		// encoding would come out as mojibake.
		return nil
	}
	if e, ok := overrides[strings.ToLower(strings.TrimSpace(s.override))]; ok {
		return e
	}
	if s.msys {
		return nil
	}
	return codePages[s.codePage]
}

// Writer writes UTF-8 text to a stream in the encoding its reader expects.
// It is safe for concurrent use, as an *os.File is: each Write reaches the
// stream whole and in the order of the calls.
type Writer struct {
	w io.Writer
	// enc is nil when the text is written as it is.
	enc *encoding.Encoder

	mu sync.Mutex
	// partial is the start of a UTF-8 sequence that the last Write ended
	// in: it is encoded with the rest of the character, which the next
	// Write brings.
	partial []byte
	in, out []byte // reused between writes
}

// Wrap returns a Writer to f in the encoding whoever reads f expects (see
// the package documentation). Call Flush before the program exits.
func Wrap(f *os.File) *Writer {
	return newWriter(f, choose(inspect(f)))
}

// newWriter returns a Writer that writes to w in enc; nil enc means UTF-8
// as written.
func newWriter(w io.Writer, enc encoding.Encoding) *Writer {
	cw := &Writer{w: w}
	if enc != nil {
		cw.enc = enc.NewEncoder()
	}
	return cw
}

// bigBuffer is the capacity beyond which the buffers are not kept for the
// next Write: a long JSON report should not stay in memory as a buffer.
const bigBuffer = 64 << 10

// Write writes p, holding back an incomplete UTF-8 sequence at its end
// until the next Write or Flush. A character the encoding lacks, and a
// byte that is not UTF-8, is written as "?": a message never fails to be
// written for one character. Write fails only when the stream does.
func (w *Writer) Write(p []byte) (int, error) {
	if w.enc == nil {
		return w.w.Write(p)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	src := p
	if len(w.partial) > 0 {
		w.in = append(append(w.in[:0], w.partial...), p...)
		src = w.in
	}
	n := len(src) - incomplete(src)
	w.out = w.encode(w.out[:0], src[:n])
	w.partial = append(w.partial[:0], src[n:]...)
	err := w.flushOut()
	if err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes what a Write held back: the start of a character whose
// other bytes never came, as one "?". The Writer stays usable, and the
// file it writes to stays open.
func (w *Writer) Flush() error {
	if w.enc == nil {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.partial) == 0 {
		return nil
	}
	w.partial = w.partial[:0]
	w.out = append(w.out[:0], '?')
	return w.flushOut()
}

// flushOut writes w.out to the stream.
func (w *Writer) flushOut() error {
	var err error
	if len(w.out) > 0 {
		_, err = w.w.Write(w.out)
	}
	if cap(w.out) > bigBuffer {
		w.out, w.in = nil, nil
	}
	return err
}

// encode appends src, whole characters, encoded to dst.
func (w *Writer) encode(dst, src []byte) []byte {
	w.enc.Reset()
	for len(src) > 0 {
		// Text is seldom longer encoded than in UTF-8; when it is (GB18030
		// takes 4 bytes for some 2-byte characters), the encoder stops
		// short and the next round grows dst again.
		dst = slices.Grow(dst, len(src)+utf8.UTFMax)
		nDst, nSrc, err := w.enc.Transform(dst[len(dst):cap(dst)], src, true)
		dst, src = dst[:len(dst)+nDst], src[nSrc:]
		switch {
		case err == nil, errors.Is(err, transform.ErrShortDst):
		default:
			// A character the encoding lacks, or a byte that is not
			// UTF-8: the encoders stop before it.
			_, size := utf8.DecodeRune(src)
			dst, src = append(dst, '?'), src[size:]
		}
	}
	return dst
}

// incomplete returns the length of the incomplete UTF-8 sequence that b
// ends in, which more bytes could complete; 0 when b ends in a whole
// character or in bytes no more could make one.
func incomplete(b []byte) int {
	for i := 1; i < utf8.UTFMax && i <= len(b); i++ {
		c := b[len(b)-i]
		if !utf8.RuneStart(c) {
			continue
		}
		if c >= utf8.RuneSelf && !utf8.FullRune(b[len(b)-i:]) {
			return i
		}
		return 0
	}
	return 0
}
