// Package console makes the program's Chinese output readable on Windows
// where the reader decodes it with the console's code page.
//
// Go writes to a Windows console window in UTF-16 itself, so text shows
// right there whatever the code page. Output that is not a console window
// is different: PowerShell capturing or piping a native command
// ($r = evalpress check, | Tee-Object, | Select-String), cmd's | findstr,
// and > log.txt read back with type all decode it with the console's
// output code page, 936 (GBK) on Chinese Windows, and show UTF-8 as
// mojibake. Wrap encodes such output in that code page.
//
// The choice, in order (see choose):
//
//   - a console window gets UTF-8, which Go converts;
//   - EVALPRESS_ENCODING=utf-8, gbk, gb18030 or big5 forces the encoding
//     of a pipe or file (any other value is ignored);
//   - under an MSYS2 shell (Git Bash, or make run from one: MSYSTEM is
//     set) UTF-8, which its terminal and tools read;
//   - else the console's output code page if the process has a console and
//     the code page is one of codePages; a process without a console, code
//     page 65001 and unknown code pages get UTF-8.
//
// On other systems Wrap changes nothing: their terminals and tools read
// UTF-8.
//
// It is not a terminal library: it knows nothing of colours, widths or
// cursor control.
package console
