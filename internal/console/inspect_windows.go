package console

import (
	"os"

	"golang.org/x/sys/windows"
)

// envOverride names the environment variable that forces the encoding of
// output that is not a console window.
const envOverride = "EVALPRESS_ENCODING"

// inspect asks Windows about f: whether it is a console window and, if
// not, the console's output code page, and reads the environment.
func inspect(f *os.File) stream {
	var s stream
	// SyscallConn rather than Fd: Fd takes the handle off the runtime's
	// I/O completion port.
	if rc, err := f.SyscallConn(); err == nil {
		rc.Control(func(fd uintptr) {
			var mode uint32
			s.console = windows.GetConsoleMode(windows.Handle(fd), &mode) == nil
		})
	}
	if s.console {
		return s
	}
	// 0, with an error, when the process has no console.
	s.codePage, _ = windows.GetConsoleOutputCP()
	s.override = os.Getenv(envOverride)
	s.msys = os.Getenv("MSYSTEM") != ""
	return s
}
