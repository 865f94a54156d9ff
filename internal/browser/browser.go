package browser

import (
	"errors"
	"fmt"
	"io"
	"os/exec"
	"runtime"
)

// Open starts the default browser on url and returns without waiting for
// it. If the browser cannot be opened, now or when the opener exits
// with a failure, Open writes to w, in Chinese, that it could not and the
// address to open by hand; it has no error to return. The late message
// comes from another goroutine: w must be safe for concurrent use.
func Open(url string, w io.Writer) {
	open(runtime.GOOS, url, w, startProcess)
}

// starter starts a program without waiting for it, and returns the wait
// for its end; tests replace the real one, startProcess.
type starter func(name string, args ...string) (wait func() error, err error)

func open(goos, url string, w io.Writer, start starter) {
	name, args := command(goos, url)
	wait, err := start(name, args...)
	if err != nil {
		fallback(w, name, url, err)
		return
	}
	// Waiting reaps the opener, which exits at once on Windows and macOS;
	// xdg-open may only when the browser does.
	go func() {
		if err := wait(); err != nil {
			fallback(w, name, url, err)
		}
	}()
}

// command returns the program and arguments that open url on goos.
func command(goos, url string) (string, []string) {
	switch goos {
	case "windows":
		// No cmd /c start: cmd would end the command at an & in url.
		// rundll32 hands url to its registered handler as it is.
		return "rundll32", []string{"url.dll,FileProtocolHandler", url}
	case "darwin":
		return "open", []string{url}
	default:
		return "xdg-open", []string{url}
	}
}

func startProcess(name string, args ...string) (func() error, error) {
	cmd := exec.Command(name, args...)
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	return cmd.Wait, nil
}

// fallback tells the user that the browser could not be opened, why, and
// the address to open by hand.
func fallback(w io.Writer, name, url string, err error) {
	reason := err.Error()
	var exit *exec.ExitError
	switch {
	case errors.Is(err, exec.ErrNotFound):
		reason = "找不到 " + name
	case errors.As(err, &exit):
		reason = fmt.Sprintf("%s 以状态 %d 退出", name, exit.ExitCode())
	}
	fmt.Fprintf(w, "无法打开浏览器（%s），请在浏览器中手动打开 %s\n", reason, url)
}
