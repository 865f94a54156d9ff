package main

import (
	"os"
	"path/filepath"
	"strings"
)

// started is how the user started this program, so that every command it
// prints can be typed as it is: a web staffer who ran make site has no
// evalpress on their PATH, and one who ran ./bin/evalpress needs that path.
type started struct {
	// make is true when make ran the program (it sets MAKELEVEL), so that
	// the Makefile's targets are the commands to suggest.
	make bool
	// self is the program as typed: "./bin/evalpress", or "evalpress" when
	// found on PATH, or "go run ./cmd/evalpress".
	self string
}

// invoked is how this process was started; tests replace it.
var invoked = startedFrom(os.Args[0], os.Getenv("MAKELEVEL"))

// startedFrom reads arg0 (os.Args[0]) and make's MAKELEVEL.
func startedFrom(arg0, makelevel string) started {
	s := started{make: makelevel != "", self: arg0}
	switch {
	case arg0 == "":
		s.self = "evalpress"
	case strings.Contains(arg0, "go-build") && strings.HasPrefix(arg0, os.TempDir()):
		// go run builds into a temporary directory that is gone after.
		s.self = "go run ./cmd/evalpress"
	default:
		// Quoted for the shell it is typed into: single quotes on Unix,
		// double quotes for cmd.exe and PowerShell (C:\Program Files\…).
		s.self = quoteArg(arg0)
	}
	return s
}

// makeTargets are the Makefile's targets for a command on the default
// content directory (and, for build, the default output).
var makeTargets = map[string]string{"build": "make site", "check": "make check", "serve": "make serve"}

// command returns the command line to suggest for running sub on the
// content directory content: the make target when make ran this program
// and one fits, else the program as it was typed.
func (s started) command(sub, content string, args ...string) string {
	if t, ok := makeTargets[sub]; ok && s.make && content == "content" && len(args) == 0 {
		return t
	}
	parts := []string{s.self, sub}
	if content != "content" {
		parts = append(parts, "-content", quoteArg(content))
	}
	return strings.Join(append(parts, args...), " ")
}

// quoteArg quotes a path for a shell when it needs it.
func quoteArg(p string) string {
	if p == "" || strings.ContainsAny(p, " \t'\"$&;|<>()*?`\\") && filepath.Separator == '/' {
		return "'" + strings.ReplaceAll(p, "'", `'\''`) + "'"
	}
	if strings.ContainsAny(p, " \t") {
		return `"` + p + `"`
	}
	return p
}
